/**
 * Text people type placed inside mrkdwn's own formatting (`*…*`, `_…_`) shows as typed: a
 * scenario label "*best* case" in the vote's bold, a reason "see _memo_" in the decisions
 * list's italics, a code "LINE_A_" in a confirmation's bold. mrkdwn has no escape for its
 * marks, so each mark that could open or close gets a zero-width space (U+200B) on each side;
 * marks between two letters cannot and stay as typed. Expected texts are written out by hand;
 * the demo page's renderer (Slack's rule: a mark opens after a space or punctuation and closes
 * before one) shows what a reader sees.
 */
import { describe, expect, it } from 'vitest';
import type { PollOptionRow } from '../../db/queries/polls.js';
import type { ActionRow, PollRow } from '../../db/schema.js';
import { escInMarks, stripControl } from '../../src/core/text.js';
import { tally } from '../../src/core/vote.js';
import { mrkdwnToHtml } from '../../src/demo/mrkdwn-html.js';
import type { DecisionLogEntry } from '../../src/services/decisions.js';
import type { PollView } from '../../src/services/polls.js';
import { demandNudgeText } from '../../src/slack/presenters/cycle.js';
import { decisionLogMessage, decisionsListText } from '../../src/slack/presenters/decision.js';
import { planHeadline } from '../../src/slack/presenters/plan-run.js';
import { scenarioListText } from '../../src/slack/presenters/scenario.js';
import { tallyText, voteMessage, voteReceipt } from '../../src/slack/presenters/vote.js';

const Z = '\u200B';
const html = (s: string) => mrkdwnToHtml(s, { user: (id) => id, channel: (id) => id });
/** What a reader sees of the html: tags kept, the zero-width spaces not (they show as nothing). */
const seen = (s: string) => html(s).replaceAll(Z, '');

describe('escInMarks', () => {
  it('breaks each mark that could open or close, and leaves those between letters', () => {
    expect(escInMarks('*best* case')).toBe(`${Z}*${Z}best${Z}*${Z} case`);
    expect(escInMarks('low_stock_case')).toBe('low_stock_case');
    expect(escInMarks('FAM_12')).toBe('FAM_12');
    expect(escInMarks('LINE_A_')).toBe(`LINE_A${Z}_${Z}`);
    expect(escInMarks('~old~ 2*3')).toBe(`${Z}~${Z}old${Z}~${Z} 2*3`);
    // Escaped as before, a backtick as ˋ (a code span further on would pair with it).
    expect(escInMarks('R&D <b> `x`')).toBe('R&amp;D &lt;b&gt; ˋxˋ');
  });

  it('free text pasted from a message loses the zero-width spaces', () => {
    expect(stripControl(`${Z}*${Z}best${Z}*${Z} case`)).toBe('*best* case');
  });
});

function option(id: number, label: string): PollOptionRow {
  return {
    scenarioId: String(id),
    position: id,
    label,
    name: `s${id}`,
    status: 'optimal',
    totalCost: 100,
    kpis: { fillRate: 0.9 },
    costBreakdown: {},
  };
}

function pollView(labels: readonly string[]): PollView {
  const options = labels.map((l, i) => option(i + 1, l));
  const poll = {
    id: '7',
    cycle_id: 1,
    run_id: '3',
    poll_key: 'k',
    question: '2027-03',
    mode: 'anonymous',
    quorum: null,
    status: 'open',
    channel_id: 'C_EXEC',
    message_ts: '1.0',
    closes_at: null,
    created_by: 'U_CHAIR',
    created_at: new Date(0),
    closed_by: null,
    closed_at: null,
    close_reason: null,
  } as unknown as PollRow;
  return {
    poll,
    options,
    tally: tally(
      options.map((o) => ({ id: o.scenarioId, label: o.label })),
      [{ voter: 'U_A', optionId: '1', counted: true, at: new Date(1), supersededAt: null }],
      null,
    ),
    decision: null,
    chartFileId: null,
    decisionScenario: null,
    replacedBy: null,
    timezone: 'UTC',
  };
}

