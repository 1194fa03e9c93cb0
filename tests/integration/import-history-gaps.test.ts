/**
 * Months a family's sales rows leave out, inside the period the company's history covers.
 * Before: the baseline ran each family's series to its own last row, so FAM-B, whose rows stop
 * at 2026-12 while the company's run to 2027-02, was forecast at its 2026-12 sales (50 a month
 * with the naive method) as though it still sold, 2027-01..02 silently skipped, and its hash
 * did not move when the others' history did; and the import said nothing. Now the series runs
 * to the company's last month, zero-filled, and the sales import warns, naming the months.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { importCsv } from '../../src/import/import-csv.js';
import { explainQuestion } from '../../src/services/explain.js';
import {
  fitBaselines,
  monthlySeries,
  zeroFilledFamilies,
} from '../../src/services/planning-baseline.js';
import { auditEntries, insertCycle, useDb } from '../helpers/db.js';

const FAMILIES = `code,name,price,unit_cost,holding_cost,backlog_cost
FAM-A,Always sells,25,14,0.3,1.5
FAM-B,Stops early,40,22,0.45,2.4
FAM-C,Full history,30,20,0.3,1.5
`;

/** FAM-A and FAM-C sell every month through 2027-01; FAM-B skips 2026-11 and stops at 2026-12. */
const SALES = `family,period,units
FAM-A,2026-09,100
FAM-A,2026-10,110
FAM-A,2026-11,120
FAM-A,2026-12,130
FAM-A,2027-01,140
FAM-B,2026-09,30
FAM-B,2026-10,40
FAM-B,2026-12,50
FAM-C,2026-09,10
FAM-C,2026-10,10
FAM-C,2026-11,10
FAM-C,2026-12,10
FAM-C,2027-01,10
`;

const head = (n: string, through: string) =>
  `${n} months with no row inside the period the sales history covers (through ${through}); ` +
  'the baseline counts those months as zero sales. Imported; if a family did sell in them, add ' +
  'its rows and import again';

