/** `/sop constraints`' presenter: the list, its buttons, what a click did, and its limits. */
import { describe, expect, it } from 'vitest';
import type { ConstraintClosed, ConstraintEntry } from '../../src/services/constraints.js';
import {
  CONSTRAINT_RESOLVE,
  CONSTRAINT_WITHDRAW,
  constraintClosedNote,
  constraintClosedNotice,
  constraintListMessage,
  constraintText,
  monthRanges,
} from '../../src/slack/presenters/constraints.js';
import { supplyNudgeText } from '../../src/slack/presenters/cycle.js';
import { blocksTooLong, validateBlocks } from '../../src/slack-standin/rules.js';

const overhaul: ConstraintEntry = {
  id: '41',
  code: 'LINE-2',
  name: 'Line 2 <presses>',
  months: ['2027-04', '2027-03'],
  kind: 'delta_pct',
  value: -30,
  reason: 'maintenance',
  comment: 'Spindle <!channel> & *bold*',
  author: 'U0OTTO',
  enteredIn: '2027-01',
};

const imported: ConstraintEntry = {
  id: '7',
  code: 'SUP-1&2',
  name: 'Frames',
  months: ['2027-05', '2027-06', '2027-08'],
  kind: 'set',
  value: 1200,
  reason: 'supplier_cap',
  comment: null,
  author: 'import <csv>',
  enteredIn: null,
};

const texts = (blocks: readonly unknown[]): string[] =>
  blocks.flatMap((b) => {
    const x = b as { text?: { text: string }; elements?: { text?: string | { text: string } }[] };
    if (x.text) return [x.text.text];
    return (x.elements ?? []).map((e) =>
      typeof e.text === 'string' ? e.text : (e.text?.text ?? ''),
    );
  });

describe('monthRanges', () => {
  it('writes consecutive months as ranges, in order', () => {
    expect(monthRanges(['2027-04', '2027-03'])).toBe('2027-03..2027-04');
    expect(monthRanges(['2027-05', '2027-06', '2027-08'])).toBe('2027-05..2027-06, 2027-08');
    expect(monthRanges(['2027-12', '2028-01'])).toBe('2027-12..2028-01');
    expect(monthRanges(['2027-02'])).toBe('2027-02');
  });
});

describe('constraintText', () => {
  it('escapes what people typed and imported, and mentions only a Slack user', () => {
    expect(constraintText(overhaul)).toBe(
      '*#41* *LINE-2* 2027-03..2027-04 -30% (maintenance) — “Spindle &lt;!channel&gt; &amp; *bold*”\nEntered by <@U0OTTO> in the 2027-01 cycle · Line 2 &lt;presses&gt;',
    );
    expect(constraintText(imported)).toBe(
      '*#7* *SUP-1&amp;2* 2027-05..2027-06, 2027-08 =1,200 (supplier cap)\nEntered by import &lt;csv&gt; · Frames',
    );
  });
});

