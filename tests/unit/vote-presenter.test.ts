import { describe, expect, it } from 'vitest';
import type { PollOptionRow } from '../../db/queries/polls.js';
import type { PollRow } from '../../db/schema.js';
import { sampleScenarios } from '../../src/charts/samples.js';
import { scenarioChart } from '../../src/charts/scenarios.js';
import { tally } from '../../src/core/vote.js';
import type { PollView } from '../../src/services/polls.js';
import {
  decisionModal,
  isTradeOffsBlock,
  MAX_ACTION_ROWS,
} from '../../src/slack/presenters/decision.js';
import { plain } from '../../src/slack/presenters/format.js';
import {
  roleQuorumText,
  roleVotesText,
  tallyText,
  voteMessage,
} from '../../src/slack/presenters/vote.js';
import { validateBlocks, validateView } from '../../src/slack-standin/index.js';
import { blocksTooLong } from '../../src/slack-standin/rules.js';

const poll = (over: Partial<PollRow> = {}): PollRow => ({
  id: '7',
  cycle_id: 1,
  run_id: '3',
  poll_key: 'k',
  question: 'Which scenario do we adopt for 2027-01?',
  mode: 'open',
  quorum: null,
  status: 'open',
  channel_id: 'C_EXEC',
  message_ts: '1.0',
  closes_at: new Date('2027-01-22T10:00:00Z'),
  created_by: 'U_CHAIR',
  created_at: new Date('2027-01-20T10:00:00Z'),
  closed_by: null,
  closed_at: null,
  close_reason: null,
  ...over,
});

const options: PollOptionRow[] = Array.from({ length: 10 }, (_, i) => ({
  scenarioId: String(i + 1),
  position: i + 1,
  label: `Scenario ${i + 1} with a long label that goes on and on and on and on and on`,
  name: `s${i}`,
  status: 'optimal',
  totalCost: 1000 * (i + 1),
  kpis: { fillRate: 0.9, averageInventory: 10, averageUtilisation: 0.8, peakUtilisation: 1.1 },
  costBreakdown: {},
}));

const view = (p: PollRow): PollView => ({
  poll: p,
  options,
  tally: tally(
    options.map((o) => ({ id: o.scenarioId, label: o.label })),
    [
      { voter: 'U_A', optionId: '1', counted: true, at: new Date(1), supersededAt: null },
      { voter: 'U_B', optionId: '1', counted: true, at: new Date(2), supersededAt: null },
    ],
    p.quorum,
  ),
  decision: null,
  chartFileId: null,
  decisionScenario: null,
  replacedBy: null,
  timezone: 'UTC',
});

