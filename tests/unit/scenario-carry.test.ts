/**
 * A scenario carried into the next cycle (src/core/scenarios/carry.ts): a month window that has
 * ended is dropped, one that runs into the new plan is kept, an investment whose first month
 * has passed starts in the default month; everything else is kept as it was.
 */
import { describe, expect, it } from 'vitest';
import { carryScenario } from '../../src/core/scenarios/carry.js';
import type { ScenarioAssumptions } from '../../src/core/scenarios.js';

/** February's cycle, planning six months: 2027-02 … 2027-07. */
const FEB = ['2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07'];

describe('carrying a scenario into the next cycle', () => {
  it('keeps a scenario without months as it is', () => {
    const cautious: ScenarioAssumptions = {
      name: 'cautious',
      label: 'Cautious',
      demandMultiplier: 0.8,
      overtime: false,
      promotion: { pricePct: -3, upliftPct: 6 },
      capacityInvestment: { resource: null, sizePct: 15 },
    };
    expect(carryScenario(cautious, FEB)).toEqual({ scenario: cautious, notes: [] });
  });

  it('drops the windows that ended before the first month, and keeps the others', () => {
    const promo: ScenarioAssumptions = {
      name: 'promo-push',
      label: 'Promo push',
      demandChanges: [
        { family: 'FAM-1', pct: 20, from: '2027-01', to: '2027-01' }, // over in February
        { family: 'FAM-2', pct: 10, from: '2026-12', to: '2027-02' }, // February still in it
        { family: null, pct: 5, from: '2027-01' }, // no end
        { pct: -4, to: '2026-12' }, // over
      ],
      capacityChanges: [
        { resource: 'LINE-1', pct: -30, from: '2026-11', to: '2027-01' }, // over
        { resource: 'LINE-2', pct: 10, from: '2027-06', to: '2027-07' }, // ahead
      ],
    };
    expect(carryScenario(promo, FEB)).toEqual({
      scenario: {
        name: 'promo-push',
        label: 'Promo push',
        demandChanges: [
          { family: 'FAM-2', pct: 10, from: '2026-12', to: '2027-02' },
          { family: null, pct: 5, from: '2027-01' },
        ],
        capacityChanges: [{ resource: 'LINE-2', pct: 10, from: '2027-06', to: '2027-07' }],
      },
      notes: [
        {
          kind: 'window-ended',
          lever: 'demand',
          target: 'FAM-1',
          pct: 20,
          from: '2027-01',
          to: '2027-01',
        },
        { kind: 'window-ended', lever: 'demand', target: null, pct: -4, from: null, to: '2026-12' },
        {
          kind: 'window-ended',
          lever: 'capacity',
          target: 'LINE-1',
          pct: -30,
          from: '2026-11',
          to: '2027-01',
        },
      ],
    });
  });

  it('leaves out a list whose every window ended', () => {
    const past: ScenarioAssumptions = {
      name: 'spring',
      label: 'Spring',
      overtime: true,
      demandChanges: [{ family: 'FAM-1', pct: 20, from: '2026-10', to: '2026-12' }],
    };
    expect(carryScenario(past, FEB).scenario).toEqual({
      name: 'spring',
      label: 'Spring',
      overtime: true,
    });
  });

  it('starts an investment whose first month has passed in the plan’s fourth month', () => {
    const grow: ScenarioAssumptions = {
      name: 'grow',
      label: 'Grow',
      capacityInvestment: { resource: 'LINE-1', sizePct: 10, cost: 50_000, from: '2027-01' },
    };
    // February's fourth month is May.
    expect(carryScenario(grow, FEB)).toEqual({
      scenario: {
        name: 'grow',
        label: 'Grow',
        capacityInvestment: { resource: 'LINE-1', sizePct: 10, cost: 50_000 },
      },
      notes: [{ kind: 'investment-start-passed', was: '2027-01', now: '2027-05' }],
    });
    // One starting in the new cycle's first month or later has not passed.
    const feb: ScenarioAssumptions = {
      ...grow,
      capacityInvestment: { resource: 'LINE-1', sizePct: 10, from: '2027-02' },
    };
    expect(carryScenario(feb, FEB).notes).toEqual([]);
    // A plan of two months has no fourth: its last, as the plan run resolves it.
    expect(carryScenario(grow, ['2027-02', '2027-03']).notes).toEqual([
      { kind: 'investment-start-passed', was: '2027-01', now: '2027-03' },
    ]);
  });
});