describe('constraintListMessage', () => {
  const list = { cycleMonth: '2027-02', cycleOpen: true, entries: [overhaul, imported] };

  it('gives those who may act Resolve and Withdraw (with a confirm) under each constraint', () => {
    const m = constraintListMessage(list, { canAct: true });
    expect(m.text).toBe('Open capacity constraints for the plans of the 2027-02 cycle: 2');
    expect(texts(m.blocks)).toEqual([
      '*Open capacity constraints for the plans of the 2027-02 cycle: 2*',
      '*Resolve* when it happened and no longer limits the capacity; *Withdraw* when it was entered by mistake or cancelled. Either way the plan is recomputed without it.',
      constraintText(overhaul),
      'Resolve',
      'Withdraw',
      constraintText(imported),
      'Resolve',
      'Withdraw',
    ]);
    const actions = m.blocks[3] as {
      block_id: string;
      elements: { action_id: string; value: string }[];
    };
    expect(actions.block_id).toBe('constraint_actions_41');
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      [CONSTRAINT_RESOLVE, '41'],
      [CONSTRAINT_WITHDRAW, '41'],
    ]);
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(m.blocks)).toBe(false);
  });

  it('shows others the list without buttons, and who acts on it', () => {
    const m = constraintListMessage(list, { canAct: false });
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(texts(m.blocks)[1]).toBe('Operations, planners and admins resolve or withdraw these.');
  });

  it('says when none is open, and what makes one', () => {
    const m = constraintListMessage(
      { cycleMonth: '2027-02', cycleOpen: false, entries: [] },
      { canAct: true, notice: ':white_check_mark: Resolved: x.' },
    );
    expect(texts(m.blocks)).toEqual([
      ':white_check_mark: Resolved: x.',
      'No open capacity constraints from 2027-02 on (no cycle is open).',
      'A capacity update that leaves a resource less capacity than before (`/capacity`) is a constraint: every plan for its months uses it until it is resolved or withdrawn here.',
    ]);
    expect(m.text).toBe(
      ':white_check_mark: Resolved: x. No open capacity constraints from 2027-02 on (no cycle is open).',
    );
  });

  it("the notification drops the message's bold but keeps a code's typed star", () => {
    // LINE*2 (a star between two letters or digits opens no bold in mrkdwn) was resolved: the
    // notice names it as the list's section does, and so must the notification.
    const m = constraintListMessage(
      { cycleMonth: '2027-02', cycleOpen: true, entries: [imported] },
      {
        canAct: true,
        notice: ':white_check_mark: Resolved #9 *LINE*2* 2027-03 -30% (maintenance).',
      },
    );
    expect(m.text).toBe(
      ':white_check_mark: Resolved #9 LINE*2 2027-03 -30% (maintenance). Open capacity constraints for the plans of the 2027-02 cycle: 1',
    );
  });

  it('lists whole constraints within Slack’s limits, then how many more', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...overhaul,
      id: String(1000 + i),
      comment: 'x'.repeat(400),
    }));
    const m = constraintListMessage(
      { cycleMonth: '2027-02', cycleOpen: true, entries: many },
      { canAct: true },
    );
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(m.blocks).length).toBeLessThanOrEqual(11_000);
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(m.blocks)).toBe(false);
    const sections = m.blocks.filter(
      (b) => b.type === 'section' && b.block_id?.startsWith('constraint_'),
    );
    const shown = sections.length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(60);
    // Each constraint shown is whole, with its buttons; the last line counts the rest.
    expect(m.blocks.filter((b) => b.type === 'actions')).toHaveLength(shown);
    // All left out are LINE-2's: the command that lists that resource's.
    expect(texts(m.blocks).at(-1)).toBe(
      `_…and ${60 - shown} more constraints on LINE-2: type \`/sop constraints LINE-2\` to list that resource's._`,
    );
    // At most 20 even when short (here without buttons: a sales rep's list).
    const short = constraintListMessage(
      {
        cycleMonth: '2027-02',
        cycleOpen: true,
        entries: many.slice(0, 25).map((e) => ({ ...e, comment: null })),
      },
      { canAct: false },
    );
    expect(short.blocks.filter((b) => b.block_id?.startsWith('constraint_'))).toHaveLength(20);
    expect(texts(short.blocks).at(-1)).toBe(
      "_…and 5 more constraints on LINE-2: type `/sop constraints LINE-2` to list that resource's._",
    );
  });

  /** `n` constraints on resources, …, one each, ids 101, 102, …. */
  const spread = (n: number): ConstraintEntry[] =>
    Array.from({ length: n }, (_, i) => ({
      ...imported,
      id: String(101 + i),
      code: `R-${String(i + 1).padStart(2, '0')}`,
      months: ['2027-05'],
    }));

  it('names the resources of those left out and the command that lists one resource’s', () => {
    // 25 on 25 resources, without buttons: 20 shown (the cap), R-21 … R-25 left out.
    const m = constraintListMessage(
      { cycleMonth: '2027-02', cycleOpen: true, entries: spread(25) },
      { canAct: false },
    );
    expect(m.blocks.filter((b) => b.block_id?.startsWith('constraint_'))).toHaveLength(20);
    expect(texts(m.blocks).at(-1)).toBe(
      "_…and 5 more constraints on R-21, R-22, R-23, R-24 and R-25: type `/sop constraints <resource>` to list one resource's, e.g. `/sop constraints R-21`._",
    );
    // Twelve resources left out: eight named, the rest counted; a code escaped, its marks shown.
    const entries = spread(32).map((e) => (e.code === 'R-21' ? { ...e, code: 'R&D*2' } : e));
    const many = constraintListMessage(
      { cycleMonth: '2027-02', cycleOpen: true, entries },
      { canAct: false },
    );
    expect(many.blocks.filter((b) => b.block_id?.startsWith('constraint_'))).toHaveLength(20);
    expect(texts(many.blocks).at(-1)).toBe(
      "_…and 12 more constraints on R&amp;D*2, R-22, R-23, R-24, R-25, R-26, R-27, R-28 and 4 other resources: type `/sop constraints <resource>` to list one resource's, e.g. `/sop constraints R&amp;D*2`._",
    );
    expect(validateBlocks(many.blocks, 'message')).toEqual([]);
  });

  it("names the numbers of those left out of one resource's list", () => {
    const entries = spread(27).map((e) => ({
      ...e,
      code: 'LINE-2',
      months: ['2027-03', '2027-04'],
    }));
    const list = { cycleMonth: '2027-02', cycleOpen: true, resource: 'LINE-2', entries };
    expect(texts(constraintListMessage(list, { canAct: false }).blocks).at(-1)).toBe(
      '_…and 7 more constraints on LINE-2 (#121 2027-03..2027-04, #122 2027-03..2027-04, #123 2027-03..2027-04, #124 2027-03..2027-04, #125 2027-03..2027-04 and 2 more): ask an operations member._',
    );
    // With buttons, 16 fit in Slack's size (#101 … #116): the six after them named.
    const six = { ...list, entries: entries.slice(0, 22) };
    const withButtons = constraintListMessage(six, { canAct: true }).blocks;
    expect(withButtons.filter((b) => b.type === 'actions')).toHaveLength(16);
    expect(texts(withButtons).at(-1)).toBe(
      '_…and 6 more constraints on LINE-2 (#117 2027-03..2027-04, #118 2027-03..2027-04, #119 2027-03..2027-04, #120 2027-03..2027-04, #121 2027-03..2027-04 and #122 2027-03..2027-04): `/sop constraints resolve <number>` closes one that is over, `/sop constraints withdraw <number>` one entered by mistake._',
    );
  });
});

