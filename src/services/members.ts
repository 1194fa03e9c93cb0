/**
 * Members, roles and the families each rep covers. Who may do what is src/core/policy.ts;
 * a refused user is told why and who can help.
 */
import type { Db } from '../../db/connect.js';
import { actionsWhere } from '../../db/queries/actions.js';
import { audit } from '../../db/queries/audit.js';
import { familyCoverage } from '../../db/queries/cycle-inputs.js';
import { someCodes } from '../../db/queries/explain.js';
import {
  deleteMember,
  familiesWithCodes,
  familyCodesOf,
  lockAdmins,
  membersAmong,
  membersWithRole,
  replaceMemberFamilies,
  roleOf,
  upsertRole,
} from '../../db/queries/members.js';
import {
  countingVotesInOpenPolls,
  lockOpenPolls,
  type OpenPollVote,
  openPollsWithQuorum,
  roleUncountedVotesInOpenPolls,
  stopCountingVotes,
} from '../../db/queries/polls.js';
import { matchCode } from '../../db/queries/shared.js';
import { resolvePersonRefusals } from '../../db/queries/slack-refusals.js';
import type { Role } from '../core/company.js';
import {
  type Action,
  can,
  coversFamilies,
  familyCoveringRoles,
  ROLE_LABEL,
  roleNames,
  rolesFor,
} from '../core/policy.js';
import { codeSpan, compareCodes } from '../core/text.js';
import type { CycleDeps } from '../deps.js';
import { SopError } from '../errors.js';
import { dashedCode } from '../import/advice.js';
import { deliverJobs, requestJob } from './outbox.js';

export const ROLES: readonly Role[] = ['sales', 'ops', 'planner', 'exec', 'admin'];

export interface Member {
  readonly userId: string;
  readonly role: Role | null;
  /** Family codes this member covers (sales reps). */
  readonly families: readonly string[];
  /** True when the role comes from SOPBOT_ADMIN_USERS rather than the database. */
  readonly bootstrapAdmin: boolean;
}

/** The role labels and the refusal's list of roles live with the policy, which core reads too. */
export { ROLE_LABEL, roleNames } from '../core/policy.js';

export async function getMember(
  db: Db,
  userId: string,
  adminUsers: readonly string[] = [],
): Promise<Member> {
  const [role, families] = await Promise.all([roleOf(db, userId), familyCodesOf(db, userId)]);
  const bootstrap = adminUsers.includes(userId);
  return {
    userId,
    role: role ?? (bootstrap ? 'admin' : null),
    families,
    bootstrapAdmin: bootstrap && role === null,
  };
}

/**
 * The `forbidden` SopError naming the roles that may do `what`, when the policy
 * (src/core/policy.ts) refuses `action` to the member; null when it allows it.
 */
export function permissionRefusal(member: Member, action: Action, what: string): SopError | null {
  if (can(member, action)) return null;
  const yours = member.role
    ? `your role is ${ROLE_LABEL[member.role]}`
    : 'you have no role in sopbot yet';
  return new SopError(
    'forbidden',
    `Only ${roleNames(action)} can ${what}; ${yours}. An admin can change it with \`/sop role @you <role>\`.`,
  );
}

/** Throws `permissionRefusal`'s error when the policy refuses `action` to the member. */
export function requirePermission(member: Member, action: Action, what: string): void {
  const refused = permissionRefusal(member, action, what);
  if (refused) throw refused;
}

/**
 * The people whose role the policy grants `action`, by user id: the members with such a role,
 * and, when admins are granted it, the users of SOPBOT_ADMIN_USERS (`bootstrapAdmins`) who
 * have no role of their own (getMember makes them admins).
 */
