/**
 * One sentence per scenario that states the trade-off a vote accepts, from the stress test's
 * figures (the KPIs stored with each scenario, metric names as in the grid), in words an
 * executive reads without a statistics glossary: a "good case (1 in 10)" is the margin that 1
 * demand outcome in 10 beats (the P90), a "bad case (1 in 10)" the stock, cash and fill rate
 * that 1 outcome in 10 does worse than (P90 of stock, P10 of cash and fill rate). Each is its
 * own 1 in 10, not one outcome: the samples behind the stock's are not the fill rate's, and
 * often come from the other end of demand. So the sentence says which way demand runs in each
 * where the samples show it (`demandTail`, kept with the KPIs), and "each its own 1 in 10"
 * where they do not (and for runs stored before it was kept). The stock is what is left beyond
 * cover plus what expired; "or past its shelf life" says so when any sample writes stock off
 * (`writtenOffValue`, expected):
 *
 *   "Ambitious: margin $92.3M in a good case (1 in 10), +$12.3M vs Central $80.0M, and $74.5M
 *    expected, +$2.1M vs Central $72.4M; if demand runs low (each its own 1 in 10) it leaves
 *    $4.1M of stock beyond 3 months' cover and cash is −$6.0M against budget; if it runs high
 *    (1 in 10) it fills 91.2% of demand (+3.4 pts vs Central)."
 *
 * Differences are against the first scenario (central), named in the sentence beside the two
 * margins they are taken from (nothing else prints the good case's), so finance can check
 * them; the margins and their differences at one precision (`moneyAlike`). A difference that
 * rounds to nothing reads "the same as Central", never "$0", which would read as a margin of
 * zero. When the first scenario has no stress figures the others state their own, and say
 * there is nothing to compare with. Plain text: callers escape it for mrkdwn, since labels are
 * typed by people.
 */
import {
  formatMoney,
  formatMoneyBetween,
  formatPercent,
  formatPointsBetween,
  moneyAlike,
} from '../number-format.js';

export interface TradeOffInput {
  readonly label: string;
  readonly kpis: Readonly<Record<string, number | null | undefined>>;
}

