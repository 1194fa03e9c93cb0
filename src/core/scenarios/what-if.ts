/**
 * Ad-hoc what-if assumptions typed by a person, e.g. `demand FAM-3 +20% 2027-04..2027-06`
 * or `capacity LINE-2 -50% 2027-02`. Several may be given, separated by ';' or new lines.
 */
import { isPeriod, type Period, periodIndex } from '../period.js';
import { codeSpan } from '../text.js';
import {
  MAX_TYPED_PCT,
  otherWriting,
  otherWritingAdvice,
  readTypedNumber,
} from '../typed-number.js';

export type WhatIf =
  | {
      readonly kind: 'demand';
      readonly family: string | null;
      readonly pct: number;
      readonly from?: Period;
      readonly to?: Period;
    }
  | {
      readonly kind: 'capacity';
      readonly resource: string;
      readonly pct: number;
      readonly from?: Period;
      readonly to?: Period;
    }
  | { readonly kind: 'overtime' | 'subcontracting'; readonly allowed: boolean }
  | { readonly kind: 'price'; readonly family: string | null; readonly pct: number };

export const WHAT_IF_SYNTAX: Readonly<Record<WhatIf['kind'], string>> = {
  demand:
    'demand <family|all> <+N%|-N%> [YYYY-MM[..YYYY-MM]]   e.g. demand FAM-3 +20% 2027-04..2027-06',
  capacity:
    'capacity <resource> <+N%|-N%> [YYYY-MM[..YYYY-MM]]   e.g. capacity LINE-2 -50% 2027-02',
  overtime: 'overtime on|off',
  subcontracting: 'subcontracting on|off',
  price: 'price <family|all> <+N%|-N%>   e.g. price all -5%',
};

export class WhatIfError extends Error {
  /** The message already ends with the list of assumptions (an unknown one). */
  readonly listsSyntax: boolean;
  constructor(message: string, opts: { readonly listsSyntax?: boolean } = {}) {
    super(message);
    this.name = 'WhatIfError';
    this.listsSyntax = opts.listsSyntax ?? false;
  }
}

const syntaxList = (): string =>
  Object.values(WHAT_IF_SYNTAX)
    .map((s) => `  ${s}`)
    .join('\n');

function pctOf(token: string | undefined, text: string, kind: WhatIf['kind']): number {
  const other = token === undefined ? null : otherWriting(token);
  if (other)
    throw new WhatIfError(
      `${codeSpan(text)}: ${codeSpan(token ?? '')} ${otherWritingAdvice(other)}`,
    );
  const read = token?.endsWith('%') ? readTypedNumber(token.slice(0, -1)) : null;
  if (read?.kind === 'decimal-comma')
    throw new WhatIfError(`${codeSpan(text)}: in ${codeSpan(token ?? '')}, ${read.message}`);
  if (read?.kind !== 'number')
    throw new WhatIfError(
      `${codeSpan(text)}: ${codeSpan(token ?? '')} is not a percentage like +20% or -50%; expected ${WHAT_IF_SYNTAX[kind]}`,
    );
  const pct = read.value;
  if (pct <= -100)
    throw new WhatIfError(`${codeSpan(text)}: ${token} would leave nothing; use more than -100%`);
  if (pct > MAX_TYPED_PCT)
    throw new WhatIfError(
      `${codeSpan(text)}: ${token} is more than a what-if takes (at most +${MAX_TYPED_PCT}%); check the value`,
    );
  return pct;
}

function rangeOf(
  token: string | undefined,
  text: string,
  kind: WhatIf['kind'],
): { from?: Period; to?: Period } {
  if (token === undefined) return {};
  const [from, to = from, ...rest] = token.split('..');
  if (!from || !isPeriod(from) || !to || !isPeriod(to) || rest.length > 0)
    throw new WhatIfError(
      `${codeSpan(text)}: ${codeSpan(token)} is not a month or a range of months (YYYY-MM or YYYY-MM..YYYY-MM); expected ${WHAT_IF_SYNTAX[kind]}`,
    );
  if (periodIndex(to) < periodIndex(from))
    throw new WhatIfError(`${codeSpan(text)}: the range ${token} ends before it starts`);
  return { from, to };
}

/**
 * The words of one assumption. A sign typed apart from its number (`+ 5%`) and a % typed
 * apart (`+5 %`, as French writes it) belong to the percentage, as in `/forecast`.
 */
function words(clean: string): string[] {
  const out: string[] = [];
  for (const w of clean.split(/\s+/)) {
    const last = out.at(-1);
    if (last !== undefined && ((/^[+\-−]$/.test(last) && /^\d/.test(w)) || w === '%'))
      out[out.length - 1] = `${last}${w}`;
    else out.push(w);
  }
  return out;
}

