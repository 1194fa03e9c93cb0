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

/**
 * Per active family with sales rows: its first month and how many months it has rows for, and
 * the latest month of any of them (`through`): what `historyGaps` needs to tell which families
 * have months without a row, counted in the database rather than read row by row.
 */
export async function salesMonthSpans(db: Db): Promise<{
  readonly spans: { readonly family: string; readonly first: string; readonly months: number }[];
  readonly through: string | null;
}> {
  const spans = await db
    .selectFrom('sales_history')
    .innerJoin('families', 'families.id', 'sales_history.family_id')
    .select((eb) => [
      'families.code as family',
      eb.fn.min('sales_history.period').as('first'),
      eb.fn.max('sales_history.period').as('last'),
      eb.fn.countAll<number>().as('months'),
    ])
    .where('families.active', '=', true)
    .groupBy('families.code')
    .execute();
  const through = spans.reduce<string | null>(
    (m, s) => (m === null || s.last > m ? s.last : m),
    null,
  );
  return {
    spans: spans.map((s) => ({ family: s.family, first: s.first, months: Number(s.months) })),
    through,
  };
}

/** The months the active families of `codes` have sales rows for. */
export async function salesMonthsOf(
  db: Db,
  codes: readonly string[],
): Promise<{ family: string; period: string }[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('sales_history')
    .innerJoin('families', 'families.id', 'sales_history.family_id')
    .select(['families.code as family', 'sales_history.period'])
    .where('families.active', '=', true)
    .where('families.code', 'in', codes)
    .execute();
}
