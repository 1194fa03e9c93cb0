/**
 * The demo's closing grid: one line per scenario of the latest plan run, in the pack's words
 * and the pack's money (questions 4 and 6: "expected margin $72.4M, $68M in a bad case"), the
 * figures of each plan against the same demand samples. The plan's own figures (the margin and
 * the fill rate if demand comes exactly as forecast, 100% for nearly every plan) are left out
 * as the pack's question 6 leaves them; a run without the stress test has only those, and its
 * lines say so. Each part starts in the same column on every line.
 */
import { storedBillGap, storedBillsEstimated } from '../core/finance.js';
import { formatMoney, formatPercent } from '../core/number-format.js';
import { BAD_CASE_WORDS } from '../core/scenarios/trade-off.js';
import { moneyNote, openingCash } from '../slack/presenters/vote.js';

export interface SummaryScenario {
  readonly label: string;
  readonly status: string;
  readonly kpis: Readonly<Record<string, number | null | undefined>>;
  /** The stored stress test, when there is one: it names a family the bills lack a row of. */
  readonly stress?: unknown;
}

const num = (k: SummaryScenario['kpis'], key: string): number | null => {
  const v = k[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const money = (v: number | null) => (v === null ? 'n/a' : formatMoney(v));
const pct = (v: number | null) => (v === null ? 'n/a' : formatPercent(v));

/** A scenario's parts, each ending where the next column starts. */
function parts(s: SummaryScenario): string[] {
  if (s.status !== 'optimal') return [s.label, `no plan (${s.status})`];
  const k = s.kpis;
  const peak = `peak utilisation ${pct(num(k, 'peakUtilisation'))}`;
  if (num(k, 'expectedMargin') === null)
    return [
      s.label,
      `margin ${money(num(k, 'grossMargin'))} and fill rate ${pct(num(k, 'fillRate'))} if demand comes as forecast;`,
      peak,
    ];
  return [
    s.label,
    `expected margin ${money(num(k, 'expectedMargin'))}, ${money(num(k, 'marginP10'))} in a bad case;`,
    `fills ${pct(num(k, 'expectedFillRate'))} expected, ${pct(num(k, 'serviceAtRisk'))} in a bad case;`,
    `cash generated ${money(num(k, 'cashFlowP10'))} in a bad case;`,
    peak,
  ];
}

/**
 * The heading, the months the money covers as the vote names them ("Money over 2027-01–2028-06
 * (18 months): margin and cash generated are totals for the period"), and one line per scenario,
 * indented by two spaces, columns aligned.
 */
export function scenarioSummary(
  scenarios: readonly SummaryScenario[],
  /** The run's months, which its margin and cash are totals over. */
  horizon: readonly string[],
): string[] {
  const rows = scenarios.map(parts);
  const widths: number[] = [];
  for (const r of rows)
    for (const [i, p] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, p.length);
  const lines = rows.map(
    (r) => `  ${r.map((p, i) => (i === r.length - 1 ? p : p.padEnd(widths[i] ?? 0))).join(' ')}`,
  );
  const stressed = scenarios.some((s) => num(s.kpis, 'expectedMargin') !== null);
  const head = stressed
    ? `Scenarios of the latest plan run, each against the same demand samples (${BAD_CASE_WORDS}):`
    : 'Scenarios of the latest plan run, each at its own demand (no stress test ran):';
  const solved = scenarios.filter((s) => s.status === 'optimal');
  // What the cash counts of the invoices open when the run began, as the vote says it.
  const note =
    solved.length > 0
      ? moneyNote(
          horizon,
          false,
          openingCash(
            solved.map((s) => s.kpis),
            solved.map((s) => storedBillGap(s.stress)).find((g) => g !== null) ?? null,
            solved.some((s) => storedBillsEstimated(s.stress)),
          ),
        )
      : null;
  return [head, ...(note ? [`${note}.`] : []), ...lines];
}
