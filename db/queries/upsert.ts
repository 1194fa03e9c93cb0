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
 * out an optional column keeps what is stored there); a new row takes every column of the
 * first row (every row has the same columns; the table's defaults fill the others).
 * Each chunk is one statement with one parameter, its rows as a JSON array read by the
 * table's own row type (`json_populate_recordset`): a big import's cost is the rows, not
 * thousands of bound values to parse and plan.
 */
export async function upsertRows<T extends keyof Database & string>(
  trx: Db,
  table: T,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
  updateColumns?: readonly string[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const columns = Object.keys(rows[0]!);
  const valueCols = columns.filter(
    (c) => !key.includes(c) && (!updateColumns || updateColumns.includes(c)),
  );
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const target = sql.join(key.map((c) => sql.ref(c)));
  const set = valueCols.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`);
  if (table !== 'resource_loads' && table !== 'member_families') set.push(sql`updated_at = now()`);
  const current = sql.join(valueCols.map((c) => sql`${sql.table(table)}.${sql.ref(c)}`));
  const incoming = sql.join(valueCols.map((c) => sql`excluded.${sql.ref(c)}`));
  const onConflict =
    valueCols.length === 0
      ? sql`do nothing`
      : sql`do update set ${sql.join(set)} where (${current}) is distinct from (${incoming})`;
  let inserted = 0;
  let updated = 0;
  for (const chunk of chunksOf(rows, CHUNK)) {
    const { rows: counts } = await sql<{ inserted: number; updated: number }>`
      with written as (
        insert into ${sql.table(table)} (${list})
        select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(chunk)}::json)
        on conflict (${target}) ${onConflict}
        returning (xmax = 0) as inserted
      )
      select count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
      from written`.execute(trx);
    inserted += counts[0]?.inserted ?? 0;
    updated += counts[0]?.updated ?? 0;
  }
  return { inserted, updated, unchanged: rows.length - inserted - updated };
}
