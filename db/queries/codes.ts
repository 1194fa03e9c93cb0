import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../connect.js';

/**
 * Held until the transaction ends: imports that add family (or resource) codes take turns, so
 * the second reads the codes the first committed, and a code differing from one of them only
 * in case is refused in words rather than by the unique index on `upper(code)`.
 */
export async function lockCodes(trx: Db, what: 'family' | 'resource'): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`sopbot.import.codes.${what}`}))`.execute(trx);
}

/** Code → id maps for families and resources, to resolve the codes people type. */
export async function familyIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('families').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function resourceIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('resources').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * Code → the unit each family and resource is counted in (`unit` of families.csv and
 * resources.csv; blank as 'units'): what a deviation's figures are written in.
 */
export async function codeUnits(db: Db): Promise<{
  readonly families: Map<string, string>;
  readonly resources: Map<string, string>;
}> {
  const units = (table: 'families' | 'resources') =>
    db
      .selectFrom(table)
      .select(['code', 'unit'])
      .execute()
      .then((rows) => new Map(rows.map((r) => [r.code, r.unit.trim() || 'units'])));
  const [families, resources] = await Promise.all([units('families'), units('resources')]);
  return { families, resources };
}

/**
 * The families (or resources) a plan is made of, as a `where` of a query on one of the two
 * tables: the active ones. An inactive one keeps its rows (its history, the plans it was in)
 * and no plan includes it. The plan (`loadCompany`), the counts below and the check of the
 * codes a scenario names (`activeCodes`) filter with it.
 */
export function isActive<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
): Expression<SqlBool> {
  return eb(sql<boolean>`active`, '=', true);
}

/** The codes of the families and resources a plan is made of (isActive). */
export async function activeCodes(
  db: Db,
): Promise<{ readonly families: Set<string>; readonly resources: Set<string> }> {
  const codes = (table: 'families' | 'resources') =>
    db
      .selectFrom(table)
      .select('code')
      .where(isActive)
      .execute()
      .then((rows) => new Set(rows.map((r) => r.code)));
  const [families, resources] = await Promise.all([codes('families'), codes('resources')]);
  return { families, resources };
}

/** How many active families and resources there are: what a plan is made of. */
export async function activeCompanyCounts(
  db: Db,
): Promise<{ readonly families: number; readonly resources: number }> {
  const count = (table: 'families' | 'resources') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(isActive)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [families, resources] = await Promise.all([count('families'), count('resources')]);
  return { families, resources };
}

/** Code → the constant price and unit cost of each family (families.csv). */
export async function familyCostConstants(
  db: Db,
): Promise<Map<string, { readonly price: number; readonly unit_cost: number }>> {
  const rows = await db.selectFrom('families').select(['code', 'price', 'unit_cost']).execute();
  return new Map(rows.map((r) => [r.code, { price: r.price, unit_cost: r.unit_cost }]));
}
