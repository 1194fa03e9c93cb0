/**
 * Text people type is data: every presenter that shows user text (comments, reasons, the
 * decision rationale, action descriptions, family and resource names from a CSV, what-if
 * text) is fed an injection corpus in every such field. What Slack would parse as mrkdwn may
 * then hold no live token (`<!channel>`, `<@U…>`, `<#C…>`, `<url|label>`, `<!subteam^…>`)
 * other than the ones the bot writes itself, and the typed text must still be shown exactly
 * as typed once Slack's three entities are read back.
 */
import { describe, expect, it } from 'vitest';
import type { PollOptionRow } from '../../db/queries/polls.js';
import type { ActionRow, PollRow } from '../../db/schema.js';
import { tally } from '../../src/core/vote.js';
import type { ChangeOutcome } from '../../src/services/adjustments.js';
import type { DecisionLogEntry } from '../../src/services/decisions.js';
import type { PackData } from '../../src/services/pack.js';
import type { PollView } from '../../src/services/polls.js';
import {
  actionDm,
  actionDoneMessage,
  actionsListText,
  homeActionItems,
  reassignedAlreadyText,
  reminderDigestDm,
} from '../../src/slack/presenters/actions.js';
import {
  confirmationBlocks,
  confirmationText,
  demandSummaryBlocks,
  noChangeText,
  supplySummaryBlocks,
  threadNote,
} from '../../src/slack/presenters/change.js';
import { confirmationModal, demandBlocks } from '../../src/slack/presenters/change-modal.js';
import { phaseAnnouncement } from '../../src/slack/presenters/cycle.js';
import { decisionLogMessage, decisionsListText } from '../../src/slack/presenters/decision.js';
import { esc } from '../../src/slack/presenters/format.js';
import { holidayChangeText, holidayListText } from '../../src/slack/presenters/holidays.js';
import { homeView } from '../../src/slack/presenters/home.js';
import { packMessage } from '../../src/slack/presenters/pack.js';
import { planHeadline, whatIfDiff } from '../../src/slack/presenters/plan-run.js';
import { statusText } from '../../src/slack/presenters/status.js';
import { chairDecisionPrompt, voteMessage, voteReceipt } from '../../src/slack/presenters/vote.js';

/** What people have typed to ping everyone or to disguise a link. */
const CORPUS = [
  '<!channel>',
  '<!here> look',
  '<!everyone>',
  '<!subteam^S0EVIL|@oncall>',
  '<@U0EVIL>',
  '<#C0EVIL>',
  '<https://evil.example/login|Click to confirm>',
  '<mailto:x@evil.example|mail me>',
  '&lt;!channel&gt;',
  'AT&T > 3 < 4',
];

/** The bot's own mentions in these fixtures, and Slack date tokens: the only live tokens allowed. */
const OWN = /^<(?:@U_(?:AUTHOR|OWNER|CHAIR|REP|OPS|A)>|!date\^[^>]*>)$/;

/** Slack's reading of the three entities, in one pass (as a client shows the text). */
const shown = (s: string) =>
  s.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : '>'));

/** Every string Slack parses as mrkdwn: `text` fallbacks and mrkdwn objects, not plain_text. */
function mrkdwnTexts(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) for (const v of x) mrkdwnTexts(v, out);
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.type === 'plain_text') return out;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'text' || k === 'blocks' || k === 'elements' || k === 'fields') mrkdwnTexts(v, out);
    }
  }
  return out;
}

function liveTokens(texts: readonly string[]): string[] {
  return texts.flatMap((t) => t.match(/<[^<>]*>?/g) ?? []).filter((t) => !OWN.test(t));
}

function outcome(evil: string): ChangeOutcome {
  return {
    cycle: { id: 1, month: '2027-01' },
    target: { code: evil, name: evil },
    author: 'U_AUTHOR',
    input: {
      target: evil,
      from: '2027-03',
      to: '2027-03',
      kind: 'delta_units',
      value: 10,
      reason: evil,
      comment: evil,
    },
    lines: [
      { period: '2027-03', zone: 'slushy', flagged: true, before: 10, after: 20, note: evil },
    ],
    replay: false,
  };
}

function action(evil: string): ActionRow {
  return {
    id: '5',
    decision_id: '1',
    cycle_id: 1,
    description: evil,
    owner: 'U_OWNER',
    due_date: '2027-02-01',
    status: 'open',
  } as ActionRow;
}

