/**
 * The bills open when a plan begins (src/core/finance.ts), by hand: which months before it
 * are still being paid on the DPO, their cost from the production actuals (weekly ones rolled
 * up into whole months, src/core/execution.ts), when they are paid, and the words.
 */
import { describe, expect, it } from 'vitest';
import { productionByMonth } from '../../src/core/execution.js';
import {
  monthlyCash,
  openingLeftOut,
  openingPayables,
  openingReceivables,
  openingSalesMonths,
  productionCost,
  productionGap,
  salesCost,
} from '../../src/core/finance.js';

describe('the bills open when the plan begins', () => {
  it('are the production of the months the DPO reaches back to, none on delivery', () => {
    // Paid on delivery: nothing is open, so nothing is paid in the horizon.
    expect(openingSalesMonths('2027-01', 0)).toEqual([]);
    expect(openingPayables([], 3, 0)).toEqual({
      paid: [0, 0, 0],
      outstanding: [0, 0, 0],
      total: 0,
    });
    // 45 days: November's second half and all of December are still owed on 1 January.
    expect(openingSalesMonths('2027-01', 45)).toEqual(['2026-11', '2026-12']);
  });

  it('cost a row’s units at the month’s unit cost, and no month the actuals do not reach', () => {
    const production = [
      { family: 'A', period: '2026-10', units: 5 },
      { family: 'A', period: '2026-11', units: 10 },
      { family: 'B', period: '2026-11', units: 4 },
    ];
    const families = [
      { code: 'A', unitCost: 20 },
      { code: 'B', unitCost: 30 },
    ];
    // A's unit cost imported for November: $25; a price alone (null unit cost) changes nothing.
    const costs = [
      { family: 'A', period: '2026-11', unitCost: 25 },
      { family: 'B', period: '2026-11', unitCost: null },
    ];
    // November: 10 × $25 + 4 × $30 = 250 + 120 = 370. October: A's 5 is known, B's is not (B
    // has actuals, none for October): not known (null), not A's 100 with B's taken as zero.
    // December: after the actuals' last month, not known, not zero. September: before.
    const months = ['2026-09', '2026-10', '2026-11', '2026-12'];
    expect(productionCost(production, families, costs, months)).toEqual([null, null, 370, null]);
    // B's October row saying it made nothing: October is A's 5 × $20 = 100.
    const withZero = [...production, { family: 'B', period: '2026-10', units: 0 }];
    expect(productionCost(withZero, families, costs, months)).toEqual([null, 100, 370, null]);
    // A family whose actuals give it no whole month (weekly rows in part) still has actuals:
    // without its row, no month is known.
    expect(productionCost(withZero, families, costs, months, ['A', 'B', 'C'])).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(productionCost([], families, costs, ['2026-12'])).toEqual([null]);
  });

  it('are paid on the same terms as the horizon’s costs, and owed until then', () => {
    /*
     * 45 days = 1.5 months: half of a month's bill is paid the next month, half the month
     * after. November's bill 800: 400 paid in December (before the plan), 400 in January.
     * December's 600: 300 in January, 300 in February.
     *   paid: January 400 + 300 = 700; February 300; March 0.
     *   owed on 1 January 400 + 600 = 1 000; at January's end 300; at February's 0.
     */
    const bills = openingPayables([800, 600], 3, 45);
    expect(bills).toEqual({ paid: [700, 300, 0], outstanding: [300, 0, 0], total: 1000 });
    /*
     * With the horizon's own cost of 1 000 in January (paid 500 in February, 500 in March)
     * and no sales: paid 700, 300 + 500 = 800, 500; net −700, −800, −500. Owed at January's
     * end: its own 1 000 + the 300 still open = 1 300; at February's 500 + 0; at March's 0.
     */
    const m = monthlyCash([0, 0, 0], [1000, 0, 0], 45, 45, null, bills);
    expect([...m.paid]).toEqual([700, 800, 500]);
    expect([...m.net]).toEqual([-700, -800, -500]);
    expect([...m.payables]).toEqual([1300, 500, 0]);
    expect([...m.receivables]).toEqual([0, 0, 0]);
    /*
     * With the invoices open too (November's 600 and December's 400 of sales on 45 days:
     * collected 500, 200, 0, as tests/unit/opening-receivables.test.ts works out), each side
     * counts its own: net 500 − 700, 200 − 800, 0 − 500 = −200, −600, −500.
     */
    const both = monthlyCash(
      [0, 0, 0],
      [1000, 0, 0],
      45,
      45,
      openingReceivables([600, 400], 3, 45),
      bills,
    );
    expect([...both.net]).toEqual([-200, -600, -500]);
    expect([...both.receivables]).toEqual([200, 0, 0]);
    expect([...both.payables]).toEqual([1300, 500, 0]);
  });
});

