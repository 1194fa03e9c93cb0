/**
 * Why the baseline is what it is, from what the fit stored: the method's name, its
 * parameters and its AICc. `auto` stores `comb(<members>)`, combined by the rule of
 * src/core/forecast/calibration.ts (each member has an equal say), with each member's
 * parameters prefixed by its tag (`ets.alpha`, `theta.drift`, `arima-log.ar1`); the fallbacks
 * store their own names (src/core/forecast/index.ts says when each is used).
 */
import { COMBINATION } from '../forecast/calibration.js';

export interface BaselineMember {
  readonly method: string;
  /**
   * The member's equal say in the combination, 1/k of k members (1 for a single model); a
   * median or trimmed mean takes the middle forecasts month by month.
   */
  readonly weight: number;
  readonly params: Readonly<Record<string, number>>;
}

export interface BaselineWhy {
  readonly method: string;
  /** One sentence: why this model. */
  readonly why: string;
  readonly aicc: number | null;
  readonly members: readonly BaselineMember[];
}

/** Splits `a, ETS(M,A,M), b` at the commas outside parentheses. */
function topLevelParts(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The tag a member's parameters carry, from the model name it stored. */
function tagOf(method: string): string {
  const logs = method.endsWith(' on logs') ? '-log' : '';
  if (method.startsWith('ETS')) return 'ets';
  if (method.startsWith('ARIMA')) return `arima${logs}`;
  if (method.startsWith('CES')) return 'ces';
  if (method.startsWith('mapa')) return `mapa${logs}`;
  return method;
}

const RULE: Readonly<Record<typeof COMBINATION.rule, string>> = {
  mean: 'Weighted mean',
  median: 'Median, month by month,',
  trimmed: 'Mean without the highest and the lowest forecast, month by month,',
};

/**
 * The rule a stored combination was made by: the current one when its members are among the
 * current members; a weighted mean when it stored weights (as the mean rule does); otherwise
 * unknown (a baseline fitted by an earlier version), and the sentence names no rule.
 */
function ruleOf(
  tags: readonly string[],
  params: Readonly<Record<string, number>>,
): typeof COMBINATION.rule | null {
  const current = new Set<string>(COMBINATION.members.map((x) => x.name));
  if (tags.every((t) => current.has(t))) return COMBINATION.rule;
  if (Object.keys(params).some((k) => k.endsWith('.weight'))) return 'mean';
  return null;
}

const WHY: Readonly<Record<string, string>> = {
  none: 'There is no sales history for this family, so the baseline is zero.',
  zero: 'Every month of history is zero, so the baseline is zero.',
  naive:
    'Too little history for a model (fewer than 4 months, or no model could be fitted): the last month is carried forward.',
  sba: 'Demand is intermittent (30% or more of the months are zero): Syntetos–Boylan (SBA) forecasts the size and the interval of orders.',
  croston: "Croston's method for intermittent demand.",
  theta: 'The Theta method (M3 competition winner) was asked for.',
  ses: 'Simple exponential smoothing was asked for.',
  holt: "Holt's linear trend was asked for.",
  damped: 'Damped trend was asked for.',
  mean: 'The historical mean was asked for.',
  snaive: 'Seasonal naive (same month last year) was asked for.',
  'hw-additive': 'Holt-Winters (additive) was asked for.',
  'hw-multiplicative': 'Holt-Winters (multiplicative) was asked for.',
};

export function describeBaseline(
  method: string,
  params: Readonly<Record<string, number>>,
  aicc: number | null,
): BaselineWhy {
  const comb = /^comb\((.*)\)$/.exec(method);
  if (comb) {
    const names = topLevelParts(comb[1] ?? '');
    const equal = names.length > 0 ? 1 / names.length : 0;
    const members = names.map((name) => {
      const prefix = `${tagOf(name)}.`;
      const own: Record<string, number> = {};
      for (const [k, v] of Object.entries(params))
        if (k.startsWith(prefix)) own[k.slice(prefix.length)] = v;
      return { method: name, weight: params[`${prefix}weight`] ?? equal, params: own };
    });
    const ets = names.find((n) => n.startsWith('ETS'));
    const rule = ruleOf(names.map(tagOf), params);
    const head =
      rule === null
        ? `Combination of ${names.join(', ')}, each with an equal say: `
        : `${RULE[rule]} of ${names.join(', ')}` +
          (rule === 'median' && names.length % 2 === 0 ? ' (the mean of the middle two): ' : ': ');
    return {
      method,
      why:
        head +
        'combining models of different families is the most reliable improvement in the forecasting competitions (M3, M4).' +
        (ets ? ` ${ets} is the ETS model with the lowest AICc.` : ''),
      aicc,
      members,
    };
  }
  const single = [{ method, weight: 1, params: { ...params } }];
  if (method.startsWith('ETS'))
    return {
      method,
      why: `${method} has the lowest AICc of the ETS models that fit this history.`,
      aicc,
      members: single,
    };
  return {
    method,
    why: WHY[method] ?? `The ${method} method was used.`,
    aicc,
    members: single,
  };
}
