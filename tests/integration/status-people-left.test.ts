/**
 * `/sop status` when people left the company mid-cycle: a rep whose account is deactivated
 * (Slack takes a DM to them without a word: the nudge asks `users.info` first and records it as
 * refused), an executive whose nudge Slack refuses (`account_inactive`); sopbot stops waiting
 * on them. A rep who left is no longer listed as
 * owing forecast input; the family only they covered is named as having no rep; an executive
 * who left is not among those "yet to vote", and a quorum that can no longer be reached is
 * said; a chair who left is replaced, in words, by who may close the vote and record the
 * decision. Before, the rep stayed "not submitted yet" and the executive "yet to vote" for
 * good, and FAM-1 read as covered. The real bot and worker, real Postgres and Redis, the
 * Slack stand-in refusing the DMs of those who left.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { addDeactivatedUser } from './action-fixture.js';
import {
  insertChannels,
  insertFamilies,
  insertRun,
  pollUntil,
  runToEnd,
  SCENARIOS,
  settledJob,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const ADMIN = 'U_ADA';
const PLANNER = 'U_PAT';
const GONE = 'U_GONE'; // sales, covers FAM-1 alone and FAM-2 with STAY; leaves
const STAY = 'U_STAY'; // sales, covers FAM-2
const CHAIR = 'U_CHAIR'; // exec, starts the vote, then leaves
const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';

const clock = testClock('2027-03-02T09:00:00Z');
const h = useHarness({
  label: 'status-people-left',
  members: {
    [ADMIN]: 'admin',
    [PLANNER]: 'planner',
    [GONE]: 'sales',
    [STAY]: 'sales',
    [CHAIR]: 'exec',
    [EXEC1]: 'exec',
    [EXEC2]: 'exec',
  },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;
let fam: { fam1: number; fam2: number; line: number };

const status = (user: string, text = 'status') =>
  nextEphemeral(standin, user, () => h.sop(user, text));
/** Waits until Slack's refusal of `user`'s DM is recorded (the worker does it as the job fails). */
const refusalOf = (user: string) =>
  pollUntil(
    () =>
      db
        .selectFrom('slack_refusals')
        .select('reason')
        .where('conversation', '=', user)
        .where('resolved_at', 'is', null)
        .execute(),
    (rows) => rows.length > 0,
  );

beforeAll(async () => {
  ({ db, standin } = h);
  fam = await insertFamilies(db);
  await insertChannels(db);
  await db.updateTable('workspace_settings').set({ vote_mode: 'open', vote_quorum: 3 }).execute();
  await db
    .insertInto('member_families')
    .values([
      { slack_user_id: GONE, family_id: fam.fam1 },
      { slack_user_id: GONE, family_id: fam.fam2 },
      { slack_user_id: STAY, family_id: fam.fam2 },
    ])
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'demand_review' });
}, 60_000);

describe('a sales rep who left', () => {
  it('is not listed as owing input; the family only they covered has no rep', async () => {
    // GONE's account is deactivated: Slack would take a DM to them without a word (the
    // stand-in does too), and nobody would read it. The nudge asks users.info first.
    addDeactivatedUser(standin, GONE, 'gone');
    await runToEnd(h.queues, 'nudge', { cycleId, phase: 'demand_review' }, 'notifications');
    expect(await refusalOf(GONE)).toEqual([{ reason: 'deactivated' }]);
    // STAY was nudged; nothing was sent to GONE, and the admin was told who left.
    expect(standin.messagesIn(`D_${STAY}`)).toHaveLength(1);
    expect(standin.messagesIn(`D_${GONE}`)).toHaveLength(0);
    await settledJob(
      h.queues,
      'notifications',
      jobId('refusal-notice', { conversation: GONE, reason: 'deactivated', day: '2027-03-02' }),
    );
    const notice = standin.messagesIn(`D_${ADMIN}`).at(-1)?.text ?? '';
    expect(notice).toContain(
      `:warning: 1 DM to <@${GONE}> not sent: their Slack account is deactivated (Slack's users.info says so).\nNot delivered, and not tried again: <@${GONE}>'s Demand review nudge of cycle 2027-03.`,
    );
    expect(notice).toContain(
      `They are Sales for FAM-1, FAM-2: \`/sop role @someone sales\`, then \`/sop families @someone FAM-1 FAM-2\``,
    );

    const text = await status(ADMIN);
    // Only STAY owes input: 1, not 2.
    expect(text).toContain(
      `*Not submitted yet* (neither an adjustment nor "no change"): 1\n• <@${STAY}>: FAM-2`,
    );
    expect(text).not.toContain(`• <@${GONE}>: FAM-1`);
    expect(text).toContain(
      `*Left the workspace* (Slack refuses DMs to them), so their forecast input is not waited for:\n• <@${GONE}> (their Slack account is deactivated): FAM-1, FAM-2\nTake the role away with \`/sop role <@${GONE}> none\`, and give their families to a rep who is still here.`,
    );
    // FAM-2 keeps STAY; FAM-1 had only GONE.
    expect(text).toContain(
      '*No sales rep covers* FAM-1: give a rep the role with `/sop role @rep sales`, then their families with `/sop families @rep FAM-1`.',
    );

    // A planner reads who may take the role away; `/sop status owing` says the same.
    expect(await status(PLANNER)).toContain('Admin members take the role away with `/sop role');
    const owing = await status(PLANNER, 'status owing');
    expect(owing).toContain(
      `*Not submitted yet* (neither an adjustment nor "no change"): 1\n• <@${STAY}> (1): FAM-2\n\n*Left the workspace*`,
    );
    expect(owing).toContain(`• <@${GONE}> (their Slack account is deactivated): FAM-1, FAM-2`);
  });

  it('given no role, they leave status and FAM-1 stays without a rep', async () => {
    await status(ADMIN, `role <@${GONE}> none`);
    const text = await status(ADMIN);
    expect(text).not.toContain(`<@${GONE}>`);
    expect(text).toContain('*No sales rep covers* FAM-1:');
  });
});