describe('production by month from the actuals', () => {
  it('splits each week by its days, keeps the monthly rows, and names the families with actuals', () => {
    /*
     * December 2026: Tuesday 1st to Thursday 31st. The weeks that hold its days are those of
     * Monday 30 November (1 day in November, 6 in December) to Monday 28 December (4 days in
     * December, 3 in January 2027). B's weeks, at 1, 2, 2, 2 and 3 units a day:
     *   30 Nov:  7 → 1 in November, 6 in December
     *    7 Dec: 14 → 14 in December (and 14 Dec, 21 Dec alike: 42 in all)
     *   28 Dec: 21 → 12 in December, 9 in January
     * December: 6 + 42 + 12 = 60. A whole week to its Thursday's month would make it 7 + 42 +
     * 21 = 70, January's first three days (9 units) in December's bill.
     * B's weeks hold every day of December, but not November's 1st to 29th nor January's 4th
     * to 31st: those two months are held in part, not known.
     */
    const weekly = [
      { family: 'B', week: '2026-11-30', units: 7 },
      { family: 'B', week: '2026-12-07', units: 14 },
      { family: 'B', week: '2026-12-14', units: 14 },
      { family: 'B', week: '2026-12-21', units: 14 },
      { family: 'B', week: '2026-12-28', units: 21 },
      // A has a monthly row for December (90): its weeks are not added to it.
      { family: 'A', week: '2026-12-07', units: 25 },
    ];
    const out = productionByMonth([{ family: 'A', period: '2026-12', units: 90 }], weekly);
    expect(out.rows).toEqual([
      { family: 'A', period: '2026-12', units: 90 },
      { family: 'B', period: '2026-12', units: 60 },
    ]);
    // November and January, held in part, have no row of B's; both have actuals.
    expect(out.families).toEqual(['A', 'B']);
    // Without December's last week, its 28th to 31st are not held: December is in part too.
    const short = productionByMonth(
      [],
      weekly.filter((w) => w.week !== '2026-12-28'),
    );
    expect(short.rows).toEqual([]);
    expect(short.families).toEqual(['A', 'B']);
    // So December's bill is not known: A's monthly row alone, B's December taken as zero, would
    // be 90 × $20 = 1 800.
    expect(
      productionCost(
        [{ family: 'A', period: '2026-12', units: 90 }, ...short.rows],
        [
          { code: 'A', unitCost: 20 },
          { code: 'B', unitCost: 14 },
        ],
        [],
        ['2026-12'],
        short.families,
      ),
    ).toEqual([null]);
    // January held whole: the 28 December week's 3 days (9) and the four weeks of 4 to 31
    // January at 2 a day (56): 65.
    const january = productionByMonth(
      [],
      ['2026-12-28', '2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25'].map((week, i) => ({
        family: 'B',
        week,
        units: i === 0 ? 21 : 14,
      })),
    );
    expect(january.rows).toEqual([{ family: 'B', period: '2027-01', units: 65 }]);
  });
});

