/** #19 item 13: help shows the settings syntax, Close asks first, job ids use SHA-256. */
import { describe, expect, it } from 'vitest';
import { SOP_SUBCOMMANDS } from '../../commands/sop-registry.js';
import { hash } from '../../jobs/contracts.js';
import { tally } from '../../src/core/vote.js';
import type { PollView } from '../../src/services/polls.js';
import { homeActionItems } from '../../src/slack/presenters/actions.js';
import { demandSummaryBlocks } from '../../src/slack/presenters/change.js';
import { commandHelpText, helpText } from '../../src/slack/presenters/help.js';
import { VOTE_CLOSE, voteMessage } from '../../src/slack/presenters/vote.js';

describe('small truths', () => {
  it('/sop help shows how to set the channels', () => {
    expect(helpText(SOP_SUBCOMMANDS, { role: 'admin' })).toContain(
      '/sop settings channels demand #chan supply #chan exec #chan',
    );
  });

  it('/sop help says what /sop settings sets: the channels and the comment threshold too', () => {
    // Before: "time fences, horizon, S&OE thresholds", though the same line's usage sets all five.
    const line = helpText(SOP_SUBCOMMANDS, { role: 'admin' })
      .split('\n')
      .find((l) => l.startsWith('• `/sop settings '));
    expect(line).toContain(
      '` channels, time fences, horizon, comment threshold, S&amp;OE thresholds',
    );
  });

  it('/sop help settings writes out each form, which /sop help can only name', () => {
    // Before: the same one line as /sop help; `fences <frozen> <slushy>` only after an error.
    const text = commandHelpText(SOP_SUBCOMMANDS, 'settings', { role: 'admin' }) ?? '';
    expect(text.split('\n').slice(-6)).toEqual([
      '*Each form*',
      '`/sop settings channels demand #chan supply #chan exec #chan`',
      '`/sop settings fences &lt;frozen months&gt; &lt;slushy months&gt;`',
      '`/sop settings horizon &lt;months&gt;`',
      '`/sop settings comment-threshold &lt;percent&gt;`',
      '`/sop settings execution production=&lt;%&gt; receipts=&lt;%&gt; frozen-break=&lt;%&gt; due-days=&lt;days&gt;`',
    ]);
    expect(helpText(SOP_SUBCOMMANDS, { role: 'admin' })).not.toContain('*Each form*');
  });

  it('/sop help escapes the angle brackets of its usages, so that Slack shows them', () => {
    const help = helpText(SOP_SUBCOMMANDS, { role: 'admin' });
    expect(help).toContain('`/sop decide [&lt;scenario&gt; "rationale" [supersedes "reason"]]`');
    expect(help).not.toMatch(/<(?!#)/);
  });

  it('App Home shows 20 open actions with their buttons and counts the rest', () => {
    const rows = Array.from({ length: 23 }, (_, i) => ({
      id: String(i + 1),
      owner: 'U1',
      due_date: '2027-01-15',
      description: `Action ${i + 1}`,
      status: 'open' as const,
    }));
    const blocks = homeActionItems(rows);
    expect(blocks.filter((b) => b.type === 'actions')).toHaveLength(20);
    // Its owner's own: `/sop actions` alone lists everyone's open actions.
    expect(JSON.stringify(blocks.at(-1))).toContain('…and 3 more: `/sop actions me` lists them.');
    expect(homeActionItems(rows.slice(0, 20)).some((b) => b.type === 'context')).toBe(false);
  });

  it("App Home marks the actions due before the company's today as overdue, as the pack does", () => {
    const row = (id: string, due: string) => ({
      id,
      owner: 'U1',
      due_date: due,
      description: `Action ${id}`,
      status: 'open' as const,
    });
    const text = (b: unknown) => (b as { text?: { text: string } }).text?.text;
    const blocks = homeActionItems([row('1', '2027-01-14'), row('2', '2027-01-15')], '2027-01-15');
    expect(text(blocks[0])).toBe(':warning: *overdue* *#1* Action 1 · due 2027-01-14');
    // Due today is not overdue yet.
    expect(text(blocks[2])).toBe('*#2* Action 2 · due 2027-01-15');
  });

  it('the demand summary names 40 families and counts the rest', () => {
    const activity = Array.from({ length: 43 }, (_, i) => ({
      family: `FAM-${i + 1}`,
      adjustments: 2,
      authors: 1,
      flagged: 0,
      carried: 0,
    }));
    const text = JSON.stringify(demandSummaryBlocks('2027-01', activity));
    expect(text).toContain('*FAM-40*');
    expect(text).not.toContain('*FAM-41*');
    expect(text).toContain(
      "…and 3 more adjusted families: `/sop explain who changed FAM-41` lists a family's adjustments.",
    );
    // 43 families × 2 adjustment months
    expect(text).toContain('86 adjustment months so far.');
  });

  it('the Close vote button asks for confirmation', () => {
    const view = {
      poll: {
        id: '7',
        run_id: '3',
        question: 'Which scenario?',
        mode: 'open',
        quorum: null,
        status: 'open',
        closes_at: null,
        created_by: 'U_CHAIR',
        close_reason: null,
        closed_by: null,
      },
      options: [],
      tally: tally([], [], null),
      decision: null,
      chartFileId: null,
      decisionScenario: null,
      replacedBy: null,
      timezone: 'UTC',
    } as unknown as PollView;
    const close = JSON.stringify(voteMessage(view).blocks)
      .split('"action_id"')
      .find((s) => s.startsWith(`:"${VOTE_CLOSE}"`));
    expect(close).toContain('"confirm":{"title"');
  });

  it('ids from free text are SHA-256 (FIPS 180-2 example: "abc")', () => {
    expect(hash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223');
  });
});