export function parseWhatIf(text: string): WhatIf {
  const clean = text.trim();
  const tokens = words(clean);
  const head = tokens[0]?.toLowerCase();
  const arity = (kind: WhatIf['kind'], min: number, max: number): void => {
    if (tokens.length < min || tokens.length > max)
      throw new WhatIfError(`${codeSpan(clean)}: expected ${WHAT_IF_SYNTAX[kind]}`);
  };
  /** `<family|all> <pct>`: the family (null for all of them) and the percentage. */
  const familyPct = (kind: 'demand' | 'price') => {
    const name = tokens[1] ?? '';
    return {
      family: name.toLowerCase() === 'all' ? null : name,
      pct: pctOf(tokens[2], clean, kind),
    };
  };
  switch (head) {
    case 'demand':
      arity('demand', 3, 4);
      return { kind: 'demand', ...familyPct('demand'), ...rangeOf(tokens[3], clean, 'demand') };
    case 'capacity':
      arity('capacity', 3, 4);
      return {
        kind: 'capacity',
        resource: tokens[1] ?? '',
        pct: pctOf(tokens[2], clean, 'capacity'),
        ...rangeOf(tokens[3], clean, 'capacity'),
      };
    case 'overtime':
    case 'subcontracting': {
      arity(head, 2, 2);
      const v = tokens[1]?.toLowerCase();
      if (v !== 'on' && v !== 'off')
        throw new WhatIfError(`${codeSpan(clean)}: expected ${WHAT_IF_SYNTAX[head]}`);
      return { kind: head, allowed: v === 'on' };
    }
    case 'price':
      arity('price', 3, 3);
      return { kind: 'price', ...familyPct('price') };
    default:
      throw new WhatIfError(
        `${codeSpan(clean)}: unknown assumption ${codeSpan(tokens[0] ?? '')}. Write one of:\n${syntaxList()}`,
        { listsSyntax: true },
      );
  }
}

/**
 * The first month a what-if names that `months` (the months the plan covers) does not hold,
 * or null. A change to months outside the plan changes nothing in it: the what-if would be
 * solved and answered "0.0 pts vs Central" for a change that never reached the plan.
 */
export function whatIfMonthOutside(
  whatIfs: readonly WhatIf[],
  months: readonly Period[],
): Period | null {
  const held = new Set(months);
  for (const w of whatIfs) {
    if ((w.kind !== 'demand' && w.kind !== 'capacity') || !w.from || !w.to) continue;
    const outside = [w.from, w.to].find((m) => !held.has(m));
    if (outside) return outside;
  }
  return null;
}

/**
 * The first what-if of `whatIfs` that changes by 0% (`demand FAM-3 +0%`), as it would be
 * written with `pct` instead: "demand FAM-3 +10% 2027-04..2027-06"; null when none does. Such
 * a change reaches nothing: it would be solved and answered "0.0 pts vs Central".
 */
export function zeroWhatIf(
  whatIfs: readonly WhatIf[],
): { readonly rewrite: (pct: string) => string } | null {
  for (const w of whatIfs) {
    if (!('pct' in w) || w.pct !== 0) continue;
    const target = w.kind === 'capacity' ? w.resource : (w.family ?? 'all');
    const { from, to } = 'from' in w ? w : {};
    const months = from && to ? ` ${from === to ? from : `${from}..${to}`}` : '';
    return { rewrite: (pct) => `${w.kind} ${target} ${pct}${months}` };
  }
  return null;
}

/**
 * The refusal of a what-if that changes by 0%, naming it and the changes to type instead, or
 * null when every change changes something. `/sop whatif` and `sopbot plan --what-if` refuse
 * with it before anything is solved.
 */
export function zeroWhatIfMessage(whatIfs: readonly WhatIf[]): string | null {
  const zero = zeroWhatIf(whatIfs);
  return zero
    ? `${codeSpan(zero.rewrite('0%'))} changes nothing, so the what-if would be Central again. Give a change to try, e.g. ${codeSpan(zero.rewrite('+10%'))} or ${codeSpan(zero.rewrite('-5%'))}.`
    : null;
}

/**
 * The what-if as one line, for quoting it back in a code span: Slack ends a span at a line
 * break, so a typed newline (with the spaces and `;` beside it) is written "; ", the separator
 * the parser reads it as. The rest stays as typed.
 */
export function whatIfLine(text: string): string {
  return text.trim().replace(/[^\S\r\n]*(?:;[^\S\r\n]*)*[\r\n][\s;]*/g, '; ');
}

/** The what-if quoted back whole in a code span (`codeSpan` of `whatIfLine`): "`demand all +5%; overtime off`". */
export function whatIfSpan(text: string): string {
  return codeSpan(whatIfLine(text), Number.POSITIVE_INFINITY);
}

/** Parses several what-ifs separated by ';' or new lines; empty parts are ignored. */
export function parseWhatIfs(text: string): WhatIf[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(parseWhatIf);
}