describe('the words say what the cash counts of what was open', () => {
  it('both amounts, one of them, or neither', () => {
    const first = '2027-01';
    expect(openingLeftOut(first, { receivables: 9200, payables: 1320 }, 'both')).toBe(
      "both count collecting the $9.2k customers owed for the plan's families' sales and paying the $1.3k of bills for their production before 2027-01",
    );
    expect(openingLeftOut(first, { receivables: null, payables: 1320 }, 'cash')).toBe(
      "cash counts paying the $1.3k of bills for the plan's families' production before 2027-01; invoices open then are left out",
    );
    // The words of runs stored before the bills were counted, and of receivables alone.
    expect(openingLeftOut(first, { receivables: 9200, payables: null })).toBe(
      "it counts collecting the $9.2k customers owed for the plan's families' sales before 2027-01; bills open then are left out",
    );
    expect(openingLeftOut(first, { receivables: null, payables: null }, 'both')).toBe(
      'invoices and bills open before 2027-01 are left out of both',
    );
    expect(openingLeftOut(first)).toBe('invoices and bills open before 2027-01 are left out');
  });

  it('a known zero is said to be none open, not left out', () => {
    const first = '2027-01';
    // Payment on delivery both ways (DSO 0, DPO 0): nothing was open.
    expect(openingLeftOut(first, { receivables: 0, payables: 0 }, 'both')).toBe(
      'no invoices or bills were open before 2027-01',
    );
    expect(openingLeftOut(first, { receivables: 0, payables: 0 }, 'cash')).toBe(
      'no invoices or bills were open before 2027-01',
    );
    // One amount open, none of the other.
    expect(openingLeftOut(first, { receivables: 9200, payables: 0 }, 'both')).toBe(
      "both count collecting the $9.2k customers owed for the plan's families' sales before 2027-01; no bills were open then",
    );
    expect(openingLeftOut(first, { receivables: 0, payables: 1320 }, 'cash')).toBe(
      "cash counts paying the $1.3k of bills for the plan's families' production before 2027-01; no invoices were open then",
    );
    // None of one, the other not known.
    expect(openingLeftOut(first, { receivables: null, payables: 0 }, 'every line')).toBe(
      'no bills were open before 2027-01; invoices open then are left out',
    );
    expect(openingLeftOut(first, { receivables: 0, payables: null })).toBe(
      'no invoices were open before 2027-01; bills open then are left out',
    );
  });
});

describe('bills left out because a family lacks a month name it', () => {
  it('the first month a family still producing has no row for, that family first in code order', () => {
    // 45 days: November and December's bills. FAM-A has both months; FAM-C November only,
    // FAM-B neither: November is the first month one lacks, FAM-B the first that lacks it.
    const rows = [
      { family: 'FAM-A', period: '2026-11', units: 1 },
      { family: 'FAM-A', period: '2026-12', units: 2 },
      { family: 'FAM-C', period: '2026-11', units: 3 },
    ];
    expect(productionGap(rows, ['2026-11', '2026-12'], ['FAM-C', 'FAM-B', 'FAM-A'])).toEqual({
      family: 'FAM-B',
      month: '2026-11',
    });
    // Without FAM-B producing, December is the month, FAM-C the family.
    expect(productionGap(rows, ['2026-11', '2026-12'], ['FAM-A', 'FAM-C'])).toEqual({
      family: 'FAM-C',
      month: '2026-12',
    });
    // Every row there, or nobody producing: nothing to name.
    expect(productionGap(rows, ['2026-11'], ['FAM-A', 'FAM-C'])).toBeNull();
    expect(productionGap([], ['2026-11'], [])).toBeNull();
  });

  it('the words say which family has no production for which month', () => {
    const first = '2027-01';
    const billsGap = { family: 'FAM-B', month: '2026-12' };
    expect(openingLeftOut(first, { receivables: 9200, payables: null, billsGap }, 'cash')).toBe(
      "cash counts collecting the $9.2k customers owed for the plan's families' sales before 2027-01; bills open then are left out: FAM-B has no production for 2026-12",
    );
    expect(openingLeftOut(first, { receivables: 0, payables: null, billsGap })).toBe(
      'no invoices were open before 2027-01; bills open then are left out: FAM-B has no production for 2026-12',
    );
    expect(openingLeftOut(first, { receivables: null, payables: null, billsGap }, 'both')).toBe(
      'invoices and bills open before 2027-01 are left out of both; FAM-B has no production for 2026-12',
    );
    // Bills known: a gap given anyway is not said.
    expect(openingLeftOut(first, { receivables: 0, payables: 0, billsGap })).toBe(
      'no invoices or bills were open before 2027-01',
    );
  });
});