describe('vote presenters', () => {
  it('names voters in an open vote and only counts in an anonymous one', () => {
    expect(tallyText(view(poll()))).toContain('2 votes <@U_A> <@U_B>');
    const anon = tallyText(view(poll({ mode: 'anonymous', quorum: 3 })));
    expect(anon).toContain('2 votes');
    expect(anon).not.toContain('<@U_A>');
    expect(anon).toContain('quorum 2/3');
  });

  it('a closed vote names its mode in words that do not read as "still open"', () => {
    // Mode 'open' is the stored value for votes shown by name; once the vote is closed,
    // "· open vote" under the outcome read as if it were still taking votes.
    const closed = view(poll({ status: 'closed', close_reason: 'deadline' }));
    const last = tallyText(closed).split('\n').at(-1);
    expect(last).toBe('_2 executive votes counted · votes shown by name_');
    expect(
      voteMessage(closed)
        .blocks.map((b) => JSON.stringify(b))
        .join(''),
    ).not.toContain('open vote');
    const anon = tallyText(view(poll({ mode: 'anonymous', status: 'closed' })));
    expect(anon.split('\n').at(-1)).toBe('_2 executive votes counted · anonymous votes_');
  });

  it('ten scenarios fit one valid message; a closed vote shows the outcome instead of buttons', () => {
    const open = voteMessage(view(poll()));
    expect(validateBlocks(open.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(open.blocks).match(/"action_id":"vote_cast_\d+"/g)).toHaveLength(10);
    const closed = voteMessage(view(poll({ status: 'closed', close_reason: 'deadline' })));
    expect(validateBlocks(closed.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(closed.blocks)).not.toContain('vote_cast_');
    // The notification's words, without the section's bold.
    expect(closed.text).toContain('Vote closed (deadline passed). Most votes: Scenario 1');
  });

  it('a vote closed with its cycle says no decision will come, not that the chair owes one', () => {
    // Two votes for Scenario 1 (view), closed when U_PLAN closed the cycle, or at its deadline.
    const byPlanner = voteMessage(
      view(poll({ status: 'closed', close_reason: 'cycle', closed_by: 'U_PLAN' })),
    );
    expect(validateBlocks(byPlanner.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(byPlanner.blocks)).not.toContain('vote_cast_');
    expect(byPlanner.text).toBe(
      ':lock: Vote closed (<@U_PLAN> closed the cycle). Most votes: Scenario 1 with a long label that goes on and on and on and on and on. No decision was recorded: the cycle closed without one.',
    );
    const atDeadline = voteMessage(
      view(poll({ status: 'closed', close_reason: 'cycle', closed_by: 'deadline' })),
    );
    expect(atDeadline.text).toMatch(/^:lock: Vote closed \(the cycle closed at its deadline\)\./);
    expect(atDeadline.text).not.toContain('Decision pending');
    // Closed at the cycle's deadline by a job 15 minutes late at most: on time, as before.
    const cycleDeadline = new Date('2027-01-22T10:00:00Z');
    const closedAt = (at: string, closes: string | null = '2027-01-22T10:00:00Z') =>
      voteMessage({
        ...view(
          poll({
            status: 'closed',
            close_reason: 'cycle',
            closed_by: 'deadline',
            closes_at: closes ? new Date(closes) : null,
            closed_at: new Date(at),
          }),
        ),
        cycleDeadline,
      }).text;
    expect(closedAt('2027-01-22T10:15:00Z')).toMatch(/the cycle closed at its deadline\)/);
    // Two hours late (a worker down across the cycle's deadline): both instants, in UTC here.
    // 2027-01-22T10:00Z is 1798761600 + 21 × 86400 + 10 × 3600 = 1800612000; 12:00Z 1800619200.
    const d10 = '<!date^1800612000^{date_short_pretty} {time}|2027-01-22 10:00 UTC>';
    const d12 = '<!date^1800619200^{date_short_pretty} {time}|2027-01-22 12:00 UTC>';
    expect(closedAt('2027-01-22T12:00:00Z')).toContain(
      `Vote closed (the cycle's deadline passed ${d10}; counted late, ${d12}).`,
    );
    // A vote whose own deadline (08:00) came first, its job not run either: that one is said.
    const d08 = '<!date^1800604800^{date_short_pretty} {time}|2027-01-22 08:00 UTC>';
    expect(closedAt('2027-01-22T12:00:00Z', '2027-01-22T08:00:00Z')).toContain(
      `Vote closed (deadline passed ${d08}; counted late, when the cycle closed, ${d12}).`,
    );
  });

  it('a vote whose plan run was replaced warns, offers no vote buttons, and asks for no decision', () => {
    // Poll 7 is on run 3; run 5 replaced it.
    const open = voteMessage({ ...view(poll()), replacedBy: '5' });
    expect(validateBlocks(open.blocks, 'message')).toEqual([]);
    const json = JSON.stringify(open.blocks);
    expect(json).not.toContain('vote_cast_');
    expect(json).toContain('"action_id":"vote_close"');
    const warning =
      ':warning: Plan run 5 replaced run 3, which this vote is on; its figures are out of date, so the vote takes no more votes. `/sop vote` starts a new vote on the latest run and closes this one.';
    expect(open.blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: warning },
    });
    expect(open.text).toBe(warning);

    const closedByChair = voteMessage({
      ...view(poll({ status: 'closed', close_reason: 'chair', closed_by: 'U_CHAIR' })),
      replacedBy: '5',
    });
    expect(closedByChair.text).toBe(
      ':lock: Vote closed (closed by <@U_CHAIR>). Most votes: Scenario 1 with a long label that goes on and on and on and on and on. Its figures are out of date: plan run 5 replaced run 3. `/sop decide` decides on the latest run, or `/sop vote` starts a new vote on it.',
    );
    const replaced = voteMessage({
      ...view(poll({ status: 'closed', close_reason: 'replaced', closed_by: 'U_PLAN' })),
      replacedBy: '5',
    });
    expect(replaced.text).toBe(
      ':lock: Vote closed (<@U_PLAN> started a new vote on the latest plan run). Most votes: Scenario 1 with a long label that goes on and on and on and on and on. Its figures are out of date: plan run 5 replaced run 3.',
    );
  });

  it('a vote settled by a decision on a newer run names that run, not one of its options', () => {
    // Poll 7 is on run 3 (Scenario 1 leads); run 5 replaced it, and decision 9 adopted
    // scenario 42, Central of run 5, typed with /sop decide.
    const decided = voteMessage({
      ...view(poll({ status: 'closed', close_reason: 'quorum', closed_by: 'quorum' })),
      replacedBy: '5',
      decision: {
        id: '9',
        cycle_id: 1,
        poll_id: '7',
        scenario_id: '42',
        title: 'Adopt the Central <b> scenario',
        rationale: 'Run 5 has the new capacity.',
        decided_by: 'U_CHAIR',
        decided_at: new Date('2027-01-23T10:00:00Z'),
        request_key: 'k9',
        trade_off: null,
        supersedes_id: null,
        supersede_reason: null,
      },
      decisionScenario: { label: 'Central <b>', runId: '5' },
    });
    expect(decided.text).toBe(
      ':white_check_mark: Vote closed (quorum reached). Most votes: Scenario 1 with a long label that goes on and on and on and on and on. Its figures were out of date: plan run 5 replaced run 3. Decision: Central &lt;b&gt; of run 5 adopted, recorded by <@U_CHAIR>.',
    );
  });

  it('shows the run scenario chart above the grid when it was uploaded', () => {
    const msg = voteMessage({ ...view(poll()), chartFileId: 'F123' });
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(msg.blocks[2]).toMatchObject({ type: 'image', slack_file: { id: 'F123' } });
    expect(JSON.stringify(voteMessage(view(poll())).blocks)).not.toContain('"image"');
  });

  it("keeps a label's right-to-left override out of the buttons' plain text and the chart's alt text", () => {
    // Before: the alt text (and a plain_text made of the label) kept U+202E, and what followed
    // it read reversed.
    const labelled = options.map((o, i) => (i === 0 ? { ...o, label: `\u202E${o.label}` } : o));
    const msg = voteMessage({ ...view(poll()), options: labelled, chartFileId: 'F123' });
    const shown = JSON.stringify(msg.blocks);
    expect(shown).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(msg.blocks[2]).toMatchObject({
      type: 'image',
      alt_text: expect.stringContaining(`${options[0]!.label}: `),
    });
    expect(plain('a \u2066b\u2069 \u202Dc\u202C')).toEqual({
      type: 'plain_text',
      text: 'a b c',
      emoji: true,
    });
  });

  it("shows the close time in each reader's zone, the fallback in the company's", () => {
    const context = (v: PollView) => JSON.stringify(voteMessage(v).blocks[1]);
    // 2027-01-22T10:00:00Z = 1800612000; 19:00 in Tokyo.
    expect(context({ ...view(poll()), timezone: 'Asia/Tokyo' })).toContain(
      'closes <!date^1800612000^{date_short_pretty} {time}|2027-01-22 19:00 Asia/Tokyo>',
    );
    expect(context(view(poll()))).toContain('|2027-01-22 10:00 UTC>');
    expect(context(view(poll({ status: 'closed' })))).not.toContain('closes');
  });

  it('the decision modal stays valid from no action row up to the maximum', () => {
    const choices = options.map((o) => ({ scenarioId: o.scenarioId, label: o.label }));
    for (const rows of [0, 3, MAX_ACTION_ROWS, MAX_ACTION_ROWS + 5]) {
      const v = decisionModal({ cycleId: 1, pollId: '7', rows }, choices, '2');
      expect(validateView(v)).toEqual([]);
      expect(JSON.parse(v.private_metadata ?? '{}').rows).toBe(Math.min(rows, MAX_ACTION_ROWS));
    }
  });

  it('grows to 20 action rows, then says how to add more where "Add another action" was', () => {
    const choices = options.map((o) => ({ scenarioId: o.scenarioId, label: o.label }));
    const button = (v: ReturnType<typeof decisionModal>) =>
      JSON.stringify(v.blocks).includes('Add another action');
    const nineteen = decisionModal({ cycleId: 1, pollId: '7', rows: 19 }, choices, '2');
    expect(button(nineteen)).toBe(true);
    const full = decisionModal({ cycleId: 1, pollId: '7', rows: 20 }, choices, '2');
    expect(validateView(full)).toEqual([]);
    // By hand: scenario, rationale, header and hint 4 + 20 rows × 3 + the line under them = 65.
    expect(full.blocks).toHaveLength(65);
    expect(full.blocks.filter((b) => b.block_id === 'a20_desc')).toHaveLength(1);
    expect(button(full)).toBe(false);
    expect(full.blocks.at(-1)).toEqual({
      type: 'context',
      block_id: 'more',
      elements: [
        {
          type: 'mrkdwn',
          text: '_This form holds 20 actions. For more, record the decision, then use the message shortcut *Make an S&OP action* (the ⋯ menu) on its decision log in the executive channel, once for each action: it asks for the owner, the due date and what is to be done._',
        },
      ],
    });
    expect(JSON.parse(full.private_metadata ?? '{}')).toMatchObject({ rows: 20, most: 20 });
  });

  it('a redrawn form keeps the most rows it was first drawn with (its breaks are not drawn again)', () => {
    const choices = options.map((o) => ({ scenarioId: o.scenarioId, label: o.label }));
    const v = decisionModal({ cycleId: 1, pollId: '7', rows: 11, most: 10 }, choices, '2');
    expect(JSON.parse(v.private_metadata ?? '{}')).toMatchObject({ rows: 10, most: 10 });
    expect(v.blocks.some((b) => b.block_id === 'a11_owner')).toBe(false);
    expect(JSON.stringify(v.blocks.at(-1))).toContain('This form holds 10 actions.');
  });
});

