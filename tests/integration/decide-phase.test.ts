/**
 * The executive decision is recorded in the executive phase, as the vote is. Before it, the
 * plan run a decision would adopt is still replaced by the cycle's own recomputes (entering
 * supply review, entering pre-S&OP), so `/sop decide` is refused there, form or text, with
 * nothing written; in the executive phase the same command records the decision. The real bot
 * over HTTP, the Slack stand-in, real Postgres and Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertHandRun, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const h = useHarness({
  label: 'decide-phase',
  members: { [EXEC]: 'exec' },
  clock: testClock('2027-03-15T10:00:00Z'),
});
let db: Db;
let standin: Standin;
let cycleId: number;

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  cycleId = await insertCycle(db, { month: '2027-03', phase: 'pre_sop' });
  await insertHandRun(db, cycleId, fam, 'decide-phase-1');
});

const answer = (text: string) => nextEphemeral(standin, EXEC, () => h.sop(EXEC, text));
const decisions = () => db.selectFrom('decisions').select('scenario_id').execute();
const adopted = async () =>
  (
    await db
      .selectFrom('cycles')
      .select('adopted_scenario_id')
      .where('id', '=', cycleId)
      .executeTakeFirstOrThrow()
  ).adopted_scenario_id;

describe('/sop decide before the executive phase', () => {
  const refusal =
    ':warning: Cycle 2027-03 is in Pre-S&amp;OP; the executive decision is recorded in Executive S&amp;OP, once pre-S&amp;OP has compared the scenarios. A planner or admin moves the cycle on with `/sop cycle next`.';

  it('opens no form', async () => {
    const opened = standin.callsTo('views.open').length;
    expect(await answer('decide')).toBe(refusal);
    expect(standin.callsTo('views.open')).toHaveLength(opened);
  });

  it('records nothing when the scenario and rationale are typed', async () => {
    expect(await answer('decide central "protects service"')).toBe(refusal);
    expect(await decisions()).toEqual([]);
    expect(await adopted()).toBeNull();
  });

  it('records the decision once the cycle is in the executive phase', async () => {
    await db.updateTable('cycles').set({ phase: 'executive' }).where('id', '=', cycleId).execute();
    expect(await answer('decide central "protects service"')).toMatch(
      /^Decision \d+ recorded: Adopt the Central scenario\.$/,
    );
    expect(await decisions()).toHaveLength(1);
    expect(await adopted()).not.toBeNull();
  });
});