describe('sales history with missing months', () => {
  const t = useDb();
  let dir: string;
  let cycleId = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sopbot-gaps-'));
    await importCsv(t.db, {
      kind: 'families',
      fileName: 'families.csv',
      text: FAMILIES,
      actor: 'U1',
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const baseline = (code: string) =>
    t.db
      .selectFrom('baseline_forecasts as b')
      .innerJoin('families as f', 'f.id', 'b.family_id')
      .select(['b.period', 'b.value', 'b.naive'])
      .where('b.cycle_id', '=', cycleId)
      .where('f.code', '=', code)
      .orderBy('b.period')
      .execute();
  const hashOf = async (code: string) =>
    (
      await t.db
        .selectFrom('baseline_models as m')
        .innerJoin('families as f', 'f.id', 'm.family_id')
        .select('m.history_hash')
        .where('m.cycle_id', '=', cycleId)
        .where('f.code', '=', code)
        .executeTakeFirstOrThrow()
    ).history_hash;

  it('the import warns about a gap and rows that stop early, naming the months', async () => {
    const r = await importCsv(t.db, {
      kind: 'sales',
      fileName: 'sales.csv',
      text: SALES,
      actor: 'U1',
    });
    expect(r).toMatchObject({ rows: 13, inserted: 13 });
    expect(r.warnings).toEqual([
      `sales.csv: ${head('1 family has', '2027-01')}`,
      'sales.csv: FAM-B has no row for 2026-11, 2027-01 (2 months), counted as zero sales',
    ]);
    expect(r.warningsTruncated).toBe(false);
    expect((await auditEntries(t.db, 'import')).at(-1)!.details).toMatchObject({
      file: 'sales.csv',
      warnings: 2,
    });
  });

  it('the baseline runs FAM-B to the company’s last month, zero-filled, and forecasts 0', async () => {
    // The series the baseline fits, by hand: 2026-09..2027-01, 2026-11 and 2027-01 as zeros.
    expect(
      monthlySeries(
        [
          { period: '2026-09', units: 30 },
          { period: '2026-10', units: 40 },
          { period: '2026-12', units: 50 },
        ],
        '2027-02',
        '2027-01',
      ),
    ).toEqual({ first: '2026-09', last: '2027-01', y: [30, 40, 0, 50, 0] });
    cycleId = await insertCycle(t.db, {
      month: '2027-02',
      phase: 'demand_review',
      opened_by: 'U1',
    });
    const out = await fitBaselines(t.db, cycleId, { method: 'naive' });
    expect(out).toMatchObject({ fitted: 3, skipped: 0, zeroFilled: 1 });
    const b = await baseline('FAM-B');
    // Before: 50 a month (FAM-B's 2026-12) from 2027-02 on, as though it still sold.
    expect(b[0]?.period).toBe('2027-02');
    expect(b.map((l) => [l.value, l.naive])).toEqual(b.map(() => [0, 0]));
    expect((await baseline('FAM-A')).map((l) => l.value)).toEqual(b.map(() => 140));
    expect(await zeroFilledFamilies(t.db, '2027-02')).toEqual([
      { family: 'FAM-B', months: ['2026-11', '2027-01'] },
    ]);
  });

  it('/sop explain shows FAM-B’s history as the baseline saw it, the missing months as 0', async () => {
    const e = await explainQuestion(t.db, 'FAM-B 2027-02', { cycleMonth: '2027-02' });
    if (e.kind !== 'family') throw new Error(`expected a family answer, got ${e.kind}`);
    // By hand: 2026-09 30, 2026-10 40, 2026-11 none (0), 2026-12 50, 2027-01 none (0).
    expect(e.months[0]?.history).toEqual([
      { period: '2026-09', units: 30 },
      { period: '2026-10', units: 40 },
      { period: '2026-11', units: 0 },
      { period: '2026-12', units: 50 },
      { period: '2027-01', units: 0 },
    ]);
  });

  it('when the others’ history moves on, FAM-B’s hash changes and it is refitted', async () => {
    await t.db.updateTable('cycles').set({ phase: 'closed' }).where('id', '=', cycleId).execute();
    cycleId = await insertCycle(t.db, {
      month: '2027-03',
      phase: 'demand_review',
      opened_by: 'U1',
    });
    expect(await fitBaselines(t.db, cycleId, { method: 'naive' })).toMatchObject({ fitted: 3 });
    const before = await hashOf('FAM-B');
    // February's file has FAM-A only: the company's history now runs to 2027-02.
    const feb = await importCsv(t.db, {
      kind: 'sales',
      fileName: 'sales-feb.csv',
      text: 'family,period,units\nFAM-A,2027-02,150\n',
      actor: 'U1',
    });
    expect(feb.warnings).toEqual([
      `sales-feb.csv: ${head('2 families have', '2027-02')}`,
      'sales-feb.csv: FAM-B has no row for 2026-11, 2027-01..2027-02 (3 months), counted as zero sales',
      'sales-feb.csv: FAM-C has no row for 2027-02 (1 month), counted as zero sales',
    ]);
    // Before: { fitted: 1, skipped: 2 }, FAM-B and FAM-C kept as fitted on January's history.
    expect(await fitBaselines(t.db, cycleId, { method: 'naive' })).toMatchObject({
      fitted: 3,
      skipped: 0,
      zeroFilled: 2,
    });
    expect(await hashOf('FAM-B')).not.toBe(before);
    const after = await hashOf('FAM-B');
    // FAM-C's February arrives: only FAM-C's series changed.
    const c = await importCsv(t.db, {
      kind: 'sales',
      fileName: 'sales-c.csv',
      text: 'family,period,units\nFAM-C,2027-02,11\n',
      actor: 'U1',
    });
    expect(c.warnings).toEqual([
      `sales-c.csv: ${head('1 family has', '2027-02')}`,
      'sales-c.csv: FAM-B has no row for 2026-11, 2027-01..2027-02 (3 months), counted as zero sales',
    ]);
    expect(await fitBaselines(t.db, cycleId, { method: 'naive' })).toMatchObject({
      fitted: 1,
      skipped: 2,
      zeroFilled: 1,
    });
    expect(await hashOf('FAM-B')).toBe(after);
    expect((await baseline('FAM-C')).map((l) => l.value)[0]).toBe(11);
  });

  it('the CLI prints the warnings under the file’s result line, and exits 0', async () => {
    const file = join(dir, 'sales.csv');
    await writeFile(file, 'family,period,units\nFAM-C,2027-03,12\n');
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => err.push(s),
      env: { DATABASE_URL: t.url },
    };
    expect(await main(['import', 'sales', file, '--no-recompute'], io)).toBe(0);
    expect(out.join('')).toContain(`${file}: sales: 1 rows (1 new, 0 updated, 0 unchanged)`);
    expect(err.join('')).toBe(
      `${file}: imported, with 3 warnings:\n` +
        `${file}: ${head('2 families have', '2027-03')}\n` +
        `${file}: FAM-A has no row for 2027-03 (1 month), counted as zero sales\n` +
        `${file}: FAM-B has no row for 2026-11, 2027-01..2027-03 (4 months), counted as zero sales\n`,
    );
  });
});