describe('/sop role for someone who left', () => {
  it('a deactivated account, or an id Slack does not know, is given no role', async () => {
    const roleOf = async (user: string) =>
      (
        await db
          .selectFrom('members')
          .select('role')
          .where('slack_user_id', '=', user)
          .executeTakeFirst()
      )?.role ?? null;
    expect(await status(ADMIN, `role <@${GONE}> sales`)).toContain(
      `<@${GONE}>'s Slack account is deactivated: they would never see a nudge, a vote or an action. Name someone who is still in the workspace (\`/sop role <@${GONE}> none\` takes away a role they had).`,
    );
    expect(await roleOf(GONE)).toBeNull();
    expect(await status(ADMIN, 'role <@U_NOBODY> exec')).toContain(
      'Slack knows no person `U_NOBODY` in this workspace; name someone who is in it.',
    );
    expect(await roleOf('U_NOBODY')).toBeNull();
    // Someone still here is given one as before.
    expect(await status(ADMIN, `role <@${PLANNER}> exec`)).toContain(
      `<@${PLANNER}> is now *Executive*.`,
    );
    await status(ADMIN, `role <@${PLANNER}> planner`);
  });
});

describe('an executive and a vote chair who left', () => {
  it('the vote waits on nobody who left, says the quorum is out of reach, and who closes it', async () => {
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    await insertRun(db, {
      cycleId,
      runKey: 'run-people-left',
      periods: ['2027-03'],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
    await h.sop(CHAIR, 'vote 24');
    const poll = (await pollUntil(
      () => db.selectFrom('polls').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;
    await nextEphemeral(standin, EXEC1, () =>
      h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC1 }),
    );
    // The chair leaves; the vote's nudge to them is refused.
    standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${CHAIR}` });
    await runToEnd(h.queues, 'nudge', { cycleId, phase: 'executive' }, 'notifications');
    await refusalOf(CHAIR);
    // The admins are told, with who closes the vote and records its decision in the chair's place.
    await settledJob(
      h.queues,
      'notifications',
      jobId('refusal-notice', {
        conversation: CHAIR,
        reason: 'account_inactive',
        day: '2027-03-02',
      }),
    );
    expect(standin.messagesIn(`D_${ADMIN}`).at(-1)?.text).toContain(
      `What to do: If <@${CHAIR}> has left, give their part to someone else. They are Executive: \`/sop role @someone exec\`, and take theirs away with \`/sop role <@${CHAIR}> none\`. They chair vote ${poll.id}, still open: Admin members close it (*Close vote* on the vote), and Executive or Admin members record its decision (*Record the decision* in their App Home).`,
    );

    // Quorum 3: EXEC1 counted, EXEC2 to come, the chair's will not: 2 at most.
    expect(await status(PLANNER)).toContain(
      `; executives yet to vote: <@${EXEC2}>; <@${CHAIR}> left (their Slack account is deactivated), so their vote will not come. Its quorum of 3 can no longer be reached (1 counted, 1 to come). Its chair <@${CHAIR}> left (their Slack account is deactivated): Admin members close it (*Close vote* on the vote), and Executive or Admin members record the decision (*Record the decision* in their App Home).`,
    );

    // An admin closes it, as status says they may; the decision is then the executives'.
    await h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_close', { user: ADMIN });
    await pollUntil(
      () => db.selectFrom('polls').select('status').where('id', '=', poll.id).executeTakeFirst(),
      (p) => p?.status === 'closed',
    );
    expect(await status(PLANNER)).toContain(
      `*Decision*: not recorded yet. Vote ${poll.id} is closed and its chair <@${CHAIR}> left (their Slack account is deactivated): Executive or Admin members record the decision (*Record the decision* in their App Home, or \`/sop decide\`).`,
    );
  });
});
