/**
 * One sentence per scenario that states the trade-off a vote accepts, from the stress test's
 * figures (the KPIs stored with each scenario, metric names as in the grid):
 *
 *   "Ambitious: +$12.3M margin if demand comes (P90) and +$2.1M expected; at P10 demand it
 *    leaves $4.1M of stock beyond 3 months' cover and cash −$6M against budget; service at
 *    risk 91.2% (+3.4 pts)."
 *
 * Differences are against the first scenario (central). Plain text: callers escape it for
 * mrkdwn, since labels are typed by people.
 */
import { formatMoney } from '../number-format.js';

export interface TradeOffInput {
  readonly label: string;
  readonly kpis: Readonly<Record<string, number | null | undefined>>;
}

const num = (k: TradeOffInput['kpis'], key: string): number | null => {
  const v = k[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

const points = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} pts`;

/** The trade-off sentences, one per scenario with stress figures (null where there are none). */
export function tradeOffSentences(
  scenarios: readonly TradeOffInput[],
  opts: { readonly coverMonths?: number; readonly currency?: string } = {},
): (string | null)[] {
  const cover = opts.coverMonths ?? 3;
  const cur = opts.currency ?? '$';
  const m = (v: number, signed = false) => formatMoney(v, cur, signed);
  const central = scenarios[0];
  return scenarios.map((s, i) => {
    const k = s.kpis;
    const margin = num(k, 'expectedMargin');
    const atRisk = num(k, 'serviceAtRisk');
    if (margin === null || atRisk === null) return null;
    const excess = num(k, 'excessInventoryValueP90') ?? num(k, 'excessInventoryValue') ?? 0;
    const cashP10 = num(k, 'cashFlowP10');
    const budget = num(k, 'budgetCashFlow');
    // Where the budget ends (runs stored before this was kept: the horizon's end).
    const vsBudget =
      num(k, 'cashP10VsBudget') ?? (cashP10 === null || budget === null ? null : cashP10 - budget);
    const cash =
      cashP10 === null
        ? ''
        : budget === null || vsBudget === null
          ? ` and cash of ${m(cashP10, true)} over the horizon`
          : ` and cash ${m(vsBudget, true)} against budget`;
    const risk = `at P10 demand it leaves ${m(excess)} of stock beyond ${cover} months' cover${cash}`;
    if (i === 0 || !central) {
      return `${s.label}: expected margin ${m(margin)}; ${risk}; service at risk ${(atRisk * 100).toFixed(1)}%.`;
    }
    const c = central.kpis;
    const up = num(k, 'marginP90');
    const cUp = num(c, 'marginP90');
    const cMargin = num(c, 'expectedMargin');
    const cRisk = num(c, 'serviceAtRisk');
    const upside =
      up !== null && cUp !== null
        ? `${m(up - cUp, true)} margin if demand comes (P90)`
        : 'margin if demand comes unknown';
    const expected = cMargin === null ? '' : ` and ${m(margin - cMargin, true)} expected`;
    const service = cRisk === null ? '' : ` (${points(atRisk - cRisk)})`;
    return `${s.label}: ${upside}${expected}; ${risk}; service at risk ${(atRisk * 100).toFixed(1)}%${service}.`;
  });
}
