/**
 * What people meet outside the message pane: a message's top-level `text`, which Slack shows in
 * phone and desktop notifications and the channel list's preview and reads to screen readers
 * when the message has blocks, and an image's alt text. Each expected value is written by hand.
 */
import { describe, expect, it } from 'vitest';
import type { PollOptionRow } from '../../db/queries/polls.js';
import type { PollRow } from '../../db/schema.js';
import { MARK_BREAK } from '../../src/core/text.js';
import { tally } from '../../src/core/vote.js';
import type { PollView } from '../../src/services/polls.js';
import {
  actionDm,
  closedLine,
  REOPENED_LINE,
  reassignedLine,
  reminderDigestDm,
  withLineAboveButtons,
  withoutButtons,
} from '../../src/slack/presenters/actions.js';
import { demandSummaryText, supplySummaryText } from '../../src/slack/presenters/change.js';
import {
  deviationMessage,
  deviationRevisionMessage,
} from '../../src/slack/presenters/execution.js';
import { escInMarks, notificationText } from '../../src/slack/presenters/format.js';
import { chairDecisionPrompt, voteMessage } from '../../src/slack/presenters/vote.js';

describe('notificationText', () => {
  it("drops the message's own bold, italics and strike, keeps typed marks, mentions and escapes", () => {
    expect(notificationText('Most votes: *Central*. _Money over 3 months._ ~old~')).toBe(
      'Most votes: Central. Money over 3 months. old',
    );
    expect(notificationText('*Decision: _Central_ adopted*')).toBe('Decision: Central adopted');
    // A typed label with marks: escInMarks fenced each with zero-width spaces, so they stay.
    const typed = escInMarks('best *case*');
    expect(notificationText(`Most votes: *${typed}*.`)).toBe(
      `Most votes: best ${MARK_BREAK}*${MARK_BREAK}case${MARK_BREAK}*${MARK_BREAK}.`,
    );
    // Marks between letters open nothing, nor does a lone star.
    expect(notificationText('low_stock_case on FAM_12, 2*3 and a * b')).toBe(
      'low_stock_case on FAM_12, 2*3 and a * b',
    );
    expect(notificationText('Chair <@U_CHAIR> · &lt;!channel&gt;')).toBe(
      'Chair <@U_CHAIR> · &lt;!channel&gt;',
    );
  });
});

const action = {
  id: '12',
  owner: 'U_OTTO',
  due_date: '2027-02-10',
  description: 'Book overtime <!channel>',
  status: 'open' as const,
  decision_id: '3',
};

