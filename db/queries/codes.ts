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
