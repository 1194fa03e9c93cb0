/**
 * `sopbot import` of a big file, as a user runs it: the CLI in its own process on a database
 * of the bench's own, its families imported first. Prints, over RUNS runs, the median wall
 * time, rows/s and the median of the process's peak RSS (`/usr/bin/time`), for a valid file
 * (imported into an empty table, then the same file again: nothing changes) and, with
 * REPEATS=1, for a file whose every key is written twice (refused).
 *
 *   ROWS=2200000 KIND=sales RUNS=3 npx tsx bench/import-big.ts
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BigKind, writeBigFiles } from './import-big-data.js';
import { benchDb, median } from './lib.js';

const run = promisify(execFile);
const RUNS = Number(process.env.RUNS ?? 3);
const ROWS = Number(process.env.ROWS ?? 500_000);
const KIND = (process.env.KIND ?? 'sales') as BigKind;
const REPEATS = process.env.REPEATS === '1';

interface Measure {
  readonly seconds: number;
  readonly rssMb: number;
  readonly code: number;
  readonly stderr: string;
}

/** `sopbot import <kind> <file>` against `url`: wall seconds, peak RSS, exit code. */
async function sopbotImport(url: string, kind: string, file: string): Promise<Measure> {
  const args = ['-f', '%e %M', 'node', 'src/sopbot.mjs', 'import', kind, file, '--no-recompute'];
  const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' };
  const done = await run('/usr/bin/time', args, { env, maxBuffer: 1 << 26 }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
  const last = done.stderr.trim().split('\n').at(-1) ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  return {
    seconds: seconds ?? Number.NaN,
    rssMb: (kb ?? 0) / 1024,
    code: done.code,
    stderr: done.stderr,
  };
}

const dir = join(tmpdir(), `sopbot-import-big-${process.pid}`);
const files = await writeBigFiles(dir, KIND, ROWS, REPEATS);
const first: Measure[] = [];
const again: Measure[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const bench = await benchDb('import_big', 2);
    try {
      const fam = await sopbotImport(bench.url, 'families', files.families);
      if (fam.code !== 0) throw new Error(`families import failed:\n${fam.stderr}`);
      const m = await sopbotImport(bench.url, KIND, files.file);
      first.push(m);
      if (REPEATS ? m.code === 0 : m.code !== 0)
        throw new Error(`unexpected exit ${m.code}:\n${m.stderr.slice(0, 2000)}`);
      if (!REPEATS) again.push(await sopbotImport(bench.url, KIND, files.file));
      if (i === 0) console.log(m.stderr.trim().split('\n').slice(0, 4).join('\n'));
    } finally {
      await bench.drop();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const line = (what: string, ms: readonly Measure[]) => {
  const s = median(ms.map((m) => m.seconds));
  console.log(
    `${what.padEnd(28)} ${s.toFixed(1).padStart(7)} s ${Math.round(ROWS / s)
      .toString()
      .padStart(9)} rows/s ${median(ms.map((m) => m.rssMb))
      .toFixed(0)
      .padStart(6)} MB peak RSS`,
  );
};
console.log(
  `bench/import-big: sopbot import ${KIND}, ${ROWS} rows (${(files.bytes / 1e6).toFixed(1)} MB, ${files.familyCount} families${REPEATS ? ', every key twice' : ''}), median of ${RUNS} runs`,
);
line(REPEATS ? 'refused' : 'into an empty table', first);
if (!REPEATS) line('same file again', again);