describe('what a click did', () => {
  const at = new Date('2027-02-03T09:00:00Z');
  const done: ConstraintClosed = {
    entry: overhaul,
    status: 'resolved',
    changed: true,
    by: 'U0OTTO',
    at,
    recomputed: { id: 2, month: '2027-02' },
    jobRequests: ['1'],
  };

  it('says it is done and the plan is recomputed, or that no cycle is open', () => {
    expect(constraintClosedNotice(done, 'U0OTTO', 'UTC')).toBe(
      ':white_check_mark: Resolved: #41 *LINE-2* 2027-03..2027-04 -30% (maintenance). The 2027-02 plan is being recomputed without it.',
    );
    expect(
      constraintClosedNotice(
        { ...done, status: 'withdrawn', recomputed: null, jobRequests: [] },
        'U0OTTO',
        'UTC',
      ),
    ).toBe(
      ':white_check_mark: Withdrawn: #41 *LINE-2* 2027-03..2027-04 -30% (maintenance). No cycle is open, so no plan is recomputed; the next cycle’s plan will not use it.',
    );
  });

  it('tells a second person who closed it and when', () => {
    const already = { ...done, changed: false, recomputed: null, jobRequests: [] };
    expect(constraintClosedNotice(already, 'U0PAT', 'Europe/Berlin')).toBe(
      ':information_source: #41 *LINE-2* 2027-03..2027-04 -30% (maintenance) was already resolved by <@U0OTTO> on <!date^1801645200^{date_short_pretty} {time}|2027-02-03 10:00 Europe/Berlin>; nothing changed.',
    );
    expect(constraintClosedNotice(already, 'U0OTTO', 'UTC')).toContain(
      'already resolved by you on',
    );
  });

  it('notes it under the supply summary with the note escaped, naming who closed it without a mention', () => {
    const note = constraintClosedNote(done, 'done <early> & fine', (id) =>
      id === 'U0OTTO' ? 'Otto <Ops> & co' : id,
    );
    expect(note).toBe(
      'Otto &lt;Ops&gt; &amp; co resolved the constraint *LINE-2* 2027-03..2027-04 -30% (maintenance) — “done &lt;early&gt; &amp; fine”',
    );
    expect(note).not.toContain('<@U0OTTO>');
    // No name known: the id, in plain text.
    expect(constraintClosedNote(done, null)).toBe(
      'U0OTTO resolved the constraint *LINE-2* 2027-03..2027-04 -30% (maintenance)',
    );
  });
});

