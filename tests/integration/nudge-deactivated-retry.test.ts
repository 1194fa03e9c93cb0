/**
 * A phase's nudge to a rep whose account is deactivated, then reactivated; and a nudge job run
 * again. Before, users.info's answer was remembered an hour, `deactivated` too: a rep
 * deactivated by mistake and reactivated ten minutes later was refused again at the next try
 * (not nudged, the admins told "not sent", `/sop status` hiding them as one who left). And
 * users.info was asked before the post ledger: a retried job asked again about everyone,
 * those already nudged too, and one deactivated after their nudge went out was recorded as
 * "not sent" for a DM that was delivered. Now only a live person is remembered, a live answer
 * resolves their `deactivated` refusals, and a DM the ledger holds asks nothing. The real bot
 * and worker, real Postgres and Redis, the Slack stand-in.
 */
import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { sendNudges } from '../../src/services/cycle-posts.js';
import { refuseIfDeactivated } from '../../src/services/slack-person.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { addDeactivatedUser } from './action-fixture.js';
import {
  insertChannels,
  insertFamilies,
  runToEnd,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const ADMIN = 'U_ADA';
const BACK = 'U_BACK'; // sales, FAM-1: deactivated by mistake, reactivated
const STAY = 'U_STAY'; // sales, FAM-2: deactivated once nudged

const clock = testClock('2027-03-02T09:00:00Z');
const h = useHarness({
  label: 'nudge-deactivated-retry',
  members: { [ADMIN]: 'admin', [BACK]: 'sales', [STAY]: 'sales' },
  clock,
});
let db: Db;
let standin: Standin;
let cycleId: number;

/** The users asked about by users.info during `run`, in order. */
async function usersAskedDuring(run: () => Promise<unknown>): Promise<string[]> {
  const before = standin.callsTo('users.info').length;
  await run();
  return standin
    .callsTo('users.info')
    .slice(before)
    .map((c) => String(c.args.user));
}
const unresolved = (user: string) =>
  db
    .selectFrom('slack_refusals')
    .select(['post_key', 'reason'])
    .where('conversation', '=', user)
    .where('resolved_at', 'is', null)
    .execute();
/** A Web API client of its own: another worker process, or this one an hour later. */
const freshClient = () => new WebClient(h.env.SLACK_BOT_TOKEN, { slackApiUrl: standin.apiUrl });

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await insertChannels(db);
  await db
    .insertInto('member_families')
    .values([
      { slack_user_id: BACK, family_id: fam.fam1 },
      { slack_user_id: STAY, family_id: fam.fam2 },
    ])
    .execute();
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'demand_review' });
}, 60_000);

describe('a rep deactivated by mistake and reactivated', () => {
  it('is nudged at the next try, and /sop status waits on them again', async () => {
    addDeactivatedUser(standin, BACK, 'back');
    const nudge = () =>
      runToEnd(h.queues, 'nudge', { cycleId, phase: 'demand_review' }, 'notifications');
    const first = await nudge();
    expect(await first.getState()).toBe('failed');
    expect(standin.messagesIn(`D_${BACK}`)).toHaveLength(0);
    expect(standin.messagesIn(`D_${STAY}`)).toHaveLength(1);
    expect(await unresolved(BACK)).toEqual([
      { post_key: `nudge:${cycleId}:demand_review:${BACK}`, reason: 'deactivated' },
    ]);

    // Reactivated; the nudge is run again (by the same worker, within the hour).
    standin.store.users.set(BACK, { id: BACK, name: 'back', real_name: 'back', tz: 'UTC' });
    let second: Awaited<ReturnType<typeof nudge>> | undefined;
    // Slack is asked about BACK again (not the hour-old `deactivated`), and not about STAY,
    // whose nudge the ledger holds.
    expect(await usersAskedDuring(async () => (second = await nudge()))).toEqual([BACK]);
    expect(await second!.getState()).toBe('completed');
    expect(standin.messagesIn(`D_${BACK}`)).toHaveLength(1);
    expect(standin.messagesIn(`D_${STAY}`)).toHaveLength(1);
    expect(await unresolved(BACK)).toEqual([]);

    // Owing input again, not hidden as one who left.
    const text = await nextEphemeral(standin, ADMIN, () => h.sop(ADMIN, 'status'));
    expect(text).toContain(
      `*Not submitted yet* (neither an adjustment nor "no change"): 2\n• <@${BACK}>: FAM-1\n• <@${STAY}>: FAM-2`,
    );
    expect(text).not.toContain('*Left the workspace*');
  });
});

describe('a nudge run again once everyone was nudged', () => {
  it('asks Slack about nobody, and records no refusal for a DM that was delivered', async () => {
    // STAY's account is deactivated after their nudge went out; the job runs again in a
    // worker that never asked about anyone (or an hour later).
    addDeactivatedUser(standin, STAY, 'stay');
    let sent: string[] | undefined;
    const asked = await usersAskedDuring(async () => {
      sent = await sendNudges(freshClient(), db, cycleId, 'demand_review', clock.now());
    });
    expect(asked).toEqual([]);
    expect(sent).toEqual([]);
    expect(await unresolved(STAY)).toEqual([]);
    expect(standin.messagesIn(`D_${STAY}`)).toHaveLength(1);
  });
});

describe('users.info finding a person live', () => {
  it("resolves the DMs not sent because their account was deactivated, not Slack's refusals", async () => {
    const at = new Date('2027-03-01T09:00:00Z');
    const row = (post_key: string, reason: string) => ({
      conversation: BACK,
      post_key,
      reason,
      first_refused_at: at,
      last_refused_at: at,
    });
    await db
      .insertInto('slack_refusals')
      .values([
        row('reminder:x:due:due-1', 'deactivated'),
        row('reminder:x:due:due-2', 'user_disabled'),
      ])
      .execute();
    // A key the ledger does not hold: users.info is asked, and says BACK is a live person.
    await refuseIfDeactivated(freshClient(), db, 'nudge-test:not-in-ledger', BACK);
    expect(await unresolved(BACK)).toEqual([
      { post_key: 'reminder:x:due:due-2', reason: 'user_disabled' },
    ]);
  });
});
