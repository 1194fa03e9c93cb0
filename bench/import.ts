import { performance } from 'node:perf_hooks';
import { companyCsvFiles } from '../src/import/import-company.js';
import { importCsv } from '../src/import/import-csv.js';
import { generateCompany } from '../src/seed/company.js';
import { benchDb, median } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 5);

const company = generateCompany({ families: 200, months: 60, resources: 20 });
// As importCompany does: a kind the seeded company has no rows of (per-period costs, actuals)
// is not a file to import, and the importer refuses a header without rows.
const all = companyCsvFiles(company);
const files = all.filter((f) => f.rows > 0);
const skipped = all.filter((f) => f.rows === 0).map((f) => f.kind);
const totalRows = files.reduce((a, f) => a + f.rows, 0);
const perFile = new Map<string, number[]>(files.map((f) => [f.kind, []]));
const totals: number[] = [];
const reimports: number[] = [];

for (let run = 0; run < RUNS; run++) {
  const bench = await benchDb('import', 2);
  const { db } = bench;
  try {
    const t0 = performance.now();
    for (const f of files) {
      const s = performance.now();
      await importCsv(db, {
        kind: f.kind,
        fileName: `${f.kind}.csv`,
        text: f.text,
        actor: 'bench',
      });
      perFile.get(f.kind)!.push(performance.now() - s);
    }
    totals.push(performance.now() - t0);
    const t1 = performance.now();
    for (const f of files)
      await importCsv(db, {
        kind: f.kind,
        fileName: `${f.kind}.csv`,
        text: f.text,
        actor: 'bench',
      });
    reimports.push(performance.now() - t1);
  } finally {
    await bench.drop();
  }
}

console.log(
  `bench/import: company of 200 families, 60 months, 20 resources: ${totalRows} rows in ${files.length} files, ${RUNS} runs`,
);
if (skipped.length > 0)
  console.log(`no rows in the seeded company, not imported: ${skipped.join(', ')}`);
console.log('file         rows   median ms   rows/s');
for (const f of files) {
  const ms = median(perFile.get(f.kind)!);
  console.log(
    `${f.kind.padEnd(11)} ${String(f.rows).padStart(6)} ${ms.toFixed(1).padStart(10)} ${Math.round(
      (f.rows / ms) * 1000,
    )
      .toString()
      .padStart(8)}`,
  );
}
const med = median(totals);
console.log(
  `whole company (fresh database): median ${med.toFixed(0)} ms, ${Math.round((totalRows / med) * 1000)} rows/s (goal: < 2000 ms)`,
);
console.log(`same files again (nothing changes): median ${median(reimports).toFixed(0)} ms`);
