/**
 * Someone who holds S&OP work leaves the workspace: Slack sends `user_change` with
 * `user.deleted: true`, and each admin gets one DM saying who left and what they held (role,
 * families, open actions with the reassign command), the typed text escaped; a retried event
 * sends nothing twice, nor does the same deactivation said again on a later day; someone sopbot
 * does not know costs nothing. The worker, on its own copy of the modules as in its own
 * process, stops trusting its hour-long memory of the person once the bot hears of the change
 * (the next reminder asks Slack again and is withheld), and a reactivation (`deleted: false`,
 * users.info agreeing) resolves the DMs withheld as deactivated; a new deactivation is told
 * again. The S&OE roll-up's owner DMs are withheld from a deactivated owner as reminders are.
 * The real bot and worker over HTTP against the Slack stand-in, real Postgres and Redis, a
 * test clock.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/connect.js';
import { jobId } from '../../jobs/contracts.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { addDeactivatedUser, decideMarchActions } from './action-fixture.js';
import { pollUntil, runToEnd, settledJob, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const ADA = 'U_ADA'; // admin (the members table)
const BOOT = 'U_BOOT'; // admin by SOPBOT_ADMIN_USERS
const RITA = 'U_RITA'; // sales rep of FAM-1 and FAM-2, owner of two open actions
const OPS1 = 'U_OPS1';
const DORA = 'U_DORA'; // ops, deactivated before the S&OE roll-up
const GUS = 'U_GUS'; // a person of the workspace sopbot knows nothing of

const clock = testClock('2027-03-12T09:00:00Z');
const h = useHarness({
  label: 'user-left',
  members: { [EXEC]: 'exec', [ADA]: 'admin', [RITA]: 'sales', [OPS1]: 'ops', [DORA]: 'ops' },
  users: [GUS],
  adminUsers: [BOOT],
  clock,
  workerOwnModules: true,
});
let db: Db;
let standin: Standin;
let a1: string;
let a2: string;
/**
 * A second worker process: its own copy of the modules (nothing in memory shared with the bot
 * or the harness's worker, which runs the `user-left` job) and its own Slack client.
 */
let other: {
  refuseIfDeactivated: typeof import('../../src/services/slack-person.js').refuseIfDeactivated;
  slack: WebClient;
};

/** Slack's user_change event (UserChangeEvent of @slack/types), for `id` as `deleted` says. */
const userChange = (id: string, deleted: boolean) => ({
  type: 'user_change',
  user: {
    id,
    team_id: 'T_SOP',
    name: id.slice(2).toLowerCase(),
    deleted,
    real_name: id.slice(2),
    tz: 'UTC',
    is_bot: false,
    is_admin: false,
    is_owner: false,
    updated: 1_805_000_000,
    profile: { real_name: id.slice(2), display_name: id.slice(2).toLowerCase(), team: 'T_SOP' },
  },
  cache_ts: 1_805_000_000,
});

const leftDms = (admin: string) =>
  standin.messagesIn(`D_${admin}`).filter((m) => m.text.includes('left the workspace'));

const overdue = (actionId: string, n: number) => ({
  actionId,
  kind: 'overdue' as const,
  occurrence: `overdue-${n}`,
});

beforeAll(async () => {
  ({ db, standin } = h);
  vi.resetModules();
  other = {
    refuseIfDeactivated: (await import('../../src/services/slack-person.js')).refuseIfDeactivated,
    slack: new WebClient('xoxb-user-left', {
      slackApiUrl: standin.apiUrl,
      retryConfig: { retries: 0 },
    }),
  };
  [a1, a2] = (await decideMarchActions(h, clock, 'user-left', EXEC, [
    {
      owner: RITA,
      description: '<!channel> Call the distributor about FAM-1',
      dueDate: '2027-03-17',
    },
    { owner: RITA, description: 'Confirm April promo volumes', dueDate: '2027-03-24' },
  ])) as [string, string];
  const fams = await db.selectFrom('families').select('id').execute();
  await db
    .insertInto('member_families')
    .values(fams.map((f) => ({ slack_user_id: RITA, family_id: f.id })))
    .execute();
  // The decision's two DMs giving RITA her actions, while her account was active.
  await standin.waitFor(() => standin.messagesIn(`D_${RITA}`).length === 2, 20_000);
}, 60_000);

