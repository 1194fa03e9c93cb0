import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/core/company.js';
import {
  type Adjustment,
  type AdjustmentKind,
  computeConsensus,
} from '../../src/core/consensus.js';

let seq = 0;
function adj(
  author: string,
  authorRole: Role,
  kind: AdjustmentKind,
  value: number,
  minute: number,
  over: Partial<Adjustment> = {},
): Adjustment {
  seq++;
  return {
    id: `adj-${seq}`,
    family: 'A',
    period: '2025-06',
    author,
    authorRole,
    kind,
    value,
    reasonCode: 'promo',
    comment: null,
    createdAt: `2025-03-01T10:${String(minute).padStart(2, '0')}:00Z`,
    ...over,
  };
}

const baseline = [{ family: 'A', period: '2025-06', value: 100 }];

describe('computeConsensus', () => {
  it('keeps only each person’s latest change and adds different people’s deltas', () => {
    const a1 = adj('alice', 'sales', 'delta_pct', 10, 1);
    const b1 = adj('bob', 'sales', 'delta_units', -30, 2, { reasonCode: 'lost_customer' });
    const a2 = adj('alice', 'sales', 'delta_pct', 20, 3, { comment: 'bigger promo' });
    // input order does not matter: createdAt does
    const [line] = computeConsensus(baseline, [a2, b1, a1]);
    // 100 − 30 = 70, then +20% of the baseline 100 = 90
    expect(line?.consensus).toBe(90);
    expect(line?.superseded).toEqual([a1.id]);
    expect(line?.steps.map((s) => [s.adjustmentId, s.before, s.after])).toEqual([
      ['baseline', 100, 100],
      [b1.id, 100, 70],
      [a2.id, 70, 90],
    ]);
    expect(line?.steps[2]).toMatchObject({
      author: 'alice',
      authorRole: 'sales',
      reasonCode: 'promo',
      comment: 'bigger promo',
    });
  });

  it('a sales rep’s set replaces the baseline as the starting point for the others’ deltas', () => {
    const b1 = adj('bob', 'sales', 'delta_units', -30, 2);
    const a1 = adj('alice', 'sales', 'delta_pct', 20, 3);
    const c1 = adj('carol', 'sales', 'set', 200, 4);
    const [line] = computeConsensus(baseline, [b1, a1, c1]);
    // start 200, −30, +20% of 200 = 210
    expect(line?.consensus).toBe(210);
    expect(line?.steps.map((s) => [s.adjustmentId, s.before, s.after])).toEqual([
      ['baseline', 100, 100],
      [c1.id, 100, 200],
      [b1.id, 200, 170],
      [a1.id, 170, 210],
    ]);
    // a later rep's set replaces an earlier one
    const d1 = adj('dan', 'sales', 'set', 150, 5);
    const [again] = computeConsensus(baseline, [b1, a1, c1, d1]);
    expect(again?.consensus).toBe(150 - 30 + 30);
    expect(again?.superseded).toEqual([c1.id]);
  });

  it("a planner's or executive's set wins over everything; the latest one counts", () => {
    const b1 = adj('bob', 'sales', 'delta_units', 50, 1);
    const c1 = adj('carol', 'sales', 'set', 300, 2);
    const p1 = adj('paula', 'planner', 'set', 150, 3);
    const e1 = adj('erin', 'exec', 'set', 130, 4, { reasonCode: 'exec_decision' });
    const b2 = adj('bob', 'sales', 'delta_units', 70, 5);
    const [line] = computeConsensus(baseline, [b1, c1, p1, e1, b2]);
    expect(line?.consensus).toBe(130);
    expect(line?.steps.map((s) => [s.adjustmentId, s.before, s.after])).toEqual([
      ['baseline', 100, 100],
      [e1.id, 100, 130],
    ]);
    expect([...(line?.superseded ?? [])].sort()).toEqual([b1.id, c1.id, p1.id, b2.id].sort());
  });

  it('never goes below zero, and shows the floor as a step', () => {
    const b1 = adj('bob', 'sales', 'delta_units', -80, 1);
    const a1 = adj('alice', 'ops', 'delta_pct', -50, 2);
    const [line] = computeConsensus([{ family: 'A', period: '2025-06', value: 60 }], [b1, a1]);
    // 60 − 80 = −20, −50% of 60 = −50, floored at 0
    expect(line?.consensus).toBe(0);
    expect(line?.steps.at(-1)).toMatchObject({
      adjustmentId: 'floor',
      before: -50,
      after: 0,
      reasonCode: 'floor_at_zero',
    });
  });

  it('keeps lines without adjustments and adds lines for adjustments without a baseline', () => {
    const x = adj('bob', 'sales', 'delta_units', 5, 1, { family: 'B', period: '2025-07' });
    const lines = computeConsensus(
      [...baseline, { family: 'A', period: '2025-07', value: 40 }],
      [x],
    );
    expect(lines.map((l) => [l.family, l.period, l.baseline, l.consensus])).toEqual([
      ['A', '2025-06', 100, 100],
      ['A', '2025-07', 40, 40],
      ['B', '2025-07', 0, 5],
    ]);
  });

  it('refuses non-finite values, negative sets and bad timestamps', () => {
    expect(() => computeConsensus(baseline, [adj('a', 'sales', 'set', -1, 1)])).toThrow(
      /cannot be negative/,
    );
    expect(() =>
      computeConsensus(baseline, [adj('a', 'sales', 'delta_units', Number.NaN, 1)]),
    ).toThrow(/finite/);
    expect(() =>
      computeConsensus(baseline, [
        adj('a', 'sales', 'delta_units', 1, 1, { createdAt: 'yesterday' }),
      ]),
    ).toThrow(/ISO/);
  });
});
