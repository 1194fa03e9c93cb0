/**
 * The review's and the pack's question 3: the families furthest from the plan. A family that
 * sold nothing against its plan, or sold against no plan, is the largest miss, not left out.
 */
import { describe, expect, it } from 'vitest';
import type { KpiSet } from '../../src/core/review.js';
import { familyLines, type PackLoop } from '../../src/services/pack-loop.js';

/** A family's KPIs with only sales and planned demand known. */
function kpis(salesUnits: number, plannedDemand: number | null): KpiSet {
  return {
    byLag: {},
    salesUnits,
    plannedDemand,
    revenue: 0,
    plannedRevenue: null,
    actualProduction: 0,
    plannedProduction: 0,
    adherence: null,
    orderLines: 0,
    fillRate: null,
    otif: null,
    cogs: 0,
    averageStockValue: null,
    turns: null,
    coverMonths: null,
    targetCoverMonths: null,
    backlog: null,
    plannedBacklog: null,
    obsoleteValue: 0,
    stockValue: null,
    plannedStockValue: null,
    cash: 0,
    plannedCash: null,
  };
}

function loop(byFamily: Record<string, KpiSet>): PackLoop {
  const fams = Object.values(byFamily);
  const total = kpis(
    fams.reduce((s, k) => s + k.salesUnits, 0),
    fams.reduce((s, k) => s + (k.plannedDemand ?? 0), 0),
  );
  return {
    trend: [
      {
        month: '2027-03',
        reference: { month: '2027-02', scenarioId: '1', label: 'Central', adopted: true },
        review: {
          periods: ['2027-02'],
          total,
          byFamily,
          fva: { matched: 0, steps: [], byPerson: {}, byReason: {} },
        } as unknown as PackLoop['trend'][number]['review'],
      },
    ],
    changed: {
      previous: null,
      periods: [],
      figures: [],
      constraints: { added: [], resolved: [], stillOpen: 0 },
      decisions: [],
      actions: [],
      carried: [],
    },
    tracking: { outside: [], judged: 0, months: 0 },
    follow: null,
    escalations: [],
  };
}

/** Six families 1% to 6% over a plan of 1,000. */
const close = Object.fromEntries(
  [1, 2, 3, 4, 5, 6].map((n) => [`FAM-${n}`, kpis(1000 + 10 * n, 1000)]),
);

describe('families furthest from plan', () => {
  it('lists a family that sold nothing and one sold with no plan before the small misses', () => {
    const lines = familyLines(
      loop({ ...close, 'FAM-ZERO': kpis(0, 3000), 'FAM-NEW': kpis(800, 0) }),
    );
    // 0 vs 3,000 is (0 − 3,000) / 3,000 = −100%; 800 vs 0 has no percentage: no plan. The
    // rest by size: +6%, +5%, +4% shown, +3%, +2%, +1% summed up.
    expect(lines).toEqual([
      'FAM-NEW: sold 800 vs 0 planned (no plan).',
      'FAM-ZERO: sold 0 vs 3,000 planned (−100.0%).',
      'FAM-6: sold 1,060 vs 1,000 planned (+6.0%).',
      'FAM-5: sold 1,050 vs 1,000 planned (+5.0%).',
      'FAM-4: sold 1,040 vs 1,000 planned (+4.0%).',
      '3 other families within ±3.0% of plan.',
    ]);
  });

  it('never counts a family with no plan among those within ±x% of plan', () => {
    // Six families sold without a plan, the larger sales first; one 2% over plan.
    const unplanned = Object.fromEntries(
      [1, 2, 3, 4, 5, 6].map((n) => [`NEW-${n}`, kpis(100 * n, n % 2 ? 0 : null)]),
    );
    const lines = familyLines(loop({ ...unplanned, 'FAM-2': kpis(1020, 1000) }));
    expect(lines).toEqual([
      'NEW-6: sold 600 vs 0 planned (no plan).',
      'NEW-5: sold 500 vs 0 planned (no plan).',
      'NEW-4: sold 400 vs 0 planned (no plan).',
      'NEW-3: sold 300 vs 0 planned (no plan).',
      'NEW-2: sold 200 vs 0 planned (no plan).',
      '1 other family sold with no plan: NEW-1.',
      '1 other family within ±2.0% of plan.',
    ]);
  });

  it('says nothing of the families before any sales are imported for the months', () => {
    expect(familyLines(loop({ 'FAM-1': kpis(0, 3000), 'FAM-2': kpis(0, 1000) }))).toEqual([]);
  });
});
