/**
 * Column and table shapes the migrations repeat. Not a migration (index.ts does not list it).
 * Landed migrations use it, so what it builds must never change: each helper spells exactly
 * the DDL the migrations wrote out before it (a schema dump of a freshly migrated database
 * is the same with and without it).
 */
import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from 'kysely';

/** A month, 'YYYY-MM'. */
export const PERIOD_CHECK = (col: string) => sql.raw(`${col} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`);
/** A day, 'YYYY-MM-DD'. */
export const DATE_CHECK = (col: string) => sql.raw(`${col} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`);
export const nonNegative = (col: string) => sql.raw(`${col} >= 0`);

type Column = ColumnDefinitionBuilder;
type Table = CreateTableBuilder<string, string>;

/** Not null, defaulting to the transaction's time: created_at, updated_at and the like. */
export const nowDefault = (c: Column) => c.notNull().defaultTo(sql`now()`);

/** Not null, referencing `target` (`table.id`), deleted with the row it references. */
export const cascadeRef = (target: string) => (c: Column) =>
  c.notNull().references(target).onDelete('cascade');

/** Not null and a month: the `period` of rows by month. */
export const periodColumn = (c: Column) => c.notNull().check(PERIOD_CHECK('period'));

/** What a family or a resource is called in a column (`family_id`) and as a table. */
const OWNERS = { family: 'families', resource: 'resources' } as const;
type Owner = keyof typeof OWNERS;

/**
 * The key of a table of one row per family (or resource) and month: `family_id` (deleted
 * with the family) and `period`.
 */
export const byMonthOf = (owner: Owner) => (t: Table) =>
  t
    .addColumn(`${owner}_id`, 'integer', cascadeRef(`${OWNERS[owner]}.id`))
    .addColumn('period', 'text', periodColumn);

/** The closing `updated_at` of an imported table, and its primary key `<table>_pk`. */
export const updatedAtAndKey = (table: string, key: readonly string[]) => (t: Table) =>
  t
    .addColumn('updated_at', 'timestamptz', nowDefault)
    .addPrimaryKeyConstraint(`${table}_pk`, [...key]);

/**
 * The key of a plan result table (one row per scenario, family or resource, and month):
 * `scenario_id`, `family_id` (or `resource_id`) and `period`, not deleted with what they
 * reference (plan results are immutable).
 */
export const resultOf = (owner: Owner) => (t: Table) =>
  t
    .addColumn('scenario_id', 'bigint', (c) => c.notNull().references('plan_scenarios.id'))
    .addColumn(`${owner}_id`, 'integer', (c) => c.notNull().references(`${OWNERS[owner]}.id`))
    .addColumn('period', 'text', (c) => c.notNull());

/** Refuses UPDATE and DELETE on `table` (sopbot_refuse_change, from the initial migration). */
export async function makeImmutable(db: Kysely<any>, table: string): Promise<void> {
  await sql
    .raw(
      `create trigger ${table}_immutable before update or delete on ${table} for each row execute function sopbot_refuse_change()`,
    )
    .execute(db);
}

/** An index `name` on `table`'s `columns`. */
export async function addIndex(
  db: Kysely<any>,
  name: string,
  table: string,
  columns: readonly string[],
): Promise<void> {
  await db.schema
    .createIndex(name)
    .on(table)
    .columns([...columns])
    .execute();
}

/** Drops `columns` of `table` in one statement (what a down migration undoes). */
export async function dropColumns(
  db: Kysely<any>,
  table: string,
  [first, ...rest]: readonly [string, ...string[]],
): Promise<void> {
  let q = db.schema.alterTable(table).dropColumn(first);
  for (const c of rest) q = q.dropColumn(c);
  await q.execute();
}

/** Drops `tables`, in order (what a down migration undoes). */
export async function dropTables(db: Kysely<any>, tables: readonly string[]): Promise<void> {
  for (const t of tables) await db.schema.dropTable(t).execute();
}

/**
 * A table of one row per family (or resource) and month, as the imports write it: the key
 * (byMonthOf), the table's own `columns`, then `updated_at` and the primary key `<table>_pk`.
 */
export async function createMonthTable(
  db: Kysely<any>,
  table: string,
  owner: Owner,
  columns: (t: Table) => Table,
): Promise<void> {
  await db.schema
    .createTable(table)
    .$call(byMonthOf(owner))
    .$call(columns)
    .$call(updatedAtAndKey(table, [`${owner}_id`, 'period']))
    .execute();
}
