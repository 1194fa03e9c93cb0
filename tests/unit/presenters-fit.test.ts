/**
 * Lists that fit Slack's limits: whole lines, then "…and N more" saying where the rest is
 * (src/slack/presenters/fit.ts), in /sop actions, /sop decisions, the decision log in the
 * executive channel and the App Home's submissions. Expected counts are worked out in the
 * comments.
 */
import { describe, expect, it } from 'vitest';
import type { SubmissionRow } from '../../db/queries/adjustments.js';
import type { ActionRow } from '../../db/schema.js';
import type { DecisionLogEntry } from '../../src/services/decisions.js';
import { actionsListText } from '../../src/slack/presenters/actions.js';
import { decisionLogMessage, decisionsListText } from '../../src/slack/presenters/decision.js';
import { andMore, fitLines, sectionTexts, shareBudget } from '../../src/slack/presenters/fit.js';
import { submissionsSection } from '../../src/slack/presenters/home.js';
import { validateBlocks } from '../../src/slack-standin/index.js';
import { blocksTooLong } from '../../src/slack-standin/rules.js';

const action = (id: number, description: string, owner = 'U_OPS'): ActionRow => ({
  id: String(id),
  decision_id: '1',
  cycle_id: 1,
  description,
  owner,
  due_date: '2027-01-31',
  status: 'open',
  snoozed_until: null,
  created_by: 'U_EXEC',
  created_at: new Date('2027-01-10T10:00:00Z'),
  done_at: null,
  done_by: null,
  request_key: `k${id}`,
  source_channel: null,
  source_ts: null,
  source_thread_ts: null,
});

const decision = (
  id: number,
  rationale: string,
  actions: readonly ActionRow[],
): DecisionLogEntry => ({
  id: String(id),
  cycle: '2027-01',
  scenario: 'Central',
  scenarioId: '7',
  runId: '3',
  rationale,
  decidedBy: 'U_EXEC',
  decidedAt: new Date('2027-01-12T09:00:00Z'),
  viaVote: false,
  tradeOff: null,
  actions,
});

const texts = (blocks: readonly unknown[]): string[] =>
  blocks.map((b) => (b as { text?: { text?: string } }).text?.text ?? '');

describe('fitLines', () => {
  const more = (n: number) => `+${n}`;
  it('keeps every line when they all fit, separators counted', () => {
    // 3 + 1 + 3 + 1 + 3 = 11
    expect(fitLines(['aaa', 'bbb', 'ccc'], { chars: 11 }, more)).toEqual({
      lines: ['aaa', 'bbb', 'ccc'],
      hidden: 0,
    });
  });
  it('cuts at a whole line and makes room for the "more" line', () => {
    // aaa\nbbb\n+1 is 10 characters; aaa\nbbb\nccc would be 11.
    expect(fitLines(['aaa', 'bbb', 'ccc'], { chars: 10 }, more)).toEqual({
      lines: ['aaa', 'bbb', '+1'],
      hidden: 1,
    });
    // aaa\n+2 is 6; aaa\nbbb\n+1 would be 10.
    expect(fitLines(['aaa', 'bbb', 'ccc'], { chars: 9 }, more)).toEqual({
      lines: ['aaa', '+2'],
      hidden: 2,
    });
    expect(fitLines(['aaa', 'bbb', 'ccc'], { chars: 100, lines: 1 }, more)).toEqual({
      lines: ['aaa', '+2'],
      hidden: 2,
    });
  });
  it('counts lines a query left unread in the "more" line, and makes room for it', () => {
    // aaa\nbbb\nccc\n+4 is 14 characters: all three fit, and 4 were never read.
    expect(fitLines(['aaa', 'bbb', 'ccc'], { chars: 14 }, more, 4)).toEqual({
      lines: ['aaa', 'bbb', 'ccc', '+4'],
      hidden: 4,
    });
    // In 13 the "more" line needs the room of ccc: aaa\nbbb\n+5 is 10.
    expect(fitLines(['aaa', 'bbb', 'ccc'], { chars: 13 }, more, 4)).toEqual({
      lines: ['aaa', 'bbb', '+5'],
      hidden: 5,
    });
  });
  it('shares a budget: small needs in full, the rest split equally, none over the cap', () => {
    // 100 and 200 in full; 5,700 left for two: 2,850 each (under the 3,000 cap).
    expect(shareBudget([100, 5000, 4000, 200], 6000, 3000)).toEqual([100, 2850, 2850, 200]);
    // Plenty: each its need, capped.
    expect(shareBudget([100, 5000], 20_000, 3000)).toEqual([100, 3000]);
  });
  it('says where the rest is', () => {
    expect(andMore(3, 'actions', '`/sop actions` lists them')).toBe(
      '_…and 3 more actions: `/sop actions` lists them._',
    );
    expect(andMore(1, 'month')).toBe('_…and 1 more month._');
    expect(andMore(4, '', '`/sop pack md` has the full pack')).toBe(
      '_…and 4 more: `/sop pack md` has the full pack._',
    );
  });
  it('packs whole lines into sections, the next ones marked as continued', () => {
    const [a, b, c] = ['a'.repeat(20), 'b'.repeat(20), 'c'.repeat(5)];
    // "*T*\n" + 20 = 24; adding "\n" + 20 would make 45 > 40.
    expect(sectionTexts('*T*', [a, b, c], 40)).toEqual([
      `*T*\n${a}`,
      `*T* (continued)\n${b}`,
      `*T* (continued)\n${c}`,
    ]);
    expect(sectionTexts('*T*', [c, c], 40)).toEqual([`*T*\n${c}\n${c}`]);
  });
  it('cuts only a line too long for a section, never inside an entity or a mention', () => {
    // At most 40 − 3 − 12 − 1 = 24 characters a line: 23 and "…", backed off to before
    // the "&amp;" or the "<@U…>" the cut would split.
    expect(sectionTexts('*T*', [`${'x'.repeat(20)}&amp;yyyy`], 40)).toEqual([
      `*T*\n${'x'.repeat(20)}…`,
    ]);
    expect(sectionTexts('*T*', [`${'x'.repeat(18)} <@U_OPS> z`], 40)).toEqual([
      `*T*\n${'x'.repeat(18)} …`,
    ]);
  });
});

