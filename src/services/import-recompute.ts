/**
 * After an import: ask for one recompute of the open cycle, through the same `recompute` job
 * that submissions and `/sop plan` use. The planning flow refits a family's baseline only when
 * its history hash changed, so new actuals get a refit and unchanged ones cost nothing.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { productionChangedSince } from '../../db/queries/execution.js';
import type { CycleRow } from '../../db/schema.js';
import { billRange, productionBearing } from '../core/execution.js';
import type { Period } from '../core/period.js';
import type { ImportResult } from '../import/import-csv.js';
import { requestJob } from './outbox.js';
import { getSettings } from './settings.js';

/**
 * Kinds that are actuals of execution only (the review and S&OE read them; no plan input).
 * The production actuals, monthly and weekly, are not among them: the production of the
 * months the DPO still pays for when a plan begins is the bills its cash pays
 * (openingBillsOf in services/planning.ts). Only the rows of those months, and of the months
 * before them that show a family still producing (billRange), are read, so their import asks
 * the recompute only when it changed such rows (recordProductionRecompute).
 */
const REVIEW_ONLY_KINDS: ReadonlySet<string> = new Set(['orders', 'weekly-sales', 'receipts']);

/**
 * Kinds of the company's calendar: a holiday moves deadlines (of the cycles opened after it)
 * and reminders, not the plan.
 */
const CALENDAR_KINDS: ReadonlySet<string> = new Set(['holidays']);

/** True for a kind that is an input of the plan, so a change to it calls for a new plan. */
export function isPlanInput(kind: string): boolean {
  return !REVIEW_ONLY_KINDS.has(kind) && !CALENDAR_KINDS.has(kind);
}

/** The imports of plan inputs that inserted or updated a row; only these call for a new plan. */
export function changedImports(results: readonly ImportResult[]): readonly ImportResult[] {
  return results.filter((r) => r.inserted + r.updated > 0 && isPlanInput(r.kind));
}

/**
 * The request key of one import run: the files' SHA-256 and their audit entries, both already
 * in the audit log. The same run asking twice (a retry) is one job; a later import of the same
 * content (say, after reverting a file) is a committed change of its own and gets its own run.
 */
export function importRequestKey(cycleId: number, changed: readonly ImportResult[]): string {
  const digest = createHash('sha256')
    .update(changed.map((r) => `${r.kind} ${r.sha256} ${r.auditId}`).join('\n'))
    .digest('hex');
  return `import:c${cycleId}:${digest}`;
}

/**
 * Records the recompute in `trx`'s job outbox (not debounced: the request key makes the job
 * id), so it is not lost when Redis is down: the caller hands it over after the commit, and
 * the relay of any running bot or worker does if that fails. Returns the outbox row's id.
 */
export function recordImportRecompute(
  trx: Db,
  cycleId: number,
  changed: readonly ImportResult[],
): Promise<string> {
  return requestJob(trx, 'recompute', {
    cycleId,
    reason: 'import',
    requestedBy: null,
    requestKey: importRequestKey(cycleId, changed),
  });
}

/** The kinds of the production actuals: the plan reads only the rows its bills need. */
const PRODUCTION_KINDS: ReadonlySet<string> = new Set(['production', 'weekly-production']);

/** Whether every import in `changed` is of production actuals (and there is one). */
export function onlyProduction(changed: readonly ImportResult[]): boolean {
  return changed.length > 0 && changed.every((r) => PRODUCTION_KINDS.has(r.kind));
}

/** Months as one ("2026-11"), or the first to the last ("2025-01 to 2026-10"). */
const monthSpan = (months: readonly Period[]): string =>
  months.length <= 1 ? (months[0] ?? '') : `${months[0]} to ${months.at(-1)}`;

/**
 * After an import of production actuals only, started at `since` (the database's clock):
 * the recompute of `cycle` when the rows it changed bear on the bills its plan opens with
 * (productionBearing: those of the months the DPO pays for, or of the months before them
 * that show a family still producing), recorded in `trx`'s outbox debounced per cycle as
 * submissions are (`recompute-cycle-<id>`, `debounceMs`), so a burst of production imports
 * makes one recompute; none when they do not. `said`: the words for either, ending in what
 * was or was not requested ("production for 2026-11 feeds the plan's cash").
 */
export async function recordProductionRecompute(
  trx: Db,
  cycle: Pick<CycleRow, 'id' | 'month'>,
  since: Date,
  debounceMs: number,
): Promise<{ readonly id: string | null; readonly said: string }> {
  const [changed, settings] = await Promise.all([
    productionChangedSince(trx, since),
    getSettings(trx),
  ]);
  const bearing = productionBearing(
    billRange(cycle.month, settings.dpo_days),
    changed.months,
    changed.weeks,
  );
  const record = () =>
    requestJob(
      trx,
      'recompute',
      { cycleId: cycle.id, reason: 'import', requestedBy: null },
      { debounceMs },
    );
  if (bearing.bills.length > 0)
    return {
      id: await record(),
      said: `production for ${monthSpan(bearing.bills)} feeds the plan's cash`,
    };
  if (bearing.recent.length > 0)
    return {
      id: await record(),
      said: `production for ${monthSpan(bearing.recent)} says which families still make things, whose bills the plan's cash pays`,
    };
  return {
    id: null,
    said:
      bearing.other.length > 0
        ? `production for ${monthSpan(bearing.other)}: no month the plan pays bills for`
        : 'production only of families the plan leaves out (inactive)',
  };
}
