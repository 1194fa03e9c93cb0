/**
 * The queries that pick out the members who cover families (repsOwingInput, familyCoverage,
 * ownerCandidates) take those roles from their caller (familyCoveringRoles(), the policy's
 * 'forecast.no-change' row), against Postgres: a role passed is honoured, one left out is not,
 * and no roles cover nothing.
 */
import { describe, expect, it } from 'vitest';
import { familyCoverage, repsOwingInput } from '../../db/queries/cycle-inputs.js';
import { ownerCandidates } from '../../db/queries/execution.js';
import { familyCoveringRoles } from '../../src/core/policy.js';
import { insertCycle, insertMembers, useDb } from '../helpers/db.js';
import { insertFamilies } from './meeting-fixture.js';

const t = useDb();
const REP = 'U_RITA';
const OPS = 'U_OLGA';
const PLANNER = 'U_PAT';

describe('the roles that cover families are the caller’s', () => {
  it('an ops member with families counts only when ops is passed', async () => {
    const { fam1, fam2 } = await insertFamilies(t.db);
    await insertMembers(t.db, { [REP]: 'sales', [OPS]: 'ops', [PLANNER]: 'planner' });
    // Written straight to the table: `/sop families` refuses to give families to ops today.
    await t.db
      .insertInto('member_families')
      .values([
        { slack_user_id: REP, family_id: fam1 },
        { slack_user_id: OPS, family_id: fam2 },
      ])
      .execute();
    const cycleId = await insertCycle(t.db, { month: '2027-01', phase: 'demand_review' });

    // Nobody adjusted or declared anything: each owes all the families they hold.
    const rita = { userId: REP, families: ['FAM-1'] };
    const olga = { userId: OPS, families: ['FAM-2'] };
    expect(await repsOwingInput(t.db, cycleId, ['sales'])).toEqual([rita]);
    expect(await repsOwingInput(t.db, cycleId, ['sales', 'ops'])).toEqual([olga, rita]);
    expect(await repsOwingInput(t.db, cycleId, [])).toEqual([]);
    // The policy's row is sales alone today (tests/unit/policy.test.ts): the same as ['sales'].
    expect(await repsOwingInput(t.db, cycleId, familyCoveringRoles())).toEqual([rita]);

    expect(await familyCoverage(t.db, ['sales'])).toEqual([
      { code: 'FAM-1', name: 'Road bikes', covered: true, reps: [REP] },
      { code: 'FAM-2', name: 'Spare parts', covered: false, reps: [] },
    ]);
    expect(await familyCoverage(t.db, ['sales', 'ops'])).toEqual([
      { code: 'FAM-1', name: 'Road bikes', covered: true, reps: [REP] },
      { code: 'FAM-2', name: 'Spare parts', covered: true, reps: [OPS] },
    ]);
    expect(await familyCoverage(t.db, [])).toEqual([
      { code: 'FAM-1', name: 'Road bikes', covered: false, reps: [] },
      { code: 'FAM-2', name: 'Spare parts', covered: false, reps: [] },
    ]);

    // Every member stays a candidate by role; only the covering ones are candidates by family.
    const everyone = [
      { user: OPS, role: 'ops' },
      { user: PLANNER, role: 'planner' },
      { user: REP, role: 'sales' },
    ];
    expect(await ownerCandidates(t.db, ['sales'])).toEqual({
      reps: [{ family: 'FAM-1', user: REP }],
      members: everyone,
    });
    expect(await ownerCandidates(t.db, ['sales', 'ops'])).toEqual({
      reps: [
        { family: 'FAM-2', user: OPS },
        { family: 'FAM-1', user: REP },
      ],
      members: everyone,
    });
    expect(await ownerCandidates(t.db, [])).toEqual({ reps: [], members: everyone });
  });
});
