/**
 * The authorization table (src/core/policy.ts), walked: every action against every role and
 * against a user without a role. The expected matrix is written here by hand from the
 * product rules (docs/architecture.md, "Who may do what"), not derived from the table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/core/company.js';
import { ACTIONS, type Action, can, coversFamilies } from '../../src/core/policy.js';
import { type Member, requirePermission } from '../../src/services/members.js';
import { ROOT, sources } from '../helpers/sources.js';

type Who = Role | 'none';
const WHO: readonly Who[] = ['sales', 'ops', 'planner', 'exec', 'admin', 'none'];

// Columns:            sales  ops    planner exec   admin  none
const EXPECTED: Record<string, readonly [boolean, boolean, boolean, boolean, boolean, boolean]> = {
  'forecast.adjust': [true, false, true, true, true, false],
  // Only a sales rep covers families and declares no change for them (README, /forecast).
  'forecast.no-change': [true, false, false, false, false, false],
  'forecast.frozen-exception': [false, false, false, true, true, false],
  'forecast.override': [false, false, true, true, true, false],
  'capacity.update': [false, true, true, false, true, false],
  'vote.counted': [false, false, false, true, false, false],
  'vote.start': [false, false, true, true, true, false],
  'vote.configure': [false, false, false, false, true, false],
  'vote.close': [false, false, false, false, true, false],
  'decision.record': [false, false, false, true, true, false],
  'decision.decide': [false, false, false, true, true, false],
  'action.manage-any': [false, false, false, false, true, false],
  // Planners, executives and admins turn a message into a follow-up action; sales and ops do not.
  'action.raise': [false, false, true, true, true, false],
  'cycle.manage': [false, false, true, false, true, false],
  'settings.change': [false, false, false, false, true, false],
  'delivery.problems': [false, false, false, false, true, false],
  'role.set': [false, false, false, false, true, false],
  'families.assign': [false, false, true, false, true, false],
  'plan.run': [false, false, true, false, true, false],
  'scenario.set': [false, false, true, false, true, false],
  'whatif.run': [false, true, true, true, true, false],
  'execution.report': [false, true, true, false, true, false],
  'pack.post': [false, false, true, true, true, false],
  'cycle.read': [true, true, true, true, true, true],
  explain: [true, true, true, true, true, true],
};

const member = (who: Who, bootstrapAdmin = false): Member => ({
  userId: 'U_TEST',
  role: who === 'none' ? null : who,
  families: [],
  bootstrapAdmin,
});

describe('the authorization policy', () => {
  it('lists exactly the actions of the expected matrix', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const action of Object.keys(EXPECTED)) {
    it(`${action}: allowed and refused per role`, () => {
      const got = WHO.map((w) => can(member(w), action as Action));
      expect(got).toEqual(EXPECTED[action]);
    });
  }

  it('an admin from SOPBOT_ADMIN_USERS (no role stored) has the admin column', () => {
    // getMember gives such a user role 'admin' with bootstrapAdmin set.
    const bootstrap = member('admin', true);
    const col = WHO.indexOf('admin');
    for (const action of ACTIONS) expect(can(bootstrap, action)).toBe(EXPECTED[action]?.[col]);
  });

  it('a refusal names the roles that may, and the member’s own', () => {
    expect(() => requirePermission(member('sales'), 'capacity.update', 'update capacity')).toThrow(
      'Only Operations, Planner or Admin members can update capacity; your role is Sales. An admin can change it with `/sop role @you <role>`.',
    );
    expect(() => requirePermission(member('none'), 'role.set', 'use `/sop role`')).toThrow(
      'Only Admin members can use `/sop role`; you have no role in sopbot yet.',
    );
    expect(() => requirePermission(member('sales'), 'whatif.run', 'use `/sop whatif`')).toThrow(
      'Only Planner, Executive, Operations or Admin members can use `/sop whatif`',
    );
    expect(() => requirePermission(member('none'), 'explain', 'explain')).not.toThrow();
  });

  it('who covers families is asked of the policy, not by comparing a role with sales', () => {
    // Covering families (owing forecast input, keeping them through `/sop families`) is the
    // 'forecast.no-change' row: a sales rep only, as its column above says.
    expect(WHO.map((w) => coversFamilies(member(w)))).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    // Each `=== 'sales'` / `!== 'sales'` left in the code compares a kind of data (sales history,
    // sales actuals), never a role: `role !== 'sales'` (home, members, undelivered) was one.
    const compared = ['src', 'commands', 'jobs', 'db']
      .flatMap((d) => sources(d))
      .filter((f) => f !== join('src', 'core', 'policy.ts'))
      .flatMap((f) =>
        [
          ...readFileSync(join(ROOT, f), 'utf8').matchAll(
            /([\w.?]+)\s*[!=]==?\s*'sales'|'sales'\s*[!=]==?\s*([\w.?]+)/g,
          ),
        ].map((m) => `${f}: ${m[1] ?? m[2]}`),
      );
    expect(compared.length).toBeGreaterThan(0);
    expect(compared.filter((c) => !/(^|\.|: )kind$/.test(c))).toEqual([]);
  });

  it('no query picks members by a role it names, but the two listed here by hand', () => {
    // The members who cover families (repsOwingInput, familyCoverage, ownerCandidates) are
    // those of the roles their caller passes, familyCoveringRoles(): each used to name 'sales'.
    // Any `.where('role' | 'members.role', '=' | 'in', '<role>' | ['<role>'])` is found here.
    const named = sources('db/queries').flatMap((f) =>
      [
        ...readFileSync(join(ROOT, f), 'utf8').matchAll(
          /\.where\(\s*'(?:\w+\.)?role'\s*,\s*'[^']+'\s*,\s*\[?\s*'(\w+)'/g,
        ),
      ].map((m) => `${f}: ${m[1]}`),
    );
    // Left, by hand: lockAdmins counts the admins so the last one keeps the right (the admin
    // role itself, not a right of the table); openConstraintsByOps lists the operations members
    // `/sop status` asks about their open constraints (as the ops nudge of cycle-posts does).
    expect(named.sort()).toEqual([
      join('db', 'queries', 'cycle-inputs.ts: ops'),
      join('db', 'queries', 'members.ts: admin'),
    ]);
  });
});
