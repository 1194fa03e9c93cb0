/**
 * What a chart shows, for "a chart that looks the same as its latest picture here is not
 * posted again": hidden fields (a tooltip's load, KPIs a row carries along), float noise below
 * the printed precision and marks moved under a pixel are no change; a printed label, a status
 * colour or a mark moved further is.
 */
import { describe, expect, it } from 'vitest';
import { cashChart } from '../../src/charts/cash.js';
import { gapChart } from '../../src/charts/gap.js';
import { scenarioChart } from '../../src/charts/scenarios.js';
import { looksSame, shownContent, shownForm } from '../../src/charts/shown.js';
import type { GapPoint, ScenarioKpis } from '../../src/charts/types.js';
import { sinceLines } from '../../src/slack/presenters/plan-run.js';

const cell = (load: number): GapPoint => ({
  resource: 'LINE-2',
  period: '2027-03',
  load,
  capacity: 1000,
  overtimeLimit: 100,
});

describe('shownContent', () => {
  it('is the same when only a tooltip field moves, and differs when the printed cell does', () => {
    // 975.2 and 977.9 of 1,000 both print "98" (97.52% and 97.79% round to 98), amber.
    const a = shownContent(gapChart([cell(975.2)]));
    expect(shownContent(gapChart([cell(977.9)]))).toBe(a);
    // 985.4 of 1,000 prints "99".
    expect(shownContent(gapChart([cell(985.4)]))).not.toBe(a);
  });

  it('is the same when undrawn KPIs and float noise differ in the scenario chart', () => {
    const row = (monthsOver90: number, margin: number): ScenarioKpis => ({
      scenario: 'central',
      label: 'Central',
      fillRate: 0.959,
      endingInventoryValue: 1,
      daysOfSupply: 2,
      grossMargin: 77_420_137,
      revenue: 3,
      peakUtilisation: 1.214,
      monthsOver90,
      // Not in the stressed chart's bars; the margin bar moves $49, far below "$73.2M".
      stress: {
        fillRate: { expected: 0.9590245, p10: 0.927, p90: 0.97 },
        margin: { expected: margin, p10: 68_336_424, p90: 77_821_843 },
        cashFlow: { expected: 85_700_000, p10: 80_000_000, p90: 90_000_000 },
        excessInventoryValue: { expected: 234_000, p10: 0, p90: 930_000 },
      },
    });
    const chart = (r: ScenarioKpis) => {
      const c = scenarioChart([r]);
      // The summary prints monthsOver90; compare what the picture draws.
      return shownContent({ ...c, summary: '' });
    };
    expect(chart(row(59, 73_249_428.99))).toBe(chart(row(57, 73_249_478.29)));
    expect(chart(row(57, 74_249_478.29))).not.toBe(chart(row(57, 73_249_478.29)));
  });
});

describe('looksSame', () => {
  // Cumulative cash rising $10M a month over 12 months, its bad case $2M a month below: the
  // field's range (from 0, where the scale starts, to $120M) is $120M, and 0.2% of it $240k.
  const cash = (noise: (i: number) => number) =>
    cashChart(
      [
        {
          scenario: 'central',
          label: 'Central',
          points: Array.from({ length: 12 }, (_, i) => ({
            period: `2027-${String(i + 1).padStart(2, '0')}`,
            cumulative: 10_000_000 * (i + 1) + noise(i),
            cumulativeP10: 8_000_000 * (i + 1) + noise(i),
          })),
        },
      ],
      null,
    );
  // The summary prints the last month's figures ($120M, $96.0M): the noise leaves that month.
  const noisy = (i: number) => (i === 11 ? 0 : i % 2 ? 149_000 : -1_234);

  it('is true when no point moves 0.2% of the range and no printed word changes', () => {
    expect(
      looksSame(
        cash(() => 0),
        cash(noisy),
      ),
    ).toBe(true);
    // The rounding of shownContent alone sees it as new: $40.149M prints as 40.1M, $40M as 40M.
    expect(shownContent(cash(noisy))).not.toBe(shownContent(cash(() => 0)));
  });

  it('is false when a point moves more than a pixel ($300k > $240k)', () => {
    expect(
      looksSame(
        cash(() => 0),
        cash((i) => (i === 3 ? 300_000 : 0)),
      ),
    ).toBe(false);
  });

  it('is false when a printed figure changes, however little the line moves', () => {
    // The last month's expected cash $120M → $120.6M: the summary prints it.
    expect(
      looksSame(
        cash(() => 0),
        cash((i) => (i === 11 ? 600_000 : 0)),
      ),
    ).toBe(false);
  });

  it('compares with a chart as stored when posted (its shownForm, read back from JSON)', () => {
    const stored = JSON.parse(JSON.stringify(shownForm(gapChart([cell(975.2)]))));
    // The tooltip's load is not kept: nothing draws it.
    expect(JSON.stringify(stored)).not.toContain('tooltip');
    expect(looksSame(stored, gapChart([cell(977.9)]))).toBe(true);
    expect(looksSame(stored, gapChart([cell(985.4)]))).toBe(false);
    // A field left undefined in a spec is not there once stored, and is no change.
    const chart = gapChart([cell(975.2)]);
    expect(looksSame(stored, { ...chart, spec: { ...chart.spec, name: undefined } })).toBe(true);
  });

  it('is false when the gap chart prints another number in a cell', () => {
    expect(looksSame(gapChart([cell(975.2)]), gapChart([cell(985.4)]))).toBe(false);
    expect(looksSame(gapChart([cell(975.2)]), gapChart([cell(977.9)]))).toBe(true);
  });
});

