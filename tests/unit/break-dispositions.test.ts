/**
 * What the executive meeting decides about each break of the frozen plan S&OE escalated to it:
 * the form's choice per break (defaulted to defer, or to what the superseded decision chose),
 * within Slack's 100 blocks with many breaks; the parser; and where the decision is shown (its
 * log, `/sop decisions`, the files, the owner's DM), escaped and within Slack's limits.
 */
import { describe, expect, it } from 'vitest';
import { deferredBy } from '../../src/core/break-disposition.js';
import { parseCsv } from '../../src/csv/parse.js';
import {
  type DecidedBreak,
  type DecisionLogEntry,
  decisionsCsv,
  decisionsMarkdown,
} from '../../src/services/decisions.js';
import {
  breakOwnerDm,
  decisionLogMessage,
  decisionModal,
  decisionsListText,
  type EscalationChoice,
  keepTradeOffs,
  MAX_ACTION_ROWS,
  parseDecisionState,
  typedDecisionBreaks,
} from '../../src/slack/presenters/decision.js';
import { validateBlocks, validateView } from '../../src/slack-standin/index.js';
import { blocksTooLong } from '../../src/slack-standin/rules.js';

const choices = [{ scenarioId: '1', label: 'Central' }];
const breaks = (n: number): EscalationChoice[] =>
  Array.from({ length: n }, (_, i) => ({
    id: String(100 + i),
    summary: `FAM-${i + 1} <!channel> broke`,
    owner: 'U_OTTO',
    due: '2027-03-10',
  }));
type Block = {
  type: string;
  block_id?: string;
  label?: { text: string };
  element?: {
    type: string;
    initial_option?: { value: string };
    initial_value?: string;
    options?: { value: string }[];
  };
  elements?: { text: string }[];
  text?: { text: string };
};
const selects = (blocks: readonly unknown[]) =>
  (blocks as Block[]).filter(
    (b) => b.block_id?.startsWith('trade_offs_break_') && !b.block_id.endsWith('_note'),
  );

