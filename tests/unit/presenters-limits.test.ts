/**
 * Every message and view the presenters build stays inside Slack's limits at the extremes of
 * what people may type and import: each typed or imported field at its own maximum (a family's
 * name 200 characters, a comment 1,000, a rationale 2,000, an action 500, a scenario label 40,
 * a what-if 500, a code 64), written in the characters that grow most when escaped (`&` becomes
 * `&amp;`, five times its length) or that count twice (emoji), and lists at their largest (60
 * actions, 200 families, 40 sales reps (one covering 40 families), 6 scenarios, 100 constraints,
 * 36 months). Each result is checked with the stand-in's own validator, which refuses what Slack
 * refuses.
 */
import { describe, expect, it } from 'vitest';
import type { ActionRow } from '../../db/schema.js';
import { WHATIF_TEXT_MAX } from '../../jobs/contracts.js';
import { MAX_SCENARIO_LABEL_CHARS } from '../../src/core/scenarios/schema.js';
import { MAX_COMMENT_CHARS } from '../../src/core/text.js';
import { tally } from '../../src/core/vote.js';
import type { ChangeOutcome } from '../../src/services/adjustments.js';
import type { ConstraintEntry } from '../../src/services/constraints.js';
import { CLOSE_NOTE_CHARS } from '../../src/services/constraints.js';
import {
  type DecisionLogEntry,
  MAX_ACTION_CHARS,
  MAX_RATIONALE_CHARS,
} from '../../src/services/decisions.js';
import { MAX_SCENARIOS } from '../../src/services/scenarios.js';
import {
  actionDm,
  actionDoneMessage,
  actionsListText,
  homeActionItems,
  reassignModal,
  reminderDigestDm,
} from '../../src/slack/presenters/actions.js';
import {
  confirmationBlocks,
  confirmationText,
  demandSummaryBlocks,
  supplySummaryBlocks,
  threadNote,
} from '../../src/slack/presenters/change.js';
import { confirmationModal } from '../../src/slack/presenters/change-modal.js';
import {
  constraintClosedNote,
  constraintListMessage,
} from '../../src/slack/presenters/constraints.js';
import { demandNudgeText } from '../../src/slack/presenters/cycle.js';
import {
  decisionLogMessage,
  decisionModal,
  decisionsListText,
} from '../../src/slack/presenters/decision.js';
import {
  deviationMessage,
  deviationRevisionMessage,
  digestMessage,
} from '../../src/slack/presenters/execution.js';
import { splitMrkdwn } from '../../src/slack/presenters/fit.js';
import { homeView } from '../../src/slack/presenters/home.js';
import { planHeadline, whatIfDiff } from '../../src/slack/presenters/plan-run.js';
import { owingText, statusText } from '../../src/slack/presenters/status.js';
import { voteMessage } from '../../src/slack/presenters/vote.js';
import { blocksTooLong, validateBlocks, validateView } from '../../src/slack-standin/rules.js';

/** The longest name an import takes (src/import/kinds.ts `text()`), and a code (`code()`). */
const NAME_CHARS = 200;
const CODE = `F${'9'.repeat(63)}`;

/**
 * Typed text of exactly `n` UTF-16 units, as the limits count it: all `&` (five times longer
 * once escaped), or a mix of `<`, `>`, `&`, a mention-like token and emoji (two units each).
 */
const VARIANTS = {
  ampersands: (n: number) => '&'.repeat(n),
  mixed: (n: number) => {
    const unit = '<@U0EVIL> & 😀 <> ';
    let s = '';
    while (s.length < n) s += unit;
    // Whole characters: an emoji is never cut in two.
    const chars = [...s];
    let out = '';
    for (const c of chars) {
      if (out.length + c.length > n) break;
      out += c;
    }
    return out.padEnd(n, 'x');
  },
} as const;

