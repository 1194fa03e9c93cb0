/**
 * `/sop status` in the executive phase, through the real bot: what the meeting still owes and
 * who must act, as the vote and the decision move on. Before, the executive phase's status
 * named the reps who had not submitted a forecast and the latest run, and nothing of the
 * vote or the decision. Real Postgres and Redis, the Slack stand-in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import {
  insertFamilies,
  insertRun,
  pollUntil,
  SCENARIOS,
  testClock,
  useHarness,
} from './meeting-fixture.js';

const PLANNER = 'U_PLAN';
const EXEC1 = 'U_EXEC1';
const EXEC2 = 'U_EXEC2';

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'status-meeting',
  members: { [PLANNER]: 'planner', [EXEC1]: 'exec', [EXEC2]: 'exec' },
  clock,
});
let db: Db;
let standin: Standin;
let fam: { fam1: number; line: number };

beforeAll(async () => {
  ({ db, standin } = h);
  fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
});

const ephemerals = (user: string) => standin.ephemeralsFor(user).map((e) => e.text);
/** The next ephemeral `user` gets after `act`. */
async function answer(user: string, act: () => Promise<unknown>): Promise<string> {
  const n = ephemerals(user).length;
  await act();
  return standin.waitFor(() => ephemerals(user)[n], 20_000);
}
const status = () => answer(PLANNER, () => h.sop(PLANNER, 'status'));

describe('/sop status in the executive phase', () => {
  it('says what the meeting owes and who must act, from no vote to the decision', async () => {
    const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
    await insertRun(db, {
      cycleId,
      runKey: 'run-status-meeting',
      periods: ['2027-03'],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
    expect(await status()).toContain(
      '*Decision*: not recorded yet, and no vote has been started: start it with `/sop vote`, or Executive or Admin members record the decision with `/sop decide`.',
    );

    // The chair's answer ("Vote 1 is open … you chair it") first, so the next answer read is
    // the status's.
    expect(await answer(PLANNER, () => h.sop(PLANNER, 'vote 24'))).toMatch(/you chair it/);
    const poll = (await pollUntil(
      () => db.selectFrom('polls').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;
    // Open for 24 hours from 10:00 on 2027-03-15: until 2027-03-16 10:00 UTC, which is
    // 48 days less 7 hours after 2027-01-27 17:00 UTC (1801069200): 1801069200 + 4122000.
    const until = '<!date^1805191200^{date_short_pretty} {time}|2027-03-16 10:00 UTC>';
    expect(await status()).toContain(
      `*Decision*: not recorded yet. Vote ${poll.id} is open until ${until}; executives yet to vote: <@${EXEC1}>, <@${EXEC2}>. Its chair <@${PLANNER}> closes it and records the decision.`,
    );

    await answer(EXEC1, () =>
      h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC1 }),
    );
    expect(await status()).toContain(`executives yet to vote: <@${EXEC2}>.`);

    await answer(EXEC1, () => h.sop(EXEC1, 'decide central "protects service"'));
    const decision = await pollUntil(
      () =>
        db.selectFrom('decisions').select('id').where('cycle_id', '=', cycleId).executeTakeFirst(),
      (d) => d !== undefined,
    );
    expect(await status()).toContain(
      `*Decision*: decision ${decision!.id}, *Central* adopted, recorded by <@${EXEC1}>.`,
    );
  });
});