describe('the decision form asks what the meeting decides about each break', () => {
  it('offers exception, hold or defer, defer chosen, with a note, and escapes what broke', () => {
    const v = decisionModal(
      { cycleId: 1, pollId: null, rows: 3 },
      choices,
      '1',
      undefined,
      breaks(2),
    );
    expect(validateView(v)).toEqual([]);
    const blocks = v.blocks as Block[];
    const [first] = selects(blocks);
    expect(first?.block_id).toBe('trade_offs_break_100');
    expect(first?.label?.text).toBe('Break 1: FAM-1 <!channel> broke');
    expect(first?.element?.options?.map((o) => o.value)).toEqual(['exception', 'hold', 'defer']);
    expect(first?.element?.initial_option?.value).toBe('defer');
    const note = blocks.find((b) => b.block_id === 'trade_offs_break_100_note');
    expect(note?.element?.type).toBe('plain_text_input');
    // The listing is mrkdwn: the typed <!channel> cannot ping.
    expect(JSON.stringify(blocks)).toContain('1. FAM-1 &lt;!channel&gt; broke (owner <@U_OTTO>');
    expect(JSON.stringify(blocks)).not.toContain('breaks_more');
  });

  it('starts a superseding decision from what the decision it replaces chose', () => {
    const [a, b] = breaks(2) as [EscalationChoice, EscalationChoice];
    const v = decisionModal(
      { cycleId: 1, pollId: null, rows: 3, supersedes: '9' },
      choices,
      '1',
      undefined,
      [{ ...a, disposition: 'hold', note: 'overtime on LINE-2' }, b],
    );
    const blocks = v.blocks as Block[];
    expect(selects(blocks).map((s) => s.element?.initial_option?.value)).toEqual(['hold', 'defer']);
    expect(
      blocks.find((x) => x.block_id === 'trade_offs_break_100_note')?.element?.initial_value,
    ).toBe('overtime on LINE-2');
  });

  it('stays within 100 blocks with 40 breaks, even at the most action rows, and says what it leaves out', () => {
    // By hand: scenario 1 + rationale 1 + header and hint 2 + 10 action rows × 3 + the line
    // under them 1 = 35 blocks; 100 − 35 = 65 for the breaks: one listing section (40 short
    // lines), one "more" line, then two blocks a break: (65 − 1 − 1) / 2 = 31 breaks asked,
    // 32–40 left out. They leave no room for an 11th action row.
    for (const rows of [3, MAX_ACTION_ROWS]) {
      const v = decisionModal(
        { cycleId: 1, pollId: null, rows },
        choices,
        '1',
        undefined,
        breaks(40),
      );
      expect(validateView(v)).toEqual([]);
      expect(v.blocks.length).toBeLessThanOrEqual(100);
      expect(selects(v.blocks)).toHaveLength(31);
      const more = (v.blocks as Block[]).find((b) => b.block_id === 'trade_offs_breaks_more');
      expect(more?.elements?.[0]?.text).toContain(
        'Breaks 32–40 do not fit in this form (Slack holds 100 blocks): this decision decides nothing about them: they come back to the next meeting.',
      );
    }
    // Asked for 20 rows, it holds 10: 35 + 1 listing + 62 + 1 more line = 99, the last block
    // saying how to add more actions where "Add another action" was.
    const full = decisionModal(
      { cycleId: 1, pollId: null, rows: MAX_ACTION_ROWS },
      choices,
      '1',
      undefined,
      breaks(40),
    );
    expect(full.blocks).toHaveLength(99);
    expect(JSON.parse(full.private_metadata ?? '{}')).toMatchObject({ rows: 10, most: 10 });
    expect((full.blocks as Block[]).at(-1)?.elements?.[0]?.text).toBe(
      '_This form holds 10 actions. For more, record the decision, then use the message shortcut *Make an S&OP action* (the ⋯ menu) on its decision log in the executive channel, once for each action: it asks for the owner, the due date and what is to be done._',
    );
  });

  it('a form opened before it kept its most rows stays within 100 blocks at its 10th row', () => {
    // Such a form gave its breaks 100 − others − 30 blocks: with the scenario, the rationale,
    // the header and the hint (4), 66: one listing section, 32 breaks of two blocks and the
    // line saying what it leaves out. It filled 100 blocks at 10 rows, with nothing under
    // them; the line now under the 10th row would make 101, which Slack refuses.
    const drawn = decisionModal(
      { cycleId: 1, pollId: null, rows: 3 },
      choices,
      '1',
      undefined,
      breaks(40),
    ).blocks as Block[];
    const kept = drawn.filter((b) => b.block_id?.startsWith('trade_offs'));
    const last = kept.filter((b) => b.block_id?.startsWith('trade_offs_break_')).slice(-2);
    const extra = last.map((b) => ({
      ...b,
      block_id: b.block_id!.replace('trade_offs_break_130', 'trade_offs_break_131'),
    }));
    const old = [...kept.slice(0, -1), ...extra, kept.at(-1)!];
    expect(old).toHaveLength(66);
    // Its metadata has no `most`: vote-buttons reads it as 10 (BREAKS_LEAVE_ROWS); the
    // presenter alone, as the most the blocks leave.
    for (const meta of [
      { cycleId: 1, pollId: null, rows: 9, most: 10 },
      { cycleId: 1, pollId: null, rows: 9 },
    ]) {
      const before = keepTradeOffs(decisionModal(meta, choices, '1'), old);
      // 1 + 66 + 3 + 9 rows × 3 + "Add another action" = 98.
      expect(before.blocks).toHaveLength(98);
      const after = keepTradeOffs(
        decisionModal({ ...meta, rows: 10 }, choices, '1'),
        before.blocks,
      );
      expect(after.blocks).toHaveLength(100);
      expect(validateView(after)).toEqual([]);
      const ids = (after.blocks as Block[]).map((b) => b.block_id);
      expect(ids).toContain('a10_desc');
      expect(ids).not.toContain('more');
    }
  });

  it('keeps the form valid when what broke is long: the listing is bounded', () => {
    const long = breaks(60).map((b) => ({ ...b, summary: `${'x'.repeat(2900)} <b>` }));
    const v = decisionModal(
      { cycleId: 1, pollId: null, rows: MAX_ACTION_ROWS, supersedes: '3' },
      [{ scenarioId: '1', label: 'Central', tradeOff: 'y'.repeat(2500) }, ...choices],
      '1',
      undefined,
      long,
    );
    expect(validateView(v)).toEqual([]);
    expect(v.blocks.length).toBeLessThanOrEqual(100);
  });
});