describe('sinceLines', () => {
  const central = (margin: number) => ({
    name: 'central',
    label: 'Central',
    status: 'optimal',
    kpis: {
      expectedMargin: margin,
      marginP10: 68_300_000,
      expectedFillRate: 0.959,
      serviceAtRisk: 0.927,
      cashFlow: 85_700_000,
      cashFlowP10: 80_000_000,
    },
  });

  it('names the capacity change, its months and who entered it, and the figure that moved', () => {
    expect(
      sinceLines(
        {
          since: '2',
          inputs: [
            { kind: 'capacity', code: 'LINE-2', months: ['2027-03', '2027-04'], by: ['Otto <b>'] },
          ],
          otherInputs: false,
          previous: [central(73_249_000)],
        },
        [central(73_351_000)],
      ),
    ).toEqual([
      '_Changed since plan run 2:_ capacity of LINE-2 in 2027-03..2027-04 (Otto &lt;b&gt;).',
      'Figures that moved: *Central* expected margin $73.2M → $73.4M.',
    ]);
  });

  it('keeps a code and a name with mrkdwn marks as typed, not italic', () => {
    // "CREW-1._x_" and "_Jo_" would turn italic in mrkdwn; each `_` not between two letters or
    // digits gets a zero-width space on each side, so it neither opens nor closes.
    expect(
      sinceLines(
        {
          since: '2',
          inputs: [{ kind: 'capacity', code: 'CREW-1._x_', months: ['2027-03'], by: ['_Jo_'] }],
          otherInputs: false,
          previous: [central(73_249_000)],
        },
        [central(73_249_000)],
      )[0],
    ).toBe(
      '_Changed since plan run 2:_ capacity of CREW-1.\u200B_\u200Bx\u200B_\u200B in 2027-03 (\u200B_\u200BJo\u200B_\u200B).',
    );
  });

  it('writes the two amounts of a figure that moved at one precision', () => {
    // 79,940,000 prints "$79.9M" and 80,020,000 "$80M" alone; side by side: "$80.0M".
    const cash = (c: number) => ({
      ...central(73_249_000),
      kpis: { ...central(73_249_000).kpis, cashFlowP10: c },
    });
    expect(
      sinceLines({ since: '1', inputs: [], otherInputs: true, previous: [cash(79_940_000)] }, [
        cash(80_020_000),
      ])[1],
    ).toBe('Figures that moved: *Central* bad-case cash generated $79.9M → $80.0M.');
  });

  it('says a scenario is new, or has no plan this run, rather than "n/a → 95.9%"', () => {
    // Lean: new in this run, at central's figures; Central: infeasible this run.
    const lean = { ...central(73_351_000), name: 'lean', label: 'Lean <b>' };
    const none = { ...central(0), status: 'infeasible', kpis: {} };
    expect(
      sinceLines({ since: '3', inputs: [], otherInputs: true, previous: [central(73_249_000)] }, [
        none,
        lean,
      ])[1],
    ).toBe(
      'Figures that moved: *Central* has no plan this run; *Lean &lt;b&gt;* is new: expected fill rate 95.9%, expected margin $73.4M.',
    );
    // The run after: Central solves again, at the figures it had before.
    expect(
      sinceLines({ since: '4', inputs: [], otherInputs: true, previous: [none, lean] }, [
        central(73_249_000),
        lean,
      ])[1],
    ).toBe(
      'Figures that moved: *Central* has a plan again: expected fill rate 95.9%, expected margin $73.2M.',
    );
  });

  it('says when no figure shown changed', () => {
    expect(
      sinceLines({ since: '2', inputs: [], otherInputs: true, previous: [central(73_249_000)] }, [
        central(73_249_400),
      ]),
    ).toEqual([
      '_Changed since plan run 2:_ inputs other than demand and capacity.',
      'No margin, fill rate or cash figure shown changed.',
    ]);
  });
});
