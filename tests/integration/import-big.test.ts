/**
 * Files bigger than one batch of IMPORT_BATCH rows: written whole, in one transaction (a bad
 * row after batches were written leaves none of them), the problems of a file of many bad rows
 * capped and counted, how far a long import is said at a terminal only, and a file over
 * MAX_IMPORT_BYTES refused before it is read.
 */
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/types.js';
import { main } from '../../src/cli.js';
import { IMPORT_BATCH, type ImportError, importCsv } from '../../src/import/import-csv.js';
import { useDb } from '../helpers/db.js';

/** Month `i` after 1900-01, as YYYY-MM. */
const month = (i: number) =>
  `${1900 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** A production file of FAM-1's months from 1900-01, `units` each; 2,500 rows unless said. */
const production = (units: number, rows = 2500) =>
  ['family,period,units', ...Array.from({ length: rows }, (_, i) => `FAM-1,${month(i)},${units}`)]
    .join('\n')
    .concat('\n');

async function sopbot(argv: readonly string[], io: Omit<CliIo, 'stdout' | 'stderr'>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { ...io, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('a file bigger than one batch', () => {
  const t = useDb();
  let dir: string;
  const env = () => ({ DATABASE_URL: t.url, LOG_LEVEL: 'error' });
  const stored = async () =>
    (await t.db
      .selectFrom('production_actuals')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<number>('units').as('sum')])
      .executeTakeFirstOrThrow()) as { n: string | number; sum: string | number | null };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sopbot-import-big-'));
    await importCsv(t.db, {
      kind: 'families',
      fileName: 'families.csv',
      text: 'code,name,price,unit_cost,holding_cost,backlog_cost\nFAM-1,Kettle,10,5,1,2\n',
      actor: 'U1',
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is written whole, and updated whole when imported again changed', async () => {
    // 2,500 rows: one batch of IMPORT_BATCH (2,000) and one of 500.
    expect(IMPORT_BATCH).toBe(2000);
    const first = await importCsv(t.db, {
      kind: 'production',
      fileName: 'production.csv',
      text: production(3),
      actor: 'U1',
    });
    expect(first).toMatchObject({ rows: 2500, inserted: 2500, updated: 0, unchanged: 0 });
    // 2,500 rows of 3 units: 7,500.
    expect(await stored()).toEqual({ n: '2500', sum: 7500 });
    const again = await importCsv(t.db, {
      kind: 'production',
      fileName: 'production.csv',
      text: production(4),
      actor: 'U1',
    });
    // Every row of both batches takes its new value: 2,500 × 4 = 10,000.
    expect(again).toMatchObject({ rows: 2500, inserted: 0, updated: 2500, unchanged: 0 });
    expect(await stored()).toEqual({ n: '2500', sum: 10000 });
  });

  it('with a bad row after two batches were written leaves none of them', async () => {
    // Row 4,500 (line 4,501) is bad: batches of rows 1-2,000 and 2,001-4,000 were written.
    const text = production(9, 4500).replace(`FAM-1,${month(4499)},9`, `FAM-1,${month(4499)},-1`);
    const err = (await importCsv(t.db, {
      kind: 'production',
      fileName: 'p.csv',
      text,
      actor: 'U1',
    }).catch((e: unknown) => e)) as ImportError;
    expect(err.problems).toEqual(["p.csv:4501: column 'units': must be 0 or more, not '-1'"]);
    // What the test before stored, untouched: 2,500 rows of 4.
    expect(await stored()).toEqual({ n: '2500', sum: 10000 });
  });

  it('of many bad rows lists the first ones and says how many more there are', async () => {
    // 2,500 rows of -1 units: 2,500 problems, the first 3 listed, 2,497 more.
    const err = (await importCsv(t.db, {
      kind: 'production',
      fileName: 'p.csv',
      text: production(-1),
      actor: 'U1',
      maxErrors: 3,
    }).catch((e: unknown) => e)) as ImportError;
    // Before: "3+ problems: … (more problems not shown)", how many unsaid.
    expect(err.message).toBe(
      [
        'p.csv: nothing was imported; the first 3 of 2,500 problems:',
        "p.csv:2: column 'units': must be 0 or more, not '-1'",
        "p.csv:3: column 'units': must be 0 or more, not '-1'",
        "p.csv:4: column 'units': must be 0 or more, not '-1'",
        '(2,497 more problems not shown)',
      ].join('\n'),
    );
    expect(err.total).toBe(2500);
  });

  it('is said to be moving at a terminal, and not in a log', async () => {
    const file = join(dir, 'production.csv');
    await writeFile(file, production(5, 4500));
    // At a terminal (here a line every 0 ms: after each batch), one line per batch of 2,000.
    const tty = await sopbot(['import', 'production', file, '--no-recompute'], {
      env: env(),
      progressEveryMs: 0,
    });
    expect(tty.code).toBe(0);
    const lines = tty.err.split('\n').filter((l) => l.includes('rows checked'));
    expect(lines.map((l) => l.replace(/, [\d.]+ MB of [\d.]+ MB read \(\d+%\)$/, ''))).toEqual([
      `sopbot import: ${file}: 2,000 rows checked`,
      `sopbot import: ${file}: 4,000 rows checked`,
      `sopbot import: ${file}: 4,500 rows checked`,
    ]);
    // The whole file is read by the last line: its size, 100%.
    expect(lines.at(-1)).toMatch(/, ([\d.]+) MB of \1 MB read \(100%\)$/);
    // A pipe or a CI log (no progressEveryMs): nothing but the result.
    const log = await sopbot(['import', 'production', file, '--no-recompute'], { env: env() });
    expect(log.code).toBe(0);
    expect(log.err).toBe('');
  });

  it('over 100 MB is refused before it is read, naming its size and what to do', async () => {
    // A sparse file of 150 MB: its size is on disk at once, its bytes are NULs.
    const file = join(dir, 'sales.csv');
    await writeFile(file, '');
    await truncate(file, 150_000_000);
    const r = await sopbot(['import', 'sales', file, '--no-recompute'], { env: env() });
    expect(r.code).toBe(1);
    // Before: the 150 MB were read and refused as "line 1 holds NUL bytes".
    expect(r.err).toBe(
      `sopbot import: ${file} is 150.0 MB; an import reads files of up to 100.0 MB (about 4 million rows of sales). If it has a row per SKU or customer, sum them to one row per family and month (or week) first; otherwise split it into files under that size (by year, or by family) and import them one after another\n`,
    );
  });
});

describe('the sales history warning, counted in the database', () => {
  const t = useDb();

  it('names the first ten families with gaps, in code order, and counts the rest', async () => {
    // FAM-FULL sells 2027-01..03; G-1..G-12 sell in 2027-01 only, so each lacks 2027-02..03.
    const gs = Array.from({ length: 12 }, (_, i) => `G-${i + 1}`);
    await importCsv(t.db, {
      kind: 'families',
      fileName: 'families.csv',
      text: [
        'code,name,price,unit_cost,holding_cost,backlog_cost',
        ...['FAM-FULL', ...gs].map((c) => `${c},${c},10,5,1,2`),
      ].join('\n'),
      actor: 'U1',
    });
    const r = await importCsv(t.db, {
      kind: 'sales',
      fileName: 's.csv',
      text: [
        'family,period,units',
        'FAM-FULL,2027-01,1',
        'FAM-FULL,2027-02,1',
        'FAM-FULL,2027-03,1',
        ...gs.map((g) => `${g},2027-01,1`),
      ].join('\n'),
      actor: 'U1',
    });
    expect(r.warnings).toEqual([
      's.csv: 12 families have months with no row inside the period the sales history covers (through 2027-03); the baseline counts those months as zero sales. Imported; if a family did sell in them, add its rows and import again',
      // G-1 … G-10 in code order (G-10 after G-9), not G-1, G-10, G-11, G-12, G-2.
      ...gs
        .slice(0, 10)
        .map(
          (g) => `s.csv: ${g} has no row for 2027-02..2027-03 (2 months), counted as zero sales`,
        ),
      's.csv: …and 2 more families with months counted as zero sales',
    ]);
  });
});
