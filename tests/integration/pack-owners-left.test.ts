/**
 * The pack's open follow-up actions whose owner left the workspace. Slack keeps a deactivated
 * account and takes DMs to it without a word, so before, the pack listed such an action as any
 * other: nobody would do it, nobody would be reminded of it, and the meeting did not hear so.
 * Now the pack job asks users.info once per owner and marks each of their actions with how to
 * reassign it, counts them in question 1, and a users.info that fails leaves the pack unmarked,
 * said once in the log with its stack; `/sop pack md` and `sopbot pack` with a token mark them
 * the same way.
 *
 * Hand-built: February (closed) left three open actions, two of LEFT's (deactivated), one of
 * STAY's; March is in its executive phase on 10 March, so none is overdue. The real worker
 * runtime over HTTP against the Slack stand-in, real Postgres and Redis, a test clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviationAction } from '../../db/queries/execution.js';
import { main } from '../../src/cli.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { recordedLogs } from '../helpers/log-lines.js';
import { nextEphemeral } from '../helpers/slack.js';
import { addDeactivatedUser } from './action-fixture.js';
import { insertChannels, runToEnd, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const LEFT = 'U_LEFT'; // ops, whose account is deactivated
const STAY = 'U_STAY'; // ops, still here

const clock = testClock('2027-03-10T09:00:00Z');
const logs = recordedLogs();
const h = useHarness({
  label: 'pack-owners-left',
  members: { [EXEC]: 'exec', [LEFT]: 'ops', [STAY]: 'ops' },
  clock,
  workerLogger: logs.logger,
});
let db: Db;
let standin: Standin;
let feb: number;
let march: number;
const ids: string[] = [];

/** The users asked about by users.info during `run`. */
async function usersAskedDuring(run: () => Promise<unknown>): Promise<string[]> {
  const before = standin.callsTo('users.info').length;
  await run();
  return standin
    .callsTo('users.info')
    .slice(before)
    .map((c) => String(c.args.user));
}

/** The text of the pack posted in the executive channel for `month`. */
const packIn = (month: string) =>
  JSON.stringify(
    standin.messagesIn('C_EXEC').find((m) => m.text.startsWith(`S&OP ${month}: executive pack`))
      ?.blocks ?? null,
  );

beforeAll(async () => {
  ({ db, standin } = h);
  await insertChannels(db);
  feb = await insertCycle(db, {
    month: '2027-02',
    phase: 'closed',
    closed_at: new Date('2027-02-26T10:00:00Z'),
  });
  const open = [
    { owner: LEFT, dueDate: '2027-03-19', description: 'Order resin for April' },
    { owner: STAY, dueDate: '2027-03-22', description: 'Book overtime on LINE-1' },
    { owner: LEFT, dueDate: '2027-03-26', description: 'Requalify the second supplier' },
  ];
  for (const [i, a] of open.entries())
    ids.push(
      (
        await insertDeviationAction(db, {
          cycleId: feb,
          ...a,
          createdBy: EXEC,
          requestKey: `pack-owners-left-${i}`,
        })
      ).id,
    );
  march = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  addDeactivatedUser(standin, LEFT, 'left');
}, 60_000);

