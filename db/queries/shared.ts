/** Small pieces several query modules share: taking the first row, matching a code. */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';

/** The first row of a query, or null (Kysely's `executeTakeFirst` gives undefined). */
export async function firstOrNull<T>(query: {
  executeTakeFirst(): Promise<T | undefined>;
}): Promise<T | null> {
  return (await query.executeTakeFirst()) ?? null;
}

/** A table's `code` equals `code` without regard to case (families and resources). */
export function codeIs(code: string) {
  return <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>): Expression<SqlBool> =>
    eb(sql<string>`upper(code)`, '=', code.toUpperCase());
}
