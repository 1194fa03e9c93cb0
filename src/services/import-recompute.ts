/**
 * After an import: ask for one recompute of the open cycle, through the same `recompute` job
 * that submissions and `/sop plan` use. The planning flow refits a family's baseline only when
 * its history hash changed, so new actuals get a refit and unchanged ones cost nothing.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import type { ImportResult } from '../import/import-csv.js';
import { requestJob } from './outbox.js';

/**
 * Kinds that are actuals of execution only (the review and S&OE read them; no plan input).
 * The production actuals, monthly and weekly, are not among them: the production of the
 * months the DPO still pays for when a plan begins is the bills its cash pays
 * (openingBillsOf in services/planning.ts). Their import asks the recompute always: a run
 * with the same inputs is reused (its input hash), so rows the plan does not read cost a
 * recompute that solves nothing and posts nothing new.
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
