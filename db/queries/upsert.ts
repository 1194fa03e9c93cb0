import { sql } from 'kysely';
import type { Db } from '../connect.js';
import type { Database } from '../schema.js';
import { chunksOf } from './shared.js';

export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

const CHUNK = 2000;

/**
 * Insert or update rows by their natural key. Rows whose values are unchanged are not touched
 * (no new updated_at), so importing the same file twice changes nothing the second time.
 * `updateColumns`, when given, are the only columns an existing row takes (a file that leaves
 * out an optional column keeps what is stored there); a new row takes every column.
 */
export async function upsertRows<T extends keyof Database & string>(
  trx: Db,
  table: T,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
  updateColumns?: readonly string[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const valueCols = Object.keys(rows[0]!).filter(
    (c) => !key.includes(c) && (!updateColumns || updateColumns.includes(c)),
  );
  let inserted = 0;
  let updated = 0;
  for (const chunk of chunksOf(rows, CHUNK)) {
    const q = trx
      .insertInto(table)
      .values(chunk as never)
      .onConflict((oc) => {
        const target = oc.columns(key as never);
        if (valueCols.length === 0) return target.doNothing();
        const set: Record<string, unknown> = {};
        for (const c of valueCols) set[c] = sql.raw(`excluded.${c}`);
        if (table !== 'resource_loads' && table !== 'member_families') set.updated_at = sql`now()`;
        const current = sql.raw(valueCols.map((c) => `${table}.${c}`).join(', '));
        const incoming = sql.raw(valueCols.map((c) => `excluded.${c}`).join(', '));
        return target
          .doUpdateSet(set as never)
          .where(sql<boolean>`(${current}) is distinct from (${incoming})`);
      })
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'));
    const res = (await q.execute()) as { inserted: boolean }[];
    for (const r of res) {
      if (r.inserted) inserted++;
      else updated++;
    }
  }
  return { inserted, updated, unchanged: rows.length - inserted - updated };
}