describe('the decision form and the breaks S&OE escalated to the meeting', () => {
  const choices = [{ scenarioId: '1', label: 'Central' }];
  const breaks = [
    {
      id: '41',
      summary: 'FAM-1 sold 250 in the week of 2027-03-01, +60.3% against its planned 156',
      owner: 'U_RITA',
      due: '2027-03-10',
    },
    { id: '42', summary: 'Stop on <LINE-1> & co', owner: 'U_OTTO', due: '2027-03-10' },
  ];

  it('lists each under the select, with its owner and due date, escaped', () => {
    const v = decisionModal({ cycleId: 1, pollId: null, rows: 3 }, choices, '1', undefined, breaks);
    expect(validateView(v)).toEqual([]);
    const block = v.blocks.find(
      (b) => (b as { block_id?: string }).block_id === 'trade_offs_escalations',
    );
    expect((block as { text: { text: string } }).text.text).toBe(
      [
        "*Also to decide: 2 breaks of the frozen plan escalated from S&OE.* For each, grant an exception (the frozen plan may change for it), hold the plan (the deviation is absorbed) or defer it to the next meeting. Each stays its owner's action; its owner is told what you decide.",
        '1. FAM-1 sold 250 in the week of 2027-03-01, +60.3% against its planned 156 (owner <@U_RITA>, due 2027-03-10)',
        '2. Stop on &lt;LINE-1&gt; &amp; co (owner <@U_OTTO>, due 2027-03-10)',
      ].join('\n'),
    );
    // A form rebuilt with another action row keeps it, as it keeps the trade-offs.
    expect(isTradeOffsBlock('trade_offs_escalations')).toBe(true);
  });

  it('says nothing of them when there are none', () => {
    const v = decisionModal({ cycleId: 1, pollId: null, rows: 3 }, choices, '1');
    expect(JSON.stringify(v.blocks)).not.toContain('escalated');
  });
});

