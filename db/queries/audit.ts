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
