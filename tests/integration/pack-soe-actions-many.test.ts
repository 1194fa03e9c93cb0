/**
 * A busy month of S&OE: 60 open actions raised since the last meeting, each with a long
 * description. The pack file (`/sop pack md`) lists all 60 under question 10; the Slack
 * message (`/sop pack`) keeps to Slack's limits (each section's text at most 3,000 characters,
 * the blocks at most MESSAGE_BLOCKS_CHARS as JSON) and ends question 10 at a whole line with
 * "…and N more", N being the 60 less those it shows, pointing to the full pack.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertDeviationAction } from '../../db/queries/execution.js';
import { buildPack, packMarkdown } from '../../src/services/pack.js';
import { MESSAGE_BLOCKS_CHARS, SECTION_TEXT_CHARS } from '../../src/slack/presenters/fit.js';
import { FULL_PACK, packMessage } from '../../src/slack/presenters/pack.js';
import { insertCycle, useDb } from '../helpers/db.js';

const t = useDb();
const N = 60;
const LONG = 'Chase the gearbox supplier for a confirmed ship date and a second source '.repeat(3);
let md: string;
let q10: string;
let blocks: unknown[];
let pack: Awaited<ReturnType<typeof buildPack>>;

beforeAll(async () => {
  const feb = await insertCycle(t.db, { month: '2027-02', phase: 'executive' });
  for (let i = 1; i <= N; i++)
    await insertDeviationAction(t.db, {
      cycleId: feb,
      description: `${LONG}${i}`,
      // The last one's owner left the workspace (the last test marks it).
      owner: i === N ? 'U_GONE' : 'U_OTTO',
      dueDate: '2027-03-01',
      createdBy: 'U_OTTO',
      requestKey: `deviation:many:${i}`,
    });
  pack = await buildPack(t.db, '2027-02', new Date('2027-02-20T10:00:00Z'));
  md = packMarkdown(pack);
  const msg = packMessage(pack);
  blocks = msg.blocks;
  const texts = msg.blocks.map((b) => (b as { text?: { text?: string } }).text?.text ?? '');
  q10 = texts.find((x) => x.includes('*10. ')) ?? '';
});

describe('question 10 with many S&OE actions', () => {
  it('lists them all in the pack file', () => {
    expect(md.split('\n').filter((l) => l.includes('(S&OE, since the last meeting)'))).toHaveLength(
      N,
    );
  });

  it("keeps the Slack message within Slack's limits, saying how many more and where", () => {
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(MESSAGE_BLOCKS_CHARS);
    for (const b of blocks) {
      const text = (b as { text?: { text?: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_CHARS);
    }
    const shown = q10.split('\n').filter((l) => l.includes('(S&amp;OE, since the last meeting)'));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(N);
    expect(q10).toContain(`_…and ${N - shown.length} more: ${FULL_PACK}._`);
  });

  /*
   * The 60th action, listed last in the order they were made, is U_GONE's, who left: it is
   * listed first, so the cut at the end of question 10 cannot take it; the 59 others follow in
   * their order (the first of them, #1's description ending "source 1", next).
   */
  it('lists an action whose owner left first, so the cut never hides it', () => {
    const gone = { ...pack, ownersWhoLeft: ['U_GONE'] };
    const q10Of = (text: string) => text.slice(text.indexOf('10. '));
    const mdLines = q10Of(packMarkdown(gone))
      .split('\n')
      .filter((l) => l.includes('(S&OE, since the last meeting)'));
    expect(mdLines).toHaveLength(N);
    expect(mdLines[0]).toContain(`source ${N}. Owner U_GONE has left the workspace: reassign with`);
    expect(mdLines[1]).toContain(`source 1.`);
    const texts = packMessage(gone).blocks.map(
      (b) => (b as { text?: { text?: string } }).text?.text ?? '',
    );
    const shown = (texts.find((x) => x.includes('*10. ')) ?? '')
      .split('\n')
      .filter((l) => l.includes('(S&amp;OE, since the last meeting)'));
    expect(shown.length).toBeLessThan(N);
    expect(shown[0]).toContain(`source ${N}. Owner <@U_GONE> has left the workspace`);
  });
});