describe('/sop actions', () => {
  it('30 short open actions are all listed, whole', () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      action(i + 1, `Confirm the supplier lead times for line ${i + 1} & its spare parts`),
    );
    const text = actionsListText(rows, () => false, 'Open actions', 'UTC');
    const lines = text.split('\n');
    expect(lines).toHaveLength(31);
    expect(lines[0]).toBe('*Open actions*');
    expect(lines[30]).toBe(
      '#30 <@U_OPS> due 2027-01-31 · open: Confirm the supplier lead times for line 30 &amp; its spare parts',
    );
    expect(text).not.toContain('more');
  });

  it('past the 40,000 characters Slack keeps of a text, whole lines and "…and N more" with where to look', () => {
    // Each line is 36 + 792 × 5 + 3 = 3,999 characters ("#10 <@U_OPS> due 2027-01-31 · open: "
    // then 792 escaped "&" and "abc"). With the title (14) and newlines, 9 lines take
    // 14 + 9 × 4,000 = 36,014 and leave room for the "more" line; 10 would take 40,014.
    const rows = Array.from({ length: 90 }, (_, i) => action(i + 10, `${'&'.repeat(792)}abc`));
    const text = actionsListText(rows, () => false, 'Open actions', 'UTC');
    const lines = text.split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.slice(1, 10).map((l) => l.slice(0, 4))).toEqual([
      '#10 ',
      '#11 ',
      '#12 ',
      '#13 ',
      '#14 ',
      '#15 ',
      '#16 ',
      '#17 ',
      '#18 ',
    ]);
    expect(lines.slice(1, 10).every((l) => l.length === 3999 && l.endsWith('&amp;abc'))).toBe(true);
    expect(lines[10]).toBe(
      '_…and 81 more actions: narrow the list with `/sop actions me`, `/sop actions @user` or `/sop actions overdue`._',
    );
    expect(text.length).toBeLessThanOrEqual(40_000);
  });
});

describe('the decision log in the executive channel', () => {
  it('a decision with 10 actions of about 440 characters shows all 10, in sections Slack takes', () => {
    const actions = Array.from({ length: 10 }, (_, i) =>
      action(i + 1, `Step ${i + 1}: ${'review the allocation of constrained capacity '.repeat(9)}`),
    );
    const msg = decisionLogMessage(decision(4, 'Protects service on the key accounts.', actions), {
      vote: null,
      timezone: 'UTC',
    });
    const body = texts(msg.blocks).join('\n');
    for (let i = 1; i <= 10; i++)
      expect(body).toContain(`#${i} <@U_OPS> due 2027-01-31: Step ${i}:`);
    expect(body).not.toContain('more actions');
    expect(texts(msg.blocks).filter((t) => t.startsWith('*Follow-up actions* (10)'))).toHaveLength(
      2,
    );
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(msg.blocks)).toBe(false);
  });

  it('a decision without follow-up actions says so once, without a heading over it', () => {
    const msg = decisionLogMessage(decision(6, 'Short.', []), { vote: null, timezone: 'UTC' });
    const body = texts(msg.blocks);
    expect(body.filter((t) => t.includes('ollow-up action'))).toEqual(['*No follow-up actions.*']);
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
  });

  it('more actions than the message holds: whole ones, then "…and N more" pointing to the full log', () => {
    // Each action line is 49 (":black_small_square: #1 <@U_OPS> due 2027-01-31: ") + 420 × 5
    // = 2,149 characters, one per section (two would pass 3,000). The message's other blocks
    // take about 300 of the 11,000 and a section about 100 more than its line: four sections
    // and the "more" line take about 9,350; a fifth section would take about 11,550.
    const actions = Array.from({ length: 10 }, (_, i) => action(i + 1, '&'.repeat(420)));
    const msg = decisionLogMessage(decision(5, 'Short.', actions), { vote: null, timezone: 'UTC' });
    const lines = texts(msg.blocks).join('\n').split('\n');
    const shown = lines.filter((l) => l.includes('<@U_OPS> due 2027-01-31:'));
    expect(shown).toEqual(
      [1, 2, 3, 4].map(
        (i) => `:black_small_square: #${i} <@U_OPS> due 2027-01-31: ${'&amp;'.repeat(420)}`,
      ),
    );
    expect(lines).toContain('_…and 6 more actions: `/sop decisions md` has the full log._');
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(blocksTooLong(msg.blocks)).toBe(false);
  });
});