function pollView(evil: string, over: Partial<PollRow> = {}): PollView {
  const options: PollOptionRow[] = [1, 2].map((i) => ({
    scenarioId: String(i),
    position: i,
    label: `${evil} ${i}`,
    name: `s${i}`,
    status: 'optimal',
    totalCost: 100,
    kpis: { fillRate: 0.9 },
    costBreakdown: {},
  }));
  const poll = {
    id: '7',
    cycle_id: 1,
    run_id: '3',
    poll_key: 'k',
    question: evil,
    mode: 'open',
    quorum: null,
    status: 'open',
    channel_id: 'C_EXEC',
    message_ts: '1.0',
    closes_at: null,
    created_by: 'U_CHAIR',
    created_at: new Date(0),
    closed_by: 'U_CHAIR',
    closed_at: null,
    close_reason: 'manual',
    ...over,
  } as PollRow;
  return {
    poll,
    options,
    tally: tally(
      options.map((o) => ({ id: o.scenarioId, label: o.label })),
      [{ voter: 'U_A', optionId: '1', counted: true, at: new Date(1), supersededAt: null }],
      null,
    ),
    decision:
      over.status === 'closed'
        ? ({ scenario_id: '1', decided_by: 'U_CHAIR' } as PollView['decision'])
        : null,
    chartFileId: null,
    decisionScenario: null,
    replacedBy: null,
    timezone: 'UTC',
  };
}

function pack(evil: string): PackData {
  return {
    cycle: { id: 2, month: '2027-02', phase: 'Executive S&OP' },
    runId: '9',
    scenario: evil,
    previous: { month: '2027-01', runId: '4' },
    changes: {
      periods: ['2027-02'],
      consensusNow: 2200,
      consensusBefore: 2000,
      capacity: [{ resource: 'LINE-1', unit: evil, workforce: false, now: 900, before: 1000 }],
      movers: [{ family: evil, now: 1200, before: 1000, delta: 200, deltaPct: 0.2 }],
    },
    kpis: {
      accuracy: 0.7,
      bias: 0.02,
      pairs: 4,
      cycles: ['2027-01'],
      fillRate: 0.99,
      expectedFillRate: null,
      fillRateP10: null,
      averageUtilisation: 0.95,
      peakUtilisation: 1.2,
    },
    families: [{ family: evil, periods: ['2027-01'], actual: 900, forecast: 1000, deltaPct: -0.1 }],
    finance: {
      periods: ['2027-02'],
      revenue: 1000,
      budgetPeriods: [],
      revenueInBudget: 0,
      budget: null,
      gapPct: null,
      cost: 600,
      margin: 400,
      marginPct: 0.4,
      expectedMargin: 380,
      marginP10: 300,
      cashFlow: 200,
      cashFlowP10: 100,
      budgetCashFlow: null,
      budgetCashPeriod: null,
      cashP10VsBudget: null,
      workingCapital: 150,
      workingCapitalP90: null,
      workingCapitalInBudget: null,
      workingCapitalInBudgetP90: null,
      openingReceivables: null,
      openingPayables: null,
      workingCapitalVsBudget: null,
    },
    risks: {
      constraints: [
        {
          resource: evil,
          period: '2027-02',
          reason: evil,
          comment: evil,
          isNew: true,
          enteredIn: '2027-02',
        },
      ],
      flagged: [
        { family: evil, period: '2027-02', author: 'U_AUTHOR', reason: evil, zone: 'slushy' },
      ],
    },
    decisions: {
      scenarios: [
        {
          name: 'x',
          label: evil,
          status: 'optimal',
          totalCost: 1,
          fillRate: 1,
          revenue: 1,
          serviceAtRisk: 0.9,
          excessInventoryValue: 0,
          tradeOff: evil,
        },
      ],
      poll: null,
      decided: {
        scenario: evil,
        by: evil,
        vote: null,
        rationale: evil,
        actions: [
          { id: '7', owner: 'U_OWNER', due: '2027-03-01', description: evil, status: 'open' },
        ],
      },
    },
    productDevelopment: [],
    overloads: [{ resource: evil, period: '2027-02', utilisation: 1.1 }],
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
    actions: [
      {
        id: '1',
        cycle: '2027-01',
        owner: 'U_OWNER',
        due: '2027-01-31',
        description: evil,
        overdue: true,
      },
    ],
  };
}

