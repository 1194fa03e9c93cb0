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