describe('a rep who owns two open actions leaves the workspace', () => {
  let first: Awaited<ReturnType<typeof h.driver.event>>;

  it('each admin gets one DM naming her role, families and both actions', async () => {
    // Reminded while active: the worker remembers her as a live person for an hour.
    clock.set('2027-03-18T09:00:00Z');
    const reminded = await runToEnd(h.queues, 'action-reminder', overdue(a1, 1), 'notifications');
    expect(await reminded.getState()).toBe('completed');
    expect(standin.messagesIn(`D_${RITA}`)).toHaveLength(3);
    // The other worker process checks her before a DM too, and remembers her live.
    await other.refuseIfDeactivated(other.slack, db, 'other-worker:1', RITA);

    addDeactivatedUser(standin, RITA, 'rita');
    first = await h.driver.event(userChange(RITA, true));
    expect(first.status).toBe(200);
    const job = await settledJob(
      h.queues,
      'notifications',
      jobId('user-left', { user: RITA, day: '2027-03-18' }),
    );
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({ sent: 2, admins: 2 });
    // Written by hand: the rep's sentence of the admins' notice, then her two actions by due
    // date, the typed `<!channel>` escaped (no live mention).
    const expected = [
      `:wave: <@${RITA}> left the workspace: Slack deactivated their account. What sopbot knows them for:`,
      `They are Sales for FAM-1, FAM-2: \`/sop role @someone sales\`, then \`/sop families @someone FAM-1 FAM-2\`, and take theirs away with \`/sop role <@${RITA}> none\` (their families go with it), so they are not asked for forecast input again.`,
      `They own 2 open follow-up actions nobody will be reminded of: #${a1} &lt;!channel&gt; Call the distributor about FAM-1 (due 2027-03-17); #${a2} Confirm April promo volumes (due 2027-03-24). Give each to someone else with \`/sop actions reassign #id @someone\` (\`/sop actions <@${RITA}>\` lists them).`,
    ].join('\n');
    for (const admin of [ADA, BOOT]) {
      const dms = leftDms(admin);
      expect(dms.map((m) => m.text)).toEqual([expected]);
      expect(dms[0]?.text).not.toContain('<!channel>');
    }
    expect(leftDms(RITA)).toEqual([]);
  });

  it('the next reminder asks Slack again within the hour and is withheld, recorded', async () => {
    clock.set('2027-03-19T09:00:00Z');
    const before = standin.callsTo('users.info').length;
    const job = await runToEnd(h.queues, 'action-reminder', overdue(a1, 2), 'notifications');
    expect(await job.getState()).toBe('failed');
    expect(
      standin
        .callsTo('users.info')
        .slice(before)
        .map((c) => c.args.user),
    ).toEqual([RITA]);
    expect(standin.messagesIn(`D_${RITA}`)).toHaveLength(3);
    const rows = await db
      .selectFrom('slack_refusals')
      .select(['post_key', 'reason'])
      .where('conversation', '=', RITA)
      .where('resolved_at', 'is', null)
      .execute();
    expect(rows).toEqual([{ post_key: `reminder:${a1}:overdue:overdue-2`, reason: 'deactivated' }]);
    // The other worker process, which ran nothing of the event, asks Slack again too.
    const asked = standin.callsTo('users.info').length;
    await expect(
      other.refuseIfDeactivated(other.slack, db, 'other-worker:2', RITA),
    ).rejects.toThrow(
      `'other-worker:2' not sent: users.info says <@${RITA}>'s account is deactivated`,
    );
    expect(
      standin
        .callsTo('users.info')
        .slice(asked)
        .map((c) => c.args.user),
    ).toEqual([RITA]);
  });

  it('the same event retried by Slack sends nothing twice; someone unknown, or live again, is told to nobody', async () => {
    await h.driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    await h.driver.event(userChange(RITA, true), { eventId: first.eventId, retryNum: 2 });
    // The identity provider's sync says the same deactivation again a day later (a new
    // event): its job runs and tells nobody, the admins were told on the 18th.
    await h.driver.event(userChange(RITA, true));
    const again = await settledJob(
      h.queues,
      'notifications',
      jobId('user-left', { user: RITA, day: '2027-03-19' }),
    );
    expect(await again.getState()).toBe('completed');
    expect(again.returnvalue).toEqual({ sent: 0, admins: 0 });
    // Someone sopbot does not know leaves: no job is asked for.
    addDeactivatedUser(standin, GUS, 'gus');
    await h.driver.event(userChange(GUS, true));
    // An executive whose deactivation was undone before the job ran (Slack's users.info says
    // live): nobody is told.
    await h.driver.event(userChange(EXEC, true));
    const exec = await settledJob(
      h.queues,
      'notifications',
      jobId('user-left', { user: EXEC, day: '2027-03-19' }),
    );
    expect(exec.returnvalue).toEqual({ sent: 0, admins: 0 });
    await new Promise((r) => setTimeout(r, 200));
    for (const admin of [ADA, BOOT]) expect(leftDms(admin)).toHaveLength(1);
    expect(leftDms(ADA).some((m) => m.text.includes(GUS) || m.text.includes(EXEC))).toBe(false);
    // One claim per event (RITA's first and her sync's, GUS's, EXEC's); a job request for
    // each of RITA's and EXEC's, none for GUS.
    const claims = await db
      .selectFrom('processed_requests')
      .select('request_key')
      .where('kind', '=', 'user_change')
      .execute();
    expect(claims).toHaveLength(4);
    const requests = await db
      .selectFrom('job_outbox')
      .select('payload')
      .where('job_name', '=', 'user-left')
      .execute();
    expect(requests.map((r) => (r.payload as { user: string }).user).sort()).toEqual(
      [RITA, RITA, EXEC].sort(),
    );
  });

  it('reactivated, her withheld DMs are resolved and the next reminder goes out', async () => {
    standin.store.users.set(RITA, { id: RITA, name: 'rita', real_name: 'rita', tz: 'UTC' });
    await h.driver.event(userChange(RITA, false));
    await pollUntil(
      () =>
        db
          .selectFrom('slack_refusals')
          .select('post_key')
          .where('conversation', '=', RITA)
          .where('resolved_at', 'is', null)
          .execute(),
      (rows) => rows.length === 0,
    );
    clock.set('2027-03-22T09:00:00Z'); // Monday: reminders go out on working days
    const job = await runToEnd(h.queues, 'action-reminder', overdue(a1, 3), 'notifications');
    expect(await job.getState()).toBe('completed');
    expect(standin.messagesIn(`D_${RITA}`)).toHaveLength(4);
    // Nobody is told she left again.
    for (const admin of [ADA, BOOT]) expect(leftDms(admin)).toHaveLength(1);
  });

  it('deactivated again after that, the admins are told again', async () => {
    addDeactivatedUser(standin, RITA, 'rita');
    await h.driver.event(userChange(RITA, true));
    const job = await settledJob(
      h.queues,
      'notifications',
      jobId('user-left', { user: RITA, day: '2027-03-22' }),
    );
    expect(job.returnvalue).toEqual({ sent: 2, admins: 2 });
    for (const admin of [ADA, BOOT]) expect(leftDms(admin)).toHaveLength(2);
  });
});