describe('parsing the dispositions', () => {
  const base = {
    scenario: { pick: { selected_option: { value: '1' } } },
    rationale: { text: { value: 'Protects service.' } },
  };
  it('reads each break’s choice and its note, trimmed, and refuses a value not offered', () => {
    const p = parseDecisionState(
      {
        ...base,
        trade_offs_break_100: { pick: { selected_option: { value: 'exception' } } },
        trade_offs_break_100_note: { text: { value: '  FAM-1 May may change \n' } },
        trade_offs_break_101: { pick: { selected_option: { value: 'defer' } } },
        trade_offs_break_101_note: { text: { value: '   ' } },
        trade_offs_break_102: { pick: { selected_option: { value: 'approve' } } },
      },
      0,
      '2027-03-29',
      'UTC',
    );
    expect(p.dispositions).toEqual([
      { deviationId: '100', disposition: 'exception', note: 'FAM-1 May may change' },
      { deviationId: '101', disposition: 'defer', note: null },
    ]);
    expect(p.errors).toEqual({
      trade_offs_break_102: 'Choose what the meeting decides about this break.',
    });
  });
});

const decided = (n: number, note: string | null): DecidedBreak[] =>
  Array.from({ length: n }, (_, i) => ({
    deviationId: String(100 + i),
    summary: `LINE-${i + 1} *stopped* <@U_EVE>`,
    disposition: (['exception', 'hold', 'defer'] as const)[i % 3]!,
    chosen: true,
    note,
    actionId: String(10 + i),
    owner: 'U_OTTO',
  }));
const entry = (dispositions: DecidedBreak[]): DecisionLogEntry => ({
  id: '4',
  cycle: '2027-03',
  scenario: 'Central',
  scenarioId: '7',
  runId: '3',
  rationale: 'Protects service.',
  decidedBy: 'U_PAT',
  decidedAt: new Date('2027-03-29T10:00:00Z'),
  viaVote: false,
  tradeOff: null,
  actions: [],
  dispositions,
});