describe("a follow-up action's DMs once it is closed or given away", () => {
  it('the notification says what became of the action, not when it was due', () => {
    const reminder = actionDm(action, 'due', 0);
    expect(reminder.text).toBe(
      ':alarm_clock: Due today: #12 Book overtime &lt;!channel&gt; (due 2027-02-10)',
    );
    const done = {
      ...action,
      status: 'done' as const,
      done_at: new Date('2027-02-13T09:00:00Z'),
      done_by: 'U_ADA',
    };
    // Done on 2027-02-13 against 2027-02-10: 3 days late.
    const closed = withoutButtons(reminder, done, closedLine(done, 'UTC'));
    expect(closed.text).toBe(
      ':white_check_mark: Action #12 Book overtime &lt;!channel&gt;: done 3 days late (marked by <@U_ADA>). Reminders stopped.',
    );
    const cancelled = { ...action, status: 'cancelled' as const };
    expect(withoutButtons(reminder, cancelled, closedLine(cancelled, 'UTC')).text).toBe(
      ':no_entry_sign: Action #12 Book overtime &lt;!channel&gt;: cancelled as no longer needed. Reminders stopped.',
    );
    const g = { to: 'U_NINA', by: 'U_ADA', at: new Date('2027-02-05T10:00:00Z') };
    expect(withoutButtons(reminder, action, reassignedLine(g, 'UTC')).text).toBe(
      ':arrow_right: Action #12 Book overtime &lt;!channel&gt;: reassigned to <@U_NINA> by <@U_ADA> on 2027-02-05.',
    );
  });

  it('an action open again names its due date in the notification, with why', () => {
    const sent = actionDm(action, 'before', 2);
    expect(withLineAboveButtons(sent, action, REOPENED_LINE).text).toBe(
      ':arrows_counterclockwise: Open again: a corrected import raised its deviation again. Action #12 Book overtime &lt;!channel&gt; is due 2027-02-10.',
    );
  });

  it("a digest's notification says how each item stands: a done one as done, not as due", () => {
    const now = new Date('2027-02-10T09:00:00Z');
    const waiting = reminderDigestDm(
      [
        { ...action, daysLeft: 0 },
        {
          ...action,
          id: '13',
          description: 'Call the supplier',
          due_date: '2027-02-12',
          daysLeft: 2,
        },
      ],
      'UTC',
      now,
    );
    expect(waiting.text).toBe(
      ':bell: 2 follow-up actions need your attention today: #12 Book overtime &lt;!channel&gt; (due today); #13 Call the supplier (due in 2 days)',
    );
    // #12 marked done on its due date, the digest drawn again.
    const redrawn = reminderDigestDm(
      [
        { ...action, status: 'done', done_at: now, done_by: 'U_OTTO', daysLeft: 0 },
        {
          ...action,
          id: '13',
          description: 'Call the supplier',
          due_date: '2027-02-12',
          daysLeft: 2,
        },
      ],
      'UTC',
      now,
    );
    expect(redrawn.text).toBe(
      ':bell: 2 follow-up actions need your attention today: #12 Book overtime &lt;!channel&gt; (done on its due date); #13 Call the supplier (due in 2 days)',
    );
  });
});

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

const option = (id: string, label: string, kpis: PollOptionRow['kpis']): PollOptionRow => ({
  scenarioId: id,
  position: Number(id),
  label,
  name: label.toLowerCase(),
  status: 'optimal',
  totalCost: 1000,
  kpis,
  costBreakdown: {},
});

const options = [
  option('1', 'Central', {
    expectedMargin: 1_200_000,
    marginP10: 900_000,
    expectedFillRate: 0.97,
    peakUtilisation: 1.05,
  }),
  option('2', 'Upside <b>', {
    expectedMargin: 1_400_000,
    marginP10: 800_000,
    expectedFillRate: 0.925,
    peakUtilisation: 1.2,
  }),
];

const view = (p: PollRow): PollView => ({
  poll: p,
  options,
  tally: tally(
    options.map((o) => ({ id: o.scenarioId, label: o.label })),
    [{ voter: 'U_A', optionId: '1', counted: true, at: new Date(1), supersededAt: null }],
    p.quorum,
  ),
  decision: null,
  chartFileId: 'F123',
  decisionScenario: null,
  replacedBy: null,
  timezone: 'UTC',
});

describe('the scenario vote outside the message pane', () => {
  it('an open vote notifies its question, its choices and by when executives vote', () => {
    // 2027-01-22T10:00:00Z is 1800612000 in Unix seconds.
    expect(voteMessage(view(poll())).text).toBe(
      'Scenario vote: Which scenario do we adopt for 2027-01? Choose one of 2 scenarios: Central, Upside &lt;b&gt;. Executives vote with the buttons by <!date^1800612000^{date_short_pretty} {time}|2027-01-22 10:00 UTC>. 1 executive vote counted so far.',
    );
  });

  it('the count in the notification changes with the tally, against the quorum when there is one', () => {
    // U_A's vote counted; a quorum of 3.
    expect(voteMessage(view(poll({ quorum: 3 }))).text).toMatch(
      / 1 executive vote counted of the 3 it needs\.$/,
    );
  });

  it('a closed vote and the chair’s prompt read without mrkdwn marks', () => {
    const closed = view(poll({ status: 'closed', close_reason: 'deadline' }));
    expect(voteMessage(closed).text).toBe(
      ':lock: Vote closed (deadline passed). Most votes: Central. Decision pending from the chair <@U_CHAIR>.',
    );
    expect(chairDecisionPrompt(closed).text).toBe(
      ':lock: Vote closed (deadline passed). Most votes: Central. Decision pending from the chair <@U_CHAIR>. Record the decision and its follow-up actions.',
    );
  });

  it("the chart's alt text gives each scenario's figures", () => {
    // The house writes money to two significant figures: $1.2M, $900k.
    const image = voteMessage(view(poll())).blocks.find((b) => b.type === 'image');
    expect(image).toMatchObject({
      alt_text:
        'Bar charts comparing the 2 scenarios of plan run 3. Central: expected fill rate 97.0%, expected margin $1.2M (bad case $900k), peak utilisation 105.0%. Upside <b>: expected fill rate 92.5%, expected margin $1.4M (bad case $800k), peak utilisation 120.0%.',
    });
  });
});

