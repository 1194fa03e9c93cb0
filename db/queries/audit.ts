import { sql } from 'kysely';
import type { Db } from '../connect.js';

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | number | null;
  readonly details?: Record<string, unknown>;
}

/**
 * Append to the audit log and return the entry's id. Call it inside the transaction that makes
 * the change.
 */
export async function audit(trx: Db, e: AuditEntry): Promise<string> {
  const row = await trx
    .insertInto('audit_log')
    .values({
      actor: e.actor,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      details: JSON.stringify(e.details ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One audit entry by id, or null. */
export async function auditEntry(db: Db, id: string) {
  return (
    (await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
  );
}

/** When cycle `cycleId` left `phase` (its audited phase change), or null. */
export async function phaseLeftAt(db: Db, cycleId: number, phase: string): Promise<Date | null> {
  const row = await db
    .selectFrom('audit_log')
    .select('at')
    .where('entity', '=', 'cycle')
    .where('entity_id', '=', String(cycleId))
    .where('action', 'in', ['cycle.advance', 'cycle.close'])
    .where(sql<boolean>`details->>'from' = ${phase}`)
    .orderBy('id')
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * The instant of an audited phase change: the service clock's time it records (`details.at`),
 * else the row's; deviations and cycles' own times come from that clock too.
 */
const changedAt = sql<Date>`coalesce((audit_log.details->>'at')::timestamptz, audit_log.at)`;

/** When cycle `cycleId` entered `phase` (its audited phase change into it), or null. */
export async function phaseEnteredAt(db: Db, cycleId: number, phase: string): Promise<Date | null> {
  const row = await db
    .selectFrom('audit_log')
    .select(changedAt.as('at'))
    .where('entity', '=', 'cycle')
    .where('entity_id', '=', String(cycleId))
    .where('action', '=', 'cycle.advance')
    .where(sql<boolean>`details->>'to' = ${phase}`)
    .orderBy('id')
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * When a cycle of a month before `month` last entered `phase`, or null; with `decidedOrOpen`,
 * a cycle closed without a decision (no adopted scenario) does not count.
 */
export async function lastPhaseEntryBefore(
  db: Db,
  month: string,
  phase: string,
  opts: { readonly decidedOrOpen?: boolean } = {},
): Promise<Date | null> {
  let q = db
    .selectFrom('audit_log')
    .innerJoin('cycles', (j) => j.on(sql<boolean>`audit_log.entity_id = cycles.id::text`))
    .select(changedAt.as('at'))
    .where('audit_log.entity', '=', 'cycle')
    .where('audit_log.action', '=', 'cycle.advance')
    .where(sql<boolean>`audit_log.details->>'to' = ${phase}`)
    .where('cycles.month', '<', month);
  // A decision adopts its scenario: a cycle with an adopted one recorded a decision.
  if (opts.decidedOrOpen)
    q = q.where((eb) =>
      eb.or([eb('cycles.adopted_scenario_id', 'is not', null), eb('cycles.phase', '<>', 'closed')]),
    );
  const row = await q.orderBy(changedAt, 'desc').executeTakeFirst();
  return row?.at ?? null;
}

/**
 * The phases of cycle `cycleId` its deadline jobs ended at instant `at` (the service clock's,
 * `details.at`), in the order they ended: one, or several when a worker back after a long stop
 * ended every phase whose deadline had passed in one transaction (`endAtDeadline`).
 */
export async function phasesEndedAtDeadline(db: Db, cycleId: number, at: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(sql<string>`details->>'from'`.as('from'))
    .where('entity', '=', 'cycle')
    .where('entity_id', '=', String(cycleId))
    .where('action', 'in', ['cycle.advance', 'cycle.close'])
    .where('actor', '=', 'deadline')
    .where(sql<boolean>`details->>'at' = ${at.toISOString()}`)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.from);
}

/**
 * Who made cycle `cycleId`'s latest audited phase change (its start, an advance or its close),
 * or null when none is recorded.
 */
export async function lastPhaseChangeBy(db: Db, cycleId: number): Promise<string | null> {
  const row = await db
    .selectFrom('audit_log')
    .select('actor')
    .where('entity', '=', 'cycle')
    .where('entity_id', '=', String(cycleId))
    .where('action', 'in', ['cycle.start', 'cycle.advance', 'cycle.close'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.actor ?? null;
}

/** An action given away from someone (`action.reassign`): to whom, by whom, when. */
export interface ReassignedAway {
  readonly actionId: string;
  readonly to: string;
  readonly by: string;
  readonly at: Date;
}

/**
 * The latest time each of `actionIds` was given away from `from` (its audited reassignment),
 * for those that were; the instant is the service clock's (`details.at`), else the row's.
 */
export async function reassignmentsFrom(
  db: Db,
  from: string,
  actionIds: readonly string[],
): Promise<ReassignedAway[]> {
  if (actionIds.length === 0) return [];
  const rows = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'actor', sql<string>`details->>'to'`.as('to'), changedAt.as('at')])
    .where('action', '=', 'action.reassign')
    .where('entity', '=', 'action')
    .where('entity_id', 'in', [...actionIds])
    .where(sql<boolean>`details->>'from' = ${from}`)
    .orderBy('id', 'desc')
    .execute();
  const latest = new Map<string, ReassignedAway>();
  for (const r of rows)
    if (r.entity_id && !latest.has(r.entity_id))
      latest.set(r.entity_id, { actionId: r.entity_id, to: r.to, by: r.actor, at: new Date(r.at) });
  return [...latest.values()];
}

/**
 * The reassignment of action `actionId` that request `requestKey` made (its `action.reassign`
 * entry names the key): by whom, from whom, to whom; null when that request gave it to no one.
 */
export async function reassignmentByRequest(
  db: Db,
  actionId: string,
  requestKey: string,
): Promise<{ by: string; from: string; to: string } | null> {
  const row = await db
    .selectFrom('audit_log')
    .select([
      'actor',
      sql<string>`details->>'from'`.as('from'),
      sql<string>`details->>'to'`.as('to'),
    ])
    .where('action', '=', 'action.reassign')
    .where('entity', '=', 'action')
    .where('entity_id', '=', actionId)
    .where(sql<boolean>`details->>'requestKey' = ${requestKey}`)
    .executeTakeFirst();
  return row ? { by: row.actor, from: row.from, to: row.to } : null;
}