/** What Slack refuses in `x`: a view's, a message's blocks and its `text`, or a bare text. */
function refusals(x: unknown, surface: 'message' | 'home' = 'message'): string[] {
  if (typeof x === 'string') return x.length > 40_000 ? [`text of ${x.length} characters`] : [];
  if (Array.isArray(x)) {
    if (x.every((b) => typeof b === 'object' && b !== null && 'type' in b))
      return blockRefusals(x, surface);
    return x.flatMap((y) => refusals(y, surface));
  }
  const o = x as { type?: string; blocks?: unknown; text?: unknown };
  if (o.type === 'modal' || o.type === 'home') return validateView(o).map(said);
  return [...(o.blocks ? blockRefusals(o.blocks) : []), ...refusals(o.text ?? '')];
}
const said = (v: { pointer: string; message: string }) => `${v.pointer}: ${v.message}`;
function blockRefusals(blocks: unknown, surface: 'message' | 'home' = 'message'): string[] {
  const out = validateBlocks(blocks, surface).map(said);
  if (surface === 'message' && blocksTooLong(blocks))
    out.push(`blocks of ${JSON.stringify(blocks).length} characters`);
  return out;
}

/** Entities cut short by a clip (`&am…`, `&l…`): Slack would show them as typed garbage. */
function brokenEntities(x: unknown): string[] {
  return JSON.stringify(x).match(/&(?:amp|am|a|lt|l|gt|g)(?![a-z;])/g) ?? [];
}

const action = (id: number, description: string, decision: string | null = '1'): ActionRow =>
  ({
    id: String(id),
    decision_id: decision,
    cycle_id: 1,
    description,
    owner: 'U_OWNER',
    due_date: '2027-02-01',
    status: 'open',
  }) as ActionRow;