describe('scenario labels in the vote', () => {
  const v = pollView(['*best* case', 'low_stock_case']);

  it("the tally's bold label shows as typed", () => {
    const lines = tallyText(v).split('\n');
    expect(lines[0]).toBe(`*${Z}*${Z}best${Z}*${Z} case*: 1 vote`);
    expect(lines[1]).toBe('*low_stock_case*: 0 votes');
    expect(seen(lines[0]!)).toBe('<b>*best* case</b>: 1 vote');
    expect(seen(lines[1]!)).toBe('<b>low_stock_case</b>: 0 votes');
  });

  it("each option's heading and the voter's receipt", () => {
    const headings = voteMessage(v)
      .blocks.filter((b) => b.type === 'section' && 'fields' in b && b.fields)
      .map((b) => (b.type === 'section' ? b.text?.text : ''));
    expect(headings).toEqual([`*${Z}*${Z}best${Z}*${Z} case*`, '*low_stock_case*']);
    const receipt = voteReceipt('recorded', '*best* case');
    expect(seen(receipt)).toBe(
      'Your vote for <b>*best* case</b> is counted. You can change it until the vote closes.',
    );
  });
});

const decision = (over: Partial<DecisionLogEntry> = {}): DecisionLogEntry => ({
  id: '4',
  cycle: '2027-03',
  scenario: '*best* case',
  scenarioId: '12',
  runId: '3',
  rationale: 'Margin.',
  decidedBy: 'U_CHAIR',
  decidedAt: new Date('2027-03-20T10:00:00Z'),
  viaVote: false,
  tradeOff: null,
  actions: [] as ActionRow[],
  supersedes: { id: '3', reason: 'see _memo_ of 12 March' },
  ...over,
});

describe('the decision', () => {
  it("the log's bold heading holds the label as typed", () => {
    const m = decisionLogMessage(decision(), { vote: null, timezone: 'UTC' });
    const head = m.blocks[0];
    const text = head?.type === 'section' ? (head.text?.text ?? '') : '';
    expect(text).toBe(`:scroll: *Decision 4, 2027-03: ${Z}*${Z}best${Z}*${Z} case adopted*`);
    expect(seen(text)).toBe('📜 <b>Decision 4, 2027-03: *best* case adopted</b>');
  });

  it("the list's italic line of what it supersedes holds the reason as typed", () => {
    const text = decisionsListText([decision()], 'UTC');
    const line = text.split('\n').find((l) => l.startsWith('_Supersedes'));
    expect(line).toBe(`_Supersedes decision 3: see ${Z}_${Z}memo${Z}_${Z} of 12 March_`);
    expect(seen(line!)).toBe('<i>Supersedes decision 3: see _memo_ of 12 March</i>');
    expect(text.split('\n')[0]).toContain(
      `: *${Z}*${Z}best${Z}*${Z} case* adopted, recorded by <@U_CHAIR>`,
    );
  });
});

describe('scenario lists', () => {
  it('the plan headline and /sop scenario list', () => {
    const headline = planHeadline('3', '2027-03', [
      { name: 'best', label: '_best_', status: 'infeasible', message: null, kpis: {} },
    ]);
    expect(headline.split('\n')[1]).toBe(`• *${Z}_${Z}best${Z}_${Z}*: no plan (infeasible).`);
    expect(seen(headline.split('\n')[1]!)).toBe('• <b>_best_</b>: no plan (infeasible).');
    const list = scenarioListText('2027-03', {
      scenarios: [{ name: 'best', label: 'best*' }],
      defaults: false,
      carriedFrom: null,
    });
    const line = list.split('\n')[1] ?? '';
    expect(line.startsWith(`• *best${Z}*${Z}* (\`best\`): `)).toBe(true);
    expect(seen(line).startsWith('• <b>best*</b> (<code>best</code>): ')).toBe(true);
  });
});

describe("a rep's demand nudge", () => {
  it('names the family codes as typed: no bold, italics or live link from a code', () => {
    const text = demandNudgeText('2027-01', 'Fri 15 Jan', ['*X*', 'LINE_A_', 'R&D<!here>']);
    // Before: "*X*, LINE_A_, R&D<!here>", "X" in bold, and `<!here>` a live @here.
    expect(text).toBe(
      `Reminder for S&OP 2027-01: the demand review closes Fri 15 Jan. You have not reviewed ${Z}*${Z}X${Z}*${Z}, LINE_A${Z}_${Z}, R&amp;D&lt;!here&gt; yet: adjust the forecast with \`/forecast\`, or declare no change with \`/forecast no-change\`, or *No change for my families* in App Home (the Home tab of sopbot).`,
    );
    expect(seen(text)).toContain('You have not reviewed *X*, LINE_A_, R&amp;D&lt;!here&gt; yet');
    // The only bold is the message's own, the App Home button it names; none from a code.
    expect(html(text).match(/<b>.*?<\/b>/g)).toEqual(['<b>No change for my families</b>']);
    expect(html(text)).not.toMatch(/<i>/);
  });
});
