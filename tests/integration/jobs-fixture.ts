/**
 * Shared setup of the jobs and worker tests (and bench/pipeline): a seeded company imported
 * through the real CSV import, one open cycle, and the workspace channels of the stand-in.
 */
import type { Db } from '../../db/connect.js';
import type { Company } from '../../src/core/company.js';
import { addMonths } from '../../src/core/period.js';
import { toCsv } from '../../src/csv/format.js';
import { importCsv } from '../../src/import/import-csv.js';
import { companyToRows, IMPORT_ORDER, KIND_SPECS } from '../../src/import/kinds.js';
import { getSettings, updateSettings } from '../../src/services/settings.js';

export const CHANNELS = { demand: 'C_DEMAND', supply: 'C_SUPPLY', exec: 'C_EXEC' } as const;

export async function importCompany(db: Db, company: Company): Promise<void> {
  const rows = companyToRows(company);
  for (const kind of IMPORT_ORDER) {
    const spec = KIND_SPECS[kind];
    if (rows[kind].length === 0) continue;
    const text = toCsv(
      spec.columns,
      rows[kind].map((r) => spec.columns.map((c) => r[c] ?? null)),
    );
    await importCsv(db, { kind, fileName: `${kind}.csv`, text, actor: 'test' });
  }
}

/** Imports the company, opens the cycle after its last actual, and sets the channels. */
export async function setUpCycle(
  db: Db,
  company: Company,
  opts: { horizon?: number } = {},
): Promise<{ cycleId: number; month: string }> {
  await importCompany(db, company);
  const last = company.history.map((h) => h.period).sort().at(-1) ?? '2026-12';
  const month = addMonths(last, 1);
  await getSettings(db);
  await updateSettings(db, {
    demand_channel: CHANNELS.demand,
    supply_channel: CHANNELS.supply,
    exec_channel: CHANNELS.exec,
    ...(opts.horizon ? { horizon_months: opts.horizon } : {}),
  });
  const cycle = await db
    .insertInto('cycles')
    .values({ month, phase: 'demand_review', opened_by: 'U_ALICE' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { cycleId: cycle.id, month };
}
