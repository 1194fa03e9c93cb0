/**
 * An executive who changes their vote clicks twice, and the two clicks can reach the bot in
 * the other order (the demo's CFO, Cautious then Central: the tally kept Cautious, and the
 * decision read "adopted by the executives' vote (2–1)" where the executives had voted 3–0).
 * The later click is the vote: an earlier click delivered after it is kept for the record and
 * counts nothing. The real bot over HTTP, the Slack stand-in, real Postgres and Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { SentRequest, Standin } from '../../src/slack-standin/index.js';
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

const clock = testClock('2027-03-15T10:00:00Z');
const h = useHarness({
  label: 'vote-click-order',
  members: { [PLANNER]: 'planner', [EXEC1]: 'exec' },
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

const waitFor = <T>(f: () => T | undefined | null | false) => standin.waitFor(f, 20_000);
const ephemerals = (user: string) => standin.ephemeralsFor(user).map((e) => e.text);
/** The next ephemeral `user` gets after `act`. */
async function answer(user: string, act: () => Promise<unknown>): Promise<string> {
  const n = ephemerals(user).length;
  await act();
  return waitFor(() => ephemerals(user)[n]);
}

/** `request` (a click on the vote) as a click on `actionId` (value `value`) at `actionTs`. */
function clickAt(request: SentRequest, actionId: string, value: string, actionTs: string) {
  const payload = JSON.parse(new URLSearchParams(request.body).get('payload')!);
  payload.actions = [{ ...payload.actions[0], action_id: actionId, value, action_ts: actionTs }];
  return { ...request, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}

describe('two clicks of one voter that reach the bot in the other order', () => {
  it('keep the later click as the vote', async () => {
    const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
    const run = await insertRun(db, {
      cycleId,
      runKey: 'run-click-order',
      periods: ['2027-03'],
      demand: { [fam.fam1]: 100 },
      price: { [fam.fam1]: 900 },
      resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
      scenarios: SCENARIOS,
    });
    await h.sop(PLANNER, 'vote 24');
    const poll = (await pollUntil(
      () => db.selectFrom('polls').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst(),
      (p) => p?.message_ts != null,
    ))!;

    // The later click (Central) arrives first.
    let click: SentRequest | undefined;
    expect(
      await answer(EXEC1, async () => {
        click = (
          await h.driver.clickButton('C_EXEC', poll.message_ts!, 'vote_cast_1', { user: EXEC1 })
        ).request;
      }),
    ).toContain('is counted');
    const payload = JSON.parse(new URLSearchParams(click!.body).get('payload')!);
    const centralAt = Number(payload.actions[0].action_ts);
    // The earlier click (Cautious, two seconds before it) arrives after it.
    const receipt = await answer(EXEC1, () =>
      h.driver.resend(
        clickAt(
          click!,
          'vote_cast_2',
          `${poll.id}:${run.ids.cautious}`,
          (centralAt - 2).toFixed(6),
        ),
      ),
    );
    // Before the fix: "Your vote is now *Cautious*; your previous vote no longer counts."
    expect(receipt).toBe(
      'Your vote for *Central* stands: you clicked it after *Cautious*, and that earlier click reached sopbot last. Click *Cautious* again to vote for it.',
    );
    const counting = await db
      .selectFrom('votes')
      .select('scenario_id')
      .where('poll_id', '=', poll.id)
      .where('counted', '=', true)
      .where('superseded_at', 'is', null)
      .execute();
    expect(counting).toEqual([{ scenario_id: run.ids.central }]);
    // The earlier click is kept for the record, superseded.
    const all = await db
      .selectFrom('votes')
      .select(['scenario_id', 'superseded_at'])
      .where('poll_id', '=', poll.id)
      .orderBy('id')
      .execute();
    expect(all.map((v) => [v.scenario_id, v.superseded_at !== null])).toEqual([
      [run.ids.central, false],
      [run.ids.cautious, true],
    ]);
  });
});
