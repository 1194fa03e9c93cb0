import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPeriod } from '../core/period.js';
import { toCsv } from '../csv/format.js';
import { UsageError, ValidationError } from '../errors.js';
import { companyToRows, IMPORT_KINDS, KIND_SPECS } from '../import/kinds.js';
import { generateCompany } from '../seed/company.js';
import { parseCommand, valueFlags } from './command.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot seed --out DIR [--families N] [--months M] [--resources R] [--seed S] [--last-actual YYYY-MM]
Writes the import CSVs (families, resources, loads, sales, inventory, budget, capacities) of a
sample company with trend, seasonality, noise, promotions, machine lines and a workforce.
Defaults: 40 families, 48 months of history ending 2026-12, 8 resources, seed 42.`;

function positiveInt(name: string, v: string | undefined, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(
      `--${name}: must be a whole number from 1 to ${max}, got '${v}'\n\n${USAGE}`,
    );
  return n;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(
    argv,
    valueFlags('out', 'families', 'months', 'resources', 'seed', 'last-actual'),
    USAGE,
    io,
  );
  if (!args) return 0;
  const { values } = args;
  if (!values.out)
    throw new UsageError(`--out: required (the folder to write the CSVs to)\n\n${USAGE}`);
  const lastActual = values['last-actual'] ?? '2026-12';
  if (!isPeriod(lastActual))
    throw new UsageError(`--last-actual: must be a month as YYYY-MM, got '${lastActual}'`);
  const company = generateCompany({
    families: positiveInt('families', values.families, 40, 100_000),
    months: positiveInt('months', values.months, 48, 600),
    resources: positiveInt('resources', values.resources, 8, 10_000),
    seed: positiveInt('seed', values.seed, 42, 2 ** 31),
    lastActual,
  });
  const rows = companyToRows(company);
  const out = values.out;
  // A folder that cannot be made or written to (a file of that name, no permission) is named.
  const writing = (path: string) => (err: NodeJS.ErrnoException) => {
    throw new ValidationError(`--out: cannot write ${path} (${err.code ?? err.message})`);
  };
  await mkdir(out, { recursive: true }).catch(writing(out));
  for (const kind of IMPORT_KINDS) {
    // A header-only file would not import: the sample company has no costs by month.
    if (rows[kind].length === 0) continue;
    const spec = KIND_SPECS[kind];
    const file = join(out, spec.file);
    await writeFile(
      file,
      toCsv(
        spec.columns,
        rows[kind].map((r) => spec.columns.map((c) => r[c] ?? null)),
      ),
    ).catch(writing(file));
    io.stdout(`wrote ${file} (${rows[kind].length} rows)\n`);
  }
  return 0;
}