const constraint = (id: number, t: (n: number) => string): ConstraintEntry => ({
  id: String(id),
  code: CODE,
  name: t(NAME_CHARS),
  months: Array.from(
    { length: 36 },
    (_, i) => `20${27 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  ),
  kind: 'delta_pct',
  value: -30,
  reason: 'maintenance',
  comment: t(MAX_COMMENT_CHARS),
  author: 'U_OPS',
  enteredIn: '2027-01',
});

const months = Array.from(
  { length: 36 },
  (_, i) => `20${27 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);

function outcome(t: (n: number) => string): ChangeOutcome {
  return {
    cycle: { id: 1, month: '2027-01' },
    target: { code: CODE, name: t(NAME_CHARS) },
    author: 'U_AUTHOR',
    input: {
      target: CODE,
      from: months[0] ?? '',
      to: months.at(-1) ?? '',
      kind: 'delta_units',
      value: -9_999_999,
      reason: 'lost_customer',
      comment: t(MAX_COMMENT_CHARS),
    },
    lines: months.map((period) => ({
      period,
      zone: 'slushy',
      flagged: true,
      before: 99_999_999,
      after: 0,
      note: 'Slushy month: flagged for review.',
    })),
    replay: true,
    alsoOpen: Array.from({ length: 100 }, (_, i) => constraint(i + 1, t)),
  };
}

function decision(t: (n: number) => string): DecisionLogEntry {
  return {
    id: '1',
    cycle: '2027-01',
    scenario: t(MAX_SCENARIO_LABEL_CHARS),
    scenarioId: '2',
    runId: '3',
    rationale: t(MAX_RATIONALE_CHARS),
    decidedBy: 'U_CHAIR',
    decidedAt: new Date(0),
    viaVote: true,
    tradeOff: t(600),
    actions: Array.from({ length: 40 }, (_, i) => action(i + 1, t(MAX_ACTION_CHARS))),
    supersedes: { id: '0', reason: t(MAX_COMMENT_CHARS) },
  };
}

const deviation = (t: (n: number) => string, frozenBreak: boolean) => ({
  id: '7',
  kind: 'reported' as const,
  week: '2027-02-08',
  summary: `Supplier delay on ${CODE} in the week of 2027-02-08`,
  comment: t(MAX_COMMENT_CHARS),
  owner: 'U_OTTO',
  due: '2027-02-10',
  actionId: '12',
  frozenBreak,
  reportedBy: 'U_OTTO',
});

const scenario = (t: (n: number) => string, i: number) => ({
  name: `s${i}`,
  label: t(MAX_SCENARIO_LABEL_CHARS),
  status: 'optimal',
  kpis: { expectedMargin: 1e9, marginP10: -1e9, fillRate: 0.5, grossMargin: 1e12 },
});

/** 36 months from 2027-01: the longest horizon a workspace plans. */
const MONTHS_36 = Array.from(
  { length: 36 },
  (_, i) => `${2027 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);

/** A big company's executives, each with a vote. */
const EXECUTIVES = 8;

/**
 * A vote on a cycle's most scenarios (MAX_SCENARIOS) with every stress figure at its widest
 * (−$1,000B), the budget ending before the horizon (its working capital line at its longest),
 * 8 executives' votes spread over them, open.
 */
const voteOn = (t: (n: number) => string) => {
  const wide = -1e12;
  const options = Array.from({ length: MAX_SCENARIOS }, (_, i) => ({
    scenarioId: String(i + 1),
    position: i + 1,
    label: t(MAX_SCENARIO_LABEL_CHARS),
    name: `s${i}`,
    status: 'optimal',
    totalCost: 1e12,
    kpis: {
      expectedMargin: wide,
      marginP10: wide,
      marginP90: wide,
      expectedFillRate: 0.5,
      serviceAtRisk: 0.1,
      cashFlow: wide,
      cashFlowP10: wide,
      budgetCashFlow: 1e12,
      budgetCashMonths: 35,
      cashP10VsBudget: wide,
      excessInventoryValue: 1e12,
      excessInventoryValueP90: 1e12,
      writtenOffValue: 1,
      workingCapital: wide,
      workingCapitalP90: 1e12,
      workingCapitalInBudget: wide,
      workingCapitalInBudgetP90: wide,
      openingReceivables: wide,
      openingPayables: wide,
      workingCapitalVsBudget: wide,
      averageUtilisation: 9.99,
      peakUtilisation: 9.99,
    },
    costBreakdown: {},
  }));
  return voteMessage({
    poll: {
      id: '1',
      cycle_id: 1,
      run_id: '5',
      poll_key: 'k',
      question: t(150),
      mode: 'open',
      quorum: MAX_SCENARIOS,
      status: 'open',
      channel_id: 'C_EXEC',
      message_ts: '1.0',
      closes_at: new Date('2027-01-22T10:00:00Z'),
      created_by: 'U_CHAIR',
      created_at: new Date('2027-01-20T10:00:00Z'),
      closed_by: null,
      closed_at: null,
      close_reason: null,
    },
    options,
    tally: tally(
      options.map((o) => ({ id: o.scenarioId, label: o.label })),
      // A big company's 8 executives, each vote counted and named.
      Array.from({ length: EXECUTIVES }, (_, i) => ({
        voter: `U_EXEC${i}`,
        optionId: options[i % options.length]?.scenarioId ?? '1',
        counted: true,
        at: new Date(i),
        supersededAt: null,
      })),
      EXECUTIVES,
    ),
    decision: null,
    decisionScenario: null,
    chartFileId: 'F_CHART',
    timezone: 'Asia/Tokyo',
    replacedBy: null,
    horizon: MONTHS_36,
  });
};

/** A big company's open follow-up actions. */
const ACTIONS = 60;

/** 40 sales reps owing input: the first covers 40 families, the others 160 between them. */
const owingReps = Array.from({ length: 40 }, (_, r) => ({
  userId: `U_REP${r}`,
  families: Array.from({ length: r === 0 ? 40 : 4 }, (_, i) => `${CODE.slice(0, 60)}${r}x${i}`),
}));

const cycleStatusOf = () => ({
  cycle: {
    id: 1,
    month: '2027-01',
    phase: 'demand_review' as const,
    phase_entered_at: new Date(0),
  },
  deadlines: {},
  skippedHolidays: {},
  pendingReps: owingReps,
  // As many reps again who left, each with their families: the section that names them.
  repsLeft: owingReps.map((r, i) => ({
    userId: `${r.userId}_LEFT${i}`,
    reason: 'account_inactive',
    families: r.families,
  })),
  familyCount: 200,
  uncoveredFamilies: [],
  openConstraints: [],
  latestRun: null,
});

const cycleRow = {
  id: 1,
  month: '2027-01',
  phase: 'demand_review' as const,
  deadlines: { demand_review: '2027-01-15T17:00:00Z' },
  skipped_holidays: {},
  phase_entered_at: new Date(0),
  opened_by: 'U_ALICE',
  opened_at: new Date(0),
  closed_at: null,
  adopted_scenario_id: null,
};

/** App Home of a rep covering 40 families, or an admin, each with the 60 actions theirs. */
const homeOf = (t: (n: number) => string, role: 'sales' | 'admin') => {
  const families = owingReps[0]?.families ?? [];
  return homeView({
    member: {
      userId: 'U_REP0',
      role,
      families: role === 'sales' ? families : [],
      bootstrapAdmin: false,
    },
    cycle: cycleRow,
    submissions: [],
    actions: Array.from({ length: ACTIONS }, (_, i) => action(i + 1, t(MAX_ACTION_CHARS))),
    timezone: 'UTC',
    today: '2027-02-02',
    owedFamilies: role === 'sales' ? families : null,
  });
};

/** The decision form on six scenarios with the longest labels, each with its trade-off. */
const decisionFormOn = (t: (n: number) => string) =>
  decisionModal(
    { cycleId: 1, pollId: '1', rows: 10, supersedes: '3' },
    Array.from({ length: MAX_SCENARIOS }, (_, i) => ({
      scenarioId: String(i + 1),
      label: t(MAX_SCENARIO_LABEL_CHARS),
      tradeOff: `Scenario ${i + 1} over ${t(MAX_SCENARIO_LABEL_CHARS)}: margin −$1T, cash −$1T, fill rate 50.0% of demand (−9.9 pts vs ${t(MAX_SCENARIO_LABEL_CHARS)}); ${t(MAX_SCENARIO_LABEL_CHARS)} keeps more stock; end ${i + 1}.`,
    })),
    '1',
  );

/** Each presenter with the typed text of `t` at its fields' maximum and its lists at their largest. */
const PRESENTERS: Readonly<Record<string, (t: (n: number) => string) => unknown>> = {
  confirmationText: (t) => confirmationText(outcome(t), 'capacity'),
  confirmationBlocks: (t) => confirmationBlocks(outcome(t), 'capacity'),
  confirmationModal: (t) => confirmationModal(outcome(t), 'capacity'),
  threadNote: (t) => threadNote(outcome(t)),
  demandSummaryBlocks: () =>
    demandSummaryBlocks(
      '2027-01',
      Array.from({ length: 200 }, (_, i) => ({
        family: `${CODE.slice(0, 60)}${i}`,
        adjustments: 999,
        authors: 99,
        flagged: 99,
        carried: 99,
      })),
    ),
  supplySummaryBlocks: (t) =>
    supplySummaryBlocks(
      '2027-01',
      Array.from({ length: 200 }, () => ({
        resource: CODE,
        updates: 99,
        months: [{ before: 9_999_999, after: 0 }],
        unit: t(32),
      })),
    ),
  actionDm: (t) =>
    (['assigned', 'before', 'due', 'overdue'] as const).flatMap((k) => [
      actionDm(action(5, t(MAX_ACTION_CHARS)), k, -99),
      actionDm(action(5, t(MAX_ACTION_CHARS), null), k, -99),
    ]),
  reassignModal: (t) => reassignModal(action(5, t(MAX_ACTION_CHARS))),
  actionDoneMessage: (t) => actionDoneMessage(action(5, t(MAX_ACTION_CHARS)), 'U_OWNER', 'UTC'),
  actionsListText: (t) =>
    actionsListText(
      Array.from({ length: ACTIONS }, (_, i) => ({
        ...action(i + 1, t(MAX_ACTION_CHARS)),
        cycle: '2027-01',
      })),
      () => true,
      'Open actions',
      'UTC',
    ),
  homeActionItems: (t) =>
    homeActionItems(Array.from({ length: ACTIONS }, (_, i) => action(i + 1, t(MAX_ACTION_CHARS)))),
  reminderDigestDm: (t) =>
    reminderDigestDm(
      Array.from({ length: ACTIONS }, (_, i) => ({
        ...action(i + 1, t(MAX_ACTION_CHARS), i % 2 ? null : '1'),
        daysLeft: -i,
      })),
      'UTC',
      new Date('2027-02-01T09:00:00Z'),
    ),
  decisionLogMessage: (t) =>
    decisionLogMessage(decision(t), {
      vote: { forIt: 3, total: 3, topOther: 0, closedByDecision: false },
      timezone: 'UTC',
    }),
  decisionsListText: (t) =>
    decisionsListText(
      Array.from({ length: 40 }, () => decision(t)),
      'UTC',
    ),
  constraintListMessage: (t) =>
    constraintListMessage(
      {
        cycleMonth: '2027-02',
        cycleOpen: true,
        resource: CODE,
        entries: Array.from({ length: 100 }, (_, i) => constraint(i + 1, t)),
      },
      { canAct: true },
    ),
  constraintClosedNote: (t) =>
    constraintClosedNote(
      {
        entry: constraint(1, t),
        status: 'resolved',
        changed: true,
        by: 'U_OPS',
        at: new Date(0),
        recomputed: null,
        jobRequests: [],
      },
      t(CLOSE_NOTE_CHARS),
    ),
  deviationMessage: (t) => [
    deviationMessage(deviation(t, true)),
    deviationMessage(deviation(t, false)),
  ],
  deviationRevisionMessage: (t) =>
    deviationRevisionMessage({
      id: '7',
      week: '2027-02-08',
      note: `Corrected by a new import: ${deviation(t, true).summary}`,
      resolved: false,
    }),
  digestMessage: () =>
    digestMessage({
      week: '2027-02-01',
      sales: 1e12,
      production: 1e12,
      deviations: Array.from({ length: 100 }, (_, i) => ({
        summary: deviation(VARIANTS.ampersands, true).summary,
        week: '2027-02-01',
        owner: 'U_OTTO',
        due: '2027-02-10',
        status: i % 2 ? 'overdue' : 'done',
        frozenBreak: true,
        actionId: String(i),
      })),
      nextMeeting: { breaks: 100, done: 50 },
    }),
  planHeadline: (t) =>
    planHeadline(
      '3',
      '2027-01',
      Array.from({ length: 6 }, (_, i) => scenario(t, i)),
    ),
  voteMessage: (t) => voteOn(t),
  decisionModal: (t) => decisionFormOn(t),
  homeViewOfRep: (t) => homeOf(t, 'sales'),
  homeViewOfAdmin: (t) => homeOf(t, 'admin'),
  statusText: () => statusText(cycleStatusOf(), 'UTC', { role: 'admin' }),
  owingText: () => owingText(cycleStatusOf(), { role: 'admin' }),
  whatIfDiff: (t) =>
    whatIfDiff(t(WHATIF_TEXT_MAX), scenario(t, 0), scenario(t, 1), {
      central: { expectedMargin: 1 },
      whatIf: { expectedMargin: 2 },
    }),
};

/** Blocks for the App Home tab, where 100 blocks are allowed and no message's 13k. */
const ON_HOME = new Set(['homeActionItems', 'homeViewOfRep', 'homeViewOfAdmin']);

describe('every presenter within Slack’s limits at the extremes of what people type', () => {
  for (const [variant, t] of Object.entries(VARIANTS))
    for (const [name, present] of Object.entries(PRESENTERS))
      it(`${name}, typed text of ${variant}`, () => {
        const built = present(t);
        expect(refusals(built, ON_HOME.has(name) ? 'home' : 'message')).toEqual([]);
        expect(brokenEntities(built)).toEqual([]);
      });
});

/** Slack's reading of the three entities (as a client shows the text). */
const shown = (s: string) =>
  s.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : '>'));

describe('what the fits leave out, and what they keep', () => {
  it('a deviation whose comment is 1,000 typed "&" keeps it whole, and the owner, the task and the frozen break', () => {
    // 1,000 "&" escape to 5,000 characters: with "> " and the lines around it, past a
    // section's 3,000. The message was one section cut at 3,000: the comment lost its last
    // 400 "&", the cut ended in "&amp" and the owner's line, the task and the frozen break
    // were gone. Now: the head, the comment in two quoted sections (2,995 + 2,005 + "> "),
    // then the rest, 4 sections and the context.
    const m = deviationMessage(deviation(VARIANTS.ampersands, true));
    const sections = m.blocks.map((b) => (b as { text?: { text: string } }).text?.text ?? '');
    expect(m.blocks.map((b) => b.type)).toEqual([
      'section',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(sections[0]).toMatch(
      new RegExp(
        `^:rotating_light: \\*[^*]+\\*: Supplier delay on ${CODE} in the week of 2027-02-08\\.$`,
      ),
    );
    expect(sections[1]).toBe(`> ${'&amp;'.repeat(599)}`);
    expect(sections[2]).toBe(`> ${'&amp;'.repeat(401)}`);
    expect(shown(`${sections[1]}${sections[2]}`.replace(/> /g, ''))).toBe('&'.repeat(1000));
    expect(sections[3]).toContain('Suggested owner U_OTTO, due 2027-02-10 (action #12');
    expect(sections[3]).toContain('To do: find the cause');
    expect(sections[3]).toContain('it goes to the next executive meeting.');
    expect(refusals(m)).toEqual([]);
  });

  it('a vote whose trade-offs do not all fit keeps every scenario’s figures and says how many it left out', () => {
    // Six labels of 40 typed "&" (200 characters each once escaped, four times in the
    // message with its sentences): the blocks came to 13,153 characters, past the stand-in's
    // 13,000 and at the edge of the about 13.2k at which Slack refuses a message.
    const m = voteOn(VARIANTS.ampersands);
    const json = JSON.stringify(m.blocks);
    expect(json.length).toBeLessThanOrEqual(11_000);
    const texts = m.blocks.map((b) => JSON.stringify(b));
    // Every scenario keeps its section, with its working capital field and its budget line.
    const sections = texts.filter((b) => b.includes('"fields"'));
    expect(sections).toHaveLength(MAX_SCENARIOS);
    for (const b of sections)
      expect(b).toContain(
        "*Peak working capital expected / bad case*\\n−$1T / $1T\\nBy 2029-11, the budget's last month, the expected peak is −$1T",
      );
    const kept = texts.filter((b) => b.includes(':scales:')).length;
    const more = texts.find((b) => b.includes('more trade-offs'));
    expect(more).toMatch(
      /…and (\d+) more trade-offs: `\/sop pack md` states each under question 6\./,
    );
    const n = Number(/…and (\d+) more/.exec(more ?? '')?.[1]);
    expect(n).toBeGreaterThan(0);
    expect(kept + n).toBe(MAX_SCENARIOS);
    // Central's sentence, the one the others are read against, is the first kept.
    expect(kept).toBeGreaterThan(0);
  });

  it('the decision form on six scenarios with long labels shows every trade-off whole', () => {
    // Each trade-off names three labels of 40 typed "&" (200 characters each once escaped): six
    // of them are past a section's 3,000. The form showed one section cut at 3,000: the fifth
    // trade-off ended mid-sentence and the sixth was not there. Now: each whole, in sections of
    // at most 3,000, the first under its title and the next "(continued)".
    const v = decisionFormOn(VARIANTS.ampersands);
    const texts = v.blocks
      .filter((b) => (b.block_id ?? '').startsWith('trade_offs'))
      .map((b) => (b as { text: { text: string } }).text.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts[0]?.startsWith('*The trade-off you accept*\n')).toBe(true);
    for (const x of texts.slice(1))
      expect(x.startsWith('*The trade-off you accept* (continued)\n')).toBe(true);
    for (const x of texts) expect(x.length).toBeLessThanOrEqual(3000);
    const amps = '&amp;'.repeat(40);
    const all = texts.join('\n');
    for (let i = 1; i <= MAX_SCENARIOS; i++)
      expect(all).toContain(
        `• Scenario ${i} over ${amps}: margin −$1T, cash −$1T, fill rate 50.0% of demand (−9.9 pts vs ${amps}); ${amps} keeps more stock; end ${i}.`,
      );
  });

  it('a nudge to a rep who owes 40 families names the first 10 and says where the other 30 are', () => {
    // It named all 40 (a rep covering 300 families of 64-character codes: 19,800 characters).
    const codes = Array.from({ length: 40 }, (_, i) => `FAM-${i + 1}`);
    expect(demandNudgeText('2027-01', 'Fri 15 Jan', codes)).toBe(
      'Reminder for S&OP 2027-01: the demand review closes Fri 15 Jan. You have not reviewed ' +
        'FAM-1, FAM-2, FAM-3, FAM-4, FAM-5, FAM-6, FAM-7, FAM-8, FAM-9, FAM-10 and 30 more of ' +
        'your families (`/sop status owing` lists them all) yet: adjust the forecast with ' +
        '`/forecast`, or declare no change with `/forecast no-change`, or *No change for my ' +
        'families* in App Home (the Home tab of sopbot).',
    );
    // Ten or fewer: each named, as before.
    expect(demandNudgeText('2027-01', 'Fri 15 Jan', codes.slice(0, 10))).toContain(
      'You have not reviewed FAM-1, FAM-2, FAM-3, FAM-4, FAM-5, FAM-6, FAM-7, FAM-8, FAM-9, FAM-10 yet:',
    );
  });

  it('a comment that fits stays in one section with the rest, as before', () => {
    const m = deviationMessage({
      ...deviation(VARIANTS.ampersands, false),
      comment: 'Strike & fog',
    });
    expect(m.blocks.map((b) => b.type)).toEqual(['section', 'context']);
  });

  it('a long text is cut at a line break or a space, never inside an entity, a mention or an emoji', () => {
    // 12 characters at most: the space at 7 is past half of "aaaaaaa bbbb", and is dropped.
    expect(splitMrkdwn('aaaaaaa bbbbbbb', 12)).toEqual(['aaaaaaa', 'bbbbbbb']);
    // A space in the first half is not worth it: the piece takes all 12.
    expect(splitMrkdwn('aaaa bbbbbbb cc', 12)).toEqual(['aaaa bbbbbbb', ' cc']);
    // The line break past half the piece wins over the later space.
    expect(splitMrkdwn('aaaaaaa\nbb cccc', 12)).toEqual(['aaaaaaa', 'bb cccc']);
    // No break in the second half: as late as it may be, before the "&amp;" it would split.
    expect(splitMrkdwn('xxxxxxxxxx&amp;y', 12)).toEqual(['xxxxxxxxxx', '&amp;y']);
    expect(splitMrkdwn('xxxxxxxx<@U_OPS>', 12)).toEqual(['xxxxxxxx', '<@U_OPS>']);
    // "😀" is two UTF-16 units: 11 x and half an emoji would be 12.
    expect(splitMrkdwn(`${'x'.repeat(11)}😀z`, 12)).toEqual(['x'.repeat(11), '😀z']);
  });

  it("a morning digest's notification text is cut before an escaped '&', not in it", () => {
    // 40 actions of 500 "&": the text lists them escaped, far past 3,000 characters, and
    // was cut at 2,999 wherever that fell: inside an "&amp;".
    const m = PRESENTERS.reminderDigestDm?.(VARIANTS.ampersands) as { text: string };
    expect(m.text.length).toBeLessThanOrEqual(3000);
    expect(m.text.endsWith(';…')).toBe(true);
    expect(brokenEntities(m.text)).toEqual([]);
  });
});
