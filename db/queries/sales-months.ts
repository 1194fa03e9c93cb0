import type { Db } from '../connect.js';
import { inCodeOrder } from './shared.js';

/** The months each active family has a sales row for, by family code. */
export async function salesMonths(db: Db): Promise<{ family: string; period: string }[]> {
  return db
    .selectFrom('sales_history')
    .innerJoin('families', 'families.id', 'sales_history.family_id')
    .select(['families.code as family', 'sales_history.period'])
    .where('families.active', '=', true)
    .orderBy(inCodeOrder('families.code'))
    .orderBy('sales_history.period')
    .execute();
}
