/** Small pieces several query modules share: the first row, matching a code, rows by code. */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../connect.js';

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

/**
 * The company's code that `typed` names, matched the way codeIs matches in SQL: the code
 * itself, or else the one equal to it without regard to case; null when there is none. For
 * codes already read into a map (code → id, or code → code), so every entry point that takes
 * a typed family or resource code resolves it as `/forecast` and `/capacity` do.
 */
export function matchCode<T>(
  codes: ReadonlyMap<string, T>,
  typed: string,
): { readonly code: string; readonly value: T } | null {
  const exact = codes.get(typed);
  if (exact !== undefined) return { code: typed, value: exact };
  const want = typed.toUpperCase();
  for (const [code, value] of codes) if (code.toUpperCase() === want) return { code, value };
  return null;
}

/**
 * `make` of each row whose code `codeOf` finds (a family's or a resource's, by id): rows of
 * families or resources left out of a map (inactive ones) are left out.
 */
export function withCode<R, T>(
  rows: readonly R[],
  codeOf: (r: R) => string | undefined,
  make: (code: string, r: R) => T,
): T[] {
  return rows.flatMap((r) => {
    const code = codeOf(r);
    return code ? [make(code, r)] : [];
  });
}

/** `rows` in slices of at most `size`, in order: one statement each for large writes. */
export function* chunksOf<T>(rows: readonly T[], size: number): Generator<readonly T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** True when the database answers a trivial query (the health check's question). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  return sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
}
