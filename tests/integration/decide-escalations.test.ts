/**
 * The decision form lists the breaks of the frozen plan that weekly S&OE escalated to the
 * meeting, each with its action's owner and due date: the pack marks them "DECIDE" under
 * question 6, and before, the form where the decision is recorded said nothing of them, so a
 * meeting recorded its scenario and left them as if never raised. A break whose action is done
 * needs no decision and is not listed. The real bot over HTTP, the Slack stand-in, Postgres.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { insertDeviation, insertDeviationAction, linkAction } from '../../db/queries/execution.js';
import type { Standin } from '../../src/slack-standin/index.js';
import { insertCycle } from '../helpers/db.js';
import { insertFamilies, insertRun, SCENARIOS, testClock, useHarness } from './meeting-fixture.js';

const EXEC = 'U_EXEC1';
const clock = testClock('2027-03-29T10:00:00Z');
const h = useHarness({ label: 'decide-escalations', members: { [EXEC]: 'exec' }, clock });
let db: Db;
let standin: Standin;

async function frozenBreak(name: string, owner: string, status: 'open' | 'done', cycleId: number) {
  const id = await insertDeviation(db, {
    dedupeKey: `reported:${name}`,
    kind: 'reported',
    week: '2027-03-01',
    familyId: null,
    resourceId: null,
    actual: null,
    expected: null,
    summary: `${name} stopped in the week of 2027-03-01`,
    comment: null,
    reportedBy: owner,
    frozenBreak: true,
    createdAt: new Date('2027-03-08T10:00:00Z'),
  });
  const action = await insertDeviationAction(db, {
    cycleId,
    description: `${name} stopped`,
    owner,
    dueDate: '2027-03-10',
    createdBy: owner,
    requestKey: `deviation:reported:${name}`,
  });
  await linkAction(db, id!, action.id);
  if (status === 'done')
    await db
      .updateTable('actions')
      .set({ status: 'done', done_at: new Date('2027-03-09T10:00:00Z'), done_by: owner })
      .where('id', '=', action.id)
      .execute();
}

beforeAll(async () => {
  ({ db, standin } = h);
  const fam = await insertFamilies(db);
  await db
    .insertInto('workspace_settings')
    .values({ team_id: 'default', exec_channel: 'C_EXEC', vote_mode: 'open' })
    .execute();
  const cycleId = await insertCycle(db, { month: '2027-03', phase: 'executive' });
  await insertRun(db, {
    cycleId,
    runKey: 'run-decide-escalations',
    periods: ['2027-03'],
    demand: { [fam.fam1]: 100 },
    price: { [fam.fam1]: 900 },
    resources: [{ id: fam.line, capacity: 1000, loadPerUnit: 1 }],
    scenarios: SCENARIOS,
  });
  await frozenBreak('LINE-1', 'U_OTTO', 'open', cycleId);
  await frozenBreak('LINE-3', 'U_OTTO', 'done', cycleId);
});

describe('the decision form', () => {
  it('lists the breaks of the frozen plan still to act on, with owner and due date', async () => {
    await h.sop(EXEC, 'decide');
    const view = await standin.waitFor(() => standin.openViews(EXEC).at(-1), 20_000);
    const text = JSON.stringify(view.definition.blocks);
    expect(text).toContain(
      "*Also to decide: a break of the frozen plan escalated from S&OE.* For each, grant an exception (the frozen plan may change for it), hold the plan (the deviation is absorbed) or defer it to the next meeting. Each stays its owner's action; its owner is told what you decide.\\n1. LINE-1 stopped in the week of 2027-03-01 (owner <@U_OTTO>, due 2027-03-10)",
    );
    // Its action done: nothing left to decide.
    expect(text).not.toContain('LINE-3');
  });
});