export async function membersWhoMay(
  db: Db,
  action: Action,
  bootstrapAdmins: readonly string[] = [],
): Promise<string[]> {
  const roles = rolesFor(action);
  const withRole = roles.length > 0 ? await membersWithRole(db, roles) : [];
  const withRows = new Set(await membersAmong(db, bootstrapAdmins));
  const bootstrap = roles.includes('admin') ? bootstrapAdmins.filter((u) => !withRows.has(u)) : [];
  return [...new Set([...withRole.map((m) => m.userId), ...bootstrap])].sort();
}

export interface SetRoleOptions {
  readonly displayName?: string;
  /** SOPBOT_ADMIN_USERS: each is an admin while they have no role of their own. */
  readonly bootstrapAdmins?: readonly string[];
  /** When the change happens (the clock's now): a vote that stops counting with it, stops then. */
  readonly now?: Date;
}

/** What a role change did to the person's votes in the votes still open. */
export interface RoleChange {
  readonly from: Role | null;
  readonly to: Role | null;
  /**
   * Their votes that stopped counting (their new role's votes do not count, `vote.counted`):
   * kept for the record (`superseded_reason` 'role'), audited (`vote.uncounted`) and taken out
   * of the tally and the quorum. Votes of closed polls are history and never change.
   */
  readonly uncounted: readonly OpenPollVote[];
  /**
   * Given a role whose votes count again: the open votes where a vote of theirs stopped counting
   * with an earlier role and nothing of theirs counts now. They vote again to be counted.
   */
  readonly voteAgain: readonly OpenPollVote[];
  /** The requests to redraw those votes' messages (`poll-refresh`), in the job outbox. */
  readonly jobs: readonly string[];
  /**
   * When the change left fewer members whose votes count than an open vote's quorum: each such
   * vote, which only its chair or its deadline can close now, and how many voters are left.
   */
  readonly quorumOutOfReach: { readonly polls: readonly QuorumPoll[]; readonly voters: number };
}

export interface QuorumPoll {
  readonly pollId: string;
  readonly quorum: number;
  readonly month: string;
}

/**
 * A sales rep given another role: the families they cover, which stay theirs (made Sales
 * again, they cover them again) but are no longer asked of them, and of those the ones no other
 * sales rep covers, which nobody is asked for input on now. Both in code order.
 */
export interface FamiliesLeft {
  readonly families: readonly string[];
  readonly uncovered: readonly string[];
}

const votesCount = (role: Role | null) => can({ role }, 'vote.counted');

/**
 * In the role change's transaction: when `userId` goes from a role whose votes count to one
 * whose do not, their current votes in open polls stop counting, each audited, and each poll's
 * message is asked to be redrawn (the job outbox). The open polls are locked first, so a vote
 * cast meanwhile is committed before they are read, or counted by the role read after this.
 */
async function votesAfterRoleChange(
  trx: Db,
  actor: string,
  userId: string,
  change: { readonly from: Role | null; readonly to: Role | null },
  now: Date,
): Promise<Omit<RoleChange, 'from' | 'to'>> {
  if (votesCount(change.from) && !votesCount(change.to)) {
    await lockOpenPolls(trx);
    const uncounted = await countingVotesInOpenPolls(trx, userId);
    await stopCountingVotes(
      trx,
      uncounted.map((v) => v.voteId),
      now,
    );
    const jobs: string[] = [];
    for (const v of uncounted) {
      await audit(trx, {
        actor,
        action: 'vote.uncounted',
        entity: 'poll',
        entityId: v.pollId,
        details: {
          voter: userId,
          voteId: v.voteId,
          scenarioId: v.scenarioId,
          reason: 'role',
          ...change,
        },
      });
      jobs.push(await requestJob(trx, 'poll-refresh', { pollId: v.pollId }, { debounceMs: 250 }));
    }
    return { uncounted, voteAgain: [], jobs, quorumOutOfReach: await quorumsOutOfReach(trx) };
  }
  if (!votesCount(change.from) && votesCount(change.to)) {
    const seen = new Set<string>();
    const voteAgain = (await roleUncountedVotesInOpenPolls(trx, userId)).filter((v) => {
      if (seen.has(v.pollId)) return false;
      seen.add(v.pollId);
      return true;
    });
    return { uncounted: [], voteAgain, jobs: [], quorumOutOfReach: NO_POLLS };
  }
  return { uncounted: [], voteAgain: [], jobs: [], quorumOutOfReach: NO_POLLS };
}