// In Slack, what broke is escaped and its marks kept from the bot's: each `*` of "*stopped*"
// gets a zero-width space on each side, so it neither opens nor closes bold (escInMarks).
describe('the decision shows what it decided about the breaks', () => {
  it('in its log: each break, escaped, and what an exception lets people do next', () => {
    const msg = decisionLogMessage(entry(decided(2, 'absorb <!here> & overtime')), {
      vote: null,
      timezone: 'UTC',
    });
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain(
      '*Breaks of the frozen plan escalated from S&OE* (2)\\n• *Exception granted*: LINE-1 \u200b*\u200bstopped\u200b*\u200b &lt;@U_EVE&gt; (owner <@U_OTTO>, action #10). Note: absorb &lt;!here&gt; &amp; overtime',
    );
    expect(text).toContain('• *Plan held*: LINE-2');
    expect(text).toContain(
      "Exception granted: the frozen plan may change for it: the next cycle's plan does not hold the family's frozen months to this plan and plans its production there afresh",
    );
    expect(text).toContain(
      'Plan held: the frozen plan stands: the deviation is absorbed within it.',
    );
  });

  it('in its log with 60 breaks and long notes: within the message limits, the rest counted', () => {
    const msg = decisionLogMessage(entry(decided(60, 'n'.repeat(500))), {
      vote: null,
      timezone: 'UTC',
    });
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(msg.blocks)).toBe(false);
    expect(JSON.stringify(msg.blocks)).toMatch(
      /…and \d+ more breaks: `\/sop decisions md` has the full log/,
    );
  });

  it('in /sop decisions, the markdown and the CSV', () => {
    const e = entry(decided(2, 'see | pipes'));
    expect(decisionsListText([e], 'UTC')).toContain(
      '_Breaks of the frozen plan:_\n• *Exception granted*: LINE-1 \u200b*\u200bstopped\u200b*\u200b &lt;@U_EVE&gt; (owner <@U_OTTO>, action #10). Note: see | pipes',
    );
    const md = decisionsMarkdown([e], 'UTC', 'Decision log', (id) =>
      id === 'U_OTTO' ? 'Otto' : id,
    );
    expect(md).toContain(
      '- Breaks of the frozen plan escalated from S&OE:\n  - exception granted: LINE-1 *stopped* <@U_EVE> (owner Otto, action #10). Note: see | pipes\n  - plan held: LINE-2',
    );
    const [header, row] = parseCsv(decisionsCsv([e])).map((r) => r.fields);
    expect(header?.at(-1)).toBe('break_dispositions');
    expect(row?.at(-1)).toBe(
      'exception granted: LINE-1 *stopped* <@U_EVE> (owner U_OTTO, action #10). Note: see | pipes\nplan held: LINE-2 *stopped* <@U_EVE> (owner U_OTTO, action #11). Note: see | pipes',
    );
  });

  it('in the owner’s DM: what was decided, what it lets people do, and that the action stays open', () => {
    const dm = breakOwnerDm({ id: '4', cycle: '2027-03' }, decided(3, null));
    expect(validateBlocks(dm.blocks, 'message')).toEqual([]);
    const text = JSON.stringify(dm.blocks);
    expect(text).toContain(
      'The executive meeting of 2027-03 decided on 3 breaks of the frozen plan you own (decision 4):',
    );
    expect(text).toContain(
      '• *Deferred to the next meeting*: LINE-3 \u200b*\u200bstopped\u200b*\u200b &lt;@U_EVE&gt; (action #12)',
    );
    expect(text).toContain(
      'Your S&OE actions #10, #11, #12 stay open: mark each done when the deviation is handled.',
    );
    expect(text).toContain(
      'Deferred to the next meeting: the next executive meeting takes it up again.',
    );
  });
});

