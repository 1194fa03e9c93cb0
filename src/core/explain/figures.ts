/**
 * The figures a message talks about, for "Explain this": each family or resource code the
 * message names, with the months named on the same line (or anywhere in the message when
 * its line names none, or the cycle's month when the message names no month at all).
 */
import { isPeriod, type Period, periodRange } from '../period.js';

export interface Figure {
  readonly code: string;
  readonly kind: 'family' | 'resource';
  readonly period: Period;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PERIODS = /\b(\d{4}-(?:0[1-9]|1[0-2]))(?:\s*(?:\.\.|–|to)\s*(\d{4}-(?:0[1-9]|1[0-2])))?\b/g;

function periodsIn(line: string): Period[] {
  const out: Period[] = [];
  for (const m of line.matchAll(PERIODS)) {
    const a = m[1] ?? '';
    const b = m[2];
    if (b && isPeriod(b) && b >= a) out.push(...periodRange(a, b).slice(0, 24));
    else out.push(a);
  }
  return out;
}

/**
 * Figures named in `texts` (a message's text and its blocks' texts), in the order they
 * first appear, at most `limit`.
 */
export function figuresIn(
  texts: readonly string[],
  codes: { readonly families: ReadonlySet<string>; readonly resources: ReadonlySet<string> },
  fallbackMonth: Period,
  limit = 100,
): Figure[] {
  const all = [...codes.families, ...codes.resources].sort((a, b) => b.length - a.length);
  if (all.length === 0) return [];
  const codeRe = new RegExp(
    `(?<![A-Za-z0-9_-])(${all.map(escapeRe).join('|')})(?![A-Za-z0-9_-])`,
    'g',
  );
  const lines = texts.flatMap((t) => t.split('\n'));
  const anywhere = [...new Set(lines.flatMap(periodsIn))];
  const out: Figure[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const found = [...line.matchAll(codeRe)].map((m) => m[1] ?? '');
    if (found.length === 0) continue;
    const here = periodsIn(line);
    const months = here.length ? here : anywhere.length ? anywhere : [fallbackMonth];
    for (const code of found)
      for (const period of months) {
        const key = `${code} ${period}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ code, kind: codes.families.has(code) ? 'family' : 'resource', period });
        if (out.length >= limit) return out;
      }
  }
  return out;
}
