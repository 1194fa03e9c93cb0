/**
 * The roll-up of a weekly S&OE check that found many deviations: the supply channel's
 * message, its thread and the owners' DMs. Expected texts are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  type RollupDeviation,
  rollupMessage,
  rollupOwnerDm,
  rollupThread,
} from '../../src/slack/presenters/deviation-rollup.js';
import { validateBlocks } from '../../src/slack-standin/index.js';

const WEEK = '2027-02-01';

const dev = (over: Partial<RollupDeviation> & Pick<RollupDeviation, 'id'>): RollupDeviation => ({
  kind: 'production_below_plan',
  code: 'FAM-2',
  unit: 'units',
  actual: 200,
  expected: 250,
  owner: 'U_OTTO',
  due: '2027-02-10',
  actionId: `1${over.id}`,
  frozenBreak: false,
  ...over,
});

const sectionText = (blocks: readonly unknown[], i: number) =>
  (blocks[i] as { text: { text: string } }).text.text;

describe('the roll-up message in the supply channel', () => {
  it('counts the deviations, lists the frozen-zone breaks first and escapes the codes', () => {
    const m = rollupMessage(
      {
        week: WEEK,
        deviations: [
          dev({ id: '1' }),
          // A code as typed in a families file: `&`, `<` and `>` are data, not markup.
          dev({
            id: '2',
            kind: 'sales_above_p90',
            code: 'R&D <!channel>',
            actual: 150,
            expected: 140,
            owner: 'U_RITA',
            frozenBreak: true,
          }),
          // A unit as typed in a resources file is data too.
          dev({
            id: '3',
            kind: 'supplier_short',
            code: 'SUP-1',
            unit: 'pcs <kits>',
            actual: 60,
            expected: 100,
          }),
        ],
      },
      (id) => ({ U_RITA: 'Rita', U_OTTO: 'Otto' })[id] ?? id,
    );
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
    expect(m.text).toBe('S&OE, week of 2027-02-01: 3 deviations, 1 breaking the frozen plan');
    expect(m.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'S&OE: 3 deviations in the week of 2027-02-01',
        emoji: true,
      },
    });
    // (150 − 140) / 140 = +7.1%; (200 − 250) / 250 = −20.0%; (60 − 100) / 100 = −40.0%.
    // Each figure says its unit once; the owners are named: their DMs are what tell them.
    expect(sectionText(m.blocks, 1)).toBe(
      [
        ':rotating_light: *1 breaks the frozen plan* and goes to the next executive meeting (listed first).',
        '• :rotating_light: *Sales above range* R&amp;D &lt;!channel&gt;: sold 150 units, range top 140 (+7.1%) · breaks the frozen plan · Rita due 2027-02-10 · action #12',
        '• *Production below plan* FAM-2: produced 200 of 250 units planned (−20.0%) · Otto due 2027-02-10 · action #11',
        '• *Supplier short* SUP-1: delivered 60 of 100 pcs &lt;kits&gt; due (−40.0%) · Otto due 2027-02-10 · action #13',
      ].join('\n'),
    );
    expect(JSON.stringify(m.blocks)).not.toContain('<!channel>');
    expect(`${m.text}${JSON.stringify(m.blocks)}`).not.toContain('<@');
    // Each owner can hand theirs on: Reassign is named beside Done and Snooze.
    expect(m.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Weekly S&OE · each deviation is a follow-up action, sent to its owner by DM: Done, Snooze and Reassign in App Home, `/sop actions` lists them. Corrections are noted in this thread.',
        },
      ],
    });
  });

  it('shows 15 whole lines, then how many more and that the thread has them all', () => {
    // 20 production shortfalls, FAM-01 … FAM-20, none a break: 80 of 100 is −20.0%.
    const ds = Array.from({ length: 20 }, (_, i) =>
      dev({
        id: String(i + 1),
        code: `FAM-${String(i + 1).padStart(2, '0')}`,
        actual: 80,
        expected: 100,
      }),
    );
    const text = sectionText(rollupMessage({ week: WEEK, deviations: ds }).blocks, 1);
    const lines = text.split('\n');
    expect(lines).toHaveLength(1 + 15 + 1);
    expect(lines[0]).toBe('None breaks the frozen plan.');
    expect(lines[15]).toBe(
      '• *Production below plan* FAM-15: produced 80 of 100 units planned (−20.0%) · U_OTTO due 2027-02-10 · action #115',
    );
    expect(lines[16]).toBe("_…and 5 more deviations: this message's thread lists all 20._");
  });

  it('cuts at whole lines within 3,000 characters when the codes are long', () => {
    // A 64-character code of '&' escapes to 64 × 5 = 320 characters. Each line is then
    // "• *Supplier short* " (19) + 320 + ": delivered 60 of 100 due (−40.0%)" (34)
    // + " · U_OTTO due 2027-02-10" (24) + " · action #1N" (13 for N = 1…9) = 410.
    // Head "None breaks the frozen plan." (28) and a newline; k lines and k − 1 newlines;
    // a newline and "_…and 13 more deviations: this message's thread lists all 20._" (62):
    // 29 + 411k − 1 + 63 ≤ 3000 → k ≤ 7.08: 7 lines, 13 more. (A roll-up stored before units
    // were kept has none: its figures show no unit rather than a wrong one.)
    const ds = Array.from({ length: 20 }, (_, i) =>
      dev({
        id: String(i + 1),
        kind: 'supplier_short',
        unit: null,
        code: '&'.repeat(64),
        actual: 60,
        expected: 100,
      }),
    );
    const text = sectionText(rollupMessage({ week: WEEK, deviations: ds }).blocks, 1);
    const lines = text.split('\n');
    expect(lines[1]).toHaveLength(410);
    expect(lines).toHaveLength(1 + 7 + 1);
    expect(lines.at(-1)).toBe("_…and 13 more deviations: this message's thread lists all 20._");
    expect(text.length).toBeLessThanOrEqual(3000);
  });
});

describe("the roll-up's thread", () => {
  it('holds a short list in one reply', () => {
    const replies = rollupThread({
      week: WEEK,
      deviations: [dev({ id: '1' }), dev({ id: '2', code: 'A<B>', frozenBreak: true })],
    });
    expect(replies).toEqual([
      {
        text: 'S&OE, week of 2027-02-01: deviations 1–2 of 2',
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: [
                '• :rotating_light: *Production below plan* A&lt;B&gt;: produced 200 of 250 units planned (−20.0%) · breaks the frozen plan · U_OTTO due 2027-02-10 · action #12',
                '• *Production below plan* FAM-2: produced 200 of 250 units planned (−20.0%) · U_OTTO due 2027-02-10 · action #11',
              ].join('\n'),
            },
          },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: 'Deviations 1–2 of 2 · week of 2027-02-01' }],
          },
        ],
      },
    ]);
  });

  it('puts every line in once, in order, in as few replies as the limits allow', () => {
    // 292 deviations of long codes: far more than one message holds.
    const ds = Array.from({ length: 292 }, (_, i) =>
      dev({
        id: String(i + 1),
        code: `FAMILY-${'X'.repeat(40)}-${i + 1}`,
        frozenBreak: i % 10 === 9,
      }),
    );
    const replies = rollupThread({ week: WEEK, deviations: ds });
    expect(replies.length).toBeGreaterThan(1);
    const shown: string[] = [];
    for (const r of replies) {
      expect(validateBlocks(r.blocks, 'message')).toEqual([]);
      // The house's budget for a message's blocks (Slack refuses near 13k).
      expect(JSON.stringify(r.blocks).length).toBeLessThanOrEqual(11_000);
      expect(r.blocks.length).toBeLessThanOrEqual(50);
      for (const b of r.blocks.slice(0, -1)) {
        const text = (b as { text: { text: string } }).text.text;
        expect(text.length).toBeLessThanOrEqual(3000);
        shown.push(...text.split('\n'));
      }
    }
    // The 29 breaks (ids 10, 20, …, 290) first, then the others in their order.
    const ids = shown.map((l) => Number(/-(\d+): /.exec(l)?.[1]));
    const breaks = Array.from({ length: 29 }, (_, i) => (i + 1) * 10);
    const rest = Array.from({ length: 292 }, (_, i) => i + 1).filter((n) => n % 10 !== 0);
    expect(ids).toEqual([...breaks, ...rest]);
    // Fewest replies: the first line of each reply would not have fitted in the one before.
    for (let i = 1; i < replies.length; i++) {
      const before = replies[i - 1]!;
      const next = sectionText(replies[i]!.blocks, 0).split('\n')[0]!;
      const sections = before.blocks.slice(0, -1);
      const last = sectionText(sections, sections.length - 1);
      const grown = [
        ...sections.slice(0, -1),
        { type: 'section', text: { type: 'mrkdwn', text: `${last}\n${next}` } },
        before.blocks.at(-1),
      ];
      const added = [
        ...sections,
        { type: 'section', text: { type: 'mrkdwn', text: next } },
        before.blocks.at(-1),
      ];
      const fits = (blocks: unknown[]) =>
        JSON.stringify(blocks).length <= 11_000 && blocks.length <= 50;
      expect(fits(grown) && `${last}\n${next}`.length <= 3000).toBe(false);
      expect(fits(added)).toBe(false);
    }
    expect(replies.map((r) => r.text)).toEqual(
      replies.map((_, i) => {
        const from = shown.indexOf(sectionText(replies[i]!.blocks, 0).split('\n')[0]!) + 1;
        const to =
          i + 1 < replies.length
            ? shown.indexOf(sectionText(replies[i + 1]!.blocks, 0).split('\n')[0]!)
            : 292;
        return `S&OE, week of 2027-02-01: deviations ${from}–${to} of 292`;
      }),
    );
  });
});

describe("an owner's DM", () => {
  it('lists their new actions and says where to mark them done or snooze them', () => {
    const m = rollupOwnerDm({
      week: WEEK,
      deviations: [
        dev({ id: '1', code: 'Q&A' }),
        dev({
          id: '2',
          kind: 'supplier_short',
          code: 'SUP-1',
          actual: 60,
          expected: 100,
          frozenBreak: true,
        }),
      ],
    });
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
    // The notification names when they are due (both 2027-02-10) and the one frozen-plan break.
    expect(m.text).toBe(
      'You own 2 follow-up actions from the weekly S&OE check of the week of 2027-02-01, due 2027-02-10; 1 of them breaks the frozen plan.',
    );
    expect(sectionText(m.blocks, 0)).toBe(
      [
        ':memo: You own 2 follow-up actions from the weekly S&OE check of the week of 2027-02-01; 1 of them breaks the frozen plan and goes to the next executive meeting.',
        // What to do, in the words of the deviation's own post and its reminders.
        'To do: find the cause and act within the adopted plan (expedite, re-sequence or re-allocate) without reopening it, then mark the action Done.',
        '• :rotating_light: *#12* Supplier short SUP-1: delivered 60 of 100 units due (−40.0%) · breaks the frozen plan · due 2027-02-10',
        '• *#11* Production below plan Q&amp;A: produced 200 of 250 units planned (−20.0%) · due 2027-02-10',
      ].join('\n'),
    );
    expect(JSON.stringify(m.blocks[1])).toContain(
      'Mark each one done, snooze it or give it to someone else in App Home (the Home tab of sopbot), which shows your open actions with Done, Snooze and Reassign; `/sop actions me` lists them all. Each is reminded before it is due, with its own Done, Snooze and Reassign buttons.',
    );
  });

  it('cuts a long list at whole lines with how many more', () => {
    // 146 actions (the audit's count per owner), ids 0…145, actions #10…#19 then #110….
    // "• *#10* Production below plan FAM-2: produced 200 of 250 planned (−20.0%) · due 2027-02-10"
    // is 2 + 5 + 1 + 21 + 1 + 5 + 2 + 36 + 17 = 90 characters; with #110… 91.
    // (Figures without a unit: a roll-up stored before units were kept.)
    const ds = Array.from({ length: 146 }, (_, i) => dev({ id: String(i), unit: null }));
    const text = sectionText(rollupOwnerDm({ week: WEEK, deviations: ds }).blocks, 0);
    const lines = text.split('\n');
    // Head ":memo: You own 146 follow-up actions from the weekly S&OE check of the week of
    // 2027-02-01." (90), a newline and the task "To do: … mark the action Done." (141): 232,
    // and a newline leave 2,767. Ten lines of 90 with 9 newlines: 909; then 92 a line, keeping
    // room for "\n_…and 117 more actions: `/sop actions me` lists them all._" (1 + 58):
    // 909 + 92k + 59 ≤ 2,767 → k ≤ 19.6: 29 lines, 117 more.
    expect(lines[1]).toMatch(/^To do: find the cause/);
    expect(lines.slice(2, -1)).toHaveLength(29);
    expect(lines.at(-1)).toBe('_…and 117 more actions: `/sop actions me` lists them all._');
    expect(text.length).toBeLessThanOrEqual(3000);
  });
});
