/**
 * The pack's question 10 when this cycle's decision set many actions and an earlier cycle's
 * open action belongs to someone who left the workspace. Before, each list put its own
 * actions whose owner left first, but the decision's list came first: twenty long actions of
 * the decision pushed February's marked action past the Slack pack's cut ("…and N more"), so
 * the meeting never saw that nobody would do it. Now every open action whose owner left comes
 * first, the decision's then the earlier ones, each saying where it comes from; then the rest
 * of each list, in its own order. `/sop pack md` lists them in the same order.
 *
 * Hand-built: February (closed) left one open action, LEFT's (deactivated); March's decision
 * set 20 actions of STAY's, each line about 260 characters (5,000 in all: more than a section
 * of the message holds, SECTION_TEXT_CHARS 3,000), then one of LEFT's. March is in its executive
 * phase on 12 March, so nothing is overdue. The real worker runtime over HTTP against the Slack
 * stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviationAction } from '../../db/queries/execution.js';
import { FULL_PACK } from '../../src/slack/presenters/pack.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { addDeactivatedUser, decideMarchActions } from './action-fixture.js';
import { insertChannels, runToEnd, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const LEFT = 'U_LEFT'; // ops, whose account is deactivated
const STAY = 'U_STAY'; // ops, still here
const N = 20;
const LONG = 'Confirm the second source for the gearbox housings with a signed ship date '.repeat(
  3,
);

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'pack-owners-left-long',
  members: { [EXEC]: 'exec', [LEFT]: 'ops', [STAY]: 'ops' },
  clock,
});
let db: Db;
let standin: Standin;
let resin: string;
let handover: string;
let first: string;

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  addDeactivatedUser(standin, LEFT, 'left');
  const feb = await insertCycle(db, {
    month: '2027-02',
    phase: 'closed',
    closed_at: new Date('2027-02-26T10:00:00Z'),
  });
  ({ id: resin } = await insertDeviationAction(db, {
    cycleId: feb,
    owner: LEFT,
    dueDate: '2027-03-19',
    description: 'Order resin for April',
    createdBy: EXEC,
    requestKey: 'pack-owners-left-long-feb',
  }));
  const ids = await decideMarchActions(h, clock, 'owners-left-long', EXEC, [
    ...Array.from({ length: N }, (_, i) => ({
      owner: STAY,
      dueDate: '2027-03-30',
      description: `${LONG}${i + 1}`,
    })),
    { owner: LEFT, dueDate: '2027-03-31', description: 'Hand the supplier audit over' },
  ]);
  first = ids[0]!;
  handover = ids[N]!;
}, 60_000);

describe('question 10, with a long decision and an earlier action whose owner left', () => {
  it('lists the actions whose owner left before the Slack cut, then the rest', async () => {
    const { id: march } = await db
      .selectFrom('cycles')
      .select('id')
      .where('month', '=', '2027-03')
      .executeTakeFirstOrThrow();
    const job = await runToEnd(h.queues, 'pack', { cycleId: march }, 'posts');
    expect(await job.getState()).toBe('completed');
    const blocks =
      standin.messagesIn('C_EXEC').find((m) => m.text.startsWith('S&OP 2027-03: executive pack'))
        ?.blocks ?? [];
    const q10 = (blocks as { text?: { text?: string } }[])
      .map((b) => b.text?.text ?? '')
      .find((t) => t.startsWith('*10. What are the follow-up actions?*'));
    const lines = (q10 ?? '').split('\n');
    const marked = [
      `• #${handover} <@${LEFT}> due 2027-03-31 (set by this cycle's decision, Central scenario): Hand the supplier audit over. Owner <@${LEFT}> has left the workspace: reassign with \`/sop actions reassign #${handover} @person\`.`,
      `• #${resin} <@${LEFT}> due 2027-03-19 (from 2027-02): Order resin for April. Owner <@${LEFT}> has left the workspace: reassign with \`/sop actions reassign #${resin} @person\`.`,
    ];
    // The section is cut at its end: the 20 long actions do not all fit.
    const cut = lines.findIndex((l) => /^_…and \d+ more: /.test(l));
    expect(lines[cut]).toContain(FULL_PACK);
    expect(cut).toBe(lines.length - 1);
    expect(lines.filter((l) => l.includes(`<@${STAY}> due 2027-03-30`)).length).toBeLessThan(N);
    // February's action is shown, before the cut (it was among the N more).
    expect(lines.indexOf(marked[1]!)).toBeGreaterThan(0);
    // Both marked, the decision's first, then the decision's other actions under its heading.
    const at = lines.indexOf(marked[0]!);
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 4)).toEqual([
      ...marked,
      "• Set by this cycle's decision (Central):",
      expect.stringContaining(`#${first} <@${STAY}> due 2027-03-30: ${LONG}1.`),
    ]);
  });

  it('/sop pack md lists them in the same order, the decision’s 20 others after them', async () => {
    const answer = await nextEphemeral(standin, EXEC, () => h.sop(EXEC, 'pack md'));
    expect(answer).toBe('Uploaded sop-pack-2027-03.md.');
    const md = Buffer.from(
      standin.files.findLast((f) => f.name === 'sop-pack-2027-03.md')?.bytes ?? '',
    ).toString('utf8');
    const q10 = md.slice(md.indexOf('10. What are the follow-up actions?'));
    const handoverAt = q10.indexOf(
      `- #${handover} left due 2027-03-31 (set by this cycle's decision, Central scenario): Hand the supplier audit over. Owner left has left the workspace: reassign with \`/sop actions reassign #${handover} @person\`.\n`,
    );
    const resinAt = q10.indexOf(
      `- #${resin} left due 2027-03-19 (from 2027-02): Order resin for April. Owner left has left the workspace: reassign with \`/sop actions reassign #${resin} @person\`.\n`,
    );
    const headingAt = q10.indexOf("- Set by this cycle's decision (Central):\n");
    expect(handoverAt).toBeGreaterThan(0);
    expect(resinAt).toBeGreaterThan(handoverAt);
    expect(headingAt).toBeGreaterThan(resinAt);
    // All 20 of STAY's after the heading, none of them marked.
    const after = q10.slice(headingAt).split('\n');
    expect(after.filter((l) => l.includes('due 2027-03-30:'))).toHaveLength(N);
    expect(q10.match(/has left the workspace/g)).toHaveLength(2);
  });
});
