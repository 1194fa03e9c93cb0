/** The S&OE modal's parser and the deviation and digest messages (Block Kit checked). */
import { describe, expect, it } from 'vitest';
import {
  actionDm,
  reassignedLine,
  reminderDigestDm,
  withoutButtons,
} from '../../src/slack/presenters/actions.js';
import {
  deviationMessage,
  digestMessage,
  executionModal,
  parseExecutionState,
} from '../../src/slack/presenters/execution.js';
import { validateBlocks } from '../../src/slack-standin/index.js';

const v = (value: string) => ({ value: { value } });

describe('/sop execution form', () => {
  it('names each missing or wrong field', () => {
    const r = parseExecutionState({
      kind: { pick: { selected_option: null } },
      code: v(' '),
      day: { date: { selected_date: null } },
      expected: v('-3'),
      actual: v(''),
      comment: v(''),
    });
    expect(r.errors).toEqual({
      kind: 'Choose what happened.',
      code: 'Give the supplier, line or family code.',
      day: 'Pick a day of the week concerned.',
      expected: 'Quantity expected: give a number of units from 0 to 1,000,000,000.',
      comment: 'Say what you know.',
    });
    const half = parseExecutionState({
      kind: { pick: { selected_option: { value: 'supplier_delay' } } },
      code: v('SUP-1'),
      day: { date: { selected_date: '2027-02-10' } },
      expected: v('100'),
      actual: v(''),
      comment: v('late'),
    });
    expect(half.errors).toEqual({ actual: 'Give both quantities, or neither.' });
  });

  it('refuses huge quantities, naming the field and the limit', () => {
    const r = parseExecutionState({
      kind: { pick: { selected_option: { value: 'supplier_delay' } } },
      code: v('SUP-1'),
      day: { date: { selected_date: '2027-02-10' } },
      expected: v('99999999999999'),
      actual: v('1e30'),
      comment: v('late'),
    });
    expect(r.errors).toEqual({
      expected:
        "Quantity expected: '99999999999999' is more than the limit of 1,000,000,000 units; check the value.",
      actual: 'Quantity you now expect: give a number of units from 0 to 1,000,000,000.',
    });
    expect(r.expected).toBeNull();
    expect(r.actual).toBeNull();
    // The limit itself is accepted.
    const edge = parseExecutionState({
      kind: { pick: { selected_option: { value: 'supplier_delay' } } },
      code: v('SUP-1'),
      day: { date: { selected_date: '2027-02-10' } },
      expected: v('1,000,000,000'),
      actual: v('0'),
      comment: v('late'),
    });
    expect(edge.errors).toEqual({});
    expect([edge.expected, edge.actual]).toEqual([1_000_000_000, 0]);
  });

  it('strips control characters from the comment and refuses one over 1,000 characters', () => {
    const report = (comment: string) =>
      parseExecutionState({
        kind: { pick: { selected_option: { value: 'supplier_delay' } } },
        code: v('SUP-1'),
        day: { date: { selected_date: '2027-02-10' } },
        expected: v(''),
        actual: v(''),
        comment: v(comment),
      });
    const clean = report('Truck\u0000 late\u0007\r\nat the dock\tB');
    expect(clean.errors).toEqual({});
    expect(clean.comment).toBe('Truck late\nat the dock\tB');
    expect(report('z'.repeat(1001)).errors).toEqual({
      comment: 'What you know is 1,001 characters; keep it to 1,000.',
    });
    expect(report('\u0000\u0001').errors).toEqual({ comment: 'Say what you know.' });
  });

  it('parses a complete report', () => {
    const r = parseExecutionState({
      kind: { pick: { selected_option: { value: 'quality_hold' } } },
      code: v(' FAM-2 '),
      day: { date: { selected_date: '2027-02-10' } },
      expected: v('100'),
      actual: v('62.5'),
      comment: v('Batch 42 on hold'),
    });
    expect(r).toEqual({
      kind: 'quality_hold',
      code: 'FAM-2',
      day: '2027-02-10',
      expected: 100,
      actual: 62.5,
      comment: 'Batch 42 on hold',
      errors: {},
    });
  });

  it('a deviation names who reported it and its owner in plain text, escaped, and mentions nobody', () => {
    const m = deviationMessage(
      {
        id: '8',
        kind: 'reported',
        week: '2027-02-08',
        summary: 'Supplier delay on SUP-1',
        comment: null,
        owner: 'U_NINA',
        due: '2027-02-10',
        actionId: '13',
        frozenBreak: false,
        reportedBy: 'U_OTTO',
      },
      (id) => (id === 'U_OTTO' ? 'Otto <Ops> & *co*' : id === 'U_NINA' ? 'Nina' : id),
    );
    const all = `${m.text}${JSON.stringify(m.blocks)}`;
    expect(JSON.stringify(m.blocks)).toContain(
      'Weekly S&OE · week of 2027-02-08 · deviation 8 · reported by Otto &lt;Ops&gt; &amp; \u200b*\u200bco\u200b*\u200b',
    );
    // The reporter did something; the owner is asked to act, by the action's DM sent with
    // the post: the channel's post names them rather than ping them a second time.
    expect(all).not.toContain('<@');
    expect(JSON.stringify(m.blocks)).toContain('Suggested owner Nina, due 2027-02-10');
    expect(m.text).toContain('Suggested owner Nina, due 2027-02-10 (action #13).');
  });

  it('the modal and the messages are valid Block Kit; typed text is escaped', () => {
    expect(validateBlocks(executionModal('2027-02-08').blocks, 'modal')).toEqual([]);
    const m = deviationMessage({
      id: '7',
      kind: 'reported',
      week: '2027-02-08',
      summary: 'Supplier delay on SUP-1',
      comment: 'Strike <here> & there',
      owner: 'U_OTTO',
      due: '2027-02-10',
      actionId: '12',
      frozenBreak: true,
      reportedBy: 'U_OTTO',
    });
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(m.blocks)).toContain('Strike &lt;here&gt; &amp; there');
    expect(JSON.stringify(m.blocks)).toContain('goes to the next executive meeting');
    // The suggested owner may be the wrong one: the post names Reassign beside Done and Snooze.
    expect(JSON.stringify(m.blocks)).toContain(
      'Suggested owner U_OTTO, due 2027-02-10 (action #12: Done, Snooze and Reassign in their DM; `/sop actions` lists it).',
    );
    // What to do, in the post and in its action's DM and reminders alike.
    const task =
      'To do: find the cause and act within the adopted plan (expedite, re-sequence or re-allocate) without reopening it, then mark the action Done.';
    expect(JSON.stringify(m.blocks)).toContain(task);
    const action = {
      id: '12',
      owner: 'U_OTTO',
      due_date: '2027-02-10',
      description: 'Supplier delay on SUP-1',
      status: 'open' as const,
      decision_id: null,
    };
    expect(JSON.stringify(actionDm(action, 'assigned').blocks)).toContain(
      `Due *2027-02-10*\\n${task}`,
    );
    expect(JSON.stringify(actionDm(action, 'overdue').blocks)).toContain(
      `Due *2027-02-10*\\nFrom the weekly S&OE check. ${task}`,
    );
    // An action the executives set says nothing of it.
    expect(JSON.stringify(actionDm({ ...action, decision_id: '3' }, 'due').blocks)).not.toContain(
      'To do:',
    );
    // Given away, the old owner's DMs no longer ask them to do it: the assignment, a reminder
    // (redrawn from the ledger) and a one-action digest alike, as a longer digest's item.
    const g = { to: 'U_NINA', by: 'U_ADA', at: new Date('2027-02-05T10:00:00Z') };
    const given = ':arrow_right: Reassigned to <@U_NINA> by <@U_ADA> on 2027-02-05.';
    const sectionTexts = (msg: { blocks: readonly unknown[] }) =>
      msg.blocks.map((b) => JSON.stringify(b)).join('\n');
    const assigned = withoutButtons(actionDm(action, 'assigned'), action, reassignedLine(g, 'UTC'));
    expect(assigned.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':memo: You own a follow-up action from the weekly S&OE check\n*#12* Supplier delay on SUP-1\nDue *2027-02-10*',
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: given }] },
    ]);
    const overdue = withoutButtons(actionDm(action, 'overdue'), action, reassignedLine(g, 'UTC'));
    expect(sectionTexts(overdue)).toContain('Due *2027-02-10*\\nFrom the weekly S&OE check."}');
    expect(sectionTexts(overdue)).not.toContain('To do:');
    const digest = reminderDigestDm([{ ...action, daysLeft: -1, givenAway: g }], 'UTC', g.at);
    expect(sectionTexts(digest)).not.toContain('To do:');
    expect(sectionTexts(digest)).toContain(given);
    const d = digestMessage({
      week: '2027-02-01',
      sales: null,
      production: 12.4,
      deviations: [],
      nextMeeting: { breaks: 0, done: 0 },
    });
    expect(validateBlocks(d.blocks, 'message')).toEqual([]);
    // No deviation is said once, in the list's place; the sales, not imported, were not
    // checked, so the week is not said to have run to plan.
    expect(JSON.stringify(d.blocks)).toContain(
      'Sales not imported, production 12 units. No break of the frozen plan goes to the next executive meeting.',
    );
    expect(JSON.stringify(d.blocks)).toContain(
      "No deviation in the week's production; import its sales (`sopbot import weekly-sales`) to check them too.",
    );
    expect(JSON.stringify(d.blocks)).not.toContain('ran to plan');
  });

  it("the digest's count for the next executive meeting is the one it is given, done ones too", () => {
    // One open deviation listed, which breaks the frozen plan; the next meeting takes up two
    // breaks (the pack's definition), one of them done and not listed here.
    const deviations = [
      {
        summary: 'FAM-1 sold 150',
        week: '2027-02-01',
        owner: 'U_RITA',
        due: '2027-02-10',
        status: 'open',
        frozenBreak: true,
        actionId: '1',
      },
    ];
    const text = (n: { breaks: number; done: number }) =>
      JSON.stringify(
        digestMessage({ week: '2027-02-01', sales: 1, production: 1, deviations, nextMeeting: n })
          .blocks,
      );
    expect(text({ breaks: 2, done: 1 })).toContain(
      '1 deviation open. 2 breaks of the frozen plan go to the next executive meeting, 1 of them done.',
    );
    expect(text({ breaks: 1, done: 1 })).toContain(
      '1 deviation open. 1 break of the frozen plan goes to the next executive meeting, done already.',
    );
    expect(text({ breaks: 3, done: 0 })).toContain(
      '3 breaks of the frozen plan go to the next executive meeting.',
    );
  });

  it("the digest lists whole lines and counts the rest, whatever the codes' length", () => {
    // 40 deviations of families with 64-character codes: each line some 230 characters, so
    // 3,000 hold about 12; before, 15 lines were cut at 3,000 mid-line and the count was lost.
    const code = (i: number) => `FAM-${String(i).padStart(2, '0')}-${'X'.repeat(57)}`;
    const deviations = Array.from({ length: 40 }, (_, i) => ({
      summary: `${code(i)} sold 250 in the week of 2027-02-01, above 219, the top of its forecast range (+14.2%)`,
      week: '2027-02-01',
      owner: 'U_RITA',
      due: '2027-02-10',
      status: 'open',
      frozenBreak: i % 2 === 0,
      actionId: String(i + 1),
    }));
    const d = digestMessage({
      week: '2027-02-01',
      sales: 1,
      production: 1,
      deviations,
      nextMeeting: { breaks: 20, done: 0 },
    });
    expect(validateBlocks(d.blocks, 'message')).toEqual([]);
    const text = (d.blocks[2] as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    const lines = text.split('\n');
    const shown = lines.filter((l) => l.startsWith('• '));
    expect(shown.every((l) => l.endsWith('due 2027-02-10'))).toBe(true);
    expect(lines.at(-1)).toBe(
      `_…and ${40 - shown.length} more deviations: \`/sop actions\` lists the open ones._`,
    );
  });

  it("the digest names the owners its deviations' own posts pinged, and mentions one whose post never went out", () => {
    const row = (summary: string, owner: string, announced: boolean) => ({
      summary,
      week: '2027-02-01',
      owner,
      due: '2027-02-10',
      status: 'open',
      frozenBreak: false,
      actionId: '5',
      announced,
    });
    const names: Record<string, string> = { U_RITA: 'Rita <R&D> *sales*', U_OTTO: 'Otto' };
    const d = digestMessage(
      {
        week: '2027-02-01',
        sales: 1,
        production: 1,
        deviations: [row('FAM-1 sold 150', 'U_RITA', true), row('FAM-2 made 80', 'U_OTTO', true)],
        nextMeeting: { breaks: 0, done: 0 },
      },
      (id) => names[id] ?? id,
    );
    // The name is typed: escaped, each * beside a zero-width space so it makes nothing bold.
    const b = '\u200B';
    expect((d.blocks[2] as { text: { text: string } }).text.text).toBe(
      [
        `• FAM-1 sold 150 · Rita &lt;R&amp;D&gt; ${b}*${b}sales${b}*${b} due 2027-02-10`,
        '• FAM-2 made 80 · Otto due 2027-02-10',
      ].join('\n'),
    );
    expect(JSON.stringify(d)).not.toContain('<@');
    // A deviation whose own post never went out: the digest is the first to tell its owner.
    const unsent = digestMessage(
      {
        week: '2027-02-01',
        sales: 1,
        production: 1,
        deviations: [row('FAM-2 made 80', 'U_OTTO', false)],
        nextMeeting: { breaks: 0, done: 0 },
      },
      (id) => names[id] ?? id,
    );
    expect((unsent.blocks[2] as { text: { text: string } }).text.text).toBe(
      '• FAM-2 made 80 · <@U_OTTO> due 2027-02-10',
    );
  });

  it('the digest does not repeat the figures of deviations already posted: it lists them by kind and code', () => {
    const posted = {
      summary:
        'FAM-1 sold 250 units in the week of 2027-03-01, above 219, the top of its forecast range (+14.2%)',
      kind: 'sales_above_p90' as const,
      code: 'R&D',
      week: '2027-03-01',
      owner: 'U_RITA',
      due: '2027-03-10',
      status: 'overdue',
      frozenBreak: true,
      actionId: '3',
      announced: true,
    };
    const never = {
      ...posted,
      summary: 'SUP-1 delivered 600 of 1,000 units due in the week of 2027-03-01 (−40.0%)',
      kind: 'supplier_short' as const,
      code: 'SUP-1',
      owner: 'U_OTTO',
      status: 'open',
      frozenBreak: false,
      actionId: '5',
      announced: false,
    };
    const d = digestMessage(
      {
        week: '2027-03-01',
        sales: 1,
        production: 1,
        deviations: [posted, never],
        nextMeeting: { breaks: 1, done: 0 },
      },
      (id) => (id === 'U_RITA' ? 'Rita' : id),
    );
    expect(validateBlocks(d.blocks, 'message')).toEqual([]);
    expect((d.blocks[2] as { text: { text: string } }).text.text).toBe(
      [
        '• :rotating_light: *OVERDUE* *Sales above range* R&amp;D · breaks the frozen plan · Rita due 2027-03-10 · action #3',
        // Never posted: the digest is the first to give its figures and to tell its owner.
        '• SUP-1 delivered 600 of 1,000 units due in the week of 2027-03-01 (−40.0%) · <@U_OTTO> due 2027-03-10',
      ].join('\n'),
    );
    expect(JSON.stringify(d.blocks)).not.toContain('sold 250');
    expect(JSON.stringify(d.blocks[3])).toContain('their posts have the figures');
  });

  it("the digest's lines say in words what their emoji mark: done, and a frozen-plan break", () => {
    const row = (over: { status: string; frozenBreak: boolean; summary: string }) => ({
      week: '2027-02-01',
      owner: 'U_RITA',
      due: '2027-02-10',
      actionId: '5',
      ...over,
    });
    const d = digestMessage({
      week: '2027-02-01',
      sales: 1,
      production: 1,
      deviations: [
        row({ status: 'done', frozenBreak: true, summary: 'FAM-1 sold 150' }),
        row({ status: 'overdue', frozenBreak: false, summary: 'FAM-2 made 80' }),
      ],
      nextMeeting: { breaks: 1, done: 1 },
    });
    expect((d.blocks[2] as { text: { text: string } }).text.text).toBe(
      [
        '• :rotating_light: :white_check_mark: *done* FAM-1 sold 150 · breaks the frozen plan · <@U_RITA> due 2027-02-10',
        '• *OVERDUE* FAM-2 made 80 · <@U_RITA> due 2027-02-10',
      ].join('\n'),
    );
  });
});
