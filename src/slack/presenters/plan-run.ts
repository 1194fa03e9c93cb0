/**
 * Words for plan runs and what-ifs in Slack: the headline figures of a run, and the
 * differences a what-if makes against central. Pure functions of the stored KPIs.
 */
import { formatNumber, formatPercent } from '../../charts/format.js';
import { esc } from './format.js';

export type Kpis = Readonly<Record<string, number | null | undefined>>;

export interface ScenarioFigures {
  readonly name: string;
  readonly label: string;
  readonly status: string;
  readonly message?: string | null;
  readonly kpis: Kpis;
}

const money = (v: number | null | undefined): string =>
  typeof v === 'number' ? `$${formatNumber(v)}` : 'n/a';
const pct = (v: number | null | undefined): string =>
  typeof v === 'number' ? formatPercent(v) : 'n/a';
const count = (v: number | null | undefined): string =>
  typeof v === 'number' ? formatNumber(v) : 'n/a';

/** One line per scenario: fill rate, margin (and against uncertain demand), peak utilisation, overloads. */
export function planHeadline(
  runId: string,
  cycleMonth: string | null,
  s: readonly ScenarioFigures[],
): string {
  const lines = s.map((x) =>
    x.status === 'optimal'
      ? `• *${esc(x.label)}*: fill rate ${pct(x.kpis.fillRate)}, margin ${money(x.kpis.grossMargin)}${typeof x.kpis.expectedMargin === 'number' ? ` (expected ${money(x.kpis.expectedMargin)} against uncertain demand, fill rate at risk ${pct(x.kpis.serviceAtRisk)}, cash at P10 ${money(x.kpis.cashFlowP10)})` : ''}, peak utilisation ${pct(x.kpis.peakUtilisation)}, ${count(x.kpis.overloads)} overloaded resource-months`
      : `• *${esc(x.label)}*: no plan (${x.status}). ${esc(x.message ?? '')}`.trim(),
  );
  return [`*Plan run ${runId}${cycleMonth ? ` for ${cycleMonth}` : ''} is ready.*`, ...lines].join(
    '\n',
  );
}

interface Diff {
  readonly label: string;
  readonly key: string;
  readonly format: (v: number) => string;
  /** How to write the change. */
  readonly delta: (d: number) => string;
}

const signedMoney = (d: number): string => `${d >= 0 ? '+' : '−'}$${formatNumber(Math.abs(d))}`;
const points = (d: number): string =>
  `${d >= 0 ? '+' : '−'}${formatNumber(Math.abs(d * 100), 1)} pts`;
const signedCount = (d: number): string => `${d >= 0 ? '+' : '−'}${formatNumber(Math.abs(d))}`;

const DIFFS: readonly Diff[] = [
  { label: 'Cost', key: 'totalCost', format: (v) => money(v), delta: signedMoney },
  { label: 'Fill rate', key: 'fillRate', format: (v) => pct(v), delta: points },
  { label: 'Margin', key: 'grossMargin', format: (v) => money(v), delta: signedMoney },
  { label: 'Peak utilisation', key: 'peakUtilisation', format: (v) => pct(v), delta: points },
  {
    label: 'Overloaded resource-months',
    key: 'overloads',
    format: (v) => count(v),
    delta: signedCount,
  },
];

/** The what-if against central, one line per figure: value, then the change. */
export function whatIfDiff(
  text: string,
  central: ScenarioFigures,
  whatIf: ScenarioFigures,
): string {
  const head = `*What-if:* \`${esc(text)}\``;
  if (central.status !== 'optimal')
    return `${head}\nCentral has no plan (${central.status}): ${esc(central.message ?? '')}`.trim();
  if (whatIf.status !== 'optimal')
    return `${head}\nNo plan meets this what-if (${whatIf.status}). ${esc(whatIf.message ?? '')}`.trim();
  const lines = DIFFS.map((d) => {
    const a = central.kpis[d.key];
    const b = whatIf.kpis[d.key];
    if (typeof a !== 'number' || typeof b !== 'number') return `• ${d.label}: n/a`;
    return `• ${d.label}: ${d.format(b)} (${d.delta(b - a)} vs central ${d.format(a)})`;
  });
  return [head, ...lines].join('\n');
}
