import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/core/company.js';
import { checkFence, zoneOf } from '../../src/core/time-fences.js';

const fences = { frozenMonths: 2, slushyMonths: 4 };

describe('time fences', () => {
  it('counts zones from the cycle month (month 1)', () => {
    expect(zoneOf('2025-03', '2025-02', fences)).toBe('past');
    expect(zoneOf('2025-03', '2025-03', fences)).toBe('frozen');
    expect(zoneOf('2025-03', '2025-04', fences)).toBe('frozen');
    expect(zoneOf('2025-03', '2025-05', fences)).toBe('slushy');
    expect(zoneOf('2025-03', '2025-08', fences)).toBe('slushy');
    expect(zoneOf('2025-03', '2025-09', fences)).toBe('liquid');
    expect(zoneOf('2025-12', '2026-01', fences)).toBe('frozen');
    expect(zoneOf('2025-12', '2026-02', fences)).toBe('slushy');
  });

  it('has no frozen zone when frozenMonths is 0', () => {
    expect(zoneOf('2025-03', '2025-03', { frozenMonths: 0, slushyMonths: 1 })).toBe('slushy');
    expect(zoneOf('2025-03', '2025-04', { frozenMonths: 0, slushyMonths: 1 })).toBe('liquid');
  });

  it('refuses frozen months for non-executives and says who can approve', () => {
    for (const role of ['sales', 'ops', 'planner'] as Role[]) {
      const v = checkFence('2025-03', '2025-04', fences, role);
      expect(v).toMatchObject({ zone: 'frozen', accepted: false, flagged: false });
      expect(v.reason).toMatch(/frozen zone \(months 1–2 from 2025-03\)/);
      expect(v.reason).toMatch(/executive/);
    }
  });

  it('names both roles that may change a frozen month, and asks for no approval sopbot has not', () => {
    // POLICY's forecast.frozen-exception row is executives and admins (README: "A month in the
    // frozen zone only executives and admins may change"); nothing in sopbot approves another's
    // change, so the rep is told who can make it (the service adds who holds those roles, by
    // name, and the command they use: tests/integration/slack-forecast.test.ts).
    const v = checkFence('2027-01', '2027-02', fences, 'sales');
    expect(v.reason).toBe(
      '2027-02 is in the frozen zone (months 1–2 from 2027-01), where the plan is locked so operations can execute it. Only Executive or Admin members can change it, as a flagged executive exception.',
    );
    expect(v.reason).not.toMatch(/approve/);
  });

  it('lets executives and admins change frozen months as a flagged exception', () => {
    for (const role of ['exec', 'admin'] as Role[]) {
      const v = checkFence('2025-03', '2025-03', fences, role);
      expect(v).toMatchObject({ zone: 'frozen', accepted: true, flagged: true });
      expect(v.reason).toMatch(/exception/);
    }
  });

  it('accepts and flags slushy months, accepts liquid ones, refuses the past', () => {
    expect(checkFence('2025-03', '2025-06', fences, 'sales')).toMatchObject({
      zone: 'slushy',
      accepted: true,
      flagged: true,
    });
    expect(checkFence('2025-03', '2025-12', fences, 'sales')).toEqual({
      zone: 'liquid',
      accepted: true,
      flagged: false,
      reason: null,
    });
    const past = checkFence('2025-03', '2024-12', fences, 'exec');
    expect(past).toMatchObject({ zone: 'past', accepted: false });
    expect(past.reason).toMatch(/before the cycle month 2025-03/);
  });

  it('refuses invalid fences', () => {
    expect(() => zoneOf('2025-03', '2025-03', { frozenMonths: -1, slushyMonths: 2 })).toThrow(
      /frozenMonths/,
    );
    expect(() => zoneOf('2025-03', '2025-03', { frozenMonths: 1, slushyMonths: 1.5 })).toThrow(
      /slushyMonths/,
    );
  });
});
