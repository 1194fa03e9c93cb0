import type { Db } from '../connect.js';

/** Code → id maps for families and resources, to resolve the codes people type. */
export async function familyIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('families').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function resourceIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('resources').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** How many active families and resources there are: what a plan is made of. */
export async function activeCompanyCounts(
  db: Db,
): Promise<{ readonly families: number; readonly resources: number }> {
  const count = (table: 'families' | 'resources') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('active', '=', true)
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
