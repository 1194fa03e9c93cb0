/**
 * Figures shown with their total add up as printed: the largest remainder method shares the
 * difference of the rounded ends over the rounded parts. Every expectation is worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { familyChart } from '../../src/charts/family.js';
import type { FamilySeries } from '../../src/charts/types.js';
import type { FamilyMonthExplanation } from '../../src/core/explain/family.js';
import { apportion, walkAsShown } from '../../src/core/number-format.js';
import type { Explanation } from '../../src/services/explain.js';
import { explainPlainText } from '../../src/slack/presenters/explain.js';

describe('apportion (largest remainder)', () => {
  it('shares a rounded total over parts rounded down, the largest fractions first', () => {
    // 0.4 + 0.4 + 0.4 = 1.2, shown 1: floors 0, 0, 0, one unit missing; ties go to the first.
    expect(apportion([0.4, 0.4, 0.4], 1)).toEqual([1, 0, 0]);
    // 1.2 + 2.7 + 3.1 = 7: floors 1, 2, 3 = 6, one missing, to the largest fraction (.7).
    expect(apportion([1.2, 2.7, 3.1], 7)).toEqual([1, 3, 3]);
    // Rounded one by one, 2.5 + 2.5 = 5 would read 3 + 3 = 6.
    expect(apportion([2.5, 2.5], 5)).toEqual([3, 2]);
  });

  it('handles negative parts and a total below the rounded-down parts', () => {
    // −1.6 + 0.3 = −1.3, shown −1: floors −2, 0 = −2, one missing, to −1.6 (fraction .4).
    expect(apportion([-1.6, 0.3], -1)).toEqual([-1, 0]);
    // 0.2 + 0.3 shown as −1 (a floor elsewhere): floors 0, 0; one taken from the smallest
    // fraction (.2).
    expect(apportion([0.2, 0.3], -1)).toEqual([-1, 0]);
  });

  it('does not read float noise as a fraction', () => {
    // 0.1 + 0.2 = 0.30000000000000004; 492.99999999999994 is 493.
    expect(apportion([0.1 + 0.2 - 0.3, 493 - 1e-13], 493)).toEqual([0, 493]);
  });

  it('hands out a large mismatch in whole rounds', () => {
    // 1.5 + 2.25 + 3.75 floor to 1 + 2 + 3 = 6; a total of 1,000,006 misses 1,000,000 units:
    // 333,333 rounds to each part (999,999), the one left to the largest fraction (.75):
    // 1 + 333,333 = 333,334; 2 + 333,333 = 333,335; 3 + 333,333 + 1 = 333,337.
    expect(apportion([1.5, 2.25, 3.75], 1_000_006)).toEqual([333_334, 333_335, 333_337]);
    // 0.5 + 0.25 + 0.75 floor to 0 + 0 + 0; a total of −1,000,000 is 333,334 taken from each
    // (−1,000,002) and 2 given back to the largest fractions (.75, then .5).
    expect(apportion([0.5, 0.25, 0.75], -1_000_000)).toEqual([-333_333, -333_334, -333_333]);
  });

  it('shares a negative total', () => {
    // −2.5 − 1.25 = −3.75, shown −4: floors −3 and −2 = −5, one missing, to the larger
    // fraction: −1.25 − (−2) = .75 against −2.5 − (−3) = .5.
    expect(apportion([-2.5, -1.25], -4)).toEqual([-3, -1]);
  });

  it('leaves zeros at zero, and shares a total over zeros from the first', () => {
    expect(apportion([0, 0, 0], 0)).toEqual([0, 0, 0]);
    expect(apportion([], 0)).toEqual([]);
    // No fractions: the ties go to the earlier parts.
    expect(apportion([0, 0, 0], 2)).toEqual([1, 1, 0]);
  });

  it('rounds each part on its own when a part or the total is not a number', () => {
    // Nothing can be shared with NaN or Infinity; the finite parts are rounded alone
    // (1.6 → 2, 0.4 → 0) and the others stay as they are.
    expect(apportion([NaN], 1)).toEqual([NaN]);
    expect(apportion([1.6, 0.4], NaN)).toEqual([2, 0]);
    expect(apportion([1.6, 0.4], Number.POSITIVE_INFINITY)).toEqual([2, 0]);
    expect(apportion([1.6, Number.NEGATIVE_INFINITY], 3)).toEqual([2, Number.NEGATIVE_INFINITY]);
    // −0.4 rounds to −0 on its own, which would print "−0": it is 0.
    expect(Object.is(apportion([-0.4], Number.NaN)[0], 0)).toBe(true);
  });
});

describe('walkAsShown', () => {
  it('rounds both ends and shares their difference over the steps', () => {
    // 9.4 + 0.4 × 3 = 10.6: ends 9 and 11, steps share 2 → 1, 1, 0 (each rounded alone: 0, 0, 0).
    expect(walkAsShown(9.4, [0.4, 0.4, 0.4], 10.6)).toEqual({
      start: 9,
      steps: [1, 1, 0],
      end: 11,
    });
  });

  it('keeps an end that is not a number and makes up no step to reach it', () => {
    // Start 5, one step of 1, end NaN: nothing to share, so the step is 1 rounded alone and
    // the ends are left for the caller to print as it prints NaN (not "0 = 5 −5").
    expect(walkAsShown(5, [1], Number.NaN)).toEqual({ start: 5, steps: [1], end: Number.NaN });
    expect(walkAsShown(Number.POSITIVE_INFINITY, [0.4, 0.6], 3)).toEqual({
      start: Number.POSITIVE_INFINITY,
      steps: [0, 1],
      end: 3,
    });
    // A step that is not a number: the others are rounded alone (2.4 → 2), the ends still are.
    expect(walkAsShown(9.6, [Number.NaN, 2.4], 12.2)).toEqual({
      start: 10,
      steps: [Number.NaN, 2],
      end: 12,
    });
  });
});

describe('family summary', () => {
  const months = ['2027-05', '2027-06', '2027-07'] as const;
  const series = (base: number[], cons: number[], deltas: [string, number][]): FamilySeries => ({
    family: 'FAM-1',
    history: [],
    baseline: months.map((period, i) => {
      const v = base[i] ?? 0;
      return { period, value: v, lo80: v, hi80: v, lo95: v, hi95: v };
    }),
    consensus: months.map((period, i) => ({ period, value: cons[i] ?? 0 })),
    adjustments: deltas.map(([reasonCode, d], i) => ({
      period: months[i] ?? '2027-05',
      author: 'Rita',
      reasonCode,
      before: base[i] ?? 0,
      after: (base[i] ?? 0) + d,
    })),
  });

  it("shows reasons that add up to the totals as printed (the demo's 2027-02 case)", () => {
    // Each month is printed rounded on its own (as its confirmation and explain print it), and
    // a total is the sum of its months as printed. Baseline 5,369.1, 5,369.1, 5,370.1 read
    // 5,369 + 5,369 + 5,370 = 16,108; consensus 5,533.2, 5,533.2, 5,534.3 read 5,533 + 5,533 +
    // 5,534 = 16,600; promotion 164 + 164 + 164 = +492 = 16,600 − 16,108. The 2027-03 case:
    // baseline 5,556 + 5,557 + 5,556 = 16,669, consensus 5,721 × 3 = 17,163, promotion 165 +
    // 164 + 165 = +494.
    const a = familyChart(
      series(
        [5369.1, 5369.1, 5370.1],
        [5533.2, 5533.2, 5534.3],
        [
          ['promotion', 164.1],
          ['promotion', 164.1],
          ['promotion', 164.2],
        ],
      ),
    ).summary;
    expect(a).toContain('consensus 16,600 units over 3 months vs baseline 16,108');
    expect(a).toContain('promotion +492.');
    const b = familyChart(
      series(
        [5556.3, 5556.6, 5556.4],
        [5721.1, 5721.4, 5721.2],
        [
          ['promotion', 164.8],
          ['promotion', 164.8],
          ['promotion', 164.8],
        ],
      ),
    ).summary;
    expect(b).toContain('consensus 17,163 units over 3 months vs baseline 16,669');
    expect(b).toContain('promotion +494.');
  });

  it("gives a reason the sum of its confirmations' rows as printed (the demo's FAM-2 lost customer)", () => {
    // Rita's −10%: 2027-04 5,342.9 → 4,808.61 reads "5,343 → 4,809" (−534), 2027-05 5,385.4 →
    // 4,846.86 "5,385 → 4,847" (−538), 2027-06 4,586.8 → 4,128.12 "4,587 → 4,128" (−459): the
    // rows add up to −1,531. 2027-03, not adjusted, is 1,000.45 ("1,000"). Baseline 1,000 +
    // 5,343 + 5,385 + 4,587 = 16,315; consensus 1,000 + 4,809 + 4,847 + 4,128 = 14,784;
    // 14,784 − 16,315 = −1,531 (−9.4%). Rounded whole, 16,315.55 and 14,784.04
    // read 16,316 and 14,784: "−1,532", which no confirmation's rows add up to.
    const months = ['2027-03', '2027-04', '2027-05', '2027-06'];
    const base = [1000.45, 5342.9, 5385.4, 4586.8];
    const cons = base.map((v, i) => (i === 0 ? v : v * 0.9));
    const s = familyChart({
      family: 'FAM-2',
      history: [],
      baseline: months.map((period, i) => {
        const v = base[i] ?? 0;
        return { period, value: v, lo80: v, hi80: v, lo95: v, hi95: v };
      }),
      consensus: months.map((period, i) => ({ period, value: cons[i] ?? 0 })),
      adjustments: [1, 2, 3].map((i) => ({
        period: months[i] ?? '',
        author: 'Rita',
        reasonCode: 'lost_customer',
        before: base[i] ?? 0,
        after: cons[i] ?? 0,
      })),
    }).summary;
    expect(s).toContain('consensus 14,784 units over 4 months vs baseline 16,315 (−9.4%)');
    expect(s).toContain('3 adjusted months: lost customer −1,531.');
  });

  it("shares a month's rounding over several reasons by their fractions", () => {
    // One month, baseline 100, three adjustments of +0.4: consensus 101.2 → "101", difference
    // 1: promotion 0.4 → 1 (first of the tie), new customer 0.4 → 0, event 0.4 → 0.
    const reasons = ['promotion', 'new_customer', 'event'];
    const s = familyChart({
      family: 'FAM-1',
      history: [],
      baseline: [{ period: '2027-05', value: 100, lo80: 100, hi80: 100, lo95: 100, hi95: 100 }],
      consensus: [{ period: '2027-05', value: 101.2 }],
      adjustments: reasons.map((reasonCode, i) => ({
        period: '2027-05',
        author: 'Rita',
        reasonCode,
        before: 100 + 0.4 * i,
        after: 100.4 + 0.4 * i,
      })),
    }).summary;
    expect(s).toContain('consensus 101 units over 1 month vs baseline 100 (+1.0%)');
    expect(s).toContain(
      '1 adjusted month (3 adjustments): promotion +1, new customer +0, event +0.',
    );
  });

  it('names the floor at zero when the reasons take a month below zero', () => {
    // Baseline 100, 200, 300 = 600; lost customer −150 in 2027-05 is floored at 0 (+50):
    // consensus 0 + 200 + 300 = 500, and −150 + 50 = −100.
    const s = familyChart(
      series([100, 200, 300], [0, 200, 300], [['lost_customer', -150]]),
    ).summary;
    expect(s).toContain('consensus 500 units over 3 months vs baseline 600');
    expect(s).toContain('1 adjusted month: lost customer −150, floor at zero +50.');
  });
});

describe('explain: the walks add up as printed', () => {
  const step = (
    id: string,
    author: string,
    reasonCode: string,
    before: number,
    change: number,
  ) => ({
    id,
    author,
    kind: 'delta_units' as const,
    value: change,
    before,
    after: before + change,
    change,
    reasonCode,
    comment: null,
    role: 'adjustment' as const,
    flagged: false,
    zone: 'liquid' as const,
    authorFva: null,
    reasonFva: null,
  });
  const month = (
    period: string,
    baseline: number,
    steps: ReturnType<typeof step>[],
    supply: FamilyMonthExplanation['plan'] = null,
  ): FamilyMonthExplanation => ({
    family: 'FAM-1',
    period,
    history: [],
    sameMonthLastYear: null,
    baseline: { value: baseline, lo80: baseline, hi80: baseline, lo95: baseline, hi95: baseline },
    model: { method: 'naive', why: 'Too little history.', aicc: null, members: [] },
    steps,
    superseded: 0,
    consensus: baseline + steps.reduce((a, s) => a + s.change, 0),
    plan: supply,
    scenarios: [],
    checks: { chainGap: 0, supplyGap: null },
  });
  const explanation = (months: FamilyMonthExplanation[]): Explanation => ({
    kind: 'family',
    query: {
      intent: 'explain',
      code: 'FAM-1',
      from: months[0]?.period ?? '2027-03',
      to: months.at(-1)?.period ?? '2027-03',
      direction: null,
    },
    family: { id: 1, code: 'FAM-1', name: 'One', unit: 'units' },
    months,
    cycleMonth: '2027-01',
    runId: '9',
    timezone: 'UTC',
    names: { U1: 'Rita', U2: 'Sam' },
  });

  it("one month: baseline, each step and the consensus (steps' fractions shared)", () => {
    // Baseline 100.4, Rita +0.4, Sam +0.4: consensus 101.2 → 101, baseline → 100; the steps
    // share 1: Rita (first of the tie) +1, Sam +0. Each rounded alone read "+0 +0".
    const text = explainPlainText(
      explanation([
        month('2027-03', 100.4, [
          step('1', 'U1', 'promo', 100.4, 0.4),
          step('2', 'U2', 'event', 100.8, 0.4),
        ]),
      ]),
    );
    expect(text).toContain('Consensus: 101 = baseline 100 +1 +0');
    expect(text).toContain('• +1 by Rita · reason promo');
    expect(text).toContain('• +0 by Sam · reason event');
  });

  it('a range: each month, the total and each person and reason', () => {
    // 2027-03: 100.4 + 0.4 = 100.8 → "100 +1 = 101" (alone, 0.4 read "+0"); 2027-04:
    // 200.3 + 0.3 = 200.6 → "200 +1 = 201". The total is the months as printed: baseline
    // 100 + 200 = 300, consensus 101 + 201 = 302, adjustments +2, Rita's +1 and Sam's +1 as
    // their months show them (the whole range rounded, 300.7 → 301 and 301.4 → 301, read
    // "+0", which the months' "+1" and "+1" do not add up to).
    const text = explainPlainText(
      explanation([
        month('2027-03', 100.4, [step('1', 'U1', 'promo', 100.4, 0.4)]),
        month('2027-04', 200.3, [step('2', 'U2', 'event', 200.3, 0.3)]),
      ]),
    );
    expect(text).toContain('2027-03: baseline 100 +1 (1 change) = 101');
    expect(text).toContain('2027-04: baseline 200 +1 (1 change) = 201');
    expect(text).toContain('Total: 302 = baseline 300 + adjustments +2');
    expect(text).toContain('• +1 Rita · promo');
    expect(text).toContain('• +1 Sam · event');
  });

  it("a month's supply: the terms add up to the demand as printed", () => {
    // Demand 100.6 → 101 = made 60.4 + subcontracted 20.4 + from stock 19.8 (+0 backlogged,
    // +0 lost): floors 60 + 20 + 19 = 99, two missing, to .8 (stock) then .4 (made, first).
    const plan: NonNullable<FamilyMonthExplanation['plan']> = {
      runId: '9',
      scenario: 'central',
      supply: {
        demand: 100.6,
        production: 60.4,
        subcontract: 20.4,
        fromStock: 19.8,
        scrapped: 0,
        backlogged: 0,
        lost: 0,
        closingInventory: 0,
        closingBacklog: 0,
      },
      matchesConsensus: true,
      frozen: false,
      marginalCost: null,
      marginalCostKind: null,
      lastMonth: false,
      resources: [],
      binding: null,
    };
    const text = explainPlainText(explanation([month('2027-03', 100.6, [], plan)]));
    expect(text).toContain(
      'Demand 101 = made 61 + subcontracted 20 + from stock 20 + backlogged 0 + lost 0',
    );
  });
});
