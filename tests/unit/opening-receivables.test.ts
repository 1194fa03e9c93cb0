/**
 * The invoices open when a plan begins (src/core/finance.ts), by hand: which months before it
 * are still being collected, their revenue from the sales history, and when they come in.
 */
import { describe, expect, it } from 'vitest';
import {
  monthlyCash,
  openingReceivables,
  openingSalesMonths,
  salesRevenue,
} from '../../src/core/finance.js';

describe('the invoices open when the plan begins', () => {
  it('are the sales of the months the DSO reaches back to', () => {
    // Paid on delivery: nothing is owed. 30 days: the month before, all of it in month one.
    // 45 days: November's second half and December. 60 days: October is paid in December.
    expect(openingSalesMonths('2027-01', 0)).toEqual([]);
    expect(openingSalesMonths('2027-01', 30)).toEqual(['2026-12']);
    expect(openingSalesMonths('2027-01', 45)).toEqual(['2026-11', '2026-12']);
    expect(openingSalesMonths('2027-01', 60)).toEqual(['2026-11', '2026-12']);
  });

  it('take a row’s own revenue, else its units at the month’s price, and no month the history does not reach', () => {
    const history = [
      { family: 'A', period: '2026-10', units: 5, revenue: null },
      { family: 'A', period: '2026-11', units: 10, revenue: null },
      { family: 'B', period: '2026-11', units: 4, revenue: 90 },
    ];
    const families = [
      { code: 'A', price: 20 },
      { code: 'B', price: 30 },
    ];
    const prices = [{ family: 'A', period: '2026-11', price: 25 }];
    // November: 10 × $25 (its own price) + $90 = 340. December: after the history's last
    // month, not known (null), not zero. September: before its first.
    expect(
      salesRevenue(history, families, prices, ['2026-09', '2026-10', '2026-11', '2026-12']),
    ).toEqual([null, 100, 340, null]);
  });

  it('come in on the same terms as the horizon’s sales, and are owed until then', () => {
    // 45 days, November 600 and December 400: November's second half, 300, and December's
    // first, 200, in January; December's second, 200, in February. Owed on 1 January: 700.
    const o = openingReceivables([600, 400], 3, 45);
    expect(o).toEqual({ collected: [500, 200, 0], outstanding: [200, 0, 0], total: 700 });
    // With the horizon's own sales of 1 000 in January, collected half in February, half in
    // March, and nothing paid: cash 500, 700, 500; owed at January's end 1 000 + 200.
    const m = monthlyCash([1000, 0, 0], [0, 0, 0], 45, 0, o);
    expect([...m.collected]).toEqual([500, 700, 500]);
    expect([...m.receivables]).toEqual([1200, 500, 0]);
  });
});
