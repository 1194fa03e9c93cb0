/**
 * `/sop status` through the real bot as its readers get it: with no cycle open, a state said
 * without the warning of a mistake, the way to start one named as its reader may use it; in
 * each phase, a rep who gave no input is "not submitted yet" while the forecast is taken and
 * "did not submit" once the demand review has ended (they can no longer). Real Postgres and
 * Redis, the stand-in for Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Phase } from '../../db/schema.js';
import { type HttpTestBot, startHttpTestBot } from '../helpers/bot.js';
import { insertCycle, insertMembers } from '../helpers/db.js';
import { commandEphemeral } from '../helpers/slack.js';
import { insertFamilies, testClock } from './meeting-fixture.js';

const REP = 'UREP0001'; // sales, covers FAM-1, never answers
const PLANNER = 'UPLN0001';

let running: HttpTestBot;
let db: Db;

beforeAll(async () => {
  running = await startHttpTestBot('status-phases', {
    standin: {
      postMessageRate: false,
      users: [REP, PLANNER].map((id) => ({ id, name: id.toLowerCase(), real_name: id, tz: 'UTC' })),
    },
    clock: testClock('2027-01-15T10:00:00Z'),
  });
  db = running.t.db;
  const { fam1 } = await insertFamilies(db);
  await insertMembers(db, { [REP]: 'sales', [PLANNER]: 'planner' });
  await db.insertInto('member_families').values({ slack_user_id: REP, family_id: fam1 }).execute();
});

afterAll(async () => {
  await running?.stop();
});

const status = (user: string) =>
  commandEphemeral(running, '/sop', user, 'status').then((e) => e.text);

describe('/sop status', () => {
  it('no cycle open: said as it is, with how its reader starts one or who may', async () => {
    expect(await status(PLANNER)).toBe(
      'No S&OP cycle is open. Start one with `/sop cycle start YYYY-MM`.',
    );
    expect(await status(REP)).toBe(
      'No S&OP cycle is open. Planner or Admin members start one with `/sop cycle start YYYY-MM`.',
    );
  });

  it('/sop cycle with no cycle open says it the same way, to each reader', async () => {
    const cycle = (user: string) =>
      commandEphemeral(running, '/sop', user, 'cycle').then((e) => e.text);
    expect(await cycle(PLANNER)).toBe(
      'No S&OP cycle is open. Start one with `/sop cycle start YYYY-MM`.',
    );
    expect(await cycle(REP)).toBe(
      'No S&OP cycle is open. Planner or Admin members start one with `/sop cycle start YYYY-MM`.',
    );
  });

  it('a rep without input: not submitted yet while the forecast is taken, did not submit after', async () => {
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'data_gathering' });
    const notYet = `*Not submitted yet* (neither an adjustment nor "no change"): 1\n• <@${REP}>: FAM-1`;
    const didNot = `*Did not submit* before the demand review ended (neither an adjustment nor "no change"; their families were planned without their input): 1\n• <@${REP}>: FAM-1`;
    const phases: readonly [Exclude<Phase, 'closed'>, string][] = [
      ['data_gathering', notYet],
      ['demand_review', notYet],
      ['supply_review', didNot],
      ['pre_sop', didNot],
      ['executive', didNot],
    ];
    for (const [phase, expected] of phases) {
      await db.updateTable('cycles').set({ phase }).where('id', '=', cycleId).execute();
      const text = await status(REP);
      expect({ phase, said: text.includes(expected) }).toEqual({ phase, said: true });
      // Nothing the rep may not use: /sop plan is named with who may run it.
      expect(text).toContain('Planner or Admin members run one with `/sop plan`.');
    }
  });
});
