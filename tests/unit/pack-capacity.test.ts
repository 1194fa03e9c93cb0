import { describe, expect, it } from 'vitest';
import type { ResourceResult } from '../../db/queries/plan-results.js';
import { capacityMoves } from '../../src/services/pack.js';
import { capacityLine } from '../../src/services/pack-markdown.js';

const row = (
  code: string,
  period: string,
  capacity: number,
  unit = 'hours',
  kind: ResourceResult['kind'] = 'line',
): ResourceResult => ({ code, unit, kind, period, load: 0, capacity, overtime: 0, utilisation: 0 });

describe('pack question 1: capacity', () => {
  const months = new Set(['2027-02', '2027-03']);
  const now = [
    row('LINE-2', '2027-02', 300),
    row('LINE-2', '2027-03', 320),
    row('SUP-1', '2027-02', 5000, 'units', 'supplier'),
    row('SUP-1', '2027-03', 5000, 'units', 'supplier'),
    row('CREW-1', '2027-02', 6400, 'hours', 'workforce'),
    row('CREW-1', '2027-03', 6240, 'hours', 'workforce'),
    row('LINE-2', '2027-04', 999), // outside the common months
  ];
  const before = [
    row('LINE-2', '2027-02', 378),
    row('LINE-2', '2027-03', 378),
    row('SUP-1', '2027-02', 5000, 'units', 'supplier'),
    row('SUP-1', '2027-03', 5000.000001, 'units', 'supplier'),
    row('CREW-1', '2027-02', 6400, 'hours', 'workforce'),
    row('CREW-1', '2027-03', 6400, 'hours', 'workforce'),
  ];

  it('keeps each resource in its own unit, drops rounding, largest relative change first', () => {
    // LINE-2: 620 vs 756 (−18.0%); CREW-1: 12,640 vs 12,800 (−1.25%); SUP-1 unchanged.
    expect(capacityMoves(now, before, months)).toEqual([
      { resource: 'LINE-2', unit: 'hours', workforce: false, now: 620, before: 756 },
      { resource: 'CREW-1', unit: 'hours', workforce: true, now: 12640, before: 12800 },
    ]);
  });

  it('writes one clause per resource, a crew named as the plan’s crew size', () => {
    expect(capacityLine([])).toBe('Capacity over the same months: unchanged.');
    // The demo's crew: 113,777 vs 113,819 hours is −0.04%, not '-0.0%'.
    expect(
      capacityLine([
        { resource: 'CREW-1', unit: 'hours', workforce: true, now: 113_777, before: 113_819 },
      ]),
    ).toBe(
      "Capacity over the same months: CREW-1 113,777 vs 113,819 hours (−<0.1%, the plan's crew size).",
    );
    expect(capacityLine(capacityMoves(now, before, months))).toBe(
      "Capacity over the same months: LINE-2 620 vs 756 hours (−18.0%); CREW-1 12,640 vs 12,800 hours (−1.3%, the plan's crew size).",
    );
  });
});
