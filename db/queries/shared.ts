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

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = UPPER.toLowerCase();

/**
 * The order codes are listed in, in SQL: the same order as `compareCodes` (src/core/text.ts,
 * ICU's English collation with digits as numbers) on the codes an import takes
 * (`[A-Za-z0-9_.-]`): FAM-2 before FAM-10, fam-3 between them (case does not count), `_` before
 * `-` before `.` before digits before letters, and where only case tells two codes apart the
 * lower-case one first. Written as a key compared byte by byte: the code in lower case, its
 * punctuation as `!"#`, each run of digits as its number padded to 64 digits, then a space and
 * the code with its case swapped (the tie-break). For listing to a reader, and where a limit
 * cuts the list; never for what must not move (the plan's input hash, ledger keys, the LP's
 * columns). `tests/integration/code-order.test.ts` checks the two agree.
 */
export function inCodeOrder(column: string) {
  const code = sql.ref(column);
  return sql<string>`(
    (select string_agg(case when t.m[1] ~ '^[0-9]' then lpad(ltrim(t.m[1], '0'), 64, '0') else t.m[1] end, '' order by t.n)
       from regexp_matches(translate(lower(${code}), '_-.', '!"#'), '[0-9]+|[^0-9]+', 'g') with ordinality as t(m, n))
    || ' ' || translate(${code}, ${UPPER + LOWER}, ${LOWER + UPPER})
  ) collate "C"`;
}
