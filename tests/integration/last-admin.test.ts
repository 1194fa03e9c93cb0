/**
 * A role change never leaves sopbot without an admin (src/services/members.ts `setRole`):
 * demoting the last admin, themself included, is refused and writes nothing, and two
 * admins demoting each other at the same moment cannot both succeed.
 */
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { removeRole, setRole } from '../../src/services/members.js';
import { auditEntries, insertMembers, useDb } from '../helpers/db.js';

const t = useDb();
/** The role changes audited since `since` entries. */
const audited = async (since: number) => (await auditEntries(t.db, 'member.role')).length - since;

const roles = async () =>
  (
    await t.db
      .selectFrom('members')
      .select(['slack_user_id', 'role'])
      .orderBy('slack_user_id')
      .execute()
  ).map((r) => `${r.slack_user_id}:${r.role}`);

beforeEach(async () => {
  await sql`drop trigger if exists slow_role on members`.execute(t.db);
  await t.db.deleteFrom('members').execute();
});

describe('the last admin', () => {
  it('cannot demote themself', async () => {
    await insertMembers(t.db, { U_ANN: 'admin', U_BOB: 'planner' });
    const before = await audited(0);
    await expect(setRole(t.db, 'U_ANN', 'U_ANN', 'planner')).rejects.toThrow(
      'You are the last admin; sopbot would have no admin left. Make someone else admin first (`/sop role @someone admin`), then change your role.',
    );
    expect(await roles()).toEqual(['U_ANN:admin', 'U_BOB:planner']);
    expect(await audited(before)).toBe(0);
  });

  it('cannot be demoted by a bootstrap admin, who is named in SOPBOT_ADMIN_USERS only while without a role', async () => {
    // U_ROOT is an admin by SOPBOT_ADMIN_USERS but has a role of their own: planner.
    await insertMembers(t.db, { U_ANN: 'admin', U_ROOT: 'planner' });
    await expect(
      setRole(t.db, 'U_ROOT', 'U_ANN', 'exec', { bootstrapAdmins: ['U_ROOT'] }),
    ).rejects.toThrow('<@U_ANN> is the last admin; sopbot would have no admin left.');
    expect(await roles()).toEqual(['U_ANN:admin', 'U_ROOT:planner']);
  });

  it('cannot take their own role away (`none`), unless SOPBOT_ADMIN_USERS keeps them an admin', async () => {
    await insertMembers(t.db, { U_ANN: 'admin', U_BOB: 'planner' });
    const before = await audited(0);
    await expect(removeRole(t.db, 'U_ANN', 'U_ANN')).rejects.toThrow(
      'You are the last admin; sopbot would have no admin left.',
    );
    expect(await roles()).toEqual(['U_ANN:admin', 'U_BOB:planner']);
    expect(await audited(before)).toBe(0);
    // Named in SOPBOT_ADMIN_USERS, U_ANN stays an admin without her row: sopbot keeps one.
    expect((await removeRole(t.db, 'U_ANN', 'U_ANN', { bootstrapAdmins: ['U_ANN'] })).from).toBe(
      'admin',
    );
    expect(await roles()).toEqual(['U_BOB:planner']);
    expect(await audited(before)).toBe(1);
  });

  it('can step down when another admin remains, in the database or by SOPBOT_ADMIN_USERS', async () => {
    await insertMembers(t.db, { U_ANN: 'admin', U_BOB: 'admin' });
    await setRole(t.db, 'U_ANN', 'U_ANN', 'planner');
    expect(await roles()).toEqual(['U_ANN:planner', 'U_BOB:admin']);
    // U_ROOT has no row: an admin by SOPBOT_ADMIN_USERS, so U_BOB is not the last one.
    await setRole(t.db, 'U_BOB', 'U_BOB', 'exec', { bootstrapAdmins: ['U_ROOT'] });
    expect(await roles()).toEqual(['U_ANN:planner', 'U_BOB:exec']);
    // A bootstrap admin without a row is the last admin once nobody else is.
    await expect(
      setRole(t.db, 'U_ROOT', 'U_ROOT', 'sales', { bootstrapAdmins: ['U_ROOT'] }),
    ).rejects.toThrow('You are the last admin;');
    expect(await roles()).toEqual(['U_ANN:planner', 'U_BOB:exec']);
  });

  it('two admins demoting each other at once: one change passes, the other is refused', async () => {
    await insertMembers(t.db, { U_ANN: 'admin', U_BOB: 'admin' });
    const before = await audited(0);
    // Each role update takes 300 ms, so the two transactions overlap.
    await sql`create or replace function slow_role() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.3); return new; end $$`.execute(t.db);
    await sql`create trigger slow_role before update on members
      for each row execute function slow_role()`.execute(t.db);
    const results = await Promise.allSettled([
      setRole(t.db, 'U_ANN', 'U_BOB', 'planner'),
      setRole(t.db, 'U_BOB', 'U_ANN', 'planner'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const admins = (await roles()).filter((r) => r.endsWith(':admin'));
    expect(admins).toHaveLength(1);
    expect(await audited(before)).toBe(1);
  });
});

describe('admins by SOPBOT_ADMIN_USERS, without a row', () => {
  it('two of them stepping down at once: one change passes, the other is refused', async () => {
    // Neither has a row, so there is no admin row to lock: the two must still run in turn.
    await insertMembers(t.db, { U_BOB: 'planner' });
    const bootstrapAdmins = ['U_ROOT1', 'U_ROOT2'];
    await sql`create or replace function slow_role() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.3); return new; end $$`.execute(t.db);
    await sql`create trigger slow_role before insert or update on members
      for each row execute function slow_role()`.execute(t.db);
    const results = await Promise.allSettled([
      setRole(t.db, 'U_ROOT1', 'U_ROOT1', 'planner', { bootstrapAdmins }),
      setRole(t.db, 'U_ROOT2', 'U_ROOT2', 'exec', { bootstrapAdmins }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected');
    expect(String((refused as PromiseRejectedResult).reason)).toContain(
      'You are the last admin; sopbot would have no admin left.',
    );
    // One of the two has a role of their own now; the other is still an admin by the setting.
    expect((await roles()).filter((r) => r.startsWith('U_ROOT'))).toHaveLength(1);
  });

  it('one stepping down while the last admin row is demoted: one change passes', async () => {
    await insertMembers(t.db, { U_ANN: 'admin' });
    const bootstrapAdmins = ['U_ROOT'];
    await sql`create or replace function slow_role() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.3); return new; end $$`.execute(t.db);
    await sql`create trigger slow_role before insert or update on members
      for each row execute function slow_role()`.execute(t.db);
    const results = await Promise.allSettled([
      setRole(t.db, 'U_ROOT', 'U_ROOT', 'sales', { bootstrapAdmins }),
      setRole(t.db, 'U_ROOT', 'U_ANN', 'planner', { bootstrapAdmins }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const roleOfRoot = (await roles()).find((r) => r.startsWith('U_ROOT:'));
    const annAdmin = (await roles()).includes('U_ANN:admin');
    // Either U_ANN kept admin, or U_ROOT kept no row (an admin by the setting).
    expect(annAdmin || roleOfRoot === undefined).toBe(true);
  });
});