describe('trade-offs on the vote', () => {
  const stressed = (label: string, k: Record<string, number>, position = 1): PollOptionRow => ({
    scenarioId: label,
    position,
    label,
    name: label.toLowerCase(),
    status: 'optimal',
    totalCost: 1,
    kpis: { averageUtilisation: 0.8, peakUtilisation: 1, ...k },
    costBreakdown: {},
  });
  const central = stressed('Central', {
    expectedMargin: 10_000_000,
    marginP10: 8_000_000,
    marginP90: 11_000_000,
    expectedFillRate: 0.95,
    serviceAtRisk: 0.9,
    excessInventoryValueP90: 1_000_000,
    cashFlowP10: 2_000_000,
    budgetCashFlow: 3_000_000,
  });
  const ambitious = stressed(
    'Ambitious <b>',
    {
      expectedMargin: 11_500_000,
      marginP90: 23_300_000,
      expectedFillRate: 0.97,
      serviceAtRisk: 0.93,
      excessInventoryValueP90: 4_100_000,
      cashFlowP10: -3_000_000,
      budgetCashFlow: 3_000_000,
    },
    2,
  );

  it('states each scenario’s trade-off in one sentence, against central, escaped', () => {
    const v = { ...view(poll()), options: [central, ambitious] };
    const msg = voteMessage(v);
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const text = JSON.stringify(msg.blocks);
    // By hand: P90 margin 23.3M − 11.0M = +12.3M; expected 11.5M − 10.0M = +1.5M, each beside
    // the two margins, at one precision ("$11.0M", not "$11M"); stock at P10 demand 4.1M; cash
    // at P10 −3.0M − budget 3.0M = −6.0M, shown "−$6.0M" beside the
    // sentence's other amounts in tenths (one precision);
    // 93% vs 90% = +3.0 pts.
    expect(text).toContain(
      "Ambitious &lt;b&gt;: margin $23.3M in a good case (1 in 10), +$12.3M vs Central $11.0M, and $11.5M expected, +$1.5M vs Central $10.0M; in a bad case (each its own 1 in 10) it leaves $4.1M of stock beyond 3 months' cover, cash is −$6.0M against budget and it fills 93.0% of demand (+3.0 pts vs Central).",
    );
    expect(text).toContain(
      "Central: expected margin $10M; in a bad case (each its own 1 in 10) it leaves $1M of stock beyond 3 months' cover, cash is −$1M against budget and it fills 90.0% of demand.",
    );
    // The label typed by a planner is escaped in mrkdwn (the button is plain text).
    expect(text).toContain('"text":"*Ambitious &lt;b&gt;*"');
    // The P10s are "bad case" in the fields, said in words once under the header.
    expect(text).toContain('*Expected margin*\\n$11.5M (bad case n/a)');
    expect(text).toContain('*Expected margin*\\n$10M (bad case $8M)');
    expect(text).toContain('*Fill rate expected / bad case*\\n95.0% / 90.0%');
    expect(text).toContain(
      'Each plan against the same demand samples · in a bad case, 1 demand outcome in 10 does worse, each figure its own 1 in 10; in a good case 1 in 10 does better',
    );
    expect(text).not.toContain('P10');
  });

  it('names the stock field as the chart and the pack do: it counts stock past its shelf life', () => {
    // $180k left beyond cover and $70k written off past its shelf life: the expected $250k is
    // both, so "Excess stock" (what was left, read alone) undersold what it counts.
    const fresh = stressed('Fresh', {
      ...central.kpis,
      excessInventoryValue: 250_000,
      writtenOffValue: 70_000,
    });
    const msg = voteMessage({ ...view(poll()), options: [fresh] });
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('*Stock beyond cover or expired*\\n$250k expected');
    expect(text).not.toContain('Excess stock');
    // The chart's panel is headed in the same words.
    const chart = scenarioChart(sampleScenarios());
    expect(JSON.stringify(chart.spec)).toContain('"Stock beyond cover or expired (P10–P90)"');
    // And so is its alt text, Central's $310,000 expected, not "excess stock".
    expect(chart.altText).toContain('stock beyond cover or expired $310k expected');
    expect(chart.altText).not.toContain('excess stock');
  });

  it('shows what each plan costs to make, and the overtime and subcontracting it buys', () => {
    // Ambitious meets more demand with $2.1M of overtime and $650k of subcontracting; its
    // margin alone (in the grid before) did not say what it spends to get there.
    const costly = (label: string, makingCost: number, overtime: number, subcontract: number) => ({
      ...stressed(label, { ...central.kpis, makingCost }),
      costBreakdown: { production: makingCost - overtime - subcontract, overtime, subcontract },
    });
    const options = [
      costly('Central', 130_000_000, 400_000, 0),
      { ...costly('Ambitious', 133_200_000, 2_100_000, 650_000), position: 2 },
    ];
    const msg = voteMessage({ ...view(poll()), options });
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain(
      '*Making cost at planned demand*\\n$130M (overtime $400k, subcontracting $0)',
    );
    expect(text).toContain(
      // $133.2M written to three figures, as the grid writes money ("$77.4M", "$209M").
      '*Making cost at planned demand*\\n$133M (overtime $2.1M, subcontracting $650k)',
    );
    // Six scenarios (the most a cycle has) with the extra field still fit one message.
    const six = Array.from({ length: 6 }, (_, i) => ({
      ...costly(`Scenario ${i + 1}`, 130_000_000, 400_000, 0),
      scenarioId: String(i + 1),
      position: i + 1,
    }));
    const big = voteMessage({ ...view(poll()), options: six });
    expect(validateBlocks(big.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(big.blocks)).toBe(false);
  });

  it('sets cash against the budget where the budget ends, when the run says so', () => {
    // The budget ends before the horizon: P10 cash there was 2.5M against its 3.0M, −0.5M;
    // the horizon's −3.0M − 3.0M = −6.0M would set months without budget against it.
    const early = stressed('Ambitious', { ...ambitious.kpis, cashP10VsBudget: -500_000 }, 2);
    const text = JSON.stringify(voteMessage({ ...view(poll()), options: [central, early] }).blocks);
    expect(text).toContain('cash is −$500k against budget');
    expect(text).not.toContain('−$6.0M against budget');
  });
});

describe('what the admin is told of the open votes a role change touched', () => {
  const vote = (pollId: string, label: string, month: string) => ({
    voteId: `v${pollId}`,
    pollId,
    scenarioId: '1',
    label,
    month,
  });

  it('names each vote, its scenario escaped as typed, and says nothing when none was touched', () => {
    expect(
      roleVotesText({
        uncounted: [vote('3', 'Push <!channel> & *win*', '2027-03')],
        voteAgain: [],
      }),
    ).toBe(
      // The label's own stars get a zero-width space on each side: they neither close the
      // bold around it nor open another (escInMarks).
      "Their vote for *Push &lt;!channel&gt; &amp; \u200B*\u200Bwin\u200B*\u200B* in vote 3 (2027-03), still open, no longer counts: the vote's tally and quorum are redrawn without it. Made Executive again while it is open, they vote again to be counted.",
    );
    expect(
      roleVotesText({
        uncounted: [vote('3', 'Central', '2027-03'), vote('4', 'Lean', '2027-04')],
        voteAgain: [],
      }),
    ).toBe(
      "Their votes for *Central* in vote 3 (2027-03) and *Lean* in vote 4 (2027-04), still open, no longer count: those votes' tallies and quorums are redrawn without them. Made Executive again while they are open, they vote again to be counted.",
    );
    expect(roleVotesText({ uncounted: [], voteAgain: [vote('3', 'Central', '2027-03')] })).toBe(
      'Their vote for *Central* in vote 3 (2027-03) stopped counting when their role changed; the vote is still open, so they vote again with its buttons to be counted.',
    );
    expect(roleVotesText({ uncounted: [], voteAgain: [] })).toBe('');
  });

  it('names each open vote whose quorum nobody can reach any more', () => {
    expect(
      roleQuorumText({
        quorumOutOfReach: {
          polls: [
            { pollId: '3', quorum: 3, month: '2027-03' },
            { pollId: '4', quorum: 2, month: '2027-04' },
          ],
          voters: 1,
        },
      }),
    ).toBe(
      'Vote 3 (2027-03) closes when 3 executives have voted; Vote 4 (2027-04) closes when 2 executives have voted; there is 1 executive now: until enough have the role (`/sop role @person exec`), only their chairs or their deadlines close them.',
    );
    expect(roleQuorumText({ quorumOutOfReach: { polls: [], voters: 0 } })).toBe('');
  });
});
