/** `/sop scenario`'s list: each scenario's levers in words, money with its currency. */
import { describe, expect, it } from 'vitest';
import {
  carriedScenariosText,
  formlessLevers,
  scenarioFieldErrors,
  scenarioModal,
  scenarioSummary,
} from '../../src/slack/presenters/scenario.js';

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

describe('the scenario form and the levers it has no input for', () => {
  const meta = { cycleId: 1, month: '2027-03', name: 'x', channel: 'C1', seen: '0123456789abcdef' };

  it('keeps every lever it has no input for, and a price change beside a promotion', () => {
    expect(
      formlessLevers({
        name: 'x',
        label: 'X',
        demandMultiplier: 1.1,
        familyMultipliers: { 'FAM-1': 1.2 },
        demandChanges: [{ family: null, pct: 3 }],
        capacityChanges: [{ resource: 'LINE-1', pct: -10 }],
        priceChanges: [{ family: 'FAM-1', pct: 2 }],
        promotion: { pricePct: -3, upliftPct: 6 },
        priceChangePct: -1,
        overtime: false,
        capacityInvestment: { resource: null, sizePct: 10 },
        strategy: 'chase',
      }),
    ).toEqual({
      familyMultipliers: { 'FAM-1': 1.2 },
      demandChanges: [{ family: null, pct: 3 }],
      capacityChanges: [{ resource: 'LINE-1', pct: -10 }],
      priceChanges: [{ family: 'FAM-1', pct: 2 }],
      priceChangePct: -1,
      strategy: 'chase',
    });
    // Without a promotion the price input shows the price change: the form sets it.
    expect(formlessLevers({ name: 'x', label: 'X', priceChangePct: -1 })).toEqual({});
  });

  it('shows them escaped, with the box that drops them; a scenario without any shows neither', () => {
    const view = scenarioModal(meta, {
      name: 'x',
      label: 'X',
      familyMultipliers: { 'F<1>': 1.2 },
      strategy: 'chase',
    });
    const blocks = view.blocks as { block_id?: string; text?: { text: string } }[];
    expect(blocks.find((b) => b.block_id === 'kept_levers')?.text?.text).toBe(
      '*Also in this scenario*, unchanged by this form: F&lt;1&gt; planned at the consensus +20%; a chase strategy (production follows demand).',
    );
    expect(blocks.some((b) => b.block_id === 'kept')).toBe(true);
    const plain = scenarioModal(meta, { name: 'x', label: 'X', overtime: false }).blocks as {
      block_id?: string;
    }[];
    expect(plain.some((b) => b.block_id === 'kept_levers' || b.block_id === 'kept')).toBe(false);
  });

  it('puts an issue in a kept lever on the box that drops them, and one of no input nowhere', () => {
    expect(
      scenarioFieldErrors([
        { path: 'capacityChanges.0.resource', message: "unknown resource 'LINE-9'" },
      ]),
    ).toEqual({
      kept: "Unknown resource 'LINE-9'. Or tick the box to save the scenario without the levers above.",
    });
    expect(
      scenarioFieldErrors([{ path: 'name', message: 'must be a short lower-case name' }]),
    ).toBe(null);
  });
});

describe('a scenario’s supply levers, in words and in the form', () => {
  const meta = { cycleId: 1, month: '2027-03', name: 'x', channel: 'C1', seen: '0123456789abcdef' };
  /** The option each lever's input starts on, by block id. */
  const picked = (a: Parameters<typeof scenarioModal>[1]) =>
    Object.fromEntries(
      (
        scenarioModal(meta, a).blocks as {
          block_id?: string;
          element?: { type: string; initial_option?: { value: string } };
        }[]
      )
        .filter((b) => b.block_id === 'overtime' || b.block_id === 'subcontracting')
        .map((b) => [b.block_id, [b.element?.type, b.element?.initial_option?.value]]),
    );

  it('says subcontracting allowed, as it says overtime allowed; the company’s settings say nothing', () => {
    // Before: "plans for the consensus", as if the company's settings decided.
    expect(scenarioSummary({ name: 'x', label: 'X', subcontracting: true })).toBe(
      'plans for the consensus, subcontracting allowed',
    );
    expect(scenarioSummary({ name: 'x', label: 'X', overtime: true, subcontracting: false })).toBe(
      'plans for the consensus, overtime allowed, no subcontracting',
    );
    expect(scenarioSummary({ name: 'x', label: 'X' })).toBe('plans for the consensus');
  });

  it('opens each lever on the state the scenario holds, of three', () => {
    // Before: a static select of two, on "Allowed" for a lever the scenario leaves unset.
    expect(picked({ name: 'x', label: 'X' })).toEqual({
      overtime: ['radio_buttons', 'company'],
      subcontracting: ['radio_buttons', 'company'],
    });
    expect(picked({ name: 'x', label: 'X', overtime: true, subcontracting: false })).toEqual({
      overtime: ['radio_buttons', 'on'],
      subcontracting: ['radio_buttons', 'off'],
    });
    expect(picked(null)).toEqual({
      overtime: ['radio_buttons', 'company'],
      subcontracting: ['radio_buttons', 'company'],
    });
  });
});
