/** `/sop scenario`'s list: each scenario's levers in words, money with its currency. */
import { describe, expect, it } from 'vitest';
import { carriedScenariosText, scenarioSummary } from '../../src/slack/presenters/scenario.js';

describe('a scenario in words', () => {
  it('writes an investment’s cost as money', () => {
    const text = scenarioSummary({
      name: 'ambitious',
      label: 'Ambitious',
      capacityInvestment: { resource: 'LINE-1', sizePct: 10, from: '2027-04', cost: 250_000 },
    });
    // 250,000 → "$250k", compact as in the vote and the charts.
    expect(text).toBe('plans for the consensus, +10% capacity on LINE-1 from 2027-04 for $250k');
  });

  it('writes the months of a demand change, even one that names only its last', () => {
    const text = scenarioSummary({
      name: 'spring',
      label: 'Spring',
      demandChanges: [
        { family: 'FAM-1', pct: 5, to: '2027-02' },
        { family: null, pct: -3, from: '2027-04', to: '2027-06' },
        { family: 'FAM-2', pct: 10 },
      ],
    });
    // Before: "demand FAM-1 +5%", as if every month.
    expect(text).toBe(
      'plans for the consensus, demand FAM-1 +5% ..2027-02, demand all -3% 2027-04..2027-06, demand FAM-2 +10%',
    );
  });

  it('writes every lever of the schema: capacity windows, prices by family, family plans, strategy', () => {
    const text = scenarioSummary({
      name: 'file',
      label: 'From a plan file',
      demandMultiplier: 0.9,
      familyMultipliers: { 'FAM-1': 1.1, 'FAM-2': 1 },
      priceChanges: [
        { family: 'FAM-2', pct: -4 },
        { family: null, pct: 2 },
      ],
      capacityChanges: [
        { resource: 'LINE-1', pct: -20, from: '2027-05', to: '2027-06' },
        { resource: 'LINE-2', pct: 10 },
      ],
      strategy: 'level',
    });
    // Before: "plans for the consensus -10%", as if the scenario set nothing else.
    expect(text).toBe(
      'plans for the consensus -10%, FAM-1 planned at the consensus +10%, FAM-2 planned at the consensus, price FAM-2 -4%, price all +2%, capacity LINE-1 -20% 2027-05..2027-06, capacity LINE-2 +10%, a level strategy (even production)',
    );
  });
});

describe('the scenarios carried into a new cycle, in words', () => {
  it('says what was dropped, moved and left behind, with typed text escaped', () => {
    const text = carriedScenariosText({
      from: '2027-01',
      carried: 1,
      changed: [
        {
          label: 'Lines <b>',
          notes: [
            {
              kind: 'window-ended',
              lever: 'capacity',
              target: 'LINE-1',
              pct: -30,
              from: '2026-11',
              to: '2027-01',
            },
            {
              kind: 'window-ended',
              lever: 'demand',
              target: null,
              pct: 5,
              from: null,
              to: '2026-12',
            },
          ],
        },
      ],
      leftBehind: [
        {
          name: 'old-fam',
          label: 'Old & gone',
          issues: [{ path: 'familyMultipliers.F<9>', message: "unknown family 'F<9>'" }],
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      '1 scenario carried from 2027-01 (`/sop scenario list`; `/sop scenario reset` returns to the defaults).',
      '• *Lines &lt;b&gt;*: its capacity change LINE-1 -30% 2026-11..2027-01 is over, so it was dropped; its demand change all +5% ..2026-12 is over, so it was dropped.',
      "• *Old &amp; gone* (`old-fam`) was not carried: unknown family 'F&lt;9&gt;'. Set it again with `/sop scenario set old-fam`.",
    ]);
  });

  it('says the cycle starts on the defaults when nothing could be carried', () => {
    expect(
      carriedScenariosText({
        from: '2027-01',
        carried: 0,
        changed: [],
        leftBehind: [
          {
            name: 'press',
            label: 'Press',
            issues: [{ path: 'capacityChanges.0.resource', message: "unknown resource 'PRESS-9'" }],
          },
        ],
      }).split('\n'),
    ).toEqual([
      'No scenario could be carried from 2027-01: this cycle starts on the defaults (`/sop scenario list`).',
      "• *Press* (`press`) was not carried: unknown resource 'PRESS-9'. Set it again with `/sop scenario set press`.",
    ]);
  });
});
