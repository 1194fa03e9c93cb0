/**
 * Big import files, as an ERP export makes them: a families file and a valid file of N rows of
 * one kind that can be large (sales, weekly-sales), written line by line so the generator holds
 * no row. Every key (family and month, family and week) is distinct, so the file imports;
 * `repeats` writes each key twice (the rows of an export by SKU and customer), which the import
 * refuses, for the time a big refusal takes.
 *
 *   npx tsx bench/import-big-data.ts --kind sales --rows 2200000 --out /tmp/big [--repeats]
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export type BigKind = 'sales' | 'weekly-sales';

/** Months (sales) or weeks (weekly-sales) of history each family gets. */
const SPAN: Readonly<Record<BigKind, number>> = { sales: 120, 'weekly-sales': 260 };

/** Month `i` after 2000-01, as YYYY-MM. */
const month = (i: number) =>
  `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** Monday `i` weeks after 2020-01-06, as YYYY-MM-DD. */
const monday = (i: number) =>
  new Date(Date.UTC(2020, 0, 6) + i * 7 * 86_400_000).toISOString().slice(0, 10);

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 1 << 16) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, 'finish');
  return bytes;
}

export interface BigFiles {
  readonly families: string;
  readonly file: string;
  readonly familyCount: number;
  readonly rows: number;
  readonly bytes: number;
}

/** families.csv and `<kind>.csv` of `rows` rows in `dir`. */
export async function writeBigFiles(
  dir: string,
  kind: BigKind,
  rows: number,
  repeats = false,
): Promise<BigFiles> {
  await mkdir(dir, { recursive: true });
  const keys = repeats ? Math.ceil(rows / 2) : rows;
  const span = SPAN[kind];
  const familyCount = Math.max(1, Math.ceil(keys / span));
  const families = join(dir, 'families.csv');
  await writeLines(
    families,
    (function* () {
      yield 'code,name,price,unit_cost,holding_cost,backlog_cost\n';
      for (let f = 1; f <= familyCount; f++) yield `FAM-${f},Family ${f},100,60,1,5\n`;
    })(),
  );
  const file = join(dir, `${kind}.csv`);
  const bytes = await writeLines(
    file,
    (function* () {
      yield kind === 'sales' ? 'family,period,units,revenue\n' : 'family,week,units\n';
      let n = 0;
      for (let k = 0; n < rows; k++) {
        const fam = `FAM-${Math.floor(k / span) + 1}`;
        const units = 100 + ((k * 7919) % 900);
        const line =
          kind === 'sales'
            ? `${fam},${month(k % span)},${units},${units * 100}\n`
            : `${fam},${monday(k % span)},${units}\n`;
        for (let r = 0; r < (repeats ? 2 : 1) && n < rows; r++, n++) yield line;
      }
    })(),
  );
  return { families, file, familyCount, rows, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'sales' },
      rows: { type: 'string', default: '100000' },
      out: { type: 'string', default: join(tmpdir(), 'sopbot-big') },
      repeats: { type: 'boolean', default: false },
    },
  });
  const kind = values.kind as BigKind;
  if (!(kind in SPAN)) throw new Error(`--kind: sales or weekly-sales, not ${values.kind}`);
  const f = await writeBigFiles(values.out, kind, Number(values.rows), values.repeats);
  console.log(
    `${f.file}: ${f.rows} rows, ${(f.bytes / 1e6).toFixed(1)} MB; ${f.families}: ${f.familyCount} families`,
  );
}
