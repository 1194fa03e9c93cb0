import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ImportError, importCsv } from '../../src/import/import-csv.js';
import type { ImportKind } from '../../src/import/kinds.js';
import { auditEntries, useDb } from '../helpers/db.js';

const FAMILIES = `code,name,unit,price,unit_cost,holding_cost,backlog_cost,subcontract_cost,safety_stock
FAM-1,Classic Kettle,units,25,14,0.3,1.5,18,100
FAM-2,"Premium Kettle, 2L",units,40,22,0.45,2.4,,50
`;

function io(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), env },
  };
}

describe('sopbot import', () => {
  const t = useDb();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sopbot-import-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The ImportError an import by U1 of `text` as `kind` is refused with. */
  const refused = (kind: ImportKind, fileName: string, text: string) =>
    importCsv(t.db, { kind, fileName, text, actor: 'U1' }).then(
      () => {
        throw new Error(`${fileName} was imported`);
      },
      (e: unknown) => e as ImportError,
    );

  it('imports families, and the same file twice changes nothing the second time', async () => {
    const importFamilies = (text: string) =>
      importCsv(t.db, { kind: 'families', fileName: 'families.csv', text, actor: 'U_PLANNER' });
    const first = await importFamilies(FAMILIES);
    expect(first).toMatchObject({ rows: 2, inserted: 2, updated: 0, unchanged: 0 });
    const before = await t.db.selectFrom('families').selectAll().orderBy('code').execute();
    expect(before.map((f) => f.name)).toEqual(['Classic Kettle', 'Premium Kettle, 2L']);
    expect(before[1]!.subcontract_cost).toBeNull();

    const second = await importFamilies(FAMILIES);
    expect(second).toMatchObject({ rows: 2, inserted: 0, updated: 0, unchanged: 2 });
    const after = await t.db.selectFrom('families').selectAll().orderBy('code').execute();
    expect(after).toEqual(before);

    const changed = FAMILIES.replace(
      'FAM-1,Classic Kettle,units,25',
      'FAM-1,Classic Kettle,units,26',
    );
    const third = await importFamilies(changed);
    expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });

    // A file with the required columns only: FAM-1's price moves to 27; what the file leaves
    // out (subcontract cost 18, safety stock 100) is kept, not reset to none and 0.
    const short = await importFamilies(
      'code,name,unit,price,unit_cost,holding_cost,backlog_cost\nFAM-1,Classic Kettle,units,27,14,0.3,1.5\n',
    );
    expect(short).toMatchObject({ rows: 1, inserted: 0, updated: 1, unchanged: 0 });
    const kept = await t.db
      .selectFrom('families')
      .select(['price', 'subcontract_cost', 'safety_stock'])
      .where('code', '=', 'FAM-1')
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ price: 27, subcontract_cost: 18, safety_stock: 100 });
    // The same short file again changes nothing.
    expect(
      await importFamilies(
        'code,name,unit,price,unit_cost,holding_cost,backlog_cost\nFAM-1,Classic Kettle,units,27,14,0.3,1.5\n',
      ),
    ).toMatchObject({ updated: 0, unchanged: 1 });
  });

  it('a file with one bad row imports nothing and names that row and column', async () => {
    const sales = [
      'family,period,units,revenue',
      'FAM-1,2026-01,120,3000',
      'FAM-1,2026-13,130,3250',
      'FAM-2,2026-01,80,3200',
    ].join('\n');
    const err = await importCsv(t.db, {
      kind: 'sales',
      fileName: 'sales.csv',
      text: sales,
      actor: 'U_PLANNER',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).problems).toEqual([
      "sales.csv:3: column 'period': must be a month as YYYY-MM (e.g. 2027-03), not '2026-13'",
    ]);
    const count = await t.db
      .selectFrom('sales_history')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('reports every bad row, unknown codes, duplicates and header problems', async () => {
    const sales = [
      'family,period,units,revenue',
      'FAM-1,2026-01,abc,',
      'FAM-9,2026-01,10,',
      'FAM-1,2026-02,-5,',
      'FAM-2,2026-02,5,',
      'FAM-2,2026-02,6,',
    ].join('\r\n');
    const err = await refused('sales', 's.csv', sales);
    // Line 3's unknown family is reported with the field errors, in line order (before: only
    // once lines 2, 4 and 6 were fixed, a second round).
    expect(err.problems).toEqual([
      "s.csv:2: column 'units': must be a number ≥ 0, not 'abc'",
      "s.csv:3: column 'family': unknown family 'FAM-9' (import families first)",
      "s.csv:4: column 'units': must be 0 or more, not '-5'",
      "s.csv:6: column 'family+period': repeats the row on line 5 (FAM-2, 2026-02)",
    ]);
    const unknown = await refused('sales', 'u.csv', 'family,period,units\nFAM-9,2026-01,10\n');
    expect(unknown.problems).toEqual([
      "u.csv:2: column 'family': unknown family 'FAM-9' (import families first)",
    ]);
    const header = await refused('budget', 'b.csv', 'family,month,volume\n');
    expect(header.problems).toContain(
      "b.csv:1: column 'month': is not a column of budget (columns: family, period, volume, revenue)",
    );
    expect(header.problems).toContain("b.csv:1: column 'revenue': is missing from the header");
  });

  it('the first report of a sales file names its unknown family with its field errors', async () => {
    // The audit's file: −5 units, a thousands separator, an unknown family and month 13.
    const sales = [
      'family,period,units',
      'FAM-1,2026-03,-5',
      'FAM-1,2026-04,"1,234"',
      'FAM-99,2026-05,10',
      'FAM-2,2026-13,10',
    ].join('\n');
    const err = await refused('sales', 'sales.csv', sales);
    expect(err.problems).toEqual([
      "sales.csv:2: column 'units': must be 0 or more, not '-5'",
      "sales.csv:3: column 'units': must be a number ≥ 0, without a comma: for '1,234' write 1234 if the comma separates thousands, or 1.234 if it marks the decimals",
      "sales.csv:4: column 'family': unknown family 'FAM-99' (import families first)",
      "sales.csv:5: column 'period': must be a month as YYYY-MM (e.g. 2027-03), not '2026-13'",
    ]);
    expect(err.message).toMatch(/^sales\.csv: nothing was imported; 4 problems:/);
    const stored = await t.db
      .selectFrom('sales_history')
      .select('period')
      .where('period', 'in', ['2026-03', '2026-04', '2026-05'])
      .execute();
    expect(stored).toEqual([]);
    // With a cap of 2 the report keeps the first two by line, the unknown code among them.
    const capped = await importCsv(t.db, {
      kind: 'sales',
      fileName: 'sales.csv',
      text: 'family,period,units\nFAM-99,2026-05,10\nFAM-1,2026-03,-5\nFAM-1,2026-13,1\n',
      actor: 'U1',
      maxErrors: 2,
    }).then(
      () => {
        throw new Error('sales.csv was imported');
      },
      (e: unknown) => e as ImportError,
    );
    expect(capped.problems).toEqual([
      "sales.csv:2: column 'family': unknown family 'FAM-99' (import families first)",
      "sales.csv:3: column 'units': must be 0 or more, not '-5'",
    ]);
    expect(capped.truncated).toBe(true);
  });

  it('requires the workforce parameters of a workforce resource', async () => {
    const text = 'code,name,kind,regular_capacity,initial_workers\nCREW-1,Crew,workforce,1600,10\n';
    const err = await refused('resources', 'r.csv', text);
    expect(err.problems).toContain(
      "r.csv:2: column 'hours_per_worker': is required for a workforce resource",
    );
  });

  it('records who imported what, and when, in the audit log', async () => {
    const rows = await auditEntries(t.db, 'import');
    // The five families imports of the first test; the refused files left none.
    expect(rows.length).toBe(5);
    expect(rows[0]).toMatchObject({ actor: 'U_PLANNER', entity: 'families' });
    expect(rows[0]!.details).toMatchObject({ file: 'families.csv', rows: 2, inserted: 2 });
    expect(rows[1]!.details).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(rows[0]!.at).toBeInstanceOf(Date);
  });

  it('a number out of its range is refused quoting the cell as written', async () => {
    // Before: a bare "must be ≥ 0" / "must be > 0" / "must be a whole number ≥ 1", no value.
    const stock = await refused(
      'inventory',
      'inv.csv',
      'family,period,on_hand,backlog\nFAM-1,2027-01,-12,\nFAM-2,2027-01,5,-0.50\n',
    );
    expect(stock.problems).toEqual([
      "inv.csv:2: column 'on_hand': must be 0 or more, not '-12'",
      "inv.csv:3: column 'backlog': must be 0 or more, not '-0.50'",
    ]);
    const capacity = await refused(
      'capacities',
      'cap.csv',
      'resource,period,capacity,overtime_limit\nLINE-1,2027-01,-1E+3,\n',
    );
    expect(capacity.problems).toEqual([
      "cap.csv:2: column 'capacity': must be 0 or more, not '-1E+3'",
    ]);
    const orders = await refused(
      'orders',
      'o.csv',
      [
        'order_id,line,family,requested_date,shipped_date,ordered_qty,shipped_qty',
        'SO-1,0,FAM-1,2027-01-04,,5,',
        'SO-1,2.5,FAM-1,2027-01-04,,5,',
        'SO-2,1,FAM-1,2027-01-04,,0,',
      ].join('\n'),
    );
    expect(orders.problems).toEqual([
      "o.csv:2: column 'line': must be a whole number, 1 or more, not '0'",
      "o.csv:3: column 'line': must be a whole number, 1 or more, not '2.5'",
      "o.csv:4: column 'ordered_qty': must be above 0, not '0'",
    ]);
  });

  it('refuses a price of 0, in families and in a month', async () => {
    const zero = await refused(
      'families',
      'f.csv',
      'code,name,price,unit_cost,holding_cost,backlog_cost\nFAM-70,Free,0,5,1,2\n',
    );
    expect(zero.problems).toEqual([
      "f.csv:2: column 'price': must be above 0, not '0' (at 0 a lost sale costs nothing, so the plan drops the family's demand)",
    ]);
    const month = await refused(
      'family_costs',
      'fc.csv',
      'family,period,price\nFAM-1,2027-02,0\nFAM-1,2027-03,\n',
    );
    expect(month.problems).toEqual([
      "fc.csv:2: column 'price': must be above 0, not '0' (at 0 a lost sale costs nothing, so the plan drops the family's demand)",
    ]);
  });

  it('imports a unit cost at or above the price, with a warning naming file, line and column', async () => {
    const loss =
      ': every unit made loses money, so the plan may serve none of its demand and count it as lost sales. Imported; if the product is not sold at a loss, correct the file and import it again';
    const families = await importCsv(t.db, {
      kind: 'families',
      fileName: 'families.csv',
      text: [
        'code,name,price,unit_cost,holding_cost,backlog_cost',
        'FAM-71,Loss maker,20,30,1,2',
        'FAM-72,Break even,25,25,1,2',
        'FAM-73,Fine,25,24.99,1,2',
      ].join('\n'),
      actor: 'U1',
    });
    expect(families).toMatchObject({ rows: 3, inserted: 3 });
    expect(families.warnings).toEqual([
      `families.csv:2: column 'unit_cost': 30 is at or above FAM-71's price, 20${loss}`,
      `families.csv:3: column 'unit_cost': 25 is at or above FAM-72's price, 25${loss}`,
    ]);
    // Months: FAM-73 costs 24.99 and sells at 25. A price of 24 below its cost, a cost of 26
    // above its price, a month at 30 with a cost of 26 (fine), and a month that sets neither.
    const months = await importCsv(t.db, {
      kind: 'family_costs',
      fileName: 'family_costs.csv',
      text: [
        'family,period,price,unit_cost,holding_cost',
        'FAM-73,2027-01,24,,',
        'FAM-73,2027-02,,26,',
        'FAM-73,2027-03,30,26,',
        'FAM-71,2027-04,,,3',
      ].join('\n'),
      actor: 'U1',
    });
    expect(months).toMatchObject({ rows: 4, inserted: 4 });
    expect(months.warnings).toEqual([
      `family_costs.csv:2: column 'price': in 2027-01 FAM-73's unit cost, 24.99, is at or above the price, 24${loss}`,
      `family_costs.csv:3: column 'unit_cost': in 2027-02 the unit cost 26 is at or above FAM-73's price, 25${loss}`,
    ]);
    const audited = await auditEntries(t.db, 'import');
    expect(audited.at(-1)!.details).toMatchObject({ file: 'family_costs.csv', warnings: 2 });
  });

  it('seeds a company with the CLI and imports every file it wrote, twice', async () => {
    const out = join(dir, 'company');
    const seed = io({});
    expect(
      await main(
        ['seed', '--families', '30', '--months', '36', '--resources', '6', '--out', out],
        seed.io,
      ),
    ).toBe(0);
    const cli = io({ DATABASE_URL: t.url });
    expect(await main(['import', 'all', out, '--actor', 'cli:test'], cli.io)).toBe(0);
    const text = cli.out.join('');
    expect(text).toMatch(/sales\.csv: sales: 1080 rows \(1080 new/);
    const again = io({ DATABASE_URL: t.url });
    expect(await main(['import', 'all', out], again.io)).toBe(0);
    expect(again.out.join('')).not.toMatch(/[1-9]\d* new|[1-9]\d* updated/);
    const crew = await t.db
      .selectFrom('resources')
      .selectAll()
      .where('kind', '=', 'workforce')
      .execute();
    expect(crew).toHaveLength(1);
    expect(crew[0]!.hours_per_worker).toBe(160);
  });

  it('a bad file through the CLI exits 1 with file:line messages', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'resource,period,capacity\nLINE-1,2027-01,-1\n');
    const cli = io({ DATABASE_URL: t.url });
    expect(await main(['import', 'capacities', file], cli.io)).toBe(1);
    expect(cli.err.join('')).toContain(`${file}:2: column 'capacity': must be 0 or more, not '-1'`);
    expect(await readFile(file, 'utf8')).toContain('LINE-1');
  });

  it('the CLI prints the warnings of a file it imported, and exits 0', async () => {
    const file = join(dir, 'families-loss.csv');
    await writeFile(
      file,
      'code,name,price,unit_cost,holding_cost,backlog_cost\nFAM-80,Loss maker,10,12,1,2\n',
    );
    const cli = io({ DATABASE_URL: t.url });
    expect(await main(['import', 'families', file, '--no-recompute'], cli.io)).toBe(0);
    expect(cli.out.join('')).toContain(`${file}: families: 1 rows (1 new, 0 updated, 0 unchanged)`);
    expect(cli.err.join('')).toBe(
      `${file}: imported, with 1 warning:\n` +
        `${file}:2: column 'unit_cost': 12 is at or above FAM-80's price, 10: every unit made loses money, so the plan may serve none of its demand and count it as lost sales. Imported; if the product is not sold at a loss, correct the file and import it again\n`,
    );
  });

  it('import all of a folder with no file it knows exits 1 and says what it looked for', async () => {
    const empty = join(dir, 'no-known-file');
    await mkdir(empty);
    const cli = io({ DATABASE_URL: t.url });
    // Before: exit 0 and "nothing changed", so a monthly job with a wrong path looked fine.
    expect(await main(['import', 'all', empty], cli.io)).toBe(1);
    expect(cli.err.join('')).toContain(
      `sopbot import all: no file of a known kind in ${empty} (expected names: families.csv,`,
    );
  });

  it('skips the empty rows a spreadsheet leaves; refuses 0x10 as a number', async () => {
    const sales = await importCsv(t.db, {
      kind: 'sales',
      fileName: 'sales.csv',
      text: 'family,period,units\nFAM-1,2026-10,120\n,,\n,,\n',
      actor: 'U_PLANNER',
    });
    // One row: the two rows of empty cells are not rows (before: the file was refused).
    expect(sales).toMatchObject({ rows: 1 });
    const hex = await refused('sales', 'sales.csv', 'family,period,units\nFAM-1,2026-11,0x10\n');
    // Number('0x10') is 16: before, 16 units were stored.
    expect(hex.message).toContain("sales.csv:2: column 'units': must be a number ≥ 0");
  });

  it('names the column of a control character, a value too long and one too large', async () => {
    const header = 'code,name,unit,price,unit_cost,holding_cost,backlog_cost';
    const text = [
      header,
      'FAM-90,Nul\u0000name,units,10,5,1,2',
      `FAM-91,${'x'.repeat(201)},units,10,5,1,2`,
      'FAM-92,Huge,units,1e25,5,1,2',
    ].join('\n');
    const err = await importCsv(t.db, {
      kind: 'families',
      fileName: 'bad.csv',
      text,
      actor: 'U_PLANNER',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).problems).toEqual([
      "bad.csv:2: column 'name': contains a control character (U+0000); remove it",
      "bad.csv:3: column 'name': is too long (201 characters, at most 200): 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'",
      "bad.csv:4: column 'price': must be at most 1,000,000,000,000, not '1e25'",
    ]);
  });

  it('a month, a date or a number written another way is refused with what to write instead', async () => {
    // As spreadsheets and other systems write them; every refusal names the value and the fix.
    const sales = [
      'family,period,units,revenue',
      'FAM-1,2027-1,10,',
      'FAM-1,01/2027,10,',
      'FAM-1,Jan-27,10,',
      'FAM-1,2027-01-15 00:00:00,10,',
      'FAM-1,2027-02,"1,234,567",',
      'FAM-1,2027-03,10,"$1,234.50"',
      'FAM-1,2027-04,1 234,',
      'FAM-1,2027-05,"12,5",',
      'FAM-1,2027-06,"1.234,5",',
      // A month cell formatted as a number: days since 1899-12-30, 46418 is 2027-01-31.
      'FAM-1,46418,10,',
    ].join('\n');
    const err = await refused('sales', 'sales.csv', sales);
    expect(err.problems).toEqual([
      "sales.csv:2: column 'period': must be a month as YYYY-MM: for '2027-1' write 2027-01",
      "sales.csv:3: column 'period': must be a month as YYYY-MM: for '01/2027' write 2027-01",
      "sales.csv:4: column 'period': must be a month as YYYY-MM: for 'Jan-27' write 2027-01 (a spreadsheet saves a date cell as it shows it: format the column as text, or as yyyy-mm, before saving)",
      "sales.csv:5: column 'period': must be a month as YYYY-MM: for '2027-01-15 00:00:00' write 2027-01 (a spreadsheet saves a date cell as it shows it: format the column as text, or as yyyy-mm, before saving)",
      "sales.csv:6: column 'units': must be a number ≥ 0, without thousands separators: for '1,234,567' write 1234567",
      "sales.csv:7: column 'revenue': must be a number ≥ 0, without a currency sign or thousands separators: for '$1,234.50' write 1234.50",
      "sales.csv:8: column 'units': must be a number ≥ 0, without spaces between digits: for '1 234' write 1234",
      "sales.csv:9: column 'units': must be a number ≥ 0, without a comma: for '12,5' write 12.5 (a dot marks the decimals)",
      "sales.csv:10: column 'units': must be a number ≥ 0, without thousands separators: for '1.234,5' write 1234.5 (a dot marks the decimals)",
      "sales.csv:11: column 'period': must be a month as YYYY-MM: for '46418' write 2027-01 if it is a spreadsheet's date number (a date cell formatted as a number: format the column as text, or as yyyy-mm, before saving)",
    ]);
    const orders = [
      'order_id,line,family,requested_date,shipped_date,ordered_qty',
      'SO-1,1,FAM-1,2027-01-15T09:30:00Z,,5',
      'SO-1,2,FAM-1,13/01/2027,,5',
      'SO-1,3,FAM-1,02/01/2027,,5',
      // 46388 days after 1899-12-30 (Excel's and Sheets' day 0) is 2027-01-01.
      'SO-1,4,FAM-1,46388,,5',
      // A date cell as Excel (d-mmm-yy) and Sheets (mmm d, yyyy) show it.
      'SO-1,5,FAM-1,2-Jan-27,,5',
      'SO-1,6,FAM-1,"Jan 2, 2027",,5',
    ].join('\n');
    expect((await refused('orders', 'orders.csv', orders)).problems).toEqual([
      "orders.csv:2: column 'requested_date': must be a date as YYYY-MM-DD, without a time: for '2027-01-15T09:30:00Z' write 2027-01-15",
      "orders.csv:3: column 'requested_date': must be a date as YYYY-MM-DD: for '13/01/2027' write 2027-01-13",
      // 2 January or 1 February: both readings.
      "orders.csv:4: column 'requested_date': must be a date as YYYY-MM-DD: for '02/01/2027' write 2027-01-02 (2 January) or 2027-02-01 (1 February)",
      "orders.csv:5: column 'requested_date': must be a date as YYYY-MM-DD: for '46388' write 2027-01-01 if it is a spreadsheet's date number (a date cell formatted as a number: format the column as text, or as yyyy-mm-dd, before saving)",
      "orders.csv:6: column 'requested_date': must be a date as YYYY-MM-DD: for '2-Jan-27' write 2027-01-02 (a spreadsheet saves a date cell as it shows it: format the column as text, or as yyyy-mm-dd, before saving)",
      "orders.csv:7: column 'requested_date': must be a date as YYYY-MM-DD: for 'Jan 2, 2027' write 2027-01-02 (a spreadsheet saves a date cell as it shows it: format the column as text, or as yyyy-mm-dd, before saving)",
    ]);
    // 2027-01-06 is a Wednesday (2027-01-01 is a Friday): its week starts on Monday 2027-01-04.
    const weekly = await refused(
      'weekly-sales',
      'weekly-sales.csv',
      'family,week,units\nFAM-1,2027-01-06,5\n',
    );
    expect(weekly.problems).toEqual([
      "weekly-sales.csv:2: column 'week': must be the Monday that starts the week: 2027-01-06 is a Wednesday, its week's Monday is 2027-01-04",
    ]);
  });

  it('refuses a file of a header alone, saying what to do', async () => {
    // An empty tab saved as CSV: it said "the file has a header but no rows" and no more.
    for (const text of ['family,period,units\n', 'family,period,units\r\n,,\r\n,,\r\n']) {
      const err = await refused('sales', 'sales.csv', text);
      expect(err.problems).toEqual([
        'sales.csv:1: the file has a header but no rows: add its rows, or leave the file out (an import changes nothing it has no row for)',
      ]);
    }
  });

  it('names a character that shows as nothing in the cell it quotes', async () => {
    // A zero-width space (U+200B), as text pasted from a web page brings: the refusals quoted
    // 'FAM-1' and '25', which look right, and did not say what to delete.
    const err = await refused(
      'families',
      'families.csv',
      'code,name,price,unit_cost,holding_cost,backlog_cost\nFAM\u200b-1,Kettle,25\u200b,14,0.3,1.5\n',
    );
    const note = '(<U+…> is a character that shows as nothing: delete it)';
    expect(err.problems).toEqual([
      `families.csv:2: column 'code': must be a code of letters, digits, - _ or . (e.g. FAM-12), not 'FAM<U+200B>-1' ${note}`,
      `families.csv:2: column 'price': must be a number > 0, not '25<U+200B>' ${note}`,
    ]);
  });

  it('a yes or no, a resource kind, a code and a value too long are refused quoting the cell', async () => {
    // Before: a bare "must be yes or no", "must be one of line, workforce, supplier, storage",
    // "must be a code of letters, digits, - _ or . (e.g. FAM-12)", "must be at most 64
    // characters" and "is too long (at most 32 characters)", no value, no fix.
    const longCode = `L${'0'.repeat(69)}`; // 70 characters
    const resources = [
      'code,name,kind,unit,regular_capacity,integer_workers',
      'LINE 2,Line two,line,,100,',
      'LINE/3,Line three,line,,100,',
      'LINE-4,Line four,Lines,,100,',
      'LINE-5,Line five,S,,100,',
      'LINE-6,Line six,line,,100,On',
      'LINE-7,Line seven,line,,100,x',
      'WH-8,Warehouse,warehouse,,100,',
      'SUP-9,Supplier,sup,,100,',
      `${longCode},Long,line,,100,`,
      `LINE-10,Line ten,line,${'h'.repeat(33)},100,`,
    ].join('\n');
    const err = await refused('resources', 'r.csv', resources);
    expect(err.problems).toEqual([
      // A space: the same code with '-'.
      "r.csv:2: column 'code': must be a code of letters, digits, - _ or . (e.g. FAM-12): for 'LINE 2' write LINE-2",
      // '/' could be '-', '_' or '.': no fix offered.
      "r.csv:3: column 'code': must be a code of letters, digits, - _ or . (e.g. FAM-12), not 'LINE/3'",
      "r.csv:4: column 'kind': must be one of line, workforce, supplier, storage: for 'Lines' write line",
      // 'S' starts supplier and storage: neither is offered.
      "r.csv:5: column 'kind': must be one of line, workforce, supplier, storage, not 'S'",
      "r.csv:6: column 'integer_workers': must be yes or no: for 'On' write yes",
      // 'x' is a tick in a box or a cross: no fix offered.
      "r.csv:7: column 'integer_workers': must be yes or no, not 'x'",
      "r.csv:8: column 'kind': must be one of line, workforce, supplier, storage: for 'warehouse' write storage",
      "r.csv:9: column 'kind': must be one of line, workforce, supplier, storage: for 'sup' write supplier",
      // Quoted as 39 characters and '…'.
      `r.csv:10: column 'code': is too long (70 characters, at most 64): 'L${'0'.repeat(38)}…'`,
      "r.csv:11: column 'unit': is too long (33 characters, at most 32): 'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh'",
    ]);
    // What the refusals say to write is imported.
    const fixed = [
      'code,name,kind,regular_capacity,integer_workers',
      'LINE-2,Line two,line,100,',
      'LINE-4,Line four,line,100,',
      'LINE-6,Line six,line,100,yes',
      'WH-8,Warehouse,storage,100,',
      'SUP-9,Supplier,supplier,100,',
    ].join('\n');
    await importCsv(t.db, { kind: 'resources', fileName: 'r.csv', text: fixed, actor: 'U1' });
    const rows = await t.db
      .selectFrom('resources')
      .select(['code', 'kind'])
      .where('code', 'in', ['LINE-2', 'LINE-4', 'LINE-6', 'WH-8', 'SUP-9'])
      .orderBy('code')
      .execute();
    expect(rows).toEqual([
      { code: 'LINE-2', kind: 'line' },
      { code: 'LINE-4', kind: 'line' },
      { code: 'LINE-6', kind: 'line' },
      { code: 'SUP-9', kind: 'supplier' },
      { code: 'WH-8', kind: 'storage' },
    ]);
  });

  it('a family or resource written with spaces is told the code only if that code exists', async () => {
    // FAM-1 and FAM-2 (the first test) and LINE-2, SUP-9 (the test above) exist; FAM-400,
    // LINE-77 and SUP-77 do not. Before: each was told "for 'FAM 400' write FAM-400", looked
    // up or not.
    const codes = async (table: 'families' | 'resources') =>
      (await t.db.selectFrom(table).select('code').execute()).map((r) => r.code);
    expect(await codes('families')).toEqual(expect.arrayContaining(['FAM-1', 'FAM-2']));
    expect(await codes('families')).not.toContain('FAM-400');
    expect(await codes('resources')).toEqual(expect.arrayContaining(['LINE-2', 'SUP-9']));
    expect(await codes('resources')).not.toContain('LINE-77');
    expect(await codes('resources')).not.toContain('SUP-77');
    const sales = [
      'family,period,units',
      'FAM 1,2027-01,5',
      'fam 2,2027-01,5',
      'FAM 400,2027-01,5',
      'FAM/1,2027-01,5',
    ].join('\n');
    expect((await refused('sales', 'sales.csv', sales)).problems).toEqual([
      "sales.csv:2: column 'family': must be a code of letters, digits, - _ or . (e.g. FAM-12): for 'FAM 1' write FAM-1",
      // In another case: the code as it is stored.
      "sales.csv:3: column 'family': must be a code of letters, digits, - _ or . (e.g. FAM-12): for 'fam 2' write FAM-2",
      "sales.csv:4: column 'family': unknown family 'FAM 400': a code has no spaces, and there is no family FAM-400 either (import families first)",
      // No reading with '-' alone: refused by the field check, as before.
      "sales.csv:5: column 'family': must be a code of letters, digits, - _ or . (e.g. FAM-12), not 'FAM/1'",
    ]);
    const capacities = 'resource,period,capacity\nLINE 2,2027-01,100\nLINE 77,2027-01,100\n';
    expect((await refused('capacities', 'capacities.csv', capacities)).problems).toEqual([
      "capacities.csv:2: column 'resource': must be a code of letters, digits, - _ or . (e.g. FAM-12): for 'LINE 2' write LINE-2",
      "capacities.csv:3: column 'resource': unknown resource 'LINE 77': a code has no spaces, and there is no resource LINE-77 either (import resources first)",
    ]);
    const receipts =
      'supplier,week,expected,received\nSUP 9,2027-01-04,10,10\nSUP 77,2027-01-04,10,10\n';
    expect((await refused('receipts', 'receipts.csv', receipts)).problems).toEqual([
      "receipts.csv:2: column 'supplier': must be a code of letters, digits, - _ or . (e.g. FAM-12): for 'SUP 9' write SUP-9",
      "receipts.csv:3: column 'supplier': unknown supplier 'SUP 77': a code has no spaces, and there is no supplier SUP-77 either (import resources first)",
    ]);
  });

  it('N/A, a dash for a minus, brackets, full-width digits and a % are refused saying what is true of the column', async () => {
    // Before: each got "must be a number ≥ 0, not '…'" alone; "12%" in units got "write 0.12".
    const sales = [
      'family,period,units,revenue',
      'FAM-1,2027-01,N/A,',
      'FAM-1,2027-02,10,n/a',
      'FAM-1,2027-03,-,',
      'FAM-1,2027-04,(120),',
      'FAM-1,2027-05,–120,',
      'FAM-1,2027-06,１２０,',
      'FAM-1,2027-07,12%,',
      'FAM-1,2027-08,"1,2E+03",',
      // The minus sign sopbot writes is a minus: a negative, which units refuse.
      'FAM-1,2027-09,−5,',
      // French Excel groups thousands with a narrow no-break space.
      'FAM-1,2027-10,1\u202f200,',
    ].join('\n');
    expect((await refused('sales', 'sales.csv', sales)).problems).toEqual([
      "sales.csv:2: column 'units': must be a number ≥ 0, not 'N/A': write 0 if there is none",
      "sales.csv:3: column 'revenue': must be a number ≥ 0, not 'n/a': leave the cell empty for no value (it then takes the column's default)",
      "sales.csv:4: column 'units': must be a number ≥ 0, not '-': write 0 if there is none",
      "sales.csv:5: column 'units': must be 0 or more, not '(120)': it is an accounting negative (a number in brackets), -120",
      "sales.csv:6: column 'units': must be 0 or more, not '–120': it uses an en dash (–) for a minus sign, -120",
      "sales.csv:7: column 'units': must be a number ≥ 0: '１２０' is written in full-width characters; write 120",
      "sales.csv:8: column 'units': must be a number ≥ 0, not '12%': the column is not a percentage, so it takes no %",
      "sales.csv:9: column 'units': must be a number ≥ 0, without a comma: for '1,2E+03' write 1.2E+03 (a dot marks the decimals)",
      "sales.csv:10: column 'units': must be 0 or more, not '−5'",
      "sales.csv:11: column 'units': must be a number ≥ 0, without spaces between digits: for '1\u202f200' write 1200",
    ]);
    // A share takes 12% as 0.12; a price, which every row needs, is no 0.
    const families = [
      'code,name,unit,price,unit_cost,holding_cost,backlog_cost,min_stock_share',
      'FAM-1,Kettle,units,25,14,0.3,1.5,12%',
      'FAM-2,Kettle 2,units,N/A,14,0.3,1.5,',
    ].join('\n');
    expect((await refused('families', 'families.csv', families)).problems).toEqual([
      "families.csv:2: column 'min_stock_share': must be a number ≥ 0, without %: for '12%' write 0.12 (a share: 0.1 is 10%)",
      "families.csv:3: column 'price': must be a number > 0, not 'N/A': every row needs one",
    ]);
  });

  it('a number written another way is not told to be written as a value its column refuses', async () => {
    // Before: "-1,234" got "write -1234 if the comma separates thousands, or -1.234 if it
    // marks the decimals", both then refused as below 0; "-5%" got "write -0.05"; "1,5" in an
    // order's line got "write 1.5", not a whole number; "$2,000,000,000,000" got "write
    // 2000000000000", past 10^12.
    const sales = [
      'family,period,units,revenue',
      'FAM-1,2027-01,"-1,234",',
      'FAM-1,2027-02,-5%,',
      'FAM-1,2027-03,10,"$2,000,000,000,000"',
      // 0 or more: both readings stand.
      'FAM-1,2027-04,"1,234",',
    ].join('\n');
    expect((await refused('sales', 'sales.csv', sales)).problems).toEqual([
      "sales.csv:2: column 'units': must be 0 or more, not '-1,234'",
      "sales.csv:3: column 'units': must be a number ≥ 0, not '-5%': the column is not a percentage, so it takes no %",
      "sales.csv:4: column 'revenue': must be at most 1,000,000,000,000, not '$2,000,000,000,000'",
      "sales.csv:5: column 'units': must be a number ≥ 0, without a comma: for '1,234' write 1234 if the comma separates thousands, or 1.234 if it marks the decimals",
    ]);
    const orders = [
      'order_id,line,family,requested_date,shipped_date,ordered_qty',
      'SO-1,"1,5",FAM-1,2027-01-04,,5',
      // A line is whole: 1.234 is not one, so 1234 is the one reading.
      'SO-1,"1,234",FAM-1,2027-01-04,,5',
    ].join('\n');
    expect((await refused('orders', 'orders.csv', orders)).problems).toEqual([
      "orders.csv:2: column 'line': must be a whole number, 1 or more, not '1,5'",
      "orders.csv:3: column 'line': must be a whole number ≥ 1, without a comma: for '1,234' write 1234",
    ]);
  });

  it('a code in another case is refused naming the stored one', async () => {
    const err = await refused('sales', 'sales.csv', 'family,period,units\nfam-1,2027-01,10\n');
    expect(err.problems).toEqual([
      "sales.csv:2: column 'family': unknown family 'fam-1': write FAM-1, as it is stored (a file writes codes exactly)",
    ]);
  });

  it('a family or resource code differing from another only in case is refused, nothing written', async () => {
    // Before: 'fam-1,…' beside the stored FAM-1 answered "1 rows (1 new, …)": two families
    // that /forecast fam-1 and the form could not tell apart.
    const file = join(dir, 'fam2.csv');
    await writeFile(
      file,
      [
        'code,name,price,unit_cost,holding_cost,backlog_cost',
        'fam-1,Classic Kettle,25,14,0.3,1.5',
        'FAM-CASE,Twin A,20,10,1,2',
        'Fam-Case,Twin B,20,10,1,2',
      ].join('\n'),
    );
    const cli = io({ DATABASE_URL: t.url });
    expect(await main(['import', 'families', file, '--no-recompute'], cli.io)).toBe(1);
    const told = cli.err.join('');
    expect(told).toContain(
      `${file}:2: column 'code': 'fam-1' differs from the family FAM-1 only in case; write FAM-1 to update it (codes are matched in any case)`,
    );
    expect(told).toContain(
      `${file}:4: column 'code': 'Fam-Case' differs from FAM-CASE on line 3 only in case; write one row per family (codes are matched in any case)`,
    );
    expect(cli.out.join('')).not.toContain('new');
    // Nothing of the file was written, FAM-CASE (line 3, itself right) included.
    const families = await t.db
      .selectFrom('families')
      .select('code')
      .where((eb) => eb(eb.fn('upper', ['code']), 'in', ['FAM-1', 'FAM-CASE']))
      .execute();
    expect(families.map((f) => f.code)).toEqual(['FAM-1']);

    // Resources alike: R-CASE stored, r-case refused naming it.
    const resources = 'code,name,kind,regular_capacity\nR-CASE,Case line,line,100\n';
    await importCsv(t.db, { kind: 'resources', fileName: 'r.csv', text: resources, actor: 'U1' });
    const err = await refused(
      'resources',
      'resources.csv',
      'code,name,kind,regular_capacity\nr-case,Case line,line,120\n',
    );
    expect(err.problems).toEqual([
      "resources.csv:2: column 'code': 'r-case' differs from the resource R-CASE only in case; write R-CASE to update it (codes are matched in any case)",
    ]);
    const stored = await t.db
      .selectFrom('resources')
      .select(['code', 'regular_capacity'])
      .where((eb) => eb(eb.fn('upper', ['code']), '=', 'R-CASE'))
      .execute();
    expect(stored).toEqual([{ code: 'R-CASE', regular_capacity: 100 }]);
    // The code as stored updates it.
    const update = await importCsv(t.db, {
      kind: 'resources',
      fileName: 'r.csv',
      text: 'code,name,kind,regular_capacity\nR-CASE,Case line,line,120\n',
      actor: 'U1',
    });
    expect(update).toMatchObject({ inserted: 0, updated: 1 });
    // Postgres holds to it too: a second code in another case is refused by its index.
    await expect(
      t.db
        .insertInto('resources')
        .values({ code: 'r-Case', name: 'Twin', kind: 'line', regular_capacity: 1 })
        .execute(),
    ).rejects.toThrow(/resources_code_any_case/);
  });

  it('two imports at once adding one code in two cases: one stands, the other is refused in words', async () => {
    // Both begin before either commits. Unserialised, each read no LINE-TWIN and the second
    // met the unique index on upper(code): Postgres's "duplicate key" error, not a sentence.
    const add = (code: string) =>
      importCsv(t.db, {
        kind: 'resources',
        fileName: `${code}.csv`,
        text: `code,name,kind,regular_capacity\n${code},Twin line,line,100\n`,
        actor: 'U1',
      });
    const [a, b] = await Promise.allSettled([add('LINE-TWIN'), add('line-twin')]);
    const outcomes = [a, b].map((r) => r.status).sort();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const lost = [a, b].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ImportError);
    expect((lost.reason as ImportError).problems).toEqual([
      expect.stringMatching(
        /^(LINE-TWIN|line-twin)\.csv:2: column 'code': '(LINE-TWIN|line-twin)' differs from the resource (LINE-TWIN|line-twin) only in case; write \3 to update it \(codes are matched in any case\)$/,
      ),
    ]);
    const stored = await t.db
      .selectFrom('resources')
      .select('code')
      .where((eb) => eb(eb.fn('upper', ['code']), '=', 'LINE-TWIN'))
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('imports a file whose header and rows end in empty columns, as spreadsheets save them', async () => {
    // Two unnamed columns after revenue, empty in every row; one row one comma short of them.
    const text = 'family,period,units,revenue,,\nFAM-1,2025-01,7.25,70,,\nFAM-2,2025-01,8.5,80,\n';
    const result = await importCsv(t.db, { kind: 'sales', fileName: 's.csv', text, actor: 'U1' });
    expect(result).toMatchObject({ rows: 2, unchanged: 0 });
    const stored = await t.db
      .selectFrom('sales_history as s')
      .innerJoin('families as f', 'f.id', 's.family_id')
      .select(['f.code', 's.units', 's.revenue'])
      .where('s.period', '=', '2025-01')
      .where('f.code', 'in', ['FAM-1', 'FAM-2'])
      .orderBy('f.code')
      .execute();
    expect(stored.map((r) => [r.code, Number(r.units), Number(r.revenue)])).toEqual([
      ['FAM-1', 7.25, 70],
      ['FAM-2', 8.5, 80],
    ]);
    // A value under no column is refused, not dropped.
    const extra = await refused('sales', 'x.csv', 'family,period,units\nFAM-1,2025-02,7,70\n');
    expect(extra.problems).toEqual([
      "x.csv:2: has a value in field 4, after the header's 3 columns (family, period, units): remove it, or name its column",
    ]);
  });
});
