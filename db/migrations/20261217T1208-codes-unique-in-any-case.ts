/**
 * No two families (or resources) have codes that differ only in case: commands and forms read
 * a code in any case (`codeIs`, upper(code)), so `fam-1` beside FAM-1 would be two ids one
 * typed code names. A unique index on upper(code) of each table, which the import's refusal of
 * such a code (`caseTwinRefusal`) keeps from being met. A database that already holds such
 * twins is not changed: the migration fails naming each pair and how to give one a code of
 * its own, since which history belongs to which code is for people to say.
 */
import { type Kysely, sql } from 'kysely';

const TABLES = ['families', 'resources'] as const;

/** Each pair of codes of `table` that differ only in case: `FAM-1 (id 3) and fam-1 (id 7)`. */
async function twins(db: Kysely<any>, table: (typeof TABLES)[number]): Promise<string[]> {
  const { rows } = await sql<{ codes: string[]; ids: number[] }>`
    select array_agg(code order by id) as codes, array_agg(id order by id) as ids
    from ${sql.table(table)} group by upper(code) having count(*) > 1
    order by upper(code)`.execute(db);
  return rows.map((r) => r.codes.map((c, i) => `${c} (id ${r.ids[i]})`).join(' and '));
}

export async function up(db: Kysely<any>): Promise<void> {
  const found: string[] = [];
  let example = '';
  for (const table of TABLES) {
    const pairs = await twins(db, table);
    found.push(...pairs.map((p) => `${table} ${p}`));
    if (pairs.length === 0 || example) continue;
    const { rows } = await sql<{ id: number; code: string }>`
      select id, code from ${sql.table(table)} where upper(code) in (
        select upper(code) from ${sql.table(table)} group by upper(code) having count(*) > 1)
      order by id desc limit 1`.execute(db);
    example = `update ${table} set code = '${rows[0]!.code}-old' where id = ${rows[0]!.id};`;
  }
  if (found.length > 0)
    throw new Error(
      `${found.join('; ')}: codes that differ only in case, which commands read as one code. Give one of each a code of its own, its rows staying with it (e.g. ${example}), then migrate again. Nothing was changed`,
    );
  for (const table of TABLES)
    await sql`create unique index ${sql.id(`${table}_code_any_case`)} on ${sql.table(table)} (upper(code))`.execute(
      db,
    );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await sql`drop index ${sql.id(`${table}_code_any_case`)}`.execute(db);
}
