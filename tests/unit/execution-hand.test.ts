/**
 * Weekly S&OE worked by hand: how a month's plan is cut into weeks (a week across two months,
 * months of four and five Mondays), the top of a week's forecast range, and a deviation exactly
 * at its tolerance, judged as its message prints it; which weeks are in a plan's frozen zone,
 * and what breaks it.
 */
import { describe, expect, it } from 'vitest';
import {
  breaksFrozenPlan,
  changeAsShown,
  detectDeviations,
  type FamilyWeek,
  type PlanPart,
  weekFrozen,
  weekMonth,
  weekParts,
} from '../../src/core/execution.js';
import { zoneOf } from '../../src/core/time-fences.js';

const T = { productionShortfallPct: 10, receiptShortfallPct: 10, frozenBreakPct: 25 };

const part = (share: number, p: Partial<PlanPart>): PlanPart => ({
  share,
  consensus: 0,
  baseline: null,
  hi80: null,
  plannedProduction: 0,
  ...p,
});

const check = (
  families: FamilyWeek[],
  opts: {
    frozen?: boolean;
    receipts?: { supplier: string; expected: number; received: number }[];
  } = {},
  thresholds = T,
) =>
  detectDeviations({
    families,
    receipts: opts.receipts ?? [],
    frozen: opts.frozen ?? false,
    thresholds,
  });