describe('the pack job, with an owner who left', () => {
  it("marks both of their actions, asks Slack once about each owner, and not the others'", async () => {
    let job: Awaited<ReturnType<typeof runToEnd>> | undefined;
    const asked = await usersAskedDuring(async () => {
      job = await runToEnd(h.queues, 'pack', { cycleId: march }, 'posts');
    });
    expect(await job!.getState()).toBe('completed');
    // Once per owner, by the due date of their first action; nobody else (the pack asks the
    // names of those it names for what they did: none here; the owners it asks by mention).
    expect(asked).toEqual([LEFT, STAY]);
    const [resin, overtime, requalify] = ids as [string, string, string];
    const pack = packIn('2027-03');
    const q10 = pack.slice(pack.indexOf('*10. What are the follow-up actions?*'));
    // The two whose owner left first (a long list is cut at its end), then the other.
    expect(q10).toContain(
      [
        `• #${resin} <@${LEFT}> due 2027-03-19 (from 2027-02): Order resin for April. Owner <@${LEFT}> has left the workspace: reassign with \`/sop actions reassign #${resin} @person\`.`,
        `• #${requalify} <@${LEFT}> due 2027-03-26 (from 2027-02): Requalify the second supplier. Owner <@${LEFT}> has left the workspace: reassign with \`/sop actions reassign #${requalify} @person\`.`,
        `• #${overtime} <@${STAY}> due 2027-03-22 (from 2027-02): Book overtime on LINE-1.`,
      ].join('\\n'),
    );
    expect(q10).not.toContain(`Owner <@${STAY}>`);
    const q1 = pack.slice(pack.indexOf('*1. '), pack.indexOf('*2. '));
    expect(q1).toContain('Actions of earlier cycles: 0 done, 0 overdue, 3 open, 0 dropped.');
    expect(q1).toContain(
      '• 2 open actions have owners who left the workspace: nobody will do them until they are reassigned (question 10).',
    );
  });

  it('/sop pack md marks them too, by name', async () => {
    const answer = await nextEphemeral(standin, EXEC, () => h.sop(EXEC, 'pack md'));
    expect(answer).toBe('Uploaded sop-pack-2027-03.md.');
    const md = Buffer.from(
      standin.files.findLast((f) => f.name === 'sop-pack-2027-03.md')?.bytes ?? '',
    ).toString('utf8');
    const [resin, overtime, requalify] = ids as [string, string, string];
    expect(md).toContain(
      `- #${resin} left due 2027-03-19 (from 2027-02): Order resin for April. Owner left has left the workspace: reassign with \`/sop actions reassign #${resin} @person\`.\n`,
    );
    expect(md).toContain(
      `- #${requalify} left due 2027-03-26 (from 2027-02): Requalify the second supplier. Owner left has left the workspace: reassign with \`/sop actions reassign #${requalify} @person\`.\n`,
    );
    expect(md).toContain(
      `- #${overtime} stay due 2027-03-22 (from 2027-02): Book overtime on LINE-1.\n`,
    );
    expect(md).toContain(
      '- 2 open actions have owners who left the workspace: nobody will do them until they are reassigned (question 10).\n',
    );
  });
});

describe('sopbot pack, with a token', () => {
  it('marks them as the posted pack does', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: (x: string) => out.push(x),
      stderr: (x: string) => err.push(x),
      env: { ...h.env, SLACK_API_URL: standin.apiUrl },
    };
    expect(await main(['pack', '--cycle', '2027-03', '--as-of', '2027-03-10'], io)).toBe(0);
    const md = out.join('');
    const [resin, overtime, requalify] = ids as [string, string, string];
    expect(md).toContain(
      `- #${resin} left due 2027-03-19 (from 2027-02): Order resin for April. Owner left has left the workspace: reassign with \`/sop actions reassign #${resin} @person\`.\n`,
    );
    expect(md).toContain(
      `Owner left has left the workspace: reassign with \`/sop actions reassign #${requalify} @person\`.\n`,
    );
    expect(md).toContain(
      `- #${overtime} stay due 2027-03-22 (from 2027-02): Book overtime on LINE-1.\n`,
    );
  });
});

describe('the pack job, when users.info fails', () => {
  it('posts the pack unmarked and logs the failure once, with its stack', async () => {
    // March's meeting is over; April's pack lists February's three actions again. LEFT's
    // account is asked about first (an answer of deactivated is never remembered): Slack fails.
    await db.updateTable('cycles').set({ phase: 'closed' }).where('id', '=', march).execute();
    const april = await insertCycle(db, { month: '2027-04', phase: 'executive' });
    clock.set('2027-04-09T09:00:00Z');
    standin.failNext('users.info', { status: 500 });
    const job = await runToEnd(h.queues, 'pack', { cycleId: april }, 'posts');
    expect(await job.getState()).toBe('completed');
    const pack = packIn('2027-04');
    const q10 = pack.slice(pack.indexOf('*10. What are the follow-up actions?*'));
    const [resin] = ids as [string];
    expect(q10).toContain(
      `• OVERDUE #${resin} <@${LEFT}> due 2027-03-19 (from 2027-02): Order resin for April.\\n`,
    );
    expect(pack).not.toContain('has left the workspace');
    expect(pack).not.toContain('owners who left');
    const failed = logs.lines.filter((l) => l.msg.includes('users.info failed'));
    expect(failed).toHaveLength(1);
    expect(failed[0]?.level).toBe(50);
    expect(failed[0]?.err?.stack).toContain('Error');
  });
});
