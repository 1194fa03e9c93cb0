/**
 * Members, roles and the families each rep covers. The service layer decides who may do
 * what; a refused user is told why and who can help.
 */
import type { Db } from '../../db/connect.js';
import { audit } from '../../db/queries/audit.js';
import type { Role } from '../core/company.js';
import { SopError } from '../errors.js';

export const ROLES: readonly Role[] = ['sales', 'ops', 'planner', 'exec', 'admin'];

export interface Member {
  readonly userId: string;
  readonly role: Role | null;
  /** Family codes this member covers (sales reps). */
  readonly families: readonly string[];
  /** True when the role comes from SOPBOT_ADMIN_USERS rather than the database. */
  readonly bootstrapAdmin: boolean;
}

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  sales: 'Sales',
  ops: 'Operations',
  planner: 'Planner',
  exec: 'Executive',
  admin: 'Admin',
};

export async function getMember(
  db: Db,
  userId: string,
  adminUsers: readonly string[] = [],
): Promise<Member> {
  const row = await db
    .selectFrom('members')
    .select(['role'])
    .where('slack_user_id', '=', userId)
    .executeTakeFirst();
  const fams = await db
    .selectFrom('member_families')
    .innerJoin('families', 'families.id', 'member_families.family_id')
    .select('families.code')
    .where('member_families.slack_user_id', '=', userId)
    .orderBy('families.code')
    .execute();
  const bootstrap = adminUsers.includes(userId);
  return {
    userId,
    role: row?.role ?? (bootstrap ? 'admin' : null),
    families: fams.map((f) => f.code),
    bootstrapAdmin: bootstrap && !row,
  };
}

/** Admins may do everything; otherwise the member's role must be in `allowed`. */
export function hasRole(member: Member, allowed: readonly Role[]): boolean {
  if (member.role === null) return false;
  return member.role === 'admin' || allowed.includes(member.role);
}

/** Throws a `forbidden` SopError naming the roles that may do `what`. */
export function requireRole(member: Member, allowed: readonly Role[], what: string): void {
  if (hasRole(member, allowed)) return;
  const names = [...allowed.map((r) => ROLE_LABEL[r]), 'Admin'].filter(
    (v, i, a) => a.indexOf(v) === i,
  );
  const yours = member.role
    ? `your role is ${ROLE_LABEL[member.role]}`
    : 'you have no role in sopbot yet';
  throw new SopError(
    'forbidden',
    `Only ${names.join(', ').replace(/, ([^,]*)$/, ' or $1')} members can ${what}; ${yours}. An admin can change it with \`/sop role @you <role>\`.`,
  );
}

export async function setRole(
  db: Db,
  actor: string,
  userId: string,
  role: Role,
  displayName?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('members')
      .select('role')
      .where('slack_user_id', '=', userId)
      .executeTakeFirst();
    await trx
      .insertInto('members')
      .values({ slack_user_id: userId, role, display_name: displayName ?? null })
      .onConflict((oc) => oc.column('slack_user_id').doUpdateSet({ role, updated_at: new Date() }))
      .execute();
    await audit(trx, {
      actor,
      action: 'member.role',
      entity: 'member',
      entityId: userId,
      details: { from: before?.role ?? null, to: role },
    });
  });
}

/** Replace the families a member covers. Unknown codes are refused by name. */
export async function assignFamilies(
  db: Db,
  actor: string,
  userId: string,
  codes: readonly string[],
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const found = codes.length
      ? await trx
          .selectFrom('families')
          .select(['id', 'code'])
          .where('code', 'in', [...codes])
          .execute()
      : [];
    const missing = codes.filter((c) => !found.some((f) => f.code === c));
    if (missing.length) {
      throw new SopError(
        'not_found',
        `Unknown famil${missing.length === 1 ? 'y' : 'ies'}: ${missing.join(', ')}.`,
      );
    }
    const member = await trx
      .selectFrom('members')
      .select('role')
      .where('slack_user_id', '=', userId)
      .executeTakeFirst();
    if (!member) {
      throw new SopError(
        'not_found',
        `<@${userId}> has no role yet; give them one first with \`/sop role <@${userId}> sales\`.`,
      );
    }
    await trx.deleteFrom('member_families').where('slack_user_id', '=', userId).execute();
    if (found.length) {
      await trx
        .insertInto('member_families')
        .values(found.map((f) => ({ slack_user_id: userId, family_id: f.id })))
        .execute();
    }
    await audit(trx, {
      actor,
      action: 'member.families',
      entity: 'member',
      entityId: userId,
      details: { families: codes },
    });
    return found.map((f) => f.code).sort();
  });
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
