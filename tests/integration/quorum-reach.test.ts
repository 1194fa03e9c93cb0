/**
 * A quorum of more executives than sopbot has can never be reached. `/sop vote quorum 2` with
 * one executive answered "Next votes close when 2 executives have voted.", and the vote opened
 * with it said nothing either, though only the chair or the deadline could close it. Both now
 * say how many executives there are and what closes the vote until there are enough. Through
 * the real bot over HTTP with the stand-in, against Postgres and Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { insertCycle } from '../helpers/db.js';
import { nextEphemeral } from '../helpers/slack.js';
import { insertFamilies, insertHandRun, testClock, useHarness } from './meeting-fixture.js';

const ADMIN = 'U_ADMIN';
const PLANNER = 'U_PLAN';
const EVE = 'U_EVE';
const OLGA = 'U_OLGA';

const h = useHarness({
  label: 'quorum-reach',
  members: { [ADMIN]: 'admin', [PLANNER]: 'planner', [EVE]: 'exec', [OLGA]: 'ops' },
  clock: testClock('2027-03-15T10:00:00Z'),
});

beforeAll(async () => {
  const fam = await insertFamilies(h.db);
  await h.db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC' })
    .execute();
  const cycleId = await insertCycle(h.db, { month: '2027-03', phase: 'executive' });
  await insertHandRun(h.db, cycleId, fam, 'quorum-reach');
});

const answer = (user: string, text: string) =>
  nextEphemeral(h.standin, user, () => h.sop(user, text, 'C_GENERAL'));

describe('a quorum beyond the executives', () => {
  it('is said when set, and when a vote opens with it', async () => {
    // One executive (Eve); the admin and the planner do not count.
    expect(await answer(ADMIN, 'vote quorum 2')).toBe(
      'Next votes close when 2 executives have voted. There is 1 executive now: until 2 have the role (`/sop role @person exec`), only the chair or the deadline closes a vote.',
    );
    expect(await answer(PLANNER, 'vote 24')).toBe(
      'Vote 1 is open in <#C_EXEC> with 3 scenarios; you chair it (Close button). Its quorum is 2 votes, and there is 1 executive now: until 2 have the role (`/sop role @person exec`), only the chair or the deadline closes it.',
    );
  });

  it('says nothing more once there are enough executives', async () => {
    await answer(ADMIN, `role <@${OLGA}> exec`);
    expect(await answer(ADMIN, 'vote quorum 2')).toBe(
      'Next votes close when 2 executives have voted.',
    );
    // Three of two: there are 2 now.
    expect(await answer(ADMIN, 'vote quorum 3')).toBe(
      'Next votes close when 3 executives have voted. There are 2 executives now: until 3 have the role (`/sop role @person exec`), only the chair or the deadline closes a vote.',
    );
    expect(await answer(ADMIN, 'vote quorum 1')).toBe(
      'Next votes close when 1 executive has voted.',
    );
  });
});

describe('an executive removed while a vote waits for its quorum', () => {
  it('tells the admin the vote can no longer close on it, and what closes it', async () => {
    // Vote 1 (above) closes at 2 executive votes; Eve and Olga are the executives.
    expect(await answer(ADMIN, `role <@${OLGA}> none`)).toBe(
      `<@${OLGA}> no longer has a role in sopbot (they were *Executive*) and covers no families: they are not asked for input, nudged or counted in votes. Vote 1 (2027-03) closes when 2 executives have voted, and there is 1 executive now: until 2 have the role (\`/sop role @person exec\`), only its chair or its deadline closes it.`,
    );
    // Back as an executive, then made planner: the same, said of the role change.
    await answer(ADMIN, `role <@${OLGA}> exec`);
    expect(await answer(ADMIN, `role <@${OLGA}> planner`)).toBe(
      `<@${OLGA}> is now *Planner*. Vote 1 (2027-03) closes when 2 executives have voted, and there is 1 executive now: until 2 have the role (\`/sop role @person exec\`), only its chair or its deadline closes it.`,
    );
  });
});