describe('S&OE deviations outside the message pane', () => {
  const d = {
    id: '7',
    kind: 'reported' as const,
    week: '2027-02-08',
    summary: 'Supplier delay on SUP-1 <!here>',
    comment: null,
    owner: 'U_OTTO',
    due: '2027-02-10',
    actionId: '12',
    frozenBreak: true,
    reportedBy: 'U_OTTO',
  };

  it('the notification is escaped as the section is, and carries the ask and its due date', () => {
    expect(deviationMessage(d).text).toBe(
      'Reported by operations: Supplier delay on SUP-1 &lt;!here&gt;. It breaks the frozen plan. Suggested owner U_OTTO, due 2027-02-10 (action #12).',
    );
    expect(
      deviationRevisionMessage({
        id: '7',
        week: '2027-02-08',
        note: 'Corrected <!channel>',
        resolved: false,
      }).text,
    ).toBe('Corrected &lt;!channel&gt;');
  });
});

describe("the channels' review summaries outside the message pane", () => {
  it('the demand summary’s text counts what its blocks count, and changes with them', () => {
    const fam = (family: string, adjustments: number, carried = 0) => ({
      family,
      adjustments,
      authors: 1,
      flagged: 0,
      carried,
    });
    expect(demandSummaryText('2027-01', [])).toBe('Demand review 2027-01: no adjustments yet.');
    // 3 + 2 months on FAM-1 and FAM-2; FAM-3 only carried 4; FAM-4 declared unchanged by 2 reps.
    expect(
      demandSummaryText(
        '2027-01',
        [fam('FAM-1', 3), fam('FAM-2', 2, 1), fam('FAM-3', 0, 4)],
        [{ family: 'FAM-4', reps: 2 }],
      ),
    ).toBe(
      'Demand review 2027-01: 5 adjustment months so far, for 2 families; 5 carried from earlier cycles; no change declared for 1 other family.',
    );
    // Only declared: no family is listed, so none is "other"; FAM-1 adjusted and declared is
    // listed with its adjustment, not counted again as declared.
    expect(demandSummaryText('2027-01', [], [{ family: 'FAM-4', reps: 2 }])).toBe(
      'Demand review 2027-01: no adjustments yet; no change declared for 1 family.',
    );
    expect(demandSummaryText('2027-01', [fam('FAM-1', 1)], [{ family: 'FAM-1', reps: 1 }])).toBe(
      'Demand review 2027-01: 1 adjustment month so far, for 1 family.',
    );
  });

  it('the supply summary’s text counts the open updates and their resources', () => {
    expect(supplySummaryText('2027-01', [])).toBe(
      'Supply review 2027-01: no capacity updates yet.',
    );
    expect(
      supplySummaryText('2027-01', [
        { resource: 'LINE-1', updates: 2, months: [{ before: 100, after: 60 }], unit: 'hours' },
        { resource: 'LINE-2', updates: 1, months: [{ before: 100, after: 110 }], unit: 'hours' },
      ]),
    ).toBe('Supply review 2027-01: 3 open capacity updates on 2 resources.');
  });
});
