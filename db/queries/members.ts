/** Members: each Slack user's role and the families a sales rep covers. */

import { sql } from 'kysely';
import type { Role } from '../../src/core/company.js';
import type { Db } from '../connect.js';
import { inCodeOrder } from './shared.js';

/** The user's role in the database, or null when they have none. */
export async function roleOf(db: Db, userId: string): Promise<Role | null> {
  const row = await db
    .selectFrom('members')
    .select('role')
    .where('slack_user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** Codes of the families the user covers, in code order. */
export async function familyCodesOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('member_families')
    .innerJoin('families', 'families.id', 'member_families.family_id')
    .select('families.code')
    .where('member_families.slack_user_id', '=', userId)
    .orderBy(inCodeOrder('families.code'))
    .execute();
  return rows.map((r) => r.code);
}

/**
 * The members whose role is admin, read after taking the role changes' lock (a transaction
 * advisory lock: admins by SOPBOT_ADMIN_USERS have no row to lock) and with their rows locked,
 * both until the caller's transaction ends, so two role changes that each count the admins run
 * one after the other. Reads the caller makes after this one see what the other committed.
 */
export async function lockAdmins(trx: Db): Promise<string[]> {
  await sql`select pg_advisory_xact_lock(hashtext('sopbot.member.roles'))`.execute(trx);
  const rows = await trx
    .selectFrom('members')
    .select('slack_user_id')
    .where('role', '=', 'admin')
    .forUpdate()
    .execute();
  return rows.map((r) => r.slack_user_id);
}

/** Of `userIds`, those with a row in members (any role). */
export async function membersAmong(db: Db, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('members')
    .select('slack_user_id')
    .where('slack_user_id', 'in', [...userIds])
    .execute();
  return rows.map((r) => r.slack_user_id);
}

/** Creates the member with `role`, or changes an existing member's role. */
export async function upsertRole(
  db: Db,
  member: { userId: string; role: Role; displayName: string | null },
): Promise<void> {
  const { userId, role, displayName } = member;
  await db
    .insertInto('members')
    .values({ slack_user_id: userId, role, display_name: displayName })
    .onConflict((oc) => oc.column('slack_user_id').doUpdateSet({ role, updated_at: new Date() }))
    .execute();
}

/** Removes the member's row (their families go with it: member_families cascades). */
export async function deleteMember(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('members').where('slack_user_id', '=', userId).execute();
}

/**
 * The families (active or not) whose code is one of `codes` without regard to case, as
 * codeIs matches; codes with none are left out.
 */
export async function familiesWithCodes(
  db: Db,
  codes: readonly string[],
): Promise<{ id: number; code: string }[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('families')
    .select(['id', 'code'])
    .where(
      sql<string>`upper(code)`,
      'in',
      codes.map((c) => c.toUpperCase()),
    )
    .execute();
}

/** Makes `familyIds` the only families the user covers. Run it in the caller's transaction. */
export async function replaceMemberFamilies(
  trx: Db,
  userId: string,
  familyIds: readonly number[],
): Promise<void> {
  await trx.deleteFrom('member_families').where('slack_user_id', '=', userId).execute();
  if (familyIds.length === 0) return;
  await trx
    .insertInto('member_families')
    .values(familyIds.map((id) => ({ slack_user_id: userId, family_id: id })))
    .execute();
}

export async function membersWithRole(
  db: Db,
  roles: readonly Role[],
): Promise<{ userId: string; role: Role }[]> {
  const rows = await db
    .selectFrom('members')
    .select(['slack_user_id', 'role'])
    .where('role', 'in', [...roles])
    .execute();
  return rows.map((r) => ({ userId: r.slack_user_id, role: r.role }));
}