describe('user_change about people sopbot does not hold work for', () => {
  it('a profile edit of someone unknown writes nothing and asks Slack nothing', async () => {
    const rowsBefore = await db
      .selectFrom('slack_person_changes')
      .select('slack_user_id')
      .execute();
    const infoBefore = standin.callsTo('users.info').length;
    await h.driver.event(userChange(GUS, false));
    // OPS1 (ops) edits their profile after: recorded, so the listener has run for them.
    await h.driver.event(userChange(OPS1, false));
    await pollUntil(
      () =>
        db
          .selectFrom('slack_person_changes')
          .select('slack_user_id')
          .where('slack_user_id', '=', OPS1)
          .execute(),
      (rows) => rows.length === 1,
    );
    await new Promise((r) => setTimeout(r, 300));
    const rowsAfter = await db.selectFrom('slack_person_changes').select('slack_user_id').execute();
    // Written by hand: the rows before (RITA, EXEC) and OPS1's; none for GUS.
    expect(rowsBefore.map((r) => r.slack_user_id).sort()).toEqual([EXEC, RITA].sort());
    expect(rowsAfter.map((r) => r.slack_user_id).sort()).toEqual([EXEC, OPS1, RITA].sort());
    expect(standin.callsTo('users.info').slice(infoBefore)).toEqual([]);
  });
});

describe('an S&OE roll-up with a deactivated owner', () => {
  it("withholds that owner's DM and records why; the other owner's goes out", async () => {
    addDeactivatedUser(standin, DORA, 'dora');
    const owners = [OPS1, DORA];
    const { id: check } = await db
      .insertInto('audit_log')
      .values({
        actor: 'sopbot',
        action: 'deviation.rollup',
        entity: 'week',
        entity_id: '2027-03-08',
        details: JSON.stringify({
          week: '2027-03-08',
          deviations: owners.map((owner, i) => ({
            id: String(9900 + i),
            kind: 'production_below_plan',
            code: 'FAM-1',
            actual: 80,
            expected: 100,
            owner,
            due: '2027-03-24',
            actionId: String(9800 + i),
            frozenBreak: false,
          })),
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = await runToEnd(h.queues, 'deviation-rollup', { check }, 'posts');
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(standin.messagesIn(`D_${OPS1}`)).toHaveLength(1);
    expect(standin.messagesIn(`D_${DORA}`)).toHaveLength(0);
    const rows = await db
      .selectFrom('slack_refusals')
      .select(['post_key', 'reason'])
      .where('conversation', '=', DORA)
      .execute();
    expect(rows).toEqual([
      { post_key: `deviation-rollup:${check}:owner:${DORA}`, reason: 'deactivated' },
    ]);
  });

  it('an older event saying the owner is live, arriving last, resolves nothing: Slack says deactivated', async () => {
    const asked = standin.callsTo('users.info').length;
    await h.driver.event(userChange(DORA, false));
    await standin.waitFor(
      () =>
        standin
          .callsTo('users.info')
          .slice(asked)
          .some((c) => c.args.user === DORA),
      10_000,
    );
    await pollUntil(
      () =>
        db
          .selectFrom('slack_person_changes')
          .select('deactivated_at')
          .where('slack_user_id', '=', DORA)
          .execute(),
      (rows) => rows.length === 1,
    );
    const rows = await db
      .selectFrom('slack_refusals')
      .select(['post_key', 'resolved_at'])
      .where('conversation', '=', DORA)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.resolved_at).toBeNull();
  });
});
