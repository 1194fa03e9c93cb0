/**
 * Simulated actuals for the demo: what happened in a month (sales, production, month-end stock
 * and backlog, customer order lines) and in one week (weekly sales and production, supplier
 * receipts), drawn around the adopted plan with a seeded PRNG, so every run tells the same
 * story. Rows are in the import formats (src/import/kinds.ts): the demo imports them as
 * `sopbot import` would.
 */
import { addDays } from '../core/calendar.js';
import { daysInMonth, type Period } from '../core/period.js';
import { createRng } from './random.js';

export interface PlannedMonth {
  readonly family: string;
  readonly demand: number;
  readonly production: number;
  readonly inventory: number;
  readonly price: number;
}

type Row = Record<string, string | number | null>;

export interface MonthActuals {
  readonly sales: Row[];
  readonly production: Row[];
  readonly inventory: Row[];
  readonly orders: Row[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** One month: sales within ±15% of plan, production within ±6%, orders mostly on time. */
export function simulateMonth(
  month: Period,
  plan: readonly PlannedMonth[],
  seed: number,
): MonthActuals {
  const rng = createRng(seed);
  const out: MonthActuals = { sales: [], production: [], inventory: [], orders: [] };
  const days = daysInMonth(month);
  for (const p of plan) {
    const sold = Math.max(0, Math.round(p.demand * (1 + 0.08 * rng.normal())));
    const made = Math.max(0, Math.round(p.production * (1 + 0.04 * rng.normal())));
    const stock = p.inventory + (made - p.production) - (sold - p.demand);
    out.sales.push({
      family: p.family,
      period: month,
      units: sold,
      revenue: Math.round(sold * p.price),
    });
    out.production.push({ family: p.family, period: month, units: made });
    out.inventory.push({
      family: p.family,
      period: month,
      on_hand: Math.max(0, Math.round(stock)),
      backlog: Math.max(0, Math.round(-stock)),
    });
    // Four order lines share the month's sales; most ship on time, some late or short.
    const lines = 4;
    for (let k = 1; k <= lines; k++) {
      const qty = Math.max(1, Math.round(sold / lines));
      const requested = `${month}-${pad(Math.min(days, 3 + 7 * (k - 1)))}`;
      const draw = rng.next();
      const late = draw < 0.12;
      const short = draw > 0.92;
      out.orders.push({
        order_id: `SO-${month}-${p.family}`,
        line: k,
        family: p.family,
        requested_date: requested,
        shipped_date: addDays(requested, late ? rng.int(1, 4) : -rng.int(0, 2)),
        ordered_qty: qty,
        shipped_qty: short ? Math.round(qty * 0.8) : qty,
      });
    }
  }
  return out;
}

export interface WeekActuals {
  readonly weeklySales: Row[];
  readonly weeklyProduction: Row[];
  readonly receipts: Row[];
}

/**
 * One week (its Monday, `share` of the month): on plan except for `spike` (sales 60% above its
 * share) and `shortfall` (production 30% below), and a supplier 40% short when one is given.
 */
export function simulateWeek(
  monday: string,
  share: number,
  plan: readonly PlannedMonth[],
  opts: { readonly spike: string; readonly shortfall: string; readonly supplier: string | null },
): WeekActuals {
  const out: WeekActuals = { weeklySales: [], weeklyProduction: [], receipts: [] };
  for (const p of plan) {
    const sales = p.demand * share * (p.family === opts.spike ? 1.6 : 1);
    const made = p.production * share * (p.family === opts.shortfall ? 0.7 : 1);
    out.weeklySales.push({ family: p.family, week: monday, units: Math.round(sales) });
    out.weeklyProduction.push({ family: p.family, week: monday, units: Math.round(made) });
  }
  if (opts.supplier)
    out.receipts.push({ supplier: opts.supplier, week: monday, expected: 1000, received: 600 });
  return out;
}
