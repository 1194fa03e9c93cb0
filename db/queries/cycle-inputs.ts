/**
 * What people submitted in a cycle, mapped to core's shapes: forecast adjustments (for
 * consensus) and capacity updates in force (for the rough-cut check and the LP); and
 * which members covering families have yet to submit and which ops members have open
 * constraints (for the nudges and `/sop status`); and a cycle by id.
 */
import { sql } from 'kysely';
import type { Role } from '../../src/core/company.js';
import type { Adjustment } from '../../src/core/consensus.js';
import type { CapacityUpdate } from '../../src/core/supply/capacity-check.js';
import type { Db } from '../connect.js';
import type { CycleRow } from '../schema.js';
import { toAdjustment } from './adjustments.js';
import { appliesToCycle, openConstraints, updatesInForce } from './capacity.js';
import { inCodeOrder, withCode } from './shared.js';

/** Adjustments that count (accepted or flagged), oldest first. */
export async function cycleAdjustments(
  db: Db,
  cycleId: number,
  familyCodes: ReadonlyMap<number, string>,
): Promise<Adjustment[]> {
  const rows = await db
    .selectFrom('forecast_adjustments')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .where('status', 'in', ['accepted', 'flagged'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return withCode(
    rows,
    (r) => familyCodes.get(r.family_id),
    (family, r) => toAdjustment(r, family),
  );
}

/**
 * The capacity updates in force for the cycle's plans (`updatesInForce`: open, entered in this
 * cycle, an earlier one or none, for its months), in the order they apply.
 */
export async function capacityUpdatesInForce(
  db: Db,
  cycleId: number,
  resourceCodes: ReadonlyMap<number, string>,
): Promise<CapacityUpdate[]> {
  const rows = await updatesInForce(db, cycleId).selectAll('capacity_updates').execute();
  return withCode(
    rows,
    (r) => resourceCodes.get(r.resource_id),
    (resource, r) => ({
      id: String(r.id),
      resource,
      period: r.period,
      kind: r.kind,
      value: r.value,
      reason: r.reason_code,
    }),
  );
}

export interface RepOwing {
  readonly userId: string;
  /** Codes of the rep's active families with neither an adjustment nor a no-change declaration. */
  readonly families: readonly string[];
}

/**
 * The members who still owe forecast input in the cycle, those whose role is in `roles` (the
 * roles that cover families: `familyCoveringRoles()`, policy row forecast.no-change): for each,
 * the active families they cover with neither an adjustment (withdrawn and carried ones do not
 * count) nor a no-change declaration from them. By user id, then family code; members who owe
 * nothing are left out, and no roles owe nothing.
 */
export async function repsOwingInput(
  db: Db,
  cycleId: number,
  roles: readonly Role[],
): Promise<RepOwing[]> {
  if (roles.length === 0) return [];
  const [assignments, adjusted, declared] = await Promise.all([
    db
      .selectFrom('members')
      .innerJoin('member_families', 'member_families.slack_user_id', 'members.slack_user_id')
      .innerJoin('families', 'families.id', 'member_families.family_id')
      .select(['members.slack_user_id as userId', 'families.id as familyId', 'families.code'])
      .where('members.role', 'in', [...roles])
      .where('families.active', '=', true)
      .orderBy('members.slack_user_id')
      .orderBy(inCodeOrder('families.code'))
      .execute(),
    db
      .selectFrom('forecast_adjustments')
      .select(['author', 'family_id'])
      .distinct()
      .where('cycle_id', '=', cycleId)
      .where('status', '<>', 'withdrawn')
      // Carried from the previous cycle: in the consensus, but not this cycle's input.
      .where('source', '<>', 'carried')
      .execute(),
    db
      .selectFrom('no_change_declarations')
      .select(['slack_user_id', 'family_id'])
      .where('cycle_id', '=', cycleId)
      .execute(),
  ]);
  const done = new Set([
    ...adjusted.map((a) => `${a.author}|${a.family_id}`),
    ...declared.map((d) => `${d.slack_user_id}|${d.family_id}`),
  ]);
  const owed = new Map<string, string[]>();
  for (const a of assignments) {
    if (done.has(`${a.userId}|${a.familyId}`)) continue;
    owed.set(a.userId, [...(owed.get(a.userId) ?? []), a.code]);
  }
  return [...owed.entries()].map(([userId, families]) => ({ userId, families }));
}

export interface OpenConstraints {
  readonly userId: string;
  readonly count: number;
}

/**
 * Ops members with open capacity constraints that apply to the cycle (`appliesToCycle`: its
 * own, earlier cycles' and standing ones, for its months), and how many each has (a request
 * on one resource is one, whatever months it spans); by user id.
 */
export async function openConstraintsByOps(db: Db, cycleId: number): Promise<OpenConstraints[]> {
  const rows = await openConstraints(db)
    .innerJoin('members', 'members.slack_user_id', 'capacity_updates.author')
    // One constraint is one request on one resource, however many months it spans: counted
    // as `/sop constraints` lists them (groupConstraints), not by month.
    .select([
      'capacity_updates.author',
      sql<string>`count(distinct (capacity_updates.resource_id, capacity_updates.request_key))`.as(
        'n',
      ),
    ])
    .where('members.role', '=', 'ops')
    .where(appliesToCycle(cycleId))
    .groupBy('capacity_updates.author')
    .orderBy('capacity_updates.author')
    .execute();
  return rows.map((r) => ({ userId: r.author, count: Number(r.n) }));
}

export async function cycleById(db: Db, cycleId: number): Promise<CycleRow | undefined> {
  return db.selectFrom('cycles').selectAll().where('id', '=', cycleId).executeTakeFirst();
}

/**
 * The active families' codes (and names), in order, each with whether a member whose role is in `roles`
 * covers it and which do (by user id); `roles` are those that cover families
 * (`familyCoveringRoles()`, policy row forecast.no-change). A family nobody covers gets no
 * forecast input, so `/sop status` names it; with no roles, none is covered.
 */
export async function familyCoverage(
  db: Db,
  roles: readonly Role[],
): Promise<
  {
    readonly code: string;
    readonly name: string;
    readonly covered: boolean;
    readonly reps: readonly string[];
  }[]
> {
  const [families, covering] = await Promise.all([
    db
      .selectFrom('families')
      .select(['id', 'code', 'name'])
      .where('families.active', '=', true)
      .orderBy(inCodeOrder('families.code'))
      .execute(),
    roles.length === 0
      ? []
      : db
          .selectFrom('member_families')
          .innerJoin('members', 'members.slack_user_id', 'member_families.slack_user_id')
          .select(['member_families.family_id', 'member_families.slack_user_id'])
          .where('members.role', 'in', [...roles])
          .orderBy('member_families.slack_user_id')
          .execute(),
  ]);
  const reps = new Map<number, string[]>();
  for (const c of covering)
    reps.set(c.family_id, [...(reps.get(c.family_id) ?? []), c.slack_user_id]);
  return families.map((f) => {
    const of = reps.get(f.id) ?? [];
    return { code: f.code, name: f.name, covered: of.length > 0, reps: of };
  });
}
