import { describe, expect, it } from 'vitest';
import type { LagScore } from '../../src/core/review.js';
import { type PackData, packMarkdown, packSections } from '../../src/services/pack.js';
import { bullet, sub } from '../../src/services/pack-loop.js';
import { escKeepingMentions } from '../../src/slack/presenters/format.js';
import { packMessage } from '../../src/slack/presenters/pack.js';
import { validateBlocks } from '../../src/slack-standin/index.js';
import { blocksTooLong } from '../../src/slack-standin/rules.js';

const emptyChanged = {
  previous: null,
  periods: [],
  figures: [],
  constraints: { added: [], resolved: [], stillOpen: 0 },
  decisions: [],
  actions: [],
};

function data(actions: number, overloads: number): PackData {
  return {
    cycle: { id: 2, month: '2027-02', phase: 'Executive S&OP' },
    runId: '9',
    scenario: 'Central',
    previous: { month: '2027-01', runId: '4' },
    changes: {
      periods: ['2027-02', '2027-03'],
      consensusNow: 2200,
      consensusBefore: 2000,
      capacity: [],
      movers: [{ family: 'FAM-1', now: 1200, before: 1000, delta: 200, deltaPct: 0.2 }],
    },
    kpis: {
      accuracy: 0.7,
      bias: 0.02,
      pairs: 4,
      cycles: ['2027-01'],
      fillRate: 0.99,
      expectedFillRate: 0.96,
      fillRateP10: 0.91,
      averageUtilisation: 0.95,
      peakUtilisation: 1.2,
    },
    families: [
      { family: 'FAM-1', periods: ['2027-01'], actual: 900, forecast: 1000, deltaPct: -0.1 },
    ],
    finance: {
      periods: ['2027-02', '2027-03'],
      revenue: 1000,
      budgetPeriods: [],
      revenueInBudget: 0,
      budget: null,
      gapPct: null,
      cost: 600,
      margin: 400,
      marginPct: 0.4,
      expectedMargin: 380,
      marginP10: 250,
      cashFlow: 300,
      cashFlowP10: 120,
      budgetCashFlow: 200,
      budgetCashPeriod: null,
      cashP10VsBudget: -80,
      workingCapital: 500,
      workingCapitalP90: 560,
      workingCapitalInBudget: 500,
      workingCapitalInBudgetP90: null,
      openingReceivables: null,
      openingPayables: null,
      workingCapitalVsBudget: 40,
    },
    risks: { constraints: [], flagged: [] },
    decisions: {
      scenarios: [
        {
          name: 'central',
          label: 'Central',
          status: 'optimal',
          totalCost: 600,
          fillRate: 0.99,
          revenue: 1000,
          serviceAtRisk: 0.9,
          excessInventoryValue: 75,
          tradeOff: 'Central: expected margin $380; at P10 demand it leaves $75 of stock.',
        },
        {
          name: 'x',
          label: 'What-if',
          status: 'infeasible',
          totalCost: null,
          fillRate: null,
          revenue: 0,
          serviceAtRisk: null,
          excessInventoryValue: null,
          tradeOff: null,
        },
      ],
      poll: null,
      decided: null,
    },
    productDevelopment: [],
    overloads: Array.from({ length: overloads }, (_, i) => ({
      resource: `R-${i}`,
      period: '2027-02',
      utilisation: 1.1,
    })),
    longTerm: {
      from: null,
      budgeted: [],
      months: 0,
      delivered: 0,
      demand: 0,
      budget: null,
      gapPct: null,
      worst: [],
    },
    loop: null,
    actions: Array.from({ length: actions }, (_, i) => ({
      id: String(i + 1),
      cycle: '2027-01',
      owner: 'U_OPS',
      due: '2027-01-31',
      description: `Action number ${i + 1} with a fairly long description of what has to happen`,
      overdue: i % 2 === 0,
    })),
  };
}