/*
 * Bills estimated when no production actuals reach the months they are open for: the sales
 * of those months at unit cost, as the invoices open then are counted from the same sales.
 * Two families, a plan of two months from 2027-01, customers paying after 45 days and
 * suppliers paid after 30:
 *   December's sales: A 100 units (revenue $5 000 given), B 50 units at its $30 price.
 *   November's sales: A 80 units, B 40 units ($1 200 given).
 *   Unit costs: A $20; B $12, imported as $14 for December.
 * The estimated bills (30 days: December's, all open on 1 January, all paid in January):
 *   A 100 × $20 = 2 000, B 50 × $14 = 700: 2 700.
 * The invoices (45 days: half of November's and all of December's): November 80 × $50 +
 *   1 200 = 5 200, half 2 600; December 5 000 + 50 × $30 = 6 500; 9 100 owed, collected
 *   2 600 + 3 250 = 5 850 in January and 3 250 in February.
 * With no sales or costs of the plan's own, January's cash is 5 850 − 2 700 = 3 150 and
 * February's 3 250: 6 400 in all, where leaving the bills out made it 9 100.
 */
describe('bills estimated from the sales when the production actuals do not reach them', () => {
  const history = [
    { family: 'A', period: '2026-11', units: 80, revenue: null },
    { family: 'B', period: '2026-11', units: 40, revenue: 1200 },
    { family: 'A', period: '2026-12', units: 100, revenue: 5000 },
    { family: 'B', period: '2026-12', units: 50, revenue: null },
  ];
  const families = [
    { code: 'A', unitCost: 20, price: 50 },
    { code: 'B', unitCost: 12, price: 30 },
  ];
  const costs = [{ family: 'B', period: '2026-12', unitCost: 14, price: null }];

  it('cost the sales of those months at unit cost, and pay them as the plan’s own bills', () => {
    expect(salesCost(history, families, costs, ['2026-12'])).toEqual([2700]);
    // A month the history does not reach is not known, not zero.
    expect(salesCost(history, families, costs, ['2026-10', '2026-12'])).toEqual([null, 2700]);
    expect(openingPayables([2700], 2, 30, true)).toEqual({
      paid: [2700, 0],
      outstanding: [0, 0],
      total: 2700,
      estimated: true,
    });
    // From the production actuals, nothing marks them.
    expect(openingPayables([2700], 2, 30)).toEqual({
      paid: [2700, 0],
      outstanding: [0, 0],
      total: 2700,
    });
  });

  it('make the first month’s cash collect and pay alike', () => {
    const invoices = openingReceivables([5200, 6500], 2, 45);
    expect(invoices.total).toBe(9100);
    const bills = openingPayables([2700], 2, 30, true);
    const cash = monthlyCash([0, 0], [0, 0], 45, 30, invoices, bills);
    expect(Array.from(cash.net)).toEqual([3150, 3250]);
    expect(Array.from(monthlyCash([0, 0], [0, 0], 45, 30, invoices, null).net)).toEqual([
      5850, 3250,
    ]);
  });

  it('the words say the bills are estimated, and from what', () => {
    const first = '2027-01';
    expect(
      openingLeftOut(first, { receivables: 9100, payables: 2700, billsEstimated: true }, 'both'),
    ).toBe(
      "both count collecting the $9.1k customers owed for the plan's families' sales and paying an estimated $2.7k of bills for their production before 2027-01 (their sales then at unit cost: no production actuals then)",
    );
    const billsGap = { family: 'B', month: '2026-12' };
    expect(
      openingLeftOut(
        first,
        { receivables: null, payables: 2700, billsEstimated: true, billsGap },
        'cash',
      ),
    ).toBe(
      "cash counts paying an estimated $2.7k of bills for the plan's families' production before 2027-01 (their sales then at unit cost: B has no production for 2026-12); invoices open then are left out",
    );
  });
});