describe('a month cut into weeks', () => {
  it('a week across two months takes its days of each: 29 March – 4 April 2027', () => {
    // Monday 29, Tuesday 30, Wednesday 31 March: 3 of March's 31 days; Thursday 1 to Sunday 4
    // April: 4 of April's 30. Its Thursday is in April: April's plan decides its zone.
    expect(weekParts('2027-03-29')).toEqual([
      { month: '2027-03', days: 3, share: 3 / 31 },
      { month: '2027-04', days: 4, share: 4 / 30 },
    ]);
    expect(weekMonth('2027-03-29')).toBe('2027-04');
    // A week within February 2027 (28 days): 7/28 of it.
    expect(weekParts('2027-02-01')).toEqual([{ month: '2027-02', days: 7, share: 7 / 28 }]);
  });

  it('the weeks of a month add up to the month, whether it has four Mondays or five', () => {
    // February 2027: Mondays 1, 8, 15, 22, and no week spills over: 4 × 7/28 = 1.
    // March 2027: Mondays 1, 8, 15, 22, 29; the week of the 29th holds 3 March days:
    // 4 × 7/31 + 3/31 = 31/31 = 1. April 2027 has five Thursdays (1, 8, 15, 22, 29): a week
    // read as 7/30 of its Thursday's month gave it 5 × 7/30 = 35/30. Its days: 1–4 April in the
    // week of 29 March, three whole weeks, then 26–30 April in the week of the 26th:
    // 4/30 + 3 × 7/30 + 5/30 = 30/30 = 1.
    const mondays = (from: string, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const d = new Date(`${from}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() + 7 * i);
        return d.toISOString().slice(0, 10);
      });
    const shareOf = (month: string, weeks: string[]) =>
      weeks
        .flatMap(weekParts)
        .filter((p) => p.month === month)
        .reduce((s, p) => s + p.share, 0);
    expect(shareOf('2027-02', mondays('2027-02-01', 4))).toBeCloseTo(1, 12);
    expect(shareOf('2027-03', mondays('2027-03-01', 5))).toBeCloseTo(1, 12);
    expect(shareOf('2027-04', mondays('2027-03-29', 5))).toBeCloseTo(1, 12);
  });

  it("production exactly on plan across two months is no deviation; the week's plan is each month's days", () => {
    // March 3,100 a month (100 a day), April 6,000 (200 a day): the week of 29 March plans
    // 3 × 100 + 4 × 200 = 1,100. Before, April's 6,000 × 7/30 = 1,400: 1,100 read −21.4%.
    const week = (production: number) =>
      check([
        {
          family: 'A',
          sales: null,
          production,
          plan: [
            part(3 / 31, { plannedProduction: 3100 }),
            part(4 / 30, { plannedProduction: 6000 }),
          ],
        },
      ]);
    expect(week(1100)).toEqual([]);
    // 980: (980 − 1,100) / 1,100 = −10.9%, more than 10% below.
    const [d] = week(980);
    expect(d?.kind).toBe('production_below_plan');
    expect(d?.expected).toBeCloseTo(1100, 9);
  });

  it("the top of a two-month week's range adds the months' variances", () => {
    // March: consensus 3,100, baseline 3,100, upper 80% bound 3,720: margin 620.
    // April: consensus 6,000, baseline 6,000, upper 80% bound 7,200: margin 1,200.
    // Mean 3,100 × 3/31 + 6,000 × 4/30 = 300 + 800 = 1,100.
    // Margin √(620² × 3/31 + 1,200² × 4/30) = √(37,200 + 192,000) = √229,200 = 478.75.
    // P90 1,578.75, printed 1,579: 1,579 is not above it, 1,580 is.
    const week = (sales: number) =>
      check([
        {
          family: 'A',
          sales,
          production: null,
          plan: [
            part(3 / 31, { consensus: 3100, baseline: 3100, hi80: 3720 }),
            part(4 / 30, { consensus: 6000, baseline: 6000, hi80: 7200 }),
          ],
        },
      ]);
    expect(week(1579)).toEqual([]);
    const [d] = week(1580);
    expect(d?.kind).toBe('sales_above_p90');
    expect(d?.expected).toBeCloseTo(1100 + Math.sqrt(229_200), 9);
    expect(d?.planned).toBeCloseTo(1100, 9);
  });
});

describe('a deviation at its tolerance, judged as printed', () => {
  it('55 of 100 due is 45.0% short: not more than a 45% tolerance (nor 246 of 300 at 18%)', () => {
    // In floating point 100 × (1 − 45/100) = 55.00000000000001 and 300 × (1 − 18/100) =
    // 246.00000000000003: 55 and 246 were read as below them, "(−45.0%)" flagged at 45%.
    const at = (received: number, pct: number, expected = 100) =>
      check(
        [],
        { receipts: [{ supplier: 'SUP-1', expected, received }] },
        {
          ...T,
          receiptShortfallPct: pct,
        },
      );
    expect(at(55, 45)).toEqual([]);
    expect(at(54, 45)).toHaveLength(1); // 46.0%
    expect(at(246, 18, 300)).toEqual([]);
    expect(at(245, 18, 300)).toHaveLength(1); // 55 / 300 = 18.3%
  });

  it('1,314 against a planned 1,460.43 reads −10.0%: within a 10% tolerance', () => {
    // 6,259 planned in April (30 days), the week of 5 April: 6,259 × 7/30 = 1,460.43, printed
    // 1,460. (1,314 − 1,460) / 1,460 = −10.0% exactly: "−10.0% against its planned 1,460"
    // (before, 1,314 < 1,460.43 × 0.9 = 1,314.39 flagged it). 1,313: −10.07%, printed −10.1%.
    const week = (production: number) =>
      check([
        {
          family: 'A',
          sales: null,
          production,
          plan: [part(7 / 30, { plannedProduction: 6259 })],
        },
      ]);
    expect(week(1314)).toEqual([]);
    expect(week(1313)).toHaveLength(1);
  });

  it('a percentage is between the figures as printed: sold 250, above 219, is +14.2%', () => {
    // (250 − 219) / 219 = 0.14155, printed +14.2%; against the unrounded P90 218.6 it was
    // (250 − 218.6) / 218.6 = 0.14364, "+14.4%", which no reader of "above 219" can find.
    expect(changeAsShown(250, 218.6)).toBeCloseTo(31 / 219, 12);
    expect(changeAsShown(250, 219.4)).toBeCloseTo(31 / 219, 12);
    expect(changeAsShown(1022, 1460)).toBeCloseTo(-438 / 1460, 12); // −30.0%
    expect(changeAsShown(600, 1000)).toBeCloseTo(-0.4, 12); // −40.0%
    // A base that prints as 0 is taken as it is (0.4 planned, 1 made: +150%); none, null.
    expect(changeAsShown(1, 0.4)).toBeCloseTo(1.5, 12);
    expect(changeAsShown(5, 0)).toBeNull();
  });

  it('sold 219 against a P90 of 218.6 is not "above 219"', () => {
    // February week (7/28 = 0.25, √0.25 = 0.5): consensus 800, baseline 800, upper bound
    // 837.2. P90 800 × 0.25 + 37.2 × 0.5 = 200 + 18.6 = 218.6, printed 219.
    const week = (sales: number) =>
      check([
        {
          family: 'A',
          sales,
          production: null,
          plan: [part(7 / 28, { consensus: 800, baseline: 800, hi80: 837.2 })],
        },
      ]);
    expect(week(219)).toEqual([]);
    const [d] = week(220); // (220 − 218.6) / 218.6 = +0.6%
    expect(d?.expected).toBeCloseTo(218.6, 9);
  });

  it('a frozen-zone miss printed −25.0% does not break a 25% threshold; −25.1% does', () => {
    // Planned 1,460.43, printed 1,460, as above. 1,095: (1,095 − 1,460) / 1,460 = −25.0%
    // exactly (before, 365.43 / 1,460.43 = 25.02% > 25% broke it). 1,093: −25.14%, printed −25.1%.
    const week = (production: number) =>
      check(
        [
          {
            family: 'A',
            sales: null,
            production,
            plan: [part(7 / 30, { plannedProduction: 6259 })],
          },
        ],
        { frozen: true },
      );
    expect(week(1095).map((d) => d.frozenBreak)).toEqual([false]);
    expect(week(1093).map((d) => d.frozenBreak)).toEqual([true]);
  });

  it("a sales break is judged against the week's plan, which the deviation carries", () => {
    // February week: consensus 400 × 0.25 = 100 planned; P90 100 + (480 − 400) × 0.5 = 140.
    // Sold 126: above 140? No. Sold 150: +7.1% above the range, +50.0% against the plan: a break.
    // Sold 141 is +41.0% against the plan: a break too, though +0.7% above the range.
    const week = (sales: number) =>
      check(
        [
          {
            family: 'A',
            sales,
            production: null,
            plan: [part(7 / 28, { consensus: 400, baseline: 400, hi80: 480 })],
          },
        ],
        { frozen: true },
      );
    expect(week(126)).toEqual([]);
    expect(week(150)).toMatchObject([{ expected: 140, planned: 100, frozenBreak: true }]);
    expect(week(141)).toMatchObject([{ expected: 140, planned: 100, frozenBreak: true }]);
  });
});

describe('the frozen zone of a week, and what breaks it', () => {
  const fences = { frozenMonths: 2, slushyMonths: 3 };

  it("a week is in the frozen zone when its Thursday's month is, by the fences' own rule", () => {
    // A plan adopted in March 2027 with two frozen months: March is month 1, April month 2
    // (frozen), May month 3 (slushy), February month 0 (past: not this plan's to freeze).
    // Week of 29 March: Thursday 1 April, month 2, frozen. Week of 26 April: Thursday 29 April,
    // month 2, frozen. Week of 3 May: Thursday 6 May, month 3, not. Week of 22 February:
    // Thursday 25 February, before March, not.
    expect(weekFrozen('2027-03', '2027-03-29', fences)).toBe(true);
    expect(weekFrozen('2027-03', '2027-04-26', fences)).toBe(true);
    expect(weekFrozen('2027-03', '2027-05-03', fences)).toBe(false);
    expect(weekFrozen('2027-03', '2027-02-22', fences)).toBe(false);
    // One frozen month: the week of 29 March is April's, month 2, no longer frozen; none is
    // with none frozen.
    expect(weekFrozen('2027-03', '2027-03-29', { frozenMonths: 1, slushyMonths: 3 })).toBe(false);
    expect(weekFrozen('2027-03', '2027-03-08', { frozenMonths: 0, slushyMonths: 3 })).toBe(false);
    // The same answer as the forecast's fences give the week's month, for each of these.
    for (const [week, month] of [
      ['2027-03-29', '2027-04'],
      ['2027-05-03', '2027-05'],
      ['2027-02-22', '2027-02'],
    ] as const)
      expect(weekFrozen('2027-03', week, fences)).toBe(
        zoneOf('2027-03', month, fences) === 'frozen',
      );
  });

  it('a frozen plan is broken by a miss either way beyond the threshold, as printed', () => {
    // 25% of a planned 100. Under: 75 is −25.0% (no break), 74 is −26.0% (a break). Over: 125
    // is +25.0% (no break), 130 is +30.0% and 200 +100.0% (breaks: far more than the plan).
    expect(breaksFrozenPlan(75, 100, 25)).toBe(false);
    expect(breaksFrozenPlan(74, 100, 25)).toBe(true);
    expect(breaksFrozenPlan(125, 100, 25)).toBe(false);
    expect(breaksFrozenPlan(130, 100, 25)).toBe(true);
    expect(breaksFrozenPlan(200, 100, 25)).toBe(true);
    // 7,496 of 10,000: 25.04% short, printed −25.0%: no break (as −25.0% reads).
    expect(breaksFrozenPlan(7496, 10000, 25)).toBe(false);
    // Nothing planned: nothing to break.
    expect(breaksFrozenPlan(50, 0, 25)).toBe(false);
  });
});