const num = (k: TradeOffInput['kpis'], key: string): number | null => {
  const v = k[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * The name of the stock figure (`excessInventoryValue`) wherever it heads a field, a panel or a
 * row: what is left beyond cover plus what was written off past its shelf life, so not "excess
 * stock" alone. The sentences here and in the pack say it in full ("beyond 3 months' cover or
 * past its shelf life").
 */
export const EXCESS_STOCK = 'Stock beyond cover or expired';

/** The margin 1 demand outcome in 10 beats (the P90), in words. */
export const GOOD_CASE = 'in a good case (1 in 10)';
/**
 * The stock, cash, fill rate or working capital 1 demand outcome in 10 does worse than (P10;
 * P90 of stock and of peak working capital, whose high side is the bad one). Each figure is
 * its own 1 in 10, from its own samples (the stock's bad case can be low demand, the fill
 * rate's high demand), so figures said together are "each its own" (`BAD_CASES`), or grouped
 * by which way demand runs in them where the samples show it (`badCaseWords`).
 */
export const BAD_CASE = 'in a bad case (1 in 10)';
/** Several bad-case figures said together, none tied to one way demand runs. */
export const BAD_CASES = 'in a bad case (each its own 1 in 10)';
/** What "bad case" means, for a message's one note on it. */
export const BAD_CASE_WORDS =
  'in a bad case, 1 demand outcome in 10 does worse, each figure its own 1 in 10';
/**
 * What "bad case" and "good case" mean, for the one note of a message whose trade-off
 * sentences (`tradeOffSentences`) say both: the vote, the Slack pack.
 */
export const CASES_WORDS = `${BAD_CASE_WORDS}; in a good case 1 in 10 does better`;
/**
 * The same, as a sentence heading a document (the pack) whose lines say "in a bad case" and,
 * of the margin in question 6, "in a good case".
 */
export const BAD_CASE_MEANING =
  "Expected figures are averages over the forecast's demand samples, each plan against the same samples; in a bad case, 1 demand outcome in 10 does worse (the samples' P10; of working capital, their P90: more cash tied up), each figure its own 1 in 10, not one outcome, so question 6 says whether demand runs low or high where the samples show it; in a good case, 1 in 10 does better (the P90 of margin).";

/** A scenario's peak working capital (its highest month-end) as its KPIs keep it. */
export interface PeakWorkingCapital {
  /** Expected peak over the horizon (`workingCapital`). */
  readonly expected: number | null;
  /** Its bad case, the P90 (`workingCapitalP90`); null for runs stored before it was kept. */
  readonly badCase: number | null;
  /**
   * Expected peak over the budget's months (`workingCapitalInBudget`); null without a budget,
   * and for runs stored before it was kept (their gap is the horizon's peak against the budget's).
   */
  readonly inBudget: number | null;
  /**
   * Its bad case over the budget's months (`workingCapitalInBudgetP90`); null without a
   * budget, and for runs stored before it was kept.
   */
  readonly badCaseInBudget: number | null;
  /** The expected peak there against the budget's peak (`workingCapitalVsBudget`). */
  readonly vsBudget: number | null;
}

/** The peak working capital figures of a scenario's stored KPIs. */
export function peakWorkingCapital(k: TradeOffInput['kpis']): PeakWorkingCapital {
  return {
    expected: num(k, 'workingCapital'),
    badCase: num(k, 'workingCapitalP90'),
    inBudget: num(k, 'workingCapitalInBudget'),
    badCaseInBudget: num(k, 'workingCapitalInBudgetP90'),
    vsBudget: num(k, 'workingCapitalVsBudget'),
  };
}

/** Whether a gap as printed (`formatMoneyBetween`) puts the plan over the budget. */
const over = (gap: string): boolean => gap.startsWith('+');

/**
 * The peak working capital against the budget's, over the months the budget covers, or null
 * without a budget: the expected peak and its bad case (the P90), and whether each fits
 * within the budget's peak: "the expected peak is −$10 vs budget $460, the bad case +$60: the
 * expected peak fits within the budget, the bad case does not", or, when the budget
 * ends at `budgetEnd` before the horizon's last month, "by 2027-02, the budget's last month,
 * the expected peak is $300, −$160 vs budget $460, the bad case $480, +$20: …", the peaks up
 * to that month (printed, since nothing else shows them). Each gap is the difference of the amounts as printed, and "fits" follows its sign. A
 * run stored before the bad case there was kept says the expected peak alone. The pack's
 * question 4 and the vote say it alike.
 */
export function workingCapitalVsBudgetWords(
  w: PeakWorkingCapital,
  budgetEnd: string | null,
  currency = '$',
): string | null {
  if (w.vsBudget === null || w.expected === null) return null;
  const m = (v: number) => formatMoney(v, currency);
  const early = w.inBudget !== null && budgetEnd !== null;
  const expected = early && w.inBudget !== null ? w.inBudget : w.expected;
  const budget = expected - w.vsBudget;
  // The bad case over the same months: the horizon's when the budget covers it all.
  const bad = w.badCaseInBudget ?? (early ? null : w.badCase);
  // The sentence's amounts at one precision: "+$2.0M vs budget $15.2M, the bad case +$4.5M".
  const [expectedText, gapE = '', budgetText, badText, gapBText] = moneyAlike([
    m(expected),
    formatMoneyBetween(expected, budget, currency),
    m(budget),
    ...(bad === null ? [] : [m(bad), formatMoneyBetween(bad, budget, currency)]),
  ]);
  const head = early
    ? `by ${budgetEnd}, the budget's last month, the expected peak is ${expectedText}, ${gapE} vs budget ${budgetText}`
    : `the expected peak is ${gapE} vs budget ${budgetText}`;
  if (bad === null) return head;
  const gapB = gapBText ?? '';
  const fits =
    !over(gapE) && !over(gapB)
      ? 'both fit within the budget'
      : over(gapE) && over(gapB)
        ? 'neither fits within the budget'
        : over(gapB)
          ? 'the expected peak fits within the budget, the bad case does not'
          : 'the bad case fits within the budget, the expected peak does not';
  // Over the whole horizon the amounts are printed beside it (the pack, the vote): the gap.
  const badWords = early ? `${badText}, ${gapB}` : gapB;
  return `${head}, the bad case ${badWords}: ${fits}`;
}

/**
 * The budget's last month when it ends before the horizon's (`budgetCashMonths` of the KPIs,
 * the months its cash and working capital are set against), else null.
 */
export function budgetEndBefore(
  k: TradeOffInput['kpis'],
  horizon: readonly string[],
): string | null {
  const months = num(k, 'budgetCashMonths');
  return months !== null && months > 0 && months < horizon.length
    ? (horizon[months - 1] ?? null)
    : null;
}

/** Which way demand runs in a bad-case figure, as the KPIs keep it (`demandTail`); null: neither. */
type Tail = 'low' | 'high' | null;

const tailOf = (k: TradeOffInput['kpis'], key: string): Tail => {
  const v = num(k, key);
  return v === null || v === 0 ? null : v < 0 ? 'low' : 'high';
};

/** "a", "a and b", "a, b and c". */
const listed = (xs: readonly string[]): string =>
  xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

/**
 * The bad-case figures, each its own 1 in 10, grouped by which way demand runs in them, in
 * the order they come: "if demand runs low (each its own 1 in 10) it leaves $940k of stock
 * beyond 3 months' cover and cash is −$6.6M against budget; if it runs high (1 in 10) it
 * fills 92.7% of demand". A group of several figures says "each its own 1 in 10", as figures
 * whose samples show no direction do: "in a bad case (1 in 10)", or "(each its own 1 in 10)"
 * when there are several (runs stored before the direction was kept say that of all three).
 */
function badCaseWords(figures: readonly { readonly tail: Tail; readonly words: string }[]): string {
  const groups: { tail: Tail; words: string[] }[] = [];
  for (const f of figures) {
    const g = groups.find((x) => x.tail === f.tail);
    if (!g) {
      groups.push({ tail: f.tail, words: [f.words] });
      continue;
    }
    // "it leaves … and fills …", as one subject.
    const last = g.words[g.words.length - 1] ?? '';
    g.words.push(last.startsWith('it ') && f.words.startsWith('it ') ? f.words.slice(3) : f.words);
  }
  let named = false;
  return groups
    .map((g) => {
      if (g.tail === null) return `${g.words.length > 1 ? BAD_CASES : BAD_CASE} ${listed(g.words)}`;
      const who = named ? 'it' : 'demand';
      named = true;
      // Several figures of one direction are still each its own 1 in 10, not one outcome.
      const odds = g.words.length > 1 ? '(each its own 1 in 10)' : '(1 in 10)';
      return `if ${who} runs ${g.tail} ${odds} ${listed(g.words)}`;
    })
    .join('; ');
}

/** The trade-off sentences, one per scenario with stress figures (null where there are none). */
export function tradeOffSentences(
  scenarios: readonly TradeOffInput[],
  opts: {
    readonly coverMonths?: number;
    readonly currency?: string;
    /**
     * The run's months: a budget that ends before them is compared where it ends
     * (`budgetCashMonths`), and the sentence names that month, as the pack and the cash chart do.
     */
    readonly horizon?: readonly string[];
  } = {},
): (string | null)[] {
  const cover = opts.coverMonths ?? 3;
  const cur = opts.currency ?? '$';
  const m = (v: number, signed = false) => formatMoney(v, cur, signed);
  /**
   * The signed difference of `v` from `ref` as their printed amounts give it (the vote's grid
   * and the pack print both: $71.9M against $73.2M is −$1.3M), or null when it is nothing.
   */
  const diff = (v: number, ref: number): string | null => {
    const d = formatMoneyBetween(v, ref, cur);
    return d === m(0) ? null : d;
  };
  const central = scenarios[0];
  return scenarios.map((s, i) => {
    const k = s.kpis;
    const margin = num(k, 'expectedMargin');
    const atRisk = num(k, 'serviceAtRisk');
    if (margin === null || atRisk === null) return null;
    const excess = num(k, 'excessInventoryValueP90') ?? num(k, 'excessInventoryValue') ?? 0;
    // The figure counts stock written off past its shelf life too: said when there is any.
    const expires = (num(k, 'writtenOffValue') ?? 0) > 0;
    const cashP10 = num(k, 'cashFlowP10');
    const budget = num(k, 'budgetCashFlow');
    // Where the budget ends (runs stored before this was kept: the horizon's end).
    const vsBudget =
      num(k, 'cashP10VsBudget') ?? (cashP10 === null || budget === null ? null : cashP10 - budget);
    // Where the budget ends, when that is before the horizon's last month.
    const end = budgetEndBefore(k, opts.horizon ?? []);
    const c = central && i > 0 ? central.kpis : null;
    const cMargin = c ? num(c, 'expectedMargin') : null;
    const cRisk = c ? num(c, 'serviceAtRisk') : null;
    const up = num(k, 'marginP90');
    const cUp = c ? num(c, 'marginP90') : null;
    const compared = cMargin !== null && cRisk !== null;
    const e = compared ? diff(margin, cMargin) : null;
    const u = !compared || up === null || cUp === null ? undefined : diff(up, cUp);
    // The sentence's amounts read at one precision, as the cash chart prints its bad case's gap
    // beside the others ("−$13.0M" there and here, not "−$13M"): `moneyAlike`.
    const [
      marginT = '',
      upT = '',
      excessT = '',
      cashT = '',
      eT = '',
      uT = '',
      cmT = '',
      cUpT = '',
    ] = moneyAlike([
      m(margin),
      up === null ? '' : m(up),
      m(excess),
      cashP10 === null
        ? ''
        : budget === null || vsBudget === null
          ? m(cashP10)
          : // The pack's question 4 prints the bad case and the budget: their difference as printed.
            formatMoneyBetween(budget + vsBudget, budget, cur),
      e ?? '',
      u ?? '',
      cMargin === null ? '' : m(cMargin),
      cUp === null ? '' : m(cUp),
    ]);
    const cash =
      cashP10 === null
        ? null
        : budget === null || vsBudget === null
          ? `cash over the horizon is ${cashT}`
          : `cash${end ? ` by ${end}, the budget's last month,` : ''} is ${cashT} against budget`;
    const stock = `it leaves ${excessT} of stock beyond ${cover} months' cover${expires ? ' or past its shelf life' : ''}`;
    /** What the bad case does, the fill rate followed by `vs` (its difference, if any). */
    const risk = (vs = ''): string =>
      badCaseWords([
        { tail: tailOf(k, 'excessStockDemandTail'), words: stock },
        ...(cash === null ? [] : [{ tail: tailOf(k, 'cashDemandTail'), words: cash }]),
        {
          tail: tailOf(k, 'fillRateDemandTail'),
          words: `it fills ${formatPercent(atRisk)} of demand${vs}`,
        },
      ]);
    if (i === 0 || !central) return `${s.label}: expected margin ${marginT}; ${risk()}.`;
    const ref = central.label;
    if (cMargin === null || cRisk === null) {
      // Nothing to set it against: its own figures, and why there is no difference.
      const upside = up === null ? '' : `, ${upT} ${GOOD_CASE}`;
      return `${s.label}: expected margin ${marginT}${upside}; ${risk(` (${ref} has no stress figures to compare with)`)}.`;
    }
    // Each margin beside its difference and the reference's margin it is taken from: "margin
    // $68.9M in a good case (1 in 10), −$8.3M vs Central $77.2M, and $67.3M expected, −$5.9M
    // vs Central $73.2M".
    const vs = (d: string | null, dText: string, refText: string) =>
      d === null ? `the same as ${ref}` : `${dText} vs ${ref} ${refText}`;
    const margins =
      u === undefined
        ? `expected margin ${marginT}, ${vs(e, eT, cmT)}`
        : u === null && e === null
          ? `margin ${upT} ${GOOD_CASE} and ${marginT} expected, the same as ${ref}`
          : `margin ${upT} ${GOOD_CASE}, ${vs(u, uT, cUpT)}, and ${marginT} expected, ${vs(e, eT, cmT)}`;
    return `${s.label}: ${margins}; ${risk(` (${formatPointsBetween(atRisk, cRisk)} vs ${ref})`)}.`;
  });
}