describe('/sop decisions', () => {
  it('lists every decision with all its actions when they fit in a text message', () => {
    // 10 decisions of about 1,150 characters: over the old 3,000 cut, far below 40,000.
    const entries = Array.from({ length: 10 }, (_, i) =>
      decision(i + 1, `Rationale ${i + 1}: ${'service first, then margin. '.repeat(40)}`, [
        action(i + 1, 'Confirm the overtime budget', 'U_PLANNER'),
      ]),
    );
    const text = decisionsListText(entries, 'UTC');
    expect(text.split('\n\n')).toHaveLength(10);
    expect(text).toContain(
      '*2027-01* · decision 10: *Central* adopted, recorded by <@U_EXEC> on 2027-01-12',
    );
    expect(text).toContain(
      ':black_small_square: #10 <@U_PLANNER> due 2027-01-31: Confirm the overtime budget',
    );
    expect(text).not.toContain('more decisions');
  });

  it("dates each decision in the company's zone, not UTC", () => {
    // Decided at 08:00 on Friday 2027-01-15 in Tokyo (UTC+9, no DST) = 2027-01-14T23:00Z.
    const tokyo = { ...decision(7, 'ok', []), decidedAt: new Date('2027-01-14T23:00:00Z') };
    expect(decisionsListText([tokyo], 'Asia/Tokyo')).toContain(
      '*2027-01* · decision 7: *Central* adopted, recorded by <@U_EXEC> on 2027-01-15',
    );
    // The same instant is still 2027-01-14 in UTC.
    expect(decisionsListText([tokyo], 'UTC')).toContain('recorded by <@U_EXEC> on 2027-01-14');
  });

  it('past 40,000 characters: whole decisions, then "…and N more" with where to look', () => {
    // Each decision: a 60-character first line, "\n> " and 1,990 × 5 escaped "&": 10,013
    // characters. Three (30,043 with the blank lines) and the "more" line fit in 40,000; four
    // (40,058) do not.
    const entries = Array.from({ length: 6 }, (_, i) => decision(i + 1, '&'.repeat(1990), []));
    const text = decisionsListText(entries, 'UTC');
    const parts = text.split('\n\n');
    expect(parts).toHaveLength(4);
    expect(parts.slice(0, 3).every((p) => p.endsWith('&amp;'))).toBe(true);
    expect(parts[3]).toBe(
      '_…and 3 more decisions: `/sop decisions YYYY-MM` lists one month; `/sop decisions md` has the full log._',
    );
  });
});

describe('App Home submissions', () => {
  it('as many whole lines as a section holds, then "…and N more" saying where they are', () => {
    // Each line is 376 characters (a 64-character code of "&", escaped to 320). With the "more"
    // line (94), 7 lines take 7 × 377 + 94 = 2,733 of 3,000; 8 would take 3,110.
    const rows: SubmissionRow[] = Array.from({ length: 10 }, (_, i) => ({
      id: String(i + 1),
      family: '&'.repeat(64),
      period: '2027-05',
      kind: 'delta_units',
      value: -150,
      reasonCode: 'lost_customer',
      status: 'accepted',
      before: 1000,
      after: 850,
      createdAt: new Date('2027-01-10T10:00:00Z'),
    }));
    const [, section] = submissionsSection(rows);
    const lines = texts([section]).join('').split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe(
      `• *${'&amp;'.repeat(64)}* 2027-05 -150 (lost customer) 1,000 → 850 · accepted`,
    );
    expect(lines[0]).toHaveLength(376);
    expect(lines[7]).toBe(
      "_…and 3 more submissions: each is in the thread of the cycle's summary in the demand channel._",
    );
    expect(validateBlocks([section], 'home')).toEqual([]);
  });
});