function decision(evil: string): DecisionLogEntry {
  return {
    id: '1',
    cycle: '2027-01',
    scenario: evil,
    scenarioId: '2',
    runId: '3',
    rationale: evil,
    decidedBy: 'U_CHAIR',
    decidedAt: new Date(0),
    viaVote: true,
    tradeOff: evil,
    actions: [action(evil)],
    supersedes: { id: '0', reason: evil },
  };
}

/** Every presenter that shows user text, with the typed text in each of its user fields. */
const PRESENTERS: Readonly<Record<string, (evil: string) => unknown>> = {
  confirmationText: (e) => confirmationText(outcome(e), 'forecast'),
  confirmationBlocks: (e) => confirmationBlocks(outcome(e), 'capacity'),
  confirmationModal: (e) => confirmationModal(outcome(e), 'forecast'),
  threadNote: (e) => threadNote(outcome(e)),
  noChangeText: (e) => noChangeText('2027-01', [e, `${e}-2`]),
  demandSummaryBlocks: (e) => [
    demandSummaryBlocks('2027-01', [
      { family: e, adjustments: 1, authors: 1, flagged: 0, carried: 0 },
    ]),
    // Past the 40 lines, the typed code is the first hidden, named in the command for the rest.
    demandSummaryBlocks('2027-01', [
      ...Array.from({ length: 40 }, (_, i) => ({
        family: `FAM-${i + 1}`,
        adjustments: 2,
        authors: 1,
        flagged: 0,
        carried: 0,
      })),
      { family: e, adjustments: 1, authors: 1, flagged: 0, carried: 0 },
    ]),
  ],
  supplySummaryBlocks: (e) =>
    supplySummaryBlocks('2027-01', [
      { resource: e, updates: 1, months: [{ before: 0, after: 5 }], unit: e },
    ]),
  demandBlocks: (e) => demandBlocks({ code: e, name: e }, []),
  actionDm: (e) =>
    ['assigned', 'before', 'due', 'overdue'].map((k) => actionDm(action(e), k as 'due')),
  actionDoneMessage: (e) => actionDoneMessage(action(e), 'U_OWNER', 'UTC'),
  actionsListText: (e) =>
    actionsListText([{ ...action(e), cycle: e }], () => true, 'Open actions', 'UTC'),
  homeActionItems: (e) => homeActionItems([action(e)]),
  reminderDigestDm: (e) =>
    reminderDigestDm(
      [
        { ...action(e), daysLeft: 0 },
        { ...action(`${e}-2`), id: '6', daysLeft: -1, decision_id: null },
      ],
      'UTC',
      new Date('2027-02-01T09:00:00Z'),
    ),
  reassignedAlreadyText: (e) => [
    reassignedAlreadyText(action(e), { by: 'U_OWNER', from: 'U_OWNER', to: 'U_A' }),
    reassignedAlreadyText(
      { ...action(e), owner: 'U_OPS' },
      { by: 'U_OWNER', from: 'U_OWNER', to: 'U_A' },
    ),
  ],
  decisionLogMessage: (e) =>
    decisionLogMessage(decision(e), {
      vote: { forIt: 3, total: 3, topOther: 0, closedByDecision: false },
      timezone: 'UTC',
    }),
  decisionsListText: (e) => decisionsListText([decision(e)], 'UTC'),
  voteMessage: (e) => [voteMessage(pollView(e)), voteMessage(pollView(e, { status: 'closed' }))],
  chairDecisionPrompt: (e) => chairDecisionPrompt(pollView(e, { status: 'closed' })),
  voteReceipt: (e) =>
    ['recorded', 'changed', 'same', 'duplicate', 'not_counted'].map((o) => voteReceipt(o, e)),
  homeView: (e) =>
    homeView({
      member: { userId: 'U_REP', role: 'sales', families: [e], bootstrapAdmin: false },
      cycle: {
        id: 1,
        month: '2027-01',
        phase: 'demand_review',
        deadlines: { demand_review: '2027-01-12T16:00:00.000Z' },
        skipped_holidays: { demand_review: [{ day: '2027-01-11', name: e }] },
      } as unknown as Parameters<typeof homeView>[0]['cycle'],
      submissions: [
        {
          id: '1',
          family: e,
          period: '2027-03',
          kind: 'set',
          value: 5,
          reasonCode: e,
          status: 'accepted',
          before: 1,
          after: 5,
          createdAt: new Date(0),
        },
      ],
      actions: [action(e)],
      timezone: 'UTC',
    }),
  statusText: (e) =>
    statusText(
      {
        cycle: {
          id: 1,
          month: '2027-01',
          phase: 'demand_review',
          phase_entered_at: new Date(0),
        },
        deadlines: {},
        pendingReps: [{ userId: 'U_REP', families: [e] }],
        repsLeft: [{ userId: 'U_OPS', reason: 'account_inactive', families: [e] }],
        familyCount: 2,
        uncoveredFamilies: [e],
        openConstraints: [],
        latestRun: null,
      } as unknown as Parameters<typeof statusText>[0],
      'UTC',
      { role: 'admin' },
    ),
  planHeadline: (e) =>
    planHeadline('3', '2027-01', [
      { name: 'a', label: e, status: 'optimal', kpis: {} },
      { name: 'b', label: e, status: 'infeasible', message: e, kpis: {} },
    ]),
  whatIfDiff: (e) => [
    whatIfDiff(
      e,
      { name: 'c', label: 'Central', status: 'optimal', kpis: {} },
      {
        name: 'w',
        label: e,
        status: 'infeasible',
        message: e,
        kpis: {},
      },
    ),
    // A planner-named central in the "if it happens" heading.
    whatIfDiff(
      e,
      { name: 'c', label: e, status: 'optimal', kpis: { expectedMargin: 1 } },
      { name: 'w', label: e, status: 'optimal', kpis: { expectedMargin: 2 } },
      { central: { expectedMargin: 1 }, whatIf: { expectedMargin: 2 } },
    ),
    whatIfDiff(
      e,
      { name: 'c', label: 'Central', status: 'infeasible', message: e, kpis: {} },
      {
        name: 'w',
        label: e,
        status: 'optimal',
        kpis: {},
      },
    ),
  ],
  packMessage: (e) => packMessage(pack(e)),
  phaseAnnouncement: (e) =>
    phaseAnnouncement(
      {
        id: 1,
        month: '2027-01',
        phase: 'data_gathering',
        deadlines: { data_gathering: '2027-01-04T16:00:00.000Z' },
        skipped_holidays: { data_gathering: [{ day: '2027-01-01', name: e }] },
        phase_entered_at: new Date('2026-12-29T09:00:00Z'),
        opened_by: 'U_A',
        opened_at: new Date('2026-12-29T09:00:00Z'),
        closed_at: null,
        adopted_scenario_id: null,
      },
      'Europe/Berlin',
    ),
  holidayListText: (e) =>
    holidayListText([{ day: '2027-01-01', name: e, added_by: 'U_A', added_at: new Date(0) }], 0),
  holidayChangeText: (e) =>
    holidayChangeText({
      day: '2027-01-01',
      name: e,
      outcome: 'added',
      weekend: false,
      past: false,
      openCycle: null,
    }),
};

