import { describe, expect, it } from 'vitest';
import type { ChangeOutcome } from '../../src/services/adjustments.js';
import { FieldError } from '../../src/services/adjustments.js';
import { batchNote } from '../../src/services/summary.js';
import { inputFromState } from '../../src/slack/change-state.js';
import { parseChangeText, parseChangeValue } from '../../src/slack/parse-change.js';
import {
  alsoOpenText,
  beforeAfterTable,
  confirmationBlocks,
  demandSummaryBlocks,
  demandSummaryText,
  noChangeNote,
  supplySummaryBlocks,
  threadNote,
} from '../../src/slack/presenters/change.js';
import {
  changeModal,
  confirmationModal,
  decodeMeta,
  encodeMeta,
  targetGroups,
} from '../../src/slack/presenters/change-modal.js';
import { fmtChange } from '../../src/slack/presenters/format.js';
import { helpText } from '../../src/slack/presenters/help.js';
import { parseChannelMention, parseUserMention, tokenise } from '../../src/slack/tokenise.js';
import { validateBlocks, validateView } from '../../src/slack-standin/index.js';

/** The zero-width space that keeps a typed mark from formatting (MARK_BREAK). */
const Z = '\u200B';

const REASONS = ['promotion', 'new_customer', 'other'];

describe('text form parsing', () => {
  it('reads the example from the issue', () => {
    expect(
      parseChangeText(
        'FAM-12 2027-03..2027-05 +15% promotion "Spring campaign"',
        REASONS,
        'forecast',
        '2027-01',
      ),
    ).toEqual({
      target: 'FAM-12',
      from: '2027-03',
      to: '2027-05',
      kind: 'delta_pct',
      value: 15,
      reason: 'promotion',
      comment: 'Spring campaign',
    });
  });

  it('reads set, units, negative percent, one month, dashed reasons and curly quotes', () => {
    expect(parseChangeValue('=1,200', 'forecast')).toEqual({ kind: 'set', value: 1200 });
    expect(parseChangeValue('+200', 'forecast')).toEqual({ kind: 'delta_units', value: 200 });
    expect(parseChangeValue('-150', 'forecast')).toEqual({ kind: 'delta_units', value: -150 });
    expect(parseChangeValue('-10%', 'forecast')).toEqual({ kind: 'delta_pct', value: -10 });
    expect(parseChangeValue('150', 'forecast')).toBeNull();
    const p = parseChangeText(
      'FAM-1 2027-03 -10% new-customer “Lost to rival”',
      REASONS,
      'forecast',
      '2027-01',
    );
    expect([p.from, p.to, p.reason, p.comment]).toEqual([
      '2027-03',
      '2027-03',
      'new_customer',
      'Lost to rival',
    ]);
  });

  it('reads a % or a sign typed apart from the number as part of the change, not the reason', () => {
    // French puts a space (often a narrow no-break one) before %: "+15 %" is +15%, and the
    // reason is still the word after it.
    const read = (t: string) => {
      const p = parseChangeText(t, REASONS, 'forecast', '2027-01');
      return [p.kind, p.value, p.reason, p.comment];
    };
    expect(read('FAM-1 2027-03 +15 % promotion')).toEqual(['delta_pct', 15, 'promotion', null]);
    expect(read('FAM-1 2027-03 -10\u202f% promotion Salon')).toEqual([
      'delta_pct',
      -10,
      'promotion',
      'Salon',
    ]);
    expect(read('FAM-1 2027-03 + 200 new-customer')).toEqual([
      'delta_units',
      200,
      'new_customer',
      null,
    ]);
    expect(read('FAM-1 2027-03 = 1,200 promotion')).toEqual(['set', 1200, 'promotion', null]);
  });

  it('names the part that is wrong', () => {
    const fieldOf = (t: string) => {
      try {
        parseChangeText(t, REASONS, 'forecast', '2027-01');
        return 'none';
      } catch (err) {
        return err instanceof FieldError ? `${err.field}: ${err.message}` : String(err);
      }
    };
    expect(fieldOf('FAM-1')).toMatch(/^from: /);
    expect(fieldOf('FAM-1 2027-03')).toMatch(/^value: /);
    expect(fieldOf('FAM-1 2027-03 lots promotion')).toBe(
      'value: `lots` is not a change; write =1200 (set), +200 or -150 (units), +15% or -10%.',
    );
    expect(fieldOf('FAM-1 2027-03 +5%')).toMatch(
      /^reason: Give a reason: promotion, new-customer, other/,
    );
    expect(fieldOf('FAM-1 2027-03 +5% vibes')).toMatch(/^reason: `vibes` is not a reason/);
  });

  // The month field as a rep writes it: read as /sop explain reads it, or refused as a whole,
  // never its second word blamed as the change (before: "`2027` is not a change; …").
  const months = (t: string, anchor = '2027-01') => {
    try {
      const p = parseChangeText(t, REASONS, 'forecast', anchor);
      return [p.target, p.from, p.to, p.kind, p.value, p.reason];
    } catch (err) {
      return err instanceof FieldError ? `${err.field}: ${err.message}` : String(err);
    }
  };

  it('reads a month written with its name, and a range written with to or a spaced dash', () => {
    const read = (from: string, to: string) => ['FAM-12', from, to, 'delta_pct', 15, 'promotion'];
    expect(months('FAM-12 Jan 2027 +15% promotion')).toEqual(read('2027-01', '2027-01'));
    expect(months('FAM-12 january 2028 +15% promotion')).toEqual(read('2028-01', '2028-01'));
    expect(months('FAM-12 2027-03 - 2027-05 +15% promotion')).toEqual(read('2027-03', '2027-05'));
    expect(months('FAM-12 2027-03 to 2027-05 +15% promotion')).toEqual(read('2027-03', '2027-05'));
    expect(months('FAM-12 Mar 2027 to May 2027 +15% promotion')).toEqual(
      read('2027-03', '2027-05'),
    );
    // Without a year, as explain: the first such month from the cycle's month on. In a
    // 2027-06 cycle, March is 2028-03; May..July from 2027-01 is 2027-05 to 2027-07.
    expect(months('FAM-12 March +15% promotion', '2027-06')).toEqual(read('2028-03', '2028-03'));
    expect(months('FAM-12 May..July +15% promotion')).toEqual(read('2027-05', '2027-07'));
    // A sign after a month is still the change's: `- 150` is -150, not a range.
    expect(months('FAM-12 2027-03 - 150 promotion')).toEqual([
      'FAM-12',
      '2027-03',
      '2027-03',
      'delta_units',
      -150,
      'promotion',
    ]);
  });

  it('refuses a month field it cannot read as a whole, under the month', () => {
    expect(months('FAM-12 Janvier 2027 +15% promotion')).toBe(
      'from: `Janvier 2027` is not a month; write it as YYYY-MM, e.g. 2027-03 (a range: 2027-03..2027-05).',
    );
    expect(months('FAM-12 2027-03 to 2027-13 +15% promotion')).toBe(
      'from: `2027-03 to 2027-13` is not a month; write it as YYYY-MM, e.g. 2027-03 (a range: 2027-03..2027-05).',
    );
    expect(months('FAM-12 2027-03 - 2027-13 +15% promotion')).toBe(
      'from: `2027-03 - 2027-13` is not a month; write it as YYYY-MM, e.g. 2027-03 (a range: 2027-03..2027-05).',
    );
  });

  it('keeps a code typed with a space whole, for the service to say which code to write', () => {
    expect(months('FAM 12 2027-03 +15% promotion')).toEqual([
      'FAM 12',
      '2027-03',
      '2027-03',
      'delta_pct',
      15,
      'promotion',
    ]);
  });

  it('says to write the number without its unit, rather than that the unit is no reason', () => {
    // Before: "`units` is not a reason; use one of promotion, new-customer, other."
    expect(months('FAM-12 2027-03 =1200 units promotion')).toBe(
      'reason: `units`: write the number without its unit (=1200); then the reason: promotion, new-customer, other.',
    );
    expect(() =>
      parseChangeText(
        'LINE-1 2027-03 =1200 hours maintenance',
        ['maintenance'],
        'capacity',
        '2027-01',
      ),
    ).toThrow('`hours`: write the number without its unit (=1200); then the reason: maintenance.');
    // Any other word is still no reason.
    expect(months('FAM-12 2027-03 =1200 vibes promotion')).toBe(
      'reason: `vibes` is not a reason; use one of promotion, new-customer, other.',
    );
  });

  it('tokenises quotes and parses mentions', () => {
    expect(tokenise('role <@U1|a b> "two words" x')).toEqual([
      'role',
      '<@U1|a',
      'b>',
      'two words',
      'x',
    ]);
    expect(parseUserMention('<@U012ABC|alice>')).toBe('U012ABC');
    expect(parseUserMention('alice')).toBeNull();
    expect(parseChannelMention('<#C0123|sop-demand>')).toBe('C0123');
  });
});