describe('a break the decision chose nothing for (typed `/sop decide`)', () => {
  // Decision 4 chose an exception for LINE-1 in the form and nothing for LINE-2 and LINE-3
  // (recorded as defer, not chosen).
  const mixed = decided(3, null).map((d, i) =>
    i === 0 ? d : { ...d, disposition: 'defer' as const, chosen: false },
  );

  it('tells the owner what was decided and which come back undecided, in one DM', () => {
    const dm = breakOwnerDm({ id: '4', cycle: '2027-03' }, mixed);
    expect(validateBlocks(dm.blocks, 'message')).toEqual([]);
    const text = JSON.stringify(dm.blocks);
    expect(text).toContain(
      'The executive meeting of 2027-03 decided on a break of the frozen plan you own and did not decide 2, which come back to the next meeting (decision 4):',
    );
    expect(text).toContain('• *Exception granted*: LINE-1');
    expect(text).toContain(
      '• *Not decided, comes back to the next meeting*: LINE-2 \u200b*\u200bstopped\u200b*\u200b &lt;@U_EVE&gt; (action #11)',
    );
    expect(text).toContain(
      'Not decided, comes back to the next meeting: nobody chose what becomes of it, so the next executive meeting takes it up.',
    );
    expect(text).not.toContain('Deferred');
  });

  it('says the meeting decided nothing when it chose for none of them', () => {
    const dm = breakOwnerDm({ id: '4', cycle: '2027-03' }, mixed.slice(1));
    const text = JSON.stringify(dm.blocks);
    expect(text).toContain(
      'The executive meeting of 2027-03 did not decide 2 breaks of the frozen plan you own (decision 4); they come back to the next meeting:',
    );
    expect(text).not.toContain('decided on');
    expect(dm.text).not.toContain('decided on');
  });

  it('writes it as not decided in /sop decisions, the markdown and the CSV', () => {
    const e = entry(mixed);
    expect(decisionsListText([e], 'UTC')).toContain(
      '• *Not decided, comes back to the next meeting*: LINE-2 \u200b*\u200bstopped\u200b*\u200b &lt;@U_EVE&gt; (owner <@U_OTTO>, action #11)',
    );
    expect(decisionsMarkdown([e], 'UTC')).toContain(
      '  - not decided, comes back to the next meeting: LINE-3 *stopped* <@U_EVE> (owner U_OTTO, action #12)',
    );
    const [, row] = parseCsv(decisionsCsv([e])).map((r) => r.fields);
    expect(row?.at(-1)).toContain(
      '\nnot decided, comes back to the next meeting: LINE-2 *stopped* <@U_EVE> (owner U_OTTO, action #11)',
    );
  });

  it('names them in the answer, the first five, and says how to decide them', () => {
    const open = Array.from({ length: 7 }, (_, i) => ({
      summary: `LINE-${i + 1} stopped`,
      chosen: false,
    }));
    expect(typedDecisionBreaks(open)).toBe(
      [
        '',
        'It did not decide the 7 breaks of the frozen plan escalated to this meeting: they come back to the next meeting.',
        '• LINE-1 stopped',
        '• LINE-2 stopped',
        '• LINE-3 stopped',
        '• LINE-4 stopped',
        '• LINE-5 stopped',
        '_…and 2 more breaks: `/sop pack md` lists them all._',
        'To decide them now (grant an exception, hold the plan or defer), `/sop decide` with no text opens the form.',
      ].join('\n'),
    );
    expect(
      typedDecisionBreaks([
        { summary: 'LINE-1 stopped', chosen: false },
        { summary: 'LINE-2 stopped', chosen: true },
      ]),
    ).toBe(
      [
        '',
        'It did not decide the break of the frozen plan escalated to this meeting: it comes back to the next meeting.',
        '• LINE-1 stopped',
        'To decide it now (grant an exception, hold the plan or defer), `/sop decide` with no text opens the form.',
        '1 break keeps what the decision it supersedes chose.',
      ].join('\n'),
    );
    expect(typedDecisionBreaks([])).toBe('');
  });
});

describe('which meetings deferred a break', () => {
  it('names the meetings that did not decide it apart from those that deferred it', () => {
    expect(deferredBy(['2027-03'], null, undefined, ['2027-03'])).toBe(
      'not decided by the 2027-03 meeting',
    );
    expect(
      deferredBy(['2027-01', '2027-02', '2027-03'], 'ask the supplier', undefined, ['2027-02']),
    ).toBe(
      'deferred by the 2027-01 and 2027-03 meetings, not decided by the 2027-02 meeting: “ask the supplier”',
    );
  });

  it('names one, two or three meetings, and the note as one line', () => {
    expect(deferredBy([], null)).toBe('deferred by an earlier meeting');
    expect(deferredBy(['2027-01'], '  ')).toBe('deferred by the 2027-01 meeting');
    expect(deferredBy(['2027-01', '2027-02'], 'waiting for\nthe answer')).toBe(
      'deferred by the 2027-01 and 2027-02 meetings: “waiting for the answer”',
    );
    expect(deferredBy(['2027-01', '2027-02', '2027-04'], 'a_b *c*', (t) => `[${t}]`)).toBe(
      'deferred by the 2027-01, 2027-02 and 2027-04 meetings: “[a_b *c*]”',
    );
  });
});