describe('pack presenters', () => {
  it('marks the decision to take, judges KPIs against their targets, and says what is missing', () => {
    const s = packSections(data(1, 0));
    expect(s.map((x) => x.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const text = (n: number) => s[n - 1]!.lines.join('\n');
    expect(text(2)).toContain('Lag-1 forecast accuracy 70.0% (target ≥ 80.0%: OFF TARGET)');
    expect(text(2)).toContain('bias +2.0% (target within ±5.0%: on target)');
    expect(text(2)).toContain(
      'Capacity utilisation 95.0% on average, peak 120.0% (target ≤ 90.0% on average: OFF TARGET)',
    );
    // Fill rate is judged against the demand samples (96% expected), not the plan's own 99%.
    expect(text(2)).toContain(
      'Fill rate 96.0% expected against the demand samples, 91.0% in a bad case (below target); 99.0% if demand comes as forecast (target ≥ 95.0%: on target expected).',
    );
    expect(text(4)).toContain('vs budget n/a (no budget loaded)');
    expect(text(6)).toMatch(/^DECISION NEEDED NOW/);
    expect(text(6)).toContain('What-if: no plan (infeasible).');
    expect(packMessage(data(1, 0)).blocks[7]).toMatchObject({
      text: { text: expect.stringContaining(':rotating_light: *6.') },
    });
    // Question 6's trade-offs say "in a good case" as others say "in a bad case": the context
    // line under the header defines both.
    expect(JSON.stringify(packMessage(data(1, 0)).blocks[1])).toContain(
      'in a bad case, 1 demand outcome in 10 does worse, each figure its own 1 in 10; in a good case 1 in 10 does better',
    );
  });

  it('judges a KPI against its target as printed: 79.996% reads 80.0% and meets 80.0%', () => {
    // By hand: 0.79996 → 79.996% → '80.0%'; 0.05004 → '+5.0%'; 0.90004 → '90.0%';
    // 0.94996 → '95.0%'. Each reads equal to its target, so each is on target; 0.7994 → '79.9%',
    // 0.0506 → '+5.1%' and 0.9006 → '90.1%' read past it and are not.
    const d = data(1, 0);
    const q2 = (k: Partial<PackData['kpis']>) =>
      packSections({ ...d, kpis: { ...d.kpis, ...k } })[1]!.lines.join('\n');
    const edge = q2({
      accuracy: 0.79996,
      bias: 0.05004,
      averageUtilisation: 0.90004,
      expectedFillRate: 0.94996,
      fillRateP10: 0.94996,
    });
    expect(edge).toContain('Lag-1 forecast accuracy 80.0% (target ≥ 80.0%: on target)');
    expect(edge).toContain('bias +5.0% (target within ±5.0%: on target)');
    expect(edge).toContain('90.0% on average, peak 120.0% (target ≤ 90.0% on average: on target)');
    expect(edge).toContain(
      'Fill rate 95.0% expected against the demand samples, 95.0% in a bad case; 99.0% if demand comes as forecast (target ≥ 95.0%: on target expected).',
    );
    const past = q2({ accuracy: 0.7994, bias: 0.0506, averageUtilisation: 0.9006 });
    expect(past).toContain('Lag-1 forecast accuracy 79.9% (target ≥ 80.0%: OFF TARGET)');
    expect(past).toContain('bias +5.1% (target within ±5.0%: OFF TARGET)');
    expect(past).toContain('90.1% on average, peak 120.0% (target ≤ 90.0% on average: OFF TARGET)');
  });

  it('sets cash against the budget where the budget ends', () => {
    const base = data(1, 0);
    const fi = { ...base.finance, cashFlow: 150, cashFlowP10: 120, budgetCashFlow: 200 };
    const line = (finance: PackData['finance']) =>
      packSections({ ...base, finance })[3]!.lines.find((l) => l.startsWith('Cash'));
    // To the horizon's end (2027-03): 120 − 200 = −80 at P10.
    expect(line({ ...fi, budgetCashPeriod: '2027-03', cashP10VsBudget: -80 })).toBe(
      "Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $150 expected, $120 in a bad case vs budget $200 (−$80 in a bad case); invoices and bills open before 2027-02 are left out of both.",
    );
    // A budget that starts in 2027-03, after the plan's first month: no budget cash, and why.
    expect(
      line({
        ...fi,
        budget: 300,
        budgetPeriods: ['2027-03'],
        budgetCashFlow: null,
        budgetCashPeriod: null,
        cashP10VsBudget: null,
      }),
    ).toBe(
      "Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $150 expected, $120 in a bad case; invoices and bills open before 2027-02 are left out; the budget starts in 2027-03, after 2027-02, so the cash is not set against it.",
    );
    // A budget that ends in 2027-02: the comparison is there (P10 by then 90: −110).
    expect(line({ ...fi, budgetCashPeriod: '2027-02', cashP10VsBudget: -110 })).toBe(
      "Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $150 expected, $120 in a bad case; by 2027-02, the budget's last month, −$110 in a bad case against budget $200; invoices and bills open before 2027-02 are left out of both.",
    );
  });

  it('sets the peak working capital against the budget’s over the months the budget covers', () => {
    const base = data(1, 0);
    const line = (finance: PackData['finance']) =>
      packSections({ ...base, finance })[3]!.lines.find((l) => l.startsWith('Peak working'));
    const fi = { ...base.finance, workingCapital: 500, workingCapitalP90: 560 };
    // A budget to the horizon's end: the expected peak, 500, against the budget's 500 − 40 =
    // 460: +$40. Its bad case (the P90 over the samples) is 560: 560 − 460 = +$100. Neither
    // is within the budget's peak.
    expect(
      line({
        ...fi,
        budgetCashPeriod: '2027-03',
        workingCapitalInBudget: 500,
        workingCapitalInBudgetP90: 560,
        workingCapitalVsBudget: 40,
      }),
    ).toBe(
      'Peak working capital (its highest month-end) $500 expected, $560 in a bad case; the expected peak is +$40 vs budget $460, the bad case +$100: neither fits within the budget.',
    );
    // A budget peak of 500 + 100 = 600: −$100 expected, 560 − 600 = −$40 in the bad case.
    expect(
      line({
        ...fi,
        budgetCashPeriod: '2027-03',
        workingCapitalInBudget: 500,
        workingCapitalInBudgetP90: 560,
        workingCapitalVsBudget: -100,
      }),
    ).toBe(
      'Peak working capital (its highest month-end) $500 expected, $560 in a bad case; the expected peak is −$100 vs budget $600, the bad case −$40: both fit within the budget.',
    );
    // A run stored with the horizon's bad case but not the one over the budget's months: a
    // budget to the horizon's end covers the same months, so its bad case is the horizon's.
    expect(
      line({
        ...fi,
        budgetCashPeriod: '2027-03',
        workingCapitalInBudget: 500,
        workingCapitalVsBudget: -100,
      }),
    ).toBe(
      'Peak working capital (its highest month-end) $500 expected, $560 in a bad case; the expected peak is −$100 vs budget $600, the bad case −$40: both fit within the budget.',
    );
    // A budget that ends in 2027-02: the plan's peak up to then, 300, against the budget's
    // peak, 300 + 160 = 460: −$160 (the horizon's 500 would have read +$40).
    expect(
      line({
        ...fi,
        budgetCashPeriod: '2027-02',
        workingCapitalInBudget: 300,
        workingCapitalVsBudget: -160,
      }),
    ).toBe(
      "Peak working capital (its highest month-end) $500 expected, $560 in a bad case; by 2027-02, the budget's last month, the expected peak is $300, −$160 vs budget $460.",
    );
    // The bad case up to then, 480, against the same 460: +$20. The horizon's 560 is no
    // comparison (it may peak after the budget ends), so without the 480 nothing is said of it
    // (above).
    expect(
      line({
        ...fi,
        budgetCashPeriod: '2027-02',
        workingCapitalInBudget: 300,
        workingCapitalInBudgetP90: 480,
        workingCapitalVsBudget: -160,
      }),
    ).toBe(
      "Peak working capital (its highest month-end) $500 expected, $560 in a bad case; by 2027-02, the budget's last month, the expected peak is $300, −$160 vs budget $460, the bad case $480, +$20: the expected peak fits within the budget, the bad case does not.",
    );
    // A run stored before the peak over the budget's months and the bad case were kept: its
    // gap as it was (500 against 460), and no bad case.
    expect(
      line({
        ...fi,
        workingCapitalP90: null,
        budgetCashPeriod: '2027-02',
        workingCapitalInBudget: null,
        workingCapitalVsBudget: 40,
      }),
    ).toBe(
      'Peak working capital (its highest month-end) $500 expected; the expected peak is +$40 vs budget $460.',
    );
    // No budget: the peaks alone.
    expect(
      line({
        ...fi,
        budgetCashPeriod: null,
        workingCapitalInBudget: null,
        workingCapitalVsBudget: null,
      }),
    ).toBe('Peak working capital (its highest month-end) $500 expected, $560 in a bad case.');
  });

  it('gives the cash gap to the budget as the difference of the amounts it prints', () => {
    // The demo's 2027-02 pack (plan run 3, Central): expected 63,654,819 → "$63.7M", at P10
    // 57,960,116 → "$58.0M" (beside "$63.7M"), budget 67,117,904 → "$67.1M". 58.0 − 67.1 = −9.1; the unrounded
    // −9,157,788 printed "−$9.2M", which the line's own figures do not give.
    const base = data(1, 0);
    const finance = {
      ...base.finance,
      cashFlow: 63_654_819,
      cashFlowP10: 57_960_116,
      budgetCashFlow: 67_117_904,
      cashP10VsBudget: -9_157_788,
      budgetCashPeriod: base.finance.periods.at(-1) ?? null,
    };
    const line = packSections({ ...base, finance })[3]!.lines.find((l) => l.startsWith('Cash'));
    expect(line).toBe(
      "Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) $63.7M expected, $58.0M in a bad case vs budget $67.1M (−$9.1M in a bad case); invoices and bills open before 2027-02 are left out of both.",
    );
  });

  it('a launch carried from an earlier cycle says so instead of a before → after', () => {
    const launch = { family: 'FAM-9', period: '2027-06', reason: 'launch', author: 'U_REP' };
    const s = packSections({
      ...data(1, 0),
      productDevelopment: [
        { ...launch, before: null, after: null, carried: true },
        { ...launch, period: '2027-07', before: 0, after: 300, carried: false },
      ],
    });
    // Who entered it, by name (here the id, no name given): a launch asks nobody to act.
    expect(s[6]!.lines).toEqual([
      'FAM-9 2027-06: launch by U_REP (carried from an earlier cycle).',
      'FAM-9 2027-07: launch by U_REP (0 → 300).',
    ]);
  });

  it('stays within Slack limits with many actions and overloads, and the Markdown keeps every action', () => {
    const big = data(200, 50);
    const msg = packMessage(big);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const md = packMarkdown(big);
    expect(md.match(/^- (OVERDUE )?#\d+ /gm)).toHaveLength(200);
    expect(md.match(/loaded at 110\.0%/g)).toHaveLength(8);
  });

  it('a busy cycle fits one message: short sections whole, long lists cut at a whole line with "…and N more" pointing to the full pack', () => {
    // Four lists of more than 3,000 characters each (the old cut per section) and six short
    // sections: 14,459 characters of blocks before, over what Slack accepts (about 13k).
    const code = (i: number) => `OUTDOOR-FAMILY-${String(i).padStart(2, '0')}`;
    const busy: PackData = {
      ...data(30, 0),
      families: Array.from({ length: 35 }, (_, i) => ({
        family: code(i + 1),
        periods: ['2026-11', '2026-12'],
        actual: 1234,
        forecast: 1000,
        deltaPct: 0.234,
      })),
      risks: {
        constraints: [],
        flagged: Array.from({ length: 35 }, (_, i) => ({
          family: code(i + 1),
          period: '2027-03',
          author: `U_REP${i % 5}`,
          reason: 'promotion_campaign',
          zone: 'slushy',
        })),
      },
      productDevelopment: Array.from({ length: 50 }, (_, i) => ({
        family: `R&D-${code(i + 1)}`,
        period: '2027-04',
        reason: 'launch',
        before: 100,
        after: 400,
        author: 'U_REP2',
        carried: false,
      })),
    };
    const msg = packMessage(busy);
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(msg.blocks)).toBe(false);
    expect(JSON.stringify(msg.blocks).length).toBeLessThanOrEqual(11_000);

    const named = new Set([
      'U_OPS',
      'U_REP0',
      'U_REP1',
      'U_REP2',
      'U_REP3',
      'U_REP4',
      'U_REP2 & co',
    ]);
    const full = packSections(busy).map((s) =>
      s.lines.map((l) => bullet(l, 'slack', (t) => escKeepingMentions(t, named))),
    );
    const shown = msg.blocks
      .slice(2)
      .map((b) => (b as { text: { text: string } }).text.text.split('\n').slice(1));
    const cut = (n: number) => shown[n - 1]!.at(-1)!.startsWith('_…and ');
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter(cut)).toEqual([3, 5, 7, 10]);
    for (const n of [1, 2, 4, 6, 8, 9]) expect(shown[n - 1]).toEqual(full[n - 1]);
    for (const n of [3, 5, 7, 10]) {
      const lines = shown[n - 1]!.slice(0, -1);
      const all = full[n - 1]!;
      // Whole lines, the first ones, then how many are left out and where they are.
      expect(lines).toEqual(all.slice(0, lines.length));
      expect(lines.length).toBeGreaterThan(5);
      expect(shown[n - 1]!.at(-1)).toBe(
        `_…and ${all.length - lines.length} more: \`/sop pack md\` has the full pack._`,
      );
    }
    expect(shown[6]![0]).toBe('• R&amp;D-OUTDOOR-FAMILY-01 2027-04: launch by U_REP2 (100 → 400).');
  });
});

describe('people in the Slack pack', () => {
  // Rita adjusted FAM-1 for May and June and FAM-2 for April, May and July (not June), all in
  // the slushy zone, and owns an overdue action. Her name, as Slack gives it, is typed.
  const NAME = 'Rita <R&D> *sales*';
  const flag = (family: string, period: string, reason: string) => ({
    family,
    period,
    author: 'U_RITA',
    reason,
    zone: 'slushy',
  });
  const pack: PackData = {
    ...data(0, 0),
    risks: {
      constraints: [],
      flagged: [
        flag('FAM-1', '2027-05', 'promotion'),
        flag('FAM-1', '2027-06', 'promotion'),
        flag('FAM-2', '2027-04', 'lost_customer'),
        flag('FAM-2', '2027-05', 'lost_customer'),
        flag('FAM-2', '2027-07', 'lost_customer'),
      ],
    },
    actions: [
      {
        id: '3',
        cycle: '2027-01',
        owner: 'U_RITA',
        due: '2027-01-31',
        description: 'Confirm the promotion volumes',
        overdue: true,
      },
    ],
  };
  const section = (n: number) => {
    const msg = packMessage(pack, (id) => (id === 'U_RITA' ? NAME : id));
    const block = msg.blocks.find(
      (b) => b.type === 'section' && b.text?.text.startsWith(`*${n}. `),
    ) as { text: { text: string } } | undefined;
    return block?.text.text.split('\n').slice(1) ?? [];
  };

  it('names who adjusted in plain text, escaped, and mentions only the owner asked to act', () => {
    // One line per run of months, not one per month; July apart from May (June is not flagged).
    // The name escaped as typed text is: <, > and & as entities, each * beside a zero-width
    // space so it makes nothing bold.
    const b = '\u200B';
    const name = `Rita &lt;R&amp;D&gt; ${b}*${b}sales${b}*${b}`;
    expect(section(5).filter((l) => l.includes('Flagged'))).toEqual([
      `• Flagged slushy adjustment: FAM-1 2027-05–2027-06 by ${name} (promotion).`,
      `• Flagged slushy adjustment: FAM-2 2027-04–2027-05 by ${name} (lost customer).`,
      `• Flagged slushy adjustment: FAM-2 2027-07 by ${name} (lost customer).`,
    ]);
    expect(section(10)).toContain(
      '• OVERDUE #3 <@U_RITA> due 2027-01-31 (from 2027-01): Confirm the promotion volumes.',
    );
    // The overdue action is the one mention of her in the whole pack.
    const all = JSON.stringify(packMessage(pack, (id) => (id === 'U_RITA' ? NAME : id)).blocks);
    expect(all.split('<@U_RITA>').length - 1).toBe(1);
  });

  it('keeps a name that looks like a mention as text', () => {
    const msg = packMessage(pack, (id) => (id === 'U_RITA' ? '<@U_CEO>' : id));
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('by &lt;\u200B@U_CEO&gt; (promotion).');
    expect(text).not.toContain('<@U_CEO>');
  });

  it('writes the names in the Markdown pack, the flagged months as one line per run', () => {
    const md = packMarkdown(pack, (id) => (id === 'U_RITA' ? 'Rita' : id));
    expect(md).toContain('- Flagged slushy adjustment: FAM-1 2027-05–2027-06 by Rita (promotion).');
    expect(md).toContain(
      '- OVERDUE #3 Rita due 2027-01-31 (from 2027-01): Confirm the promotion volumes.',
    );
    expect(md).not.toContain('<@');
  });
});

describe('numbers that round to zero', () => {
  it('read "0.0%" and "0", never "-0.0%", "-0" or "−0"', () => {
    const base = data(0, 0);
    const pack: PackData = {
      ...base,
      changes: {
        ...base.changes,
        // 917,518 − 917,600 = −82 units; −82 / 917,600 = −0.0089% → "0.0%".
        consensusNow: 917_518,
        consensusBefore: 917_600,
        // A mover of −0.3 units (−0.00003%): "0 (0.0%)".
        movers: [{ family: 'FAM-1', now: 999.7, before: 1000, delta: -0.3, deltaPct: -0.0003 }],
      },
      // Actual 999.6 vs 1000: −0.04% → "0.0%".
      families: [
        { family: 'FAM-1', periods: ['2027-01'], actual: 999.6, forecast: 1000, deltaPct: -0.0004 },
      ],
      // Cash at P10 199.7 vs budget 200: −0.3 → "$0"; working capital −0.2 vs budget → "$0".
      finance: {
        ...base.finance,
        cashFlowP10: 199.7,
        cashP10VsBudget: -0.3,
        workingCapitalVsBudget: -0.2,
      },
      loop: {
        trend: [],
        changed: { ...emptyChanged, carried: [] },
        tracking: { outside: [], judged: 0, months: 0 },
        // Assumed 1,000, actual 999.7: −0.03% → "0.0%".
        follow: {
          scenario: 'Central',
          month: '2027-01',
          periods: ['2027-01'],
          assumptions: [{ what: 'FAM-1 demand', assumed: 1000, actual: 999.7, deltaPct: -0.0003 }],
          actionsSet: 0,
          actionsDue: 0,
          actionsDone: 0,
          actionsDoneEarly: 0,
          actionsDoneLate: 0,
          completionRate: null,
        },
        escalations: [],
      },
    };
    const text = packSections(pack)
      .flatMap((x) => x.lines)
      .join('\n');
    expect(text).toContain(
      'Consensus demand over 2 common months: 917,518 vs 917,600 in 2027-01 (0.0%).',
    );
    expect(text).toContain('Biggest movers: FAM-1 0 (0.0%).');
    expect(text).toContain('FAM-1: actual 1,000 vs 1,000 planned last cycle (0.0%, 2027-01).');
    expect(text).toContain('vs budget $200 ($0 in a bad case)');
    // 500 against 500 + 0.2: the budget prints $500, the gap $0 (within it); 560: +$60.
    expect(text).toContain(
      'Peak working capital (its highest month-end) $500 expected, $560 in a bad case; the expected peak is $0 vs budget $500, the bad case +$60: the expected peak fits within the budget, the bad case does not.',
    );
    expect(text).toContain(sub('FAM-1 demand 1,000 assumed; actual 1,000 (0.0%).'));
    expect(text).not.toMatch(/-0\.0%|[-−]0\b/);
  });
});

describe('money and minus signs in the pack', () => {
  it('writes money with its currency and every minus as the charts and the vote do', () => {
    const base = data(0, 0);
    const pack: PackData = {
      ...base,
      changes: {
        ...base.changes,
        movers: [{ family: 'FAM-4', now: 103_684, before: 105_800, delta: -2116, deltaPct: -0.02 }],
      },
      finance: {
        ...base.finance,
        margin: 77_420_073,
        cashFlow: -5_000_000,
        cashFlowP10: -6_240_000,
        budgetCashFlow: 200,
        budgetCashPeriod: null,
        cashP10VsBudget: -6_240_200,
      },
      decisions: {
        ...base.decisions,
        scenarios: [{ ...base.decisions.scenarios[0]!, excessInventoryValue: 234_442 }],
      },
    };
    const s = packSections(pack);
    const lines = s.flatMap((x) => x.lines);
    // 77,420,073 → 77.4 million; −5,000,000 → 5 million, "−$5.0M" beside −6,240,000's 6.2 million.
    expect(s[3]!.lines).toContain(
      "Margin at planned demand $77.4M over 2027-02–2027-03 (40.0% of revenue): revenue less the plan's cash costs, plus the change in stock at cost; the model's penalties are not in it.",
    );
    expect(s[3]!.lines).toContain(
      "Cash generated over the horizon (sales collected less costs paid, from $0, without the opening bank balance, overheads, tax or capex other than a scenario's own investment) −$5.0M expected, −$6.2M in a bad case vs budget $200 (−$6.2M in a bad case); invoices and bills open before 2027-02 are left out of both.",
    );
    // 234,442 of stock: 234.4 thousand, no decimal at 100 or more.
    expect(s[4]!.lines).toContain(
      'Demand risk, Central: fill rate 90.0% in a bad case (1 in 10); $234k of stock expected beyond cover or past its shelf life.',
    );
    // Units stay plain numbers, with the same minus.
    expect(s[0]!.lines).toContain('Biggest movers: FAM-4 −2,116 (−2.0%).');
    const text = lines.join('\n');
    expect(text).not.toContain('-5,000,000');
    // No ASCII minus before a figure anywhere (dates such as 2027-02 are not figures).
    expect(text).not.toMatch(/(^|[\s(])-[$\d]/m);
  });
});

describe('a pack built before the cycle has a plan run', () => {
  it('says so, rather than what an empty plan would imply', () => {
    const d = data(0, 0);
    const empty: PackData = {
      ...d,
      runId: null,
      changes: { ...d.changes, periods: [], consensusNow: 0, consensusBefore: 0, capacity: [] },
      overloads: [],
      criticalConstraints: [],
      longTerm: {
        from: null,
        budgeted: [],
        months: 0,
        delivered: 0,
        demand: 0,
        budget: null,
        gapPct: null,
        worst: [],
      },
    };
    const lines = (n: number) => packSections(empty).find((s) => s.n === n)?.lines ?? [];
    for (const n of [1, 8, 9])
      expect(lines(n)[0]).toBe('No plan run for this cycle yet: run `/sop plan`.');
    const text = packMarkdown(empty);
    expect(text).not.toContain('0 common months');
    expect(text).not.toContain('No resource loaded above 100%');
    expect(text).not.toContain('does not reach beyond the slushy zone');
  });
});

describe('the constraints of Q5', () => {
  it('marks this cycle’s as new and an earlier cycle’s as known, naming that cycle', () => {
    const base = data(0, 0);
    const constraint = (period: string, enteredIn: string | null, isNew: boolean) => ({
      resource: 'LINE-2',
      period,
      reason: 'maintenance',
      comment: 'Spindle overhaul',
      isNew,
      enteredIn,
    });
    const s = packSections({
      ...base,
      risks: {
        ...base.risks,
        constraints: [
          constraint('2027-03', '2027-01', false),
          constraint('2027-04', '2027-02', true),
          constraint('2027-05', null, false),
        ],
      },
    });
    expect(s[4]!.lines.slice(0, 3)).toEqual([
      "Known constraint: LINE-2 2027-03 (maintenance: Spindle overhaul), entered in 2027-01's cycle.",
      'NEW constraint: LINE-2 2027-04 (maintenance: Spindle overhaul).',
      'Known constraint: LINE-2 2027-05 (maintenance: Spindle overhaul).',
    ]);
  });
});

describe('the families left short (Q8)', () => {
  const short = {
    family: 'FAM-5&<x>',
    demand: 641_903,
    lost: 470_234,
    endBacklog: 0,
    unmet: 470_234,
    share: 470_234 / 641_903,
    months: ['2027-02', '2027-03'],
    cause: { kind: 'capacity', resources: [{ resource: 'LINE-1', months: 2 }] },
  } as const;

  it('lead the answer, with units, share and cause', () => {
    const s = packSections({ ...data(0, 0), shortfalls: [short] });
    expect(s[7]!.lines.slice(0, 2)).toEqual([
      'Demand the Central plan does not meet (lost, or still on backlog at the end), for each family short by more than 1.0% of its demand over the horizon:',
      sub(
        'FAM-5&<x>: 470,234 of 641,903 units of demand not met (73.3%) in 2 months, 2027-02–2027-03; capacity binds: LINE-1 in all 2.',
      ),
    ]);
  });

  it('are escaped in Slack', () => {
    const json = JSON.stringify(packMessage({ ...data(0, 0), shortfalls: [short] }).blocks);
    expect(json).toContain(
      '\u2003◦ FAM-5&amp;&lt;x&gt;: 470,234 of 641,903 units of demand not met',
    );
    expect(json).not.toContain('<x>');
  });

  it('are left out when every family is served', () => {
    const s = packSections({ ...data(0, 0), shortfalls: [] });
    expect(s[7]!.lines.join('\n')).not.toContain('does not meet');
  });
});

describe('the constraints ranked by shadow price (Q8)', () => {
  // The central plan runs 2027-02 .. 2027-04. LINE-1 2027-04 is its last month: with every
  // order to be served by then, a shortfall there is a lost sale, where in March it would
  // wait a month (tests/unit/supply-hand-duals.test.ts: $30 an hour against $6).
  const ranked = {
    ...data(0, 0),
    overloads: [
      { resource: 'LINE-1', period: '2027-04', utilisation: 1.214 },
      { resource: 'LINE-2', period: '2027-03', utilisation: 1.05 },
    ],
    criticalConstraints: [
      {
        resource: 'LINE-1',
        period: '2027-04',
        unit: 'h',
        shadowPrice: 101.2,
        shadowPriceKind: 'exact' as const,
        utilisation: 1.214,
        lastMonth: true,
      },
      {
        resource: 'LINE-1',
        period: '2027-03',
        unit: 'h',
        shadowPrice: 40,
        shadowPriceKind: 'exact' as const,
        utilisation: 1,
        lastMonth: false,
      },
    ],
  };

  it('say which capacity the load is measured against, and flag the plan’s last month', () => {
    expect(packSections(ranked)[7]!.lines).toEqual([
      'Ranked by what one more unit of capacity is worth (shadow price):',
      sub(
        "LINE-1 2027-04: one more h is worth $101.20 (loaded at 121.4% of regular capacity; the plan's last month: no later month can take its orders, so the price may overstate what more capacity is worth).",
      ),
      sub('LINE-1 2027-03: one more h is worth $40.00 (loaded at 100.0% of regular capacity).'),
      'LINE-2 2027-03 loaded at 105.0% of regular capacity.',
    ]);
  });

  it('say "at most" of a price left at its dual, and of one an older run stored', () => {
    const [last, march] = ranked.criticalConstraints;
    const lines = packSections({
      ...ranked,
      criticalConstraints: [
        { ...last!, shadowPriceKind: 'rate' },
        { ...march!, shadowPriceKind: null },
      ],
    })[7]!.lines;
    expect(lines.slice(1, 3)).toEqual([
      sub(
        "LINE-1 2027-04: one more h is worth at most $101.20 (the marginal rate: not re-solved for a whole unit; loaded at 121.4% of regular capacity; the plan's last month: no later month can take its orders, so the price may overstate what more capacity is worth).",
      ),
      sub(
        'LINE-1 2027-03: one more h is worth at most $40.00 (stored before exact prices were marked; loaded at 100.0% of regular capacity).',
      ),
    ]);
  });
});

describe('a scenario without a plan (Q6)', () => {
  const why =
    'FAM-7 cannot end 2028-06 with the required 1,200 units in stock (300 short). <!here> FAM-8 cannot keep its minimum stock of 50 units at the end of 2027-04 (50 short). '.repeat(
      3,
    );
  const withMessage = (message: string | null): PackData => {
    const d = data(1, 0);
    return {
      ...d,
      decisions: {
        ...d.decisions,
        scenarios: d.decisions.scenarios.map((x) =>
          x.status === 'optimal' ? x : { ...x, label: 'Cautious', message },
        ),
      },
    };
  };

  it('says why in the file, whole', () => {
    expect(packMarkdown(withMessage(why))).toContain(
      `- Cautious: no plan (infeasible). ${why.trim()}\n`,
    );
  });

  it('says why in Slack, escaped, cut at a whole sentence', () => {
    const json = JSON.stringify(packMessage(withMessage(why)).blocks);
    // The sentences are 76 and 89 characters, by turns: 300 characters hold three
    // (76 + 1 + 89 + 1 + 76 = 243), not a fourth (+ 1 + 89 = 333).
    expect(json).toContain(
      '• Cautious: no plan (infeasible). FAM-7 cannot end 2028-06 with the required 1,200 units in stock (300 short). &lt;!here&gt; FAM-8 cannot keep its minimum stock of 50 units at the end of 2027-04 (50 short). FAM-7 cannot end 2028-06 with the required 1,200 units in stock (300 short).',
    );
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain(
      '(50 short). FAM-7 cannot end 2028-06 with the required 1,200 units in stock (300 short). &lt;!here&gt; FAM-8',
    );
  });

  it('names the status alone when the solver said nothing', () => {
    expect(packSections(withMessage(null))[5]!.lines).toContain('Cautious: no plan (infeasible).');
  });
});

describe('the long-term plan against the budget (Q9)', () => {
  const q9 = (longTerm: PackData['longTerm']) =>
    packSections({ ...data(0, 0), longTerm }).find((x) => x.n === 9)?.lines ?? [];
  const base = { from: '2027-04', budgeted: ['2027-04'], months: 1, worst: [] };

  it('sets the units delivered against the budget, and gives the demand when it is more', () => {
    // 300 demanded, 100 delivered, budget 120: (100 − 120) / 120 = −16.7%.
    expect(q9({ ...base, delivered: 100, demand: 300, budget: 120, gapPct: -20 / 120 })[0]).toBe(
      'From 2027-04 (beyond the slushy zone): the plan delivers 100 units vs budgeted sales of 120 (−16.7%); demand there is 300 units, 200 of which the plan does not deliver.',
    );
  });

  it('says when no budget covers those months', () => {
    expect(
      q9({ ...base, budgeted: [], delivered: 0, demand: 0, budget: null, gapPct: null })[0],
    ).toBe(
      'From 2027-04 (beyond the slushy zone): no budget loaded for these months to set the plan against.',
    );
  });
});

describe("the pack's notification", () => {
  it('names the plan run and the ask: the decision needed now, or the scenario adopted', () => {
    // data(): cycle 2027-02, plan run 9, nothing decided.
    expect(packMessage(data(1, 0)).text).toBe(
      'S&OP 2027-02: executive pack on plan run 9, the pre-read for the executive meeting. Decision needed now: adopt one scenario (question 6).',
    );
    const base = data(1, 0);
    const decided: PackData = {
      ...base,
      decisions: {
        ...base.decisions,
        decided: {
          scenario: 'Central <!here>',
          by: 'U_CEO',
          vote: null,
          rationale: '',
          actions: [],
        },
      },
    };
    expect(packMessage(decided).text).toBe(
      'S&OP 2027-02: executive pack on plan run 9, the pre-read for the executive meeting. Decided: the Central &lt;!here&gt; scenario.',
    );
  });
});

describe('the pack of a cycle whose meeting has decided (Q6, Q10)', () => {
  const decidedPack = (actions: NonNullable<PackData['decisions']['decided']>['actions']) => {
    const base = data(0, 0);
    return {
      ...base,
      decisions: {
        ...base.decisions,
        decided: {
          scenario: 'Central',
          by: 'U_CHAIR',
          vote: { forIt: 2, total: 3, topOther: 1, closedByDecision: false },
          rationale: 'Central protects service; cautious cuts margin more than it saves.',
          actions,
        },
      },
    } satisfies PackData;
  };

  it('gives the decision its rationale, and lists the follow-up actions it set with owner and due date', () => {
    const p = decidedPack([
      {
        id: '1',
        owner: 'U_OPS',
        due: '2027-02-12',
        description: 'Book weekend overtime on LINE-2',
        status: 'done',
      },
      {
        id: '2',
        owner: 'U_REP',
        due: '2027-03-26',
        description: 'Confirm the spring volumes',
        status: 'open',
      },
    ]);
    const s = packSections(p);
    // Who recorded it and whose action is done, by name; the open action's owner is asked.
    expect(s[5]!.lines[0]).toBe(
      "Decided: Central scenario, adopted by the executives' vote (2–1); recorded by U_CHAIR. Rationale: “Central protects service; cautious cuts margin more than it saves.”",
    );
    expect(s[9]!.lines).toEqual([
      "Set by this cycle's decision (Central):",
      sub('#1 U_OPS due 2027-02-12 (done): Book weekend overtime on LINE-2.'),
      sub('#2 <@U_REP> due 2027-03-26: Confirm the spring volumes.'),
      'No open action from earlier cycles, S&OE or Slack messages.',
    ]);
    // In Slack the open action's owner stays a mention, the typed text escaped.
    const shown = JSON.stringify(packMessage(p).blocks);
    expect(shown).toContain('#2 <@U_REP> due 2027-03-26: Confirm the spring volumes.');
  });

  it('still fits one message with ten long actions set and many earlier ones open', () => {
    const long = 'A follow-up action whose description runs on for a while. '.repeat(8);
    const p = {
      ...decidedPack(
        Array.from({ length: 10 }, (_, i) => ({
          id: String(100 + i),
          owner: 'U_OPS',
          due: '2027-03-01',
          description: long,
          status: 'open' as const,
        })),
      ),
      actions: data(60, 40).actions,
    };
    const msg = packMessage(p);
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(msg.blocks)).toBe(false);
    // The file keeps every one.
    for (let i = 0; i < 10; i++) expect(packMarkdown(p)).toContain(`#${100 + i} U_OPS due`);
  });

  it("question 1 counts every open action question 10 marks as its owner's who left, the decision's too", () => {
    // U_GONE left: they own #2, this meeting's decision's open action, and #7, an earlier
    // cycle's; #1 (done) is not marked, #8 (U_OPS, still here) neither. Q10 marks #2 and #7,
    // so Q1 counts 2 (before: 1, the earlier cycle's alone).
    const base = decidedPack([
      { id: '1', owner: 'U_GONE', due: '2027-02-12', description: 'Book overtime', status: 'done' },
      {
        id: '2',
        owner: 'U_GONE',
        due: '2027-03-26',
        description: 'Ask the supplier',
        status: 'open',
      },
    ]);
    const p: PackData = {
      ...base,
      loop: {
        trend: [],
        changed: { ...emptyChanged, carried: [] },
        tracking: { outside: [], judged: 0, months: 0 },
        follow: null,
        escalations: [],
      },
      actions: [
        {
          id: '7',
          cycle: '2027-01',
          owner: 'U_GONE',
          due: '2027-02-26',
          description: 'Count pallets',
          overdue: false,
        },
        {
          id: '8',
          cycle: '2027-01',
          owner: 'U_OPS',
          due: '2027-02-26',
          description: 'Count crates',
          overdue: false,
        },
      ],
      ownersWhoLeft: ['U_GONE'],
    };
    const s = packSections(p);
    const marked = s[9]!.lines.filter((l) => l.includes('has left the workspace'));
    expect(marked.map((l) => /#(\d+)/.exec(l)?.[1])).toEqual(['2', '7']);
    expect(s[0]!.lines).toContain(
      '2 open actions have owners who left the workspace: nobody will do them until they are reassigned (question 10).',
    );
  });

  it('lists the actions whose owner left first, then what is left of each list, and no empty heading', () => {
    // U_GONE left. The decision set #1 (done) and #2 (open), an earlier cycle left #7 open:
    // #2 and #7 come first, each saying where it is from; the decision's heading keeps #1,
    // unmarked (done); nothing says there is no other open action, #7 being one.
    const gone = (id: string) =>
      ` Owner <@U_GONE> has left the workspace: reassign with \`/sop actions reassign #${id} @person\`.`;
    const earlier = {
      id: '7',
      cycle: '2027-01',
      owner: 'U_GONE',
      due: '2027-02-26',
      description: 'Count pallets',
      overdue: false,
    };
    type SetAction = NonNullable<PackData['decisions']['decided']>['actions'][number];
    const ask: SetAction = {
      id: '2',
      owner: 'U_GONE',
      due: '2027-03-26',
      description: 'Ask the supplier',
      status: 'open',
    };
    const done: SetAction = {
      ...ask,
      id: '1',
      due: '2027-02-12',
      description: 'Book overtime',
      status: 'done',
    };
    const both = (decided: SetAction[]): PackData => ({
      ...decidedPack(decided),
      actions: [earlier],
      ownersWhoLeft: ['U_GONE'],
    });
    const marked = [
      `#2 <@U_GONE> due 2027-03-26 (set by this cycle's decision, Central scenario): Ask the supplier.${gone('2')}`,
      `#7 <@U_GONE> due 2027-02-26 (from 2027-01): Count pallets.${gone('7')}`,
    ];
    expect(packSections(both([done, ask]))[9]!.lines).toEqual([
      ...marked,
      "Set by this cycle's decision (Central):",
      sub('#1 U_GONE due 2027-02-12 (done): Book overtime.'),
    ]);
    // Every action listed first: no heading without actions under it.
    expect(packSections(both([ask]))[9]!.lines).toEqual(marked);
  });

  it('says so when the decision set no follow-up action', () => {
    const s = packSections(decidedPack([]));
    expect(s[9]!.lines).toEqual([
      "This cycle's decision set no follow-up actions.",
      'No open action from earlier cycles, S&OE or Slack messages.',
    ]);
  });
});

describe('forecast accuracy in question 2', () => {
  // A review of 2027-01 with sales: 100 units; its lag scores as given.
  const none: LagScore = {
    pairs: 0,
    consensusAccuracy: null,
    consensusBias: null,
    baselineAccuracy: null,
    baselineBias: null,
  };
  const packWith = (byLag: Record<string, LagScore> | null, accuracy: number | null) => {
    const base = data(0, 0);
    const review = {
      periods: ['2027-01'],
      total: {
        byLag,
        salesUnits: 100,
        plannedDemand: null,
        actualProduction: 0,
        plannedProduction: 0,
        orderLines: 0,
        adherence: null,
        fillRate: null,
        otif: null,
        turns: null,
        coverMonths: null,
        targetCoverMonths: null,
        backlog: null,
        plannedBacklog: null,
        obsoleteValue: 0,
        stockValue: null,
        plannedStockValue: null,
      },
      fva: { matched: 0, steps: [], byPerson: {}, byReason: {} },
      byFamily: {},
    };
    return {
      ...base,
      kpis: { ...base.kpis, accuracy, bias: accuracy === null ? null : 0.1 },
      loop:
        byLag === null
          ? null
          : ({
              ...base.loop,
              trend: [{ month: '2027-02', reference: null, review }],
              changed: { ...emptyChanged, carried: [] },
              tracking: { outside: [], judged: 0, months: 0 },
              follow: null,
              escalations: [],
            } as unknown as PackData['loop']),
    } as PackData;
  };
  const q2 = (p: PackData) => packSections(p)[1]!.lines.filter((l) => /accuracy/i.test(l));

  it('says once that no forecast can be scored, where it said so twice in two wordings', () => {
    expect(q2(packWith({ '1': none, '3': none }, null))).toEqual([
      sub(
        'Forecast accuracy: no lag-1 or lag-3 forecast of these months can be scored against actuals yet.',
      ),
    ]);
  });

  it('with no review of earlier months, the KPI line says it', () => {
    expect(q2(packWith(null, null))).toEqual([
      'Forecast accuracy: no lag-1 forecast of an earlier cycle has its actual yet.',
    ]);
  });

  it('a lag-3 score without a lag-1 one is given alone, and no line says there is nothing to score', () => {
    // Lag 3: 80% accuracy, bias +5%, over 2 family-months; baseline 70%, −5%.
    const lag3 = {
      pairs: 2,
      consensusAccuracy: 0.8,
      consensusBias: 0.05,
      baselineAccuracy: 0.7,
      baselineBias: -0.05,
    };
    expect(q2(packWith({ '1': none, '3': lag3 }, null))).toEqual([
      sub(
        'Forecast accuracy by lag (1 − WMAPE; bias + = over-forecast): lag 3: consensus 80.0% (bias +5.0%) vs baseline 70.0% (bias −5.0%), 2 family-months.',
      ),
    ]);
  });
});
