import { sql } from 'kysely';
import type { Db } from '../connect.js';
import type { AuditRow } from '../schema.js';

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

export async function auditTrail(
  db: Db,
  filter: { entity?: string; entityId?: string; action?: string; limit?: number } = {},
): Promise<AuditRow[]> {
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.action) q = q.where('action', '=', filter.action);
  return q.execute();
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
