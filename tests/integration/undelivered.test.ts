/**
 * When Slack refuses a job's post for good, the admins hear of it: one DM each (an admin by
 * role and one by SOPBOT_ADMIN_USERS) saying what was not delivered, where, why and what to do;
 * once per conversation, reason and day, whatever retries and further refusals come; `/sop
 * status` shows it to admins until a later post there goes through. An action owner who left:
 * the admins are told which action nobody will be reminded of. An admin whose own DM is
 * refused asks for no notice about it. The real bot and worker, real Postgres and Redis, the
 * Slack stand-in refusing what the test tells it to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { recordRefusals } from '../../db/queries/slack-refusals.js';
import { jobId } from '../../jobs/contracts.js';
import { recordDecision } from '../../src/services/decisions.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import {
  insertChannels,
  insertFamilies,
  insertMarchRun,
  runToEnd,
  settledJob,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const ADA = 'U_ADA'; // admin by role
const BOOT = 'U_BOOT'; // admin by SOPBOT_ADMIN_USERS, no role of their own
const PAT = 'U_PAT'; // planner
const OTTO = 'U_OTTO'; // operations, leaves the company
const EXEC = 'U_EXEC1';

const clock = testClock('2027-03-02T08:00:00Z');
const h = useHarness({
  label: 'undelivered',
  members: { [ADA]: 'admin', [PAT]: 'planner', [OTTO]: 'ops', [EXEC]: 'exec' },
  adminUsers: [BOOT],
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;
let centralId: string;

const dms = (user: string) => standin.messagesIn(`D_${user}`);
const notice = (conversation: string, reason: string, day: string) =>
  jobId('refusal-notice', { conversation, reason, day });
const status = (user: string) => nextEphemeral(standin, user, () => h.sop(user, 'status'));

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await insertChannels(db);
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  const r = await insertMarchRun(db, cycleId, fam, 'undelivered');
  centralId = r.ids.central!;
}, 60_000);

describe('the bot removed from the executive channel (not_in_channel)', () => {
  const expected = [
    ':warning: Slack refused 1 post to <#C_EXEC> for good: the bot is not in the channel.',
    'Not delivered, and not tried again: the pack of cycle 2027-03.',
    'What to do: Invite the bot: in <#C_EXEC>, type `/invite @sopbot`.',
    '`/sop status` shows this until a post to <#C_EXEC> goes through.',
  ].join('\n');

  it('the pack refused: one DM to each admin, by role and by SOPBOT_ADMIN_USERS, saying what, where, why and what to do', async () => {
    standin.failNext('chat.postMessage', { error: 'not_in_channel', channel: 'C_EXEC' });
    const job = await runToEnd(h.queues, 'pack', { cycleId }, 'posts');
    expect(await job.getState()).toBe('failed');
    const sent = await settledJob(
      h.queues,
      'notifications',
      notice('C_EXEC', 'not_in_channel', '2027-03-02'),
    );
    expect(await sent.getState()).toBe('completed');
    expect(sent.returnvalue).toEqual({ sent: 2, admins: 2 });
    expect(dms(ADA).map((m) => m.text)).toEqual([expected]);
    expect(dms(BOOT).map((m) => m.text)).toEqual([expected]);
    // Nobody else hears of it.
    expect(dms(PAT)).toHaveLength(0);
    expect(dms(EXEC)).toHaveLength(0);
  });

  it('a second refusal that day (the phase announcement) and a redelivered notice send no second DM; status counts both posts', async () => {
    standin.failNext('chat.postMessage', { error: 'not_in_channel', channel: 'C_EXEC' });
    clock.set('2027-03-02T15:00:00Z');
    const job = await runToEnd(
      h.queues,
      'phase-announce',
      { cycleId, phase: 'executive' },
      'posts',
    );
    expect(await job.getState()).toBe('failed');
    // The same notice, delivered again (as after a lost acknowledgement): its DMs are in the
    // ledger under the day's key, so nothing goes out.
    const again = await runToEnd(
      h.queues,
      'refusal-notice',
      { conversation: 'C_EXEC', reason: 'not_in_channel', day: '2027-03-02' },
      'notifications',
    );
    expect(again.returnvalue).toEqual({ sent: 0, admins: 2 });
    expect(dms(ADA)).toHaveLength(1);
    expect(dms(BOOT)).toHaveLength(1);

    const text = await status(ADA);
    expect(text).toContain(
      ':warning: *Undelivered since 2027-03-02*: 2 posts to <#C_EXEC> (the bot is not in the channel). Invite the bot: in <#C_EXEC>, type `/invite @sopbot`.',
    );
    expect(text).toContain('*S&OP cycle 2027-03*');
    // Only admins see it.
    expect(await status(PAT)).not.toContain('Undelivered');
  });

  it('the next day, still refused: one more DM each, naming both posts', async () => {
    clock.set('2027-03-03T09:00:00Z');
    standin.failNext('chat.postMessage', { error: 'not_in_channel', channel: 'C_EXEC' });
    await runToEnd(h.queues, 'pack', { cycleId }, 'posts');
    await settledJob(h.queues, 'notifications', notice('C_EXEC', 'not_in_channel', '2027-03-03'));
    const next = [
      ':warning: Slack refused 2 posts to <#C_EXEC> for good: the bot is not in the channel.',
      'Not delivered, and not tried again: the pack of cycle 2027-03; the announcement that cycle 2027-03 entered Executive S&OP.',
      'What to do: Invite the bot: in <#C_EXEC>, type `/invite @sopbot`.',
      '`/sop status` shows this until a post to <#C_EXEC> goes through.',
    ].join('\n');
    expect(dms(ADA).map((m) => m.text)).toEqual([expected, next]);
    expect(dms(BOOT).map((m) => m.text)).toEqual([expected, next]);
  });

  it('the bot invited back: the next post goes through and status no longer lists the channel', async () => {
    expect(await status(ADA)).toContain('*Undelivered since 2027-03-02*: 2 posts to <#C_EXEC>');
    const before = standin.messagesIn('C_EXEC').length;
    const job = await runToEnd(h.queues, 'pack', { cycleId }, 'posts');
    expect(await job.getState()).toBe('completed');
    expect(standin.messagesIn('C_EXEC')).toHaveLength(before + 1);
    expect(await status(ADA)).not.toContain('Undelivered');
  });
});

describe('an action owner who left (account_inactive)', () => {
  it('the admins are told which action nobody will be reminded of, and the command that gives it to someone else', async () => {
    clock.set('2027-03-04T10:00:00Z');
    standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${OTTO}` });
    const rec = await recordDecision(
      { db, queue: h.queues, clock },
      {
        cycleId,
        pollId: null,
        scenarioId: centralId,
        rationale: 'Service first',
        decidedBy: EXEC,
        requestKey: 'undelivered-decision',
        actions: [{ owner: OTTO, description: 'Order resin <for> April', dueDate: '2027-03-20' }],
      },
    );
    const action = rec.actions[0]!.id;
    const publish = await settledJob(
      h.queues,
      'posts',
      jobId('decision-publish', { decisionId: rec.decision.id }),
    );
    expect(await publish.getState()).toBe('failed');
    await settledJob(h.queues, 'notifications', notice(OTTO, 'account_inactive', '2027-03-04'));
    const expected = [
      `:warning: Slack refused 1 DM to <@${OTTO}> for good: their Slack account is deactivated.`,
      `Not delivered, and not tried again: the DM assigning action #${action}.`,
      `What to do: If <@${OTTO}> has left, give their part to someone else. They are Operations: \`/sop role @someone ops\`, and take theirs away with \`/sop role <@${OTTO}> none\`. They own an open follow-up action nobody will be reminded of: #${action} Order resin &lt;for&gt; April (due 2027-03-20). Give it to someone else with \`/sop actions reassign #${action} @someone\`.`,
      `\`/sop status\` shows this until a DM to <@${OTTO}> goes through.`,
    ].join('\n');
    expect(dms(ADA).at(-1)?.text).toBe(expected);
    expect(dms(BOOT).at(-1)?.text).toBe(expected);
    expect(await status(ADA)).toContain(
      `:warning: *Undelivered since 2027-03-04*: 1 DM to <@${OTTO}> (their Slack account is deactivated). If <@${OTTO}> has left`,
    );
  });
});

describe("an admin's own DM refused", () => {
  it('the other admin is told; the refused one asks for no notice about itself', async () => {
    clock.set('2027-03-05T10:00:00Z');
    standin.failNext('chat.postMessage', { error: 'is_archived', channel: 'C_EXEC' });
    standin.failNext('chat.postMessage', { error: 'account_inactive', channel: `D_${BOOT}` });
    const adaBefore = dms(ADA).length;
    // The executive phase's announcement, never posted so far, into a channel since archived.
    await runToEnd(h.queues, 'phase-announce', { cycleId, phase: 'executive' }, 'posts');
    const sent = await settledJob(
      h.queues,
      'notifications',
      notice('C_EXEC', 'is_archived', '2027-03-05'),
    );
    // Tried once (not retried), and BOOT's refusal is recorded...
    expect(await sent.getState()).toBe('failed');
    expect(sent.attemptsMade).toBe(1);
    expect(sent.failedReason).toContain(`<@${BOOT}> (account_inactive)`);
    expect(
      dms(ADA)
        .slice(adaBefore)
        .map((m) => m.text),
    ).toEqual([
      expect.stringContaining(
        'What to do: Unarchive <#C_EXEC>, or set another channel with `/sop settings channels exec #channel`.',
      ),
    ]);
    const boot = await db
      .selectFrom('slack_refusals')
      .select(['post_key', 'reason'])
      .where('conversation', '=', BOOT)
      .execute();
    expect(boot).toEqual([
      { post_key: `undelivered:C_EXEC:is_archived:2027-03-05:${BOOT}`, reason: 'account_inactive' },
    ]);
    // ...but no notice about it is asked for: nothing loops.
    const requested = await db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'refusal-notice')
      .execute();
    expect(
      requested.map((r) => (r.payload as { conversation: string }).conversation),
    ).not.toContain(BOOT);
  });
});

describe('`/sop role @them none` for a person who left', () => {
  const undelivered = (user: string) => `DM to <@${user}> (`;

  it('with no open action, their refused DMs are resolved with the role and leave status; an owner of open actions stays listed', async () => {
    clock.set('2027-03-06T10:00:00Z');
    // A nudge Slack refused: PAT's account is gone.
    await recordRefusals(
      db,
      [{ conversation: PAT, postKey: `nudge:${cycleId}:${PAT}`, reason: 'user_not_found' }],
      clock.now(),
    );
    expect(await status(ADA)).toContain(undelivered(PAT));
    const reply = await nextEphemeral(standin, ADA, () => h.sop(ADA, `role <@${PAT}> none`));
    expect(reply).toContain(`<@${PAT}> no longer has a role in sopbot`);
    expect(await status(ADA)).not.toContain(undelivered(PAT));
    const rows = await db
      .selectFrom('slack_refusals')
      .select('resolved_at')
      .where('conversation', '=', PAT)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.resolved_at).not.toBeNull();

    // OTTO still owns an open action: the line stays, saying to give it away.
    const otto = await nextEphemeral(standin, ADA, () => h.sop(ADA, `role <@${OTTO}> none`));
    expect(otto).toContain(`<@${OTTO}> no longer has a role in sopbot`);
    const text = await status(ADA);
    expect(text).toContain(undelivered(OTTO));
    expect(text).toContain('Give it to someone else with `/sop actions reassign #');
  });
});