const NO_POLLS = { polls: [], voters: 0 } as const;

/**
 * The open votes whose quorum is more than the members whose votes count (read in the role
 * change's transaction, after it): a quorum nobody can reach, said to the admin who made it so.
 */
async function quorumsOutOfReach(trx: Db): Promise<RoleChange['quorumOutOfReach']> {
  const voters = (await membersWithRole(trx, rolesFor('vote.counted'))).length;
  const polls = (await openPollsWithQuorum(trx)).filter((p) => p.quorum > voters);
  return polls.length === 0 ? NO_POLLS : { polls, voters };
}

/**
 * Hands a role change's requests to redraw the votes it changed to the queue now if Redis
 * answers; else the relay delivers them when it does.
 */
export async function redrawVotesOf(
  deps: Pick<CycleDeps, 'db' | 'queue'>,
  change: RoleChange,
): Promise<void> {
  if (change.jobs.length > 0) await deliverJobs(deps.db, deps.queue, { ids: change.jobs });
}

/**
 * Gives `userId` `role`. A change that would leave sopbot without an admin (the last admin
 * demoted, by themself or by a bootstrap admin) is refused (`conflict`) and writes nothing.
 * The role changes' lock is taken first (`lockAdmins`), so of two admins demoting each other
 * at once, in the database or by SOPBOT_ADMIN_USERS alone, the second counts after the first
 * has committed and is refused. An executive given a role whose votes do not count loses their
 * votes in the open polls in the same transaction (`RoleChange`; `redrawVotesOf` then).
 */
export async function setRole(
  db: Db,
  actor: string,
  userId: string,
  role: Role,
  { displayName, bootstrapAdmins = [], now = new Date() }: SetRoleOptions = {},
): Promise<RoleChange & { readonly familiesLeft: FamiliesLeft | null }> {
  return db.transaction().execute(async (trx) => {
    if (role !== 'admin') await refuseLastAdmin(trx, actor, userId, bootstrapAdmins, false);
    const before = await roleOf(trx, userId);
    await upsertRole(trx, { userId, role, displayName: displayName ?? null });
    await audit(trx, {
      actor,
      action: 'member.role',
      entity: 'member',
      entityId: userId,
      details: { from: before, to: role },
    });
    const change = { from: before, to: role };
    return {
      ...change,
      ...(await votesAfterRoleChange(trx, actor, userId, change, now)),
      familiesLeft: await familiesLeftBy(trx, userId, change),
    };
  });
}

/**
 * When `userId` stops being a sales rep (read after the change, in its transaction): the
 * families they cover and those no sales rep covers now (`familyCoverage`, as `/sop status`
 * reads it). Null for any other change, or a rep who covered none.
 */
async function familiesLeftBy(
  trx: Db,
  userId: string,
  change: { readonly from: Role | null; readonly to: Role | null },
): Promise<FamiliesLeft | null> {
  if (!coversFamilies({ role: change.from }) || coversFamilies({ role: change.to })) return null;
  return familiesLeftOf(trx, await familyCodesOf(trx, userId));
}

/** Of a former rep's `families` (read before a removal took them), those no rep covers now. */
async function familiesLeftOf(trx: Db, families: readonly string[]): Promise<FamiliesLeft | null> {
  if (families.length === 0) return null;
  const covered = new Set(
    (await familyCoverage(trx, familyCoveringRoles())).filter((f) => f.covered).map((f) => f.code),
  );
  return { families, uncovered: families.filter((c) => !covered.has(c)) };
}