describe('mrkdwn injection corpus over every presenter', () => {
  it('esc applies exactly Slack’s three entities', () => {
    expect(esc('a & b <!here> > c')).toBe('a &amp; b &lt;!here&gt; &gt; c');
    expect(shown(esc('&lt;!channel&gt; <@U1>'))).toBe('&lt;!channel&gt; <@U1>');
  });

  it('esc removes the bidirectional embeddings, overrides and isolates, and nothing else', () => {
    // U+202E (right-to-left override) left open turns the bot's words after it around in
    // Slack: "Bob\u202E approved" would show as "Bob devorppa". All nine, written out.
    const bidi = [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ];
    expect(esc(`Bob${bidi.join('')} & Co`)).toBe('Bob &amp; Co');
    // Right-to-left letters, the marks U+200E/U+200F and U+2065 (unassigned) stay.
    expect(esc('שלום \u200Eمرحبا\u200F\u2065')).toBe('שלום \u200Eمرحبا\u200F\u2065');
  });

  for (const [name, present] of Object.entries(PRESENTERS)) {
    it(`${name}: no bidirectional override of typed text reaches mrkdwn`, () => {
      // Typed text that opens an override and an isolate and never closes them.
      const texts = mrkdwnTexts(present('Bob\u202Eevil\u2067'));
      expect(texts.join('\n'), name).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(texts.join('\n'), name).toContain('Bobevil');
    });

    it(`${name}: no live token, and the typed text shown as typed`, () => {
      for (const evil of CORPUS) {
        const texts = mrkdwnTexts(present(evil));
        expect(liveTokens(texts), `${name} with ${evil}`).toEqual([]);
        expect(shown(texts.join('\n')), `${name} with ${evil}`).toContain(evil);
      }
    });
  }
});
