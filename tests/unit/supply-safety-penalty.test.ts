/**
 * The safety stock is there to be used: when supply runs short, a plan should serve
 * customers from it before it backlogs them. Hand example: one family, holding $1 and backlog
 * $4 a unit-month, safety stock 50 held from the start, a line of 100 a month against demand
 * of 100, 150 and 50.
 *
 * In February 50 units are short. Drawing the safety stock costs the penalty p for one
 * month less the holding saved (p − 1 a unit); backlogging them costs $4 a unit. So the plan
 * draws when p − 1 < 4. With the family's own penalty, holding + half the backlog cost =
 * $3, it draws (2 < 4); with the old default of the highest backlog cost of all families
 * ($10 here, as if another family's backlog cost $10) it backlogs (9 > 4). March has room to
 * serve or rebuild either way.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ownSafetyPenalty } from '../../src/core/supply/from-company.js';
import { parsePlanProblem } from '../../src/core/supply/problem.js';
import { solvePlan } from '../../src/core/supply/solve.js';
import { createHighsSolver, type HighsSolver } from '../../src/solver/highs.js';

let solver: HighsSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const problem = (familyPenalty: number | undefined) =>
  parsePlanProblem({
    name: 'safety stock under a shortfall',
    periods: ['2027-01', '2027-02', '2027-03'],
    families: [
      {
        code: 'A',
        price: 20,
        unitCost: 5,
        holdingCost: 1,
        backlogCost: 4,
        safetyStock: 50,
        initialInventory: 50,
        ...(familyPenalty === undefined ? {} : { safetyStockPenalty: familyPenalty }),
      },
    ],
    demand: [
      { family: 'A', period: '2027-01', units: 100 },
      { family: 'A', period: '2027-02', units: 150 },
      { family: 'A', period: '2027-03', units: 50 },
    ],
    resources: [{ code: 'LINE', unit: 'units', capacity: 100, overtimeLimit: 0, overtimeCost: 0 }],
    loads: [{ family: 'A', resource: 'LINE', perUnit: 1 }],
    options: { overtime: false, subcontracting: false, lostSales: false, safetyStockPenalty: 10 },
  });

const february = async (familyPenalty: number | undefined) => {
  const plan = await solvePlan(problem(familyPenalty), solver);
  if (plan.status !== 'optimal') throw new Error(plan.message);
  return plan.families.find((r) => r.period === '2027-02')!;
};

describe("a family's own safety-stock penalty", () => {
  it('is holding plus half the backlog cost', () => {
    expect(ownSafetyPenalty({ holdingCost: 1, backlogCost: 4 })).toBe(3);
    // The demo's FAM-2: 1.11 + 5.14 / 2.
    expect(ownSafetyPenalty({ holdingCost: 1.11, backlogCost: 5.14 })).toBeCloseTo(3.68, 10);
  });

  it('serves customers from the safety stock before it backlogs them', async () => {
    const own = await february(ownSafetyPenalty({ holdingCost: 1, backlogCost: 4 }));
    expect(own.inventory).toBeCloseTo(0, 6);
    expect(own.backlog).toBeCloseTo(0, 6);
  });

  it('with the highest backlog cost of all families, it backlogs them instead', async () => {
    const old = await february(undefined);
    expect(old.inventory).toBeCloseTo(50, 6);
    expect(old.backlog).toBeCloseTo(50, 6);
  });
});