const outcome = (over: Partial<ChangeOutcome> = {}): ChangeOutcome => ({
  cycle: { id: 3, month: '2027-01' },
  target: { code: 'FAM-1', name: 'Road bikes' },
  author: 'U1',
  input: {
    target: 'FAM-1',
    from: '2027-03',
    to: '2027-04',
    kind: 'delta_pct',
    value: 15,
    reason: 'promotion',
    comment: 'Spring',
  },
  lines: [
    {
      period: '2027-03',
      zone: 'slushy',
      flagged: true,
      before: 1000,
      after: 1150,
      note: '2027-03 is in the slushy zone.',
    },
    { period: '2027-04', zone: 'liquid', flagged: false, before: 2000, after: 2300, note: null },
  ],
  replay: false,
  ...over,
});

describe('change presenters', () => {
  it('the confirmation shows before → after per month and what was flagged, within Block Kit limits', () => {
    const blocks = confirmationBlocks(outcome(), 'forecast');
    const text = JSON.stringify(blocks);
    // The month's zone in words, and whether it is flagged: a bare "slushy*" explained nothing.
    expect(beforeAfterTable(outcome().lines)).toBe(
      '```Month       Before → After\n' +
        '2027-03      1,000 → 1,150     slushy, flagged\n' +
        '2027-04      2,000 → 2,300```',
    );
    // A month of a zone that is not flagged (a capacity update's) says the zone only.
    expect(
      beforeAfterTable([
        { period: '2027-02', zone: 'frozen', flagged: true, before: 5, after: 6, note: null },
        { period: '2027-03', zone: 'slushy', flagged: false, before: 541, after: 379, note: null },
      ]),
    ).toBe(
      '```Month       Before → After\n' +
        '2027-02          5 → 6         frozen, flagged\n' +
        '2027-03        541 → 379       slushy```',
    );
    expect(text).toContain('Flagged for review: 2027-03');
    expect(text).not.toContain('already been saved');
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(JSON.stringify(confirmationBlocks(outcome({ replay: true }), 'forecast'))).toContain(
      'already been saved',
    );
  });

  it('a capacity update names the open constraints it counts with, in the message and the modal', () => {
    const entry = (id: string, months: string[], reason: string) => ({
      id,
      code: 'LINE-<2>',
      name: 'Press',
      months,
      kind: 'delta_pct' as const,
      value: -30,
      reason,
      comment: null,
      author: 'U9',
      enteredIn: '2027-01',
    });
    const two = outcome({
      target: { code: 'LINE-<2>', name: 'Press' },
      input: { ...outcome().input, kind: 'delta_units', value: -50 },
      alsoOpen: [
        entry('41', ['2027-03', '2027-04'], 'breakdown'),
        entry('44', ['2027-04'], 'staffing'),
      ],
    });
    const text = alsoOpenText(two);
    expect(text).toBe(
      ":warning: Also open in these months: #41 *LINE-&lt;2&gt;* 2027-03..2027-04 -30% (breakdown); #44 *LINE-&lt;2&gt;* 2027-04 -30% (staffing). All count: this update's change comes on top of theirs. If this update replaces one of them, withdraw that one by its number (`/sop constraints withdraw 41`); resolve one that is over (`/sop constraints resolve 41`).",
    );
    const blocks = confirmationBlocks(two, 'capacity');
    expect(JSON.stringify(blocks)).toContain(JSON.stringify(text).slice(1, -1));
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const modal = confirmationModal(two, 'capacity');
    expect(JSON.stringify(modal)).toContain(JSON.stringify(text).slice(1, -1));
    expect(validateView(modal)).toEqual([]);
    expect(alsoOpenText(outcome())).toBeNull();
    // Three updates in the same month: "Both" said of two others read as if there were one.
    const setOverTwo = alsoOpenText(
      outcome({ ...two, input: { ...two.input, kind: 'set', value: 0 } }),
    );
    expect(setOverTwo).toContain(
      'This update sets the capacity: while it is open, they change nothing in the months they share with it.',
    );
  });

  it('the thread note is one line with the span of values, naming its author without a mention', () => {
    // The author's Slack name, typed, so escaped and its marks kept from formatting; the note
    // records what they did, so it pings nobody (no <@U1>).
    const named = threadNote(outcome(), (id) => (id === 'U1' ? 'Rita <R&D> *lead*' : id));
    expect(named).toBe(
      `Rita &lt;R&amp;D&gt; ${Z}*${Z}lead${Z}*${Z} *FAM-1* 2027-03..2027-04 +15% (promotion) — “Spring”: 2027-03 1,000 → 1,150 … 2027-04 2,000 → 2,300 :triangular_flag_on_post: flagged for review`,
    );
    expect(named).not.toContain('<@U1>');
    // No name known: the id, in plain text.
    expect(threadNote(outcome())).toMatch(/^U1 \*FAM-1\* /);
    expect(noChangeNote('U1', ['FAM-1', 'FAM_2*'], () => 'Rita & co')).toBe(
      `Rita &amp; co declared no change for *FAM-1*, *FAM_2${Z}*${Z}*`,
    );
    expect(fmtChange('set', 1200)).toBe('=1,200');
    expect(fmtChange('delta_units', -150)).toBe('-150');
  });

  it('a burst of notes becomes one reply that counts the rest', () => {
    const notes = Array.from({ length: 25 }, (_, i) => `note ${i}`);
    const text = batchNote(notes);
    expect(text.split('\n')).toHaveLength(21);
    expect(text).toContain('…and 5 more submissions');
    expect(batchNote(['a', 'b'])).toBe('a\nb');
  });

  it('the demand summary counts adjustments per family', () => {
    const blocks = demandSummaryBlocks('2027-01', [
      { family: 'FAM-1', adjustments: 3, authors: 2, flagged: 1, carried: 0 },
      { family: 'FAM-2', adjustments: 1, authors: 1, flagged: 0, carried: 0 },
    ]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('4 adjustment months so far');
    // The head and the lines count the same thing: family-months adjusted (3 + 1 = 4).
    expect(text).toContain('*FAM-1*: 3 adjustment months by 2 people, 1 flagged');
    expect(text).toContain('*FAM-2*: 1 adjustment month by 1 person');
    expect(text).not.toContain('no change');
    expect(text).not.toContain('carried');
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it("the demand summary counts carried adjustments apart from this cycle's", () => {
    const blocks = demandSummaryBlocks('2027-02', [
      { family: 'FAM-1', adjustments: 1, authors: 1, flagged: 0, carried: 3 },
      { family: 'FAM-2', adjustments: 0, authors: 0, flagged: 0, carried: 3 },
    ]);
    const text = JSON.stringify(blocks);
    // This cycle: 1 month; carried: 3 + 3.
    expect(text).toContain(
      '1 adjustment month so far. 6 adjustment months carried from earlier cycles count until their authors adjust those months again.',
    );
    expect(text).toContain(
      '*FAM-1*: 1 adjustment month by 1 person; 3 carried from earlier cycles',
    );
    expect(text).toContain('*FAM-2*: 3 carried from earlier cycles');
    const none = JSON.stringify(
      demandSummaryBlocks('2027-02', [
        { family: 'FAM-1', adjustments: 0, authors: 0, flagged: 0, carried: 2 },
      ]),
    );
    expect(none).toContain('No adjustments yet this cycle. 2 adjustment months carried');
  });

  /** A 64-character code (the documented maximum): `FAM-07-` and 57 X's. */
  const longCode = (prefix: string, i: number) =>
    `${prefix}-${String(i).padStart(2, '0')}-${'X'.repeat(64 - prefix.length - 4)}`;
  const sectionText = (blocks: ReturnType<typeof demandSummaryBlocks>) => {
    const section = blocks.find((b) => b.type === 'section');
    return section?.type === 'section' ? (section.text?.text ?? '') : '';
  };

  it("the demand summary names reps' no-change declarations beside adjustments, and counts the other families", () => {
    const blocks = demandSummaryBlocks(
      '2027-02',
      [
        { family: 'FAM-10', adjustments: 2, authors: 1, flagged: 0, carried: 0 },
        { family: 'FAM-2', adjustments: 1, authors: 1, flagged: 0, carried: 0 },
      ],
      [
        { family: 'FAM-2', reps: 1 },
        { family: 'FAM-3', reps: 2 },
      ],
    );
    const section = blocks.find((b) => b.type === 'section');
    const text = section?.type === 'section' ? section.text?.text : '';
    // 2 + 1 months adjusted; FAM-10's two months first. FAM-3 only declared: counted, not listed.
    expect(text).toBe(
      [
        '3 adjustment months so far.',
        '• *FAM-10*: 2 adjustment months by 1 person',
        '• *FAM-2*: 1 adjustment month by 1 person; no change declared by 1 rep',
        'No change declared for 1 other family.',
      ].join('\n'),
    );
    const onlyDeclared = JSON.stringify(
      demandSummaryBlocks('2027-02', [], [{ family: 'FAM-1', reps: 1 }]),
    );
    expect(onlyDeclared).toContain(
      'No adjustments yet this cycle.\\nNo change declared for 1 family.',
    );
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('the demand summary of 120 families, 28 reps on No change, shows the adjustment on FAM-100 and one line for the rest', () => {
    // FAM-100: 3 months by Ann; FAM-2: 1 month by Bo, who also clicked No change. Every family
    // but FAM-100 declared unchanged by one rep or more: 119, of which FAM-2 is listed.
    const declared = Array.from({ length: 120 }, (_, i) => ({ family: `FAM-${i + 1}`, reps: 1 }))
      .filter((d) => d.family !== 'FAM-100')
      .map((d) => (d.family === 'FAM-7' ? { ...d, reps: 3 } : d));
    const activity = [
      { family: 'FAM-2', adjustments: 1, authors: 1, flagged: 0, carried: 0 },
      { family: 'FAM-100', adjustments: 3, authors: 1, flagged: 1, carried: 0 },
    ];
    const blocks = demandSummaryBlocks('2027-01', activity, declared);
    expect(sectionText(blocks)).toBe(
      [
        '4 adjustment months so far.',
        '• *FAM-100*: 3 adjustment months by 1 person, 1 flagged',
        '• *FAM-2*: 1 adjustment month by 1 person; no change declared by 1 rep',
        'No change declared for 118 other families.',
      ].join('\n'),
    );
    expect(demandSummaryText('2027-01', activity, declared)).toBe(
      'Demand review 2027-01: 4 adjustment months so far, for 2 families; no change declared for 118 other families.',
    );
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('the demand summary cut at 40 families shows the most months first and names the command for the rest', () => {
    // FAM-1..FAM-45 one month each (FAM-1 also declared unchanged by two reps), FAM-100 two;
    // FAM-46..FAM-120 but FAM-100 only declared unchanged: 74 families.
    const activity = [
      ...Array.from({ length: 45 }, (_, i) => ({
        family: `FAM-${45 - i}`,
        adjustments: 1,
        authors: 1,
        flagged: 0,
        carried: 0,
      })),
      { family: 'FAM-100', adjustments: 2, authors: 2, flagged: 0, carried: 0 },
    ];
    const declared = [
      { family: 'FAM-1', reps: 2 },
      ...Array.from({ length: 75 }, (_, i) => ({ family: `FAM-${46 + i}`, reps: 1 })).filter(
        (d) => d.family !== 'FAM-100',
      ),
    ];
    const text = sectionText(demandSummaryBlocks('2027-01', activity, declared));
    const lines = text.split('\n');
    // 45 + 2 months; FAM-100 first, then FAM-1..FAM-39 in code order (40 lines), FAM-40..FAM-45
    // counted with the command that lists one's changes, then the 74 declared unchanged.
    expect(lines).toHaveLength(43);
    expect(lines.slice(0, 5)).toEqual([
      '47 adjustment months so far.',
      '• *FAM-100*: 2 adjustment months by 2 people',
      '• *FAM-1*: 1 adjustment month by 1 person; no change declared by 2 reps',
      '• *FAM-2*: 1 adjustment month by 1 person',
      '• *FAM-3*: 1 adjustment month by 1 person',
    ]);
    expect(lines.slice(-3)).toEqual([
      '• *FAM-39*: 1 adjustment month by 1 person',
      "_…and 6 more adjusted families: `/sop explain who changed FAM-40` lists a family's adjustments._",
      'No change declared for 74 other families.',
    ]);
    expect(text).not.toContain('FAM-40*');
    expect(text).not.toContain('FAM-46');
  });

  it('the demand summary of 60 families with 64-character codes keeps whole lines and counts the rest', () => {
    const activity = Array.from({ length: 60 }, (_, i) => ({
      family: longCode('FAM', i + 1),
      adjustments: 2,
      authors: 1,
      flagged: 0,
      carried: 0,
    }));
    expect(activity[0]?.family).toHaveLength(64);
    const declared = Array.from({ length: 10 }, (_, i) => ({ family: `FAM-${61 + i}`, reps: 1 }));
    const blocks = demandSummaryBlocks('2027-01', activity, declared);
    const text = sectionText(blocks);
    // By hand: head "120 adjustment months so far." is 29 chars (60 × 2 months), then "\n";
    // a line "• *<64>*: 2 adjustment months by 1 person" is 3 + 64 + 3 + 31 = 101 chars; the
    // "more" line "_…and NN more adjusted families: `/sop explain who changed <64>` lists a
    // family's adjustments._" is 6 + 2 + 25 + 26 + 64 + 1 + 29 + 2 = 155, with its "\n" 156;
    // the last line "No change declared for 10 other families." is 41, with its "\n" 42. k lines
    // fit when 29 + 1 + 101k + (k − 1) + 156 + 42 ≤ 3000, i.e. 102k ≤ 2773: k = 27, so 33
    // more, the first FAM-28-…; length 29 + 1 + 27 × 101 + 26 + 156 + 42 = 2981.
    expect(text.startsWith('120 adjustment months so far.\n')).toBe(true);
    expect(text).toHaveLength(2981);
    const lines = text.split('\n');
    expect(lines.slice(-2)).toEqual([
      `_…and 33 more adjusted families: \`/sop explain who changed FAM-28-${'X'.repeat(57)}\` lists a family's adjustments._`,
      'No change declared for 10 other families.',
    ]);
    const shown = lines.filter((l) => l.startsWith('• '));
    expect(shown).toHaveLength(27);
    expect(shown.every((l) => l.endsWith(': 2 adjustment months by 1 person'))).toBe(true);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('the supply summary of 60 resources with 64-character codes keeps whole lines and counts the rest', () => {
    const activity = Array.from({ length: 60 }, (_, i) => ({
      resource: longCode('LINE', i + 1),
      updates: 2,
      months: [{ before: 500, after: 650 }],
      unit: 'hours',
    }));
    const text = sectionText(supplySummaryBlocks('2027-01', activity));
    // By hand: no head; a line "• *<64>*: 2 open updates, net +150 hours" is 3 + 64 + 3 + 30 =
    // 100 chars; the "more" line "_…and NN more resources._" is 25, with its "\n" 26. k lines
    // fit when 100k + (k − 1) + 26 ≤ 3000, i.e. 101k ≤ 2975: k = 29, so 31 more; length
    // 29 × 100 + 28 + 26 = 2954.
    expect(text).toHaveLength(2954);
    expect(text.endsWith('…and 31 more resources._')).toBe(true);
    const shown = text.split('\n').filter((l) => l.startsWith('• '));
    expect(shown).toHaveLength(29);
    expect(shown.every((l) => l.endsWith(': 2 open updates, net +150 hours'))).toBe(true);
  });

  it('the supply summary writes a cut with its unit and a minus sign', () => {
    const text = sectionText(
      supplySummaryBlocks('2027-01', [
        { resource: 'LINE-2', updates: 2, months: [{ before: 1000, after: 675 }], unit: 'hours' },
      ]),
    );
    expect(text).toBe('• *LINE-2*: 2 open updates, net −325 hours');
  });

  it("the supply summary's net is its months as their confirmations print them (the demo's LINE-2)", () => {
    // Otto's −30% of 541 in 2027-03 and 2027-04: 378.7 each, printed "541 → 379" twice, so
    // the net a reader adds up is 2 × (379 − 541) = −324; the unrounded 2 × −162.3 = −324.6
    // read "−325".
    const text = sectionText(
      supplySummaryBlocks('2027-01', [
        {
          resource: 'LINE-2',
          updates: 1,
          months: [
            { before: 541, after: 378.7 },
            { before: 541, after: 378.7 },
          ],
          unit: 'hours',
        },
      ]),
    );
    expect(text).toBe('• *LINE-2*: 1 open update, net −324 hours');
  });

  it('help lists every subcommand usage', () => {
    const text = helpText(
      [
        {
          name: 'role',
          usage: '/sop role @user sales',
          summary: 'give a role',
          action: 'role.set',
        },
      ],
      { role: 'admin' },
    );
    expect(text).toContain('`/sop role @user sales` give a role');
    expect(text).toContain('/forecast FAM-12');
    expect(text).toContain('/capacity LINE-2');
  });
});

describe('the change modal', () => {
  const fam = (i: number) => ({ code: `FAM-${i}`, name: `Family ${i}` });
  const horizon = ['2027-01', '2027-02', '2027-03'];

  it('puts the rep’s families first and stays within Slack’s limits', () => {
    const view = changeModal({
      subject: 'forecast',
      meta: { cycleId: 7, channelId: 'C1' },
      cycleMonth: '2027-01',
      own: [fam(2)],
      others: [fam(1), fam(3)],
      external: false,
      horizon,
      reasons: REASONS,
      thresholdPct: 20,
      selected: fam(2),
      demand: horizon.map((period, i) => ({
        period,
        baseline: 1000 + i,
        consensus: 1100,
        zone: i < 2 ? 'frozen' : 'slushy',
        adjustments: 1,
      })),
    });
    expect(validateView(view)).toEqual([]);
    const groups = targetGroups('forecast', [fam(2)], [fam(1), fam(2), fam(3)]);
    expect(groups.map((g) => [g.label.text, g.options.map((o) => o.value)])).toEqual([
      ['Your families', ['FAM-2']],
      ['All families', ['FAM-1', 'FAM-3']],
    ]);
    const table = JSON.stringify(view.blocks);
    expect(table).toContain('2027-01     1,000      1,100 frozen');
    expect(table).toContain('2027-03     1,002      1,100 slushy');
    expect(decodeMeta(view.private_metadata)).toEqual({ cycleId: 7, channelId: 'C1' });
    expect(decodeMeta('not json')).toBeNull();
    expect(decodeMeta(encodeMeta({ cycleId: 1, channelId: null }))).toEqual({
      cycleId: 1,
      channelId: null,
    });
  });

  it('never lists more than 100 options in a static select', () => {
    const many = Array.from({ length: 150 }, (_, i) => fam(i));
    const groups = targetGroups('forecast', many.slice(0, 30), many);
    expect(groups.reduce((n, g) => n + g.options.length, 0)).toBe(100);
    expect(groups[0]?.options).toHaveLength(30);
    // 30 of the rep's own, all shown; 120 others, of which the 70 left of 100 are shown: the
    // label says so. It said "All families" over 70, as if FAM-100 did not exist.
    expect(groups.map((g) => g.label.text)).toEqual([
      'Your families',
      'All families: 70 of 120 shown, type to narrow',
    ]);
    // 150 of the rep's own: 100 shown, and no room for the others.
    expect(targetGroups('forecast', many, many).map((g) => g.label.text)).toEqual([
      'Your families: 100 of 150 shown, type to narrow',
    ]);
  });

  it('reads the submitted state, reporting the missing field', () => {
    const state = {
      target: {
        forecast_target_pick: { type: 'static_select', selected_option: { value: 'FAM-1' } },
      },
      from: { from_pick: { type: 'static_select', selected_option: { value: '2027-03' } } },
      to: { to_pick: { type: 'static_select', selected_option: null } },
      kind: { kind_pick: { type: 'static_select', selected_option: { value: 'set' } } },
      value: { value_input: { type: 'plain_text_input', value: '1,200' } },
      reason: { reason_pick: { type: 'static_select', selected_option: { value: 'promotion' } } },
      comment: { comment_input: { type: 'plain_text_input', value: null } },
    };
    expect(inputFromState(state)).toEqual({
      target: 'FAM-1',
      from: '2027-03',
      to: '2027-03',
      kind: 'set',
      value: 1200,
      reason: 'promotion',
      comment: null,
    });
    const noValue = { ...state, value: { value_input: { type: 'plain_text_input', value: '  ' } } };
    expect(() => inputFromState(noValue)).toThrow(expect.objectContaining({ field: 'value' }));
  });
});
