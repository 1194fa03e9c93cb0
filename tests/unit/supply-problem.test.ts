import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PlanProblemError,
  parsePlanProblem,
  planProblemJsonSchema,
} from '../../src/core/supply/problem.js';

const red = (): Record<string, unknown> =>
  JSON.parse(readFileSync('examples/plans/red-tomato-tools.json', 'utf8'));

function issuesOf(input: unknown): readonly string[] {
  try {
    parsePlanProblem(input);
  } catch (err) {
    if (err instanceof PlanProblemError) return err.issues;
    throw err;
  }
  return [];
}

describe('plan file schema', () => {
  it('the committed JSON Schema is the one generated from the zod schema', () => {
    const committed = JSON.parse(readFileSync('docs/schema/plan-problem.schema.json', 'utf8'));
    expect(committed).toEqual(planProblemJsonSchema());
  });

  it('fills defaults', () => {
    const p = parsePlanProblem(red());
    expect(p.options).toEqual({
      overtime: true,
      subcontracting: true,
      lostSales: false,
      maxBacklog: null,
      safetyStockPenalty: 0,
    });
    expect(p.resources[0]?.workforce?.minWorkers).toBeNull();
    expect(p.families[0]?.safetyStock).toBe(0);
  });

  it('reports zod errors as path.to.field: message', () => {
    const bad = red();
    const fams = bad.families as Record<string, unknown>[];
    fams[0] = { ...fams[0], unitCost: -1 };
    (bad.demand as Record<string, unknown>[])[2] = { family: 'TOOLS', period: '2027-13', units: 5 };
    const issues = issuesOf(bad);
    expect(issues).toContain('families[0].unitCost: Too small: expected number to be >=0');
    expect(issues).toContain('demand[2].period: must be a month in YYYY-MM form');
  });

  it('names unknown fields', () => {
    const issues = issuesOf({ ...red(), colour: 'red' });
    expect(issues.join('\n')).toMatch(/colour/);
  });

  it('checks codes and months across sections', () => {
    const bad = red();
    (bad.loads as unknown[]).push({ family: 'TOOLS', resource: 'LINE-9', perUnit: 1 });
    (bad.demand as unknown[]).push({ family: 'NOPE', period: '2027-01', units: 1 });
    (bad.demand as unknown[]).push({ family: 'TOOLS', period: '2027-01', units: 1 });
    bad.periods = ['2027-01', '2027-02', '2027-04', '2027-05', '2027-06', '2027-07'];
    const issues = issuesOf(bad);
    expect(issues).toContain("loads[1].resource: unknown resource 'LINE-9'");
    expect(issues).toContain("demand[6].family: unknown family 'NOPE'");
    expect(issues).toContain('demand[7]: TOOLS 2027-01 appears twice');
    expect(issues).toContain(
      "periods[2]: '2027-04' does not follow '2027-02' (months must be consecutive)",
    );
    expect(issues).toContain("demand[2].period: '2027-03' is not a plan month");
  });

  it('every example file parses', () => {
    for (const f of [
      'red-tomato-tools',
      'hand-two-months',
      'three-families-two-lines',
      'infeasible-line-2',
    ])
      expect(() =>
        parsePlanProblem(JSON.parse(readFileSync(`examples/plans/${f}.json`, 'utf8'))),
      ).not.toThrow();
  });
});