/**
 * Refuses (`conflict`) a change that takes `userId`'s admin right away when they are the last
 * admin. Takes the role changes' lock first, so who has a row is read after a concurrent
 * change has committed. `keepsBootstrap`: the change removes their row, so SOPBOT_ADMIN_USERS
 * makes them an admin again if it names them.
 */
async function refuseLastAdmin(
  trx: Db,
  actor: string,
  userId: string,
  bootstrapAdmins: readonly string[],
  keepsBootstrap: boolean,
): Promise<void> {
  const adminRows = await lockAdmins(trx);
  const withRows = new Set(await membersAmong(trx, bootstrapAdmins));
  const admins = new Set([...adminRows, ...bootstrapAdmins.filter((u) => !withRows.has(u))]);
  if (keepsBootstrap && bootstrapAdmins.includes(userId)) return;
  if (admins.has(userId) && admins.size === 1) {
    const who = userId === actor ? 'You are' : `<@${userId}> is`;
    throw new SopError(
      'conflict',
      `${who} the last admin; sopbot would have no admin left. Make someone else admin first (\`/sop role @someone admin\`), then change ${userId === actor ? 'your' : 'their'} role.`,
    );
  }
}

/**
 * Takes `userId`'s role away (`/sop role @user none`): their row and the families they cover
 * go, so they are no longer nudged, asked to vote or counted, in one audited transaction: their
 * votes in the open polls stop counting in it (`RoleChange`; `redrawVotesOf` then). When they
 * own no open action either, the DMs Slack refused them are resolved in it too. The last admin
 * is refused as in setRole. Returns the role they had (`from`); a user with none is refused.
 */
export async function removeRole(
  db: Db,
  actor: string,
  userId: string,
  { bootstrapAdmins = [], now = new Date() }: Pick<SetRoleOptions, 'bootstrapAdmins' | 'now'> = {},
): Promise<RoleChange & { readonly from: Role; readonly familiesLeft: FamiliesLeft | null }> {
  return db.transaction().execute(async (trx) => {
    await refuseLastAdmin(trx, actor, userId, bootstrapAdmins, true);
    const before = await roleOf(trx, userId);
    // A rep's families go with their row: read first, to say which now have no rep.
    const families = coversFamilies({ role: before }) ? await familyCodesOf(trx, userId) : [];
    if (before === null)
      throw new SopError(
        'conflict',
        bootstrapAdmins.includes(userId)
          ? `<@${userId}> is an admin by SOPBOT_ADMIN_USERS, which is set where sopbot runs, not in Slack; nothing was changed.`
          : `<@${userId}> has no role in sopbot; nothing was changed.`,
      );
    await deleteMember(trx, userId);
    // With no role and no open action, nothing is sent to them any more: the DMs Slack
    // refused them (they left) are no longer the admins' to fix, and leave `/sop status`.
    // An owner of open actions stays listed: the line says to give the actions away.
    if (
      !bootstrapAdmins.includes(userId) &&
      (await actionsWhere(trx, { owner: userId, open: true })).length === 0
    )
      await resolvePersonRefusals(trx, userId);
    await audit(trx, {
      actor,
      action: 'member.role',
      entity: 'member',
      entityId: userId,
      details: { from: before, to: null },
    });
    const change = { from: before, to: null };
    return {
      ...change,
      ...(await votesAfterRoleChange(trx, actor, userId, change, now)),
      familiesLeft: await familiesLeftOf(trx, families),
    };
  });
}

/**
 * `typed` with each run of two or three words that, joined with dashes, is a family's code
 * (`FAM 1` → FAM-1, in any case: the import's `dashedCode`) written as that code; null when no
 * run is one.
 */
