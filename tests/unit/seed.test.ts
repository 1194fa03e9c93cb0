import { describe, expect, it } from 'vitest';
import { monthOfYear } from '../../src/core/period.js';
import { generateCompany } from '../../src/seed/company.js';

describe('generateCompany', () => {
  const c = generateCompany({ families: 60, months: 48, resources: 10, seed: 7 });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateCompany({ families: 60, months: 48, resources: 10, seed: 7 })).toEqual(c);
    expect(
      generateCompany({ families: 60, months: 48, resources: 10, seed: 8 }).history,
    ).not.toEqual(c.history);
  });

  it('has the requested size, lines, a supplier and one workforce', () => {
    expect(c.families).toHaveLength(60);
    expect(c.history).toHaveLength(60 * 48);
    expect(c.resources).toHaveLength(10);
    expect(c.resources.filter((r) => r.kind === 'line')).toHaveLength(8);
    expect(c.resources.filter((r) => r.kind === 'supplier')).toHaveLength(1);
    const crew = c.resources.filter((r) => r.kind === 'workforce');
    expect(crew).toHaveLength(1);
    expect(crew[0]!.workforce?.hoursPerWorker).toBe(160);
    expect(c.history.at(-1)!.period).toBe('2026-12');
    expect(c.budget[0]!.period).toBe('2027-01');
    for (const f of c.families)
      expect(c.loads.some((l) => l.family === f.code && l.resource === 'CREW-1')).toBe(true);
  });

  it('has seasonality: the total by calendar month varies well beyond noise', () => {
    const byMonth = new Array(12).fill(0);
    for (const h of c.history) byMonth[monthOfYear(h.period) - 1] += h.units;
    const mean = byMonth.reduce((a, b) => a + b, 0) / 12;
    const spread = (Math.max(...byMonth) - Math.min(...byMonth)) / mean;
    expect(spread).toBeGreaterThan(0.05);
  });

  it('keeps every quantity finite and non-negative, costs below prices', () => {
    for (const h of c.history) expect(h.units).toBeGreaterThanOrEqual(0);
    for (const f of c.families) {
      expect(f.unitCost).toBeLessThan(f.price);
      expect(Number.isFinite(f.safetyStock)).toBe(true);
    }
  });
});