describe('the operations nudge', () => {
  const tail =
    'Each holds in the plan until it is resolved or withdrawn: `/sop constraints` lists them, resolve one that is over, withdraw one entered by mistake or cancelled.';

  it('names the open constraints, escaped, those the member entered first, and points at /sop constraints', () => {
    expect(
      supplyNudgeText(
        '2027-02',
        'Fri 5 Feb',
        [],
        ['LINE-2 2027-03 (maintenance)', 'R&D <1> 2027-04 (other)'],
      ),
    ).toBe(
      `Reminder for S&OP 2027-02: the supply review closes Fri 5 Feb. Open constraints: LINE-2 2027-03 (maintenance); R&amp;D &lt;1&gt; 2027-04 (other). ${tail}`,
    );
    expect(
      supplyNudgeText(
        '2027-02',
        'Fri 5 Feb',
        ['R&D <1> 2027-04 (other)'],
        ['LINE-2 2027-03 (maintenance)'],
      ),
    ).toBe(
      `Reminder for S&OP 2027-02: the supply review closes Fri 5 Feb. Open constraints you entered: R&amp;D &lt;1&gt; 2027-04 (other). Entered by others: LINE-2 2027-03 (maintenance). ${tail}`,
    );
  });

  it('past ten, names only the first ten the member entered and counts the rest', () => {
    const labels = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => `LINE-${from + i} 2027-03 (maintenance)`);
    const all =
      'Each holds in the plan until it is resolved or withdrawn: `/sop constraints` lists them all, resolve one that is over, withdraw one entered by mistake or cancelled.';
    expect(supplyNudgeText('2027-02', 'Fri 5 Feb', labels(12, 1), [])).toBe(
      `Reminder for S&OP 2027-02: the supply review closes Fri 5 Feb. Open constraints you entered: LINE-1 2027-03 (maintenance); LINE-2 2027-03 (maintenance); LINE-3 2027-03 (maintenance); LINE-4 2027-03 (maintenance); LINE-5 2027-03 (maintenance); LINE-6 2027-03 (maintenance); LINE-7 2027-03 (maintenance); LINE-8 2027-03 (maintenance); LINE-9 2027-03 (maintenance); LINE-10 2027-03 (maintenance) and 2 more of yours. ${all}`,
    );
    expect(supplyNudgeText('2027-02', 'Fri 5 Feb', labels(1, 1), labels(10, 2))).toBe(
      `Reminder for S&OP 2027-02: the supply review closes Fri 5 Feb. Open constraints you entered: LINE-1 2027-03 (maintenance). 10 more are open, entered by others. ${all}`,
    );
    expect(supplyNudgeText('2027-02', 'Fri 5 Feb', [], labels(11, 1))).toBe(
      `Reminder for S&OP 2027-02: the supply review closes Fri 5 Feb. 11 constraints are open, none of them entered by you. ${all}`,
    );
  });
});