async function gluedFamilyCodes(db: Db, typed: readonly string[]): Promise<string[] | null> {
  const run = (i: number, n: number) =>
    i + n <= typed.length ? dashedCode(typed.slice(i, i + n).join(' ')) : null;
  const runs = typed.flatMap((_, i) => [run(i, 2), run(i, 3)]).filter((c) => c !== null);
  const known = new Map((await familiesWithCodes(db, runs)).map((f) => [f.code, f.code]));
  const out: string[] = [];
  let glued = false;
  for (let i = 0; i < typed.length; ) {
    const hit = [3, 2]
      .map((n) => ({ n, code: matchCode(known, run(i, n) ?? '')?.code ?? null }))
      .find((h) => h.code !== null);
    if (hit?.code) {
      out.push(hit.code);
      glued = true;
      i += hit.n;
    } else {
      out.push(typed[i] ?? '');
      i += 1;
    }
  }
  return glued ? out : null;
}

/**
 * Why `/sop families` changed nothing: the codes that are no family, the command to type where
 * codes were written with spaces (`FAM 1 FAM 2`: `FAM-1 FAM-2`), and where the codes are seen.
 */
async function unknownFamiliesText(
  db: Db,
  codes: readonly string[],
  missing: readonly string[],
): Promise<string> {
  const glued = await gluedFamilyCodes(db, codes);
  const unknown = `Nothing was changed: ${missing.length === 1 ? 'there is no family' : 'there are no families'} ${missing.map((c) => codeSpan(c)).join(', ')}.`;
  const fix = glued
    ? ` A family code has no spaces: write ${codeSpan(`/sop families @rep ${glued.join(' ')}`, 200)}.`
    : '';
  const some = (await someCodes(db)).families;
  const where = some.length
    ? ` Family codes look like ${some.join(', ')}; the family field of \`/forecast\` finds any by its code or name.`
    : ' There are no families yet: `sopbot import families` imports them.';
  return `${unknown}${fix}${where}`;
}

/** A family of the company as `/sop families` lists it: the reps who cover it, by user id. */
export interface CompanyFamily {
  readonly code: string;
  readonly name: string;
  readonly reps: readonly string[];
}

/**
 * The company's active families, in code order, each with the members whose role covers
 * families (`familyCoveringRoles`) that cover it: the list `/sop families` shows.
 */
export async function companyFamilies(db: Db): Promise<CompanyFamily[]> {
  return (await familyCoverage(db, familyCoveringRoles())).map(({ code, name, reps }) => ({
    code,
    name,
    reps,
  }));
}

/** Replace the families a member covers. Unknown codes are refused by name. */
export async function assignFamilies(
  db: Db,
  actor: string,
  userId: string,
  codes: readonly string[],
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const found = await familiesWithCodes(trx, codes);
    const known = new Map(found.map((f) => [f.code, f.id]));
    const missing = codes.filter((c) => !matchCode(known, c));
    if (missing.length)
      throw new SopError('not_found', await unknownFamiliesText(trx, codes, missing));
    const role = await roleOf(trx, userId);
    if (role === null) {
      throw new SopError(
        'not_found',
        `<@${userId}> has no role yet; give them one first with \`/sop role <@${userId}> sales\`.`,
      );
    }
    // Only a sales rep is asked for input on the families they cover (`repsOwingInput`); the
    // list of anyone else would change nothing. Clearing it (`none`) is always taken.
    if (!coversFamilies({ role }) && codes.length > 0) {
      throw new SopError(
        'conflict',
        `<@${userId}> is *${ROLE_LABEL[role]}*, and only sales reps cover families (each is asked for forecast input on theirs); nothing was changed. Give the families to a sales rep, or make <@${userId}> one first with \`/sop role <@${userId}> sales\`.`,
      );
    }
    await replaceMemberFamilies(
      trx,
      userId,
      found.map((f) => f.id),
    );
    await audit(trx, {
      actor,
      action: 'member.families',
      entity: 'member',
      entityId: userId,
      details: { families: found.map((f) => f.code).sort(compareCodes) },
    });
    return found.map((f) => f.code).sort(compareCodes);
  });
}
