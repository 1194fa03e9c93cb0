/**
 * What decisions disposed of the frozen-zone breaks escalated to their meetings
 * (`break_dispositions`), and which breaks an earlier meeting deferred to a later one.
 */
import type { Db } from '../connect.js';
import type { BreakDispositionsTable } from '../schema.js';
import { deviationsWithActions } from './execution.js';

export type Disposition = BreakDispositionsTable['disposition'];

export async function insertDispositions(
  trx: Db,
  decisionId: string,
  rows: readonly {
    deviationId: string;
    disposition: Disposition;
    note: string | null;
    chosen: boolean;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('break_dispositions')
    .values(
      rows.map((r) => ({
        decision_id: decisionId,
        deviation_id: r.deviationId,
        disposition: r.disposition,
        note: r.note,
        chosen: r.chosen,
      })),
    )
    .execute();
}

/** The dispositions the decisions recorded, each with its break and the break's action. */
export async function dispositionsOfDecisions(db: Db, decisionIds: readonly string[]) {
  if (decisionIds.length === 0) return [];
  return db
    .selectFrom('break_dispositions')
    .innerJoin('deviations', 'deviations.id', 'break_dispositions.deviation_id')
    .leftJoin('actions', 'actions.id', 'deviations.action_id')
    .select([
      'break_dispositions.decision_id',
      'break_dispositions.deviation_id',
      'break_dispositions.disposition',
      'break_dispositions.note',
      'break_dispositions.chosen',
      'deviations.summary',
      'actions.id as action_id',
      'actions.owner',
      'actions.due_date',
      'actions.status',
    ])
    .where('break_dispositions.decision_id', 'in', [...decisionIds])
    .orderBy('deviations.week')
    .orderBy('deviations.id')
    .execute();
}

/**
 * The breaks whose last disposition by a meeting of a cycle before `month` deferred them: the
 * meeting of `month` takes them up again. A later meeting's exception or hold ends that.
 */
export async function breaksDeferredBefore(db: Db, month: string) {
  const last = await db
    .selectFrom('break_dispositions')
    .innerJoin('decisions', 'decisions.id', 'break_dispositions.decision_id')
    .innerJoin('cycles', 'cycles.id', 'decisions.cycle_id')
    .distinctOn('break_dispositions.deviation_id')
    .select(['break_dispositions.deviation_id', 'break_dispositions.disposition'])
    .where('cycles.month', '<', month)
    .orderBy('break_dispositions.deviation_id')
    .orderBy('decisions.decided_at', 'desc')
    .orderBy('decisions.id', 'desc')
    .execute();
  const ids = last.filter((r) => r.disposition === 'defer').map((r) => r.deviation_id);
  if (ids.length === 0) return [];
  return deviationsWithActions(db).where('deviations.id', 'in', ids).execute();
}

/**
 * Each of `deviationIds`' deferrals by meetings of cycles before `month`: the cycles whose
 * newest decision disposing of it deferred it, oldest first, with that decision's note and
 * whether someone chose to defer it (false: the decision chose nothing for it).
 */
export async function deferralsBefore(
  db: Db,
  month: string,
  deviationIds: readonly string[],
): Promise<Map<string, { month: string; note: string | null; chosen: boolean }[]>> {
  const out = new Map<string, { month: string; note: string | null; chosen: boolean }[]>();
  if (deviationIds.length === 0) return out;
  const rows = await db
    .selectFrom('break_dispositions')
    .innerJoin('decisions', 'decisions.id', 'break_dispositions.decision_id')
    .innerJoin('cycles', 'cycles.id', 'decisions.cycle_id')
    .distinctOn(['break_dispositions.deviation_id', 'cycles.month'])
    .select([
      'break_dispositions.deviation_id',
      'break_dispositions.disposition',
      'break_dispositions.note',
      'break_dispositions.chosen',
      'cycles.month',
    ])
    .where('cycles.month', '<', month)
    .where('break_dispositions.deviation_id', 'in', [...deviationIds])
    .orderBy('break_dispositions.deviation_id')
    .orderBy('cycles.month')
    .orderBy('decisions.decided_at', 'desc')
    .orderBy('decisions.id', 'desc')
    .execute();
  for (const r of rows) {
    if (r.disposition !== 'defer') continue;
    const list = out.get(r.deviation_id) ?? [];
    list.push({ month: r.month, note: r.note, chosen: r.chosen });
    out.set(r.deviation_id, list);
  }
  return out;
}

/**
 * The codes of the families whose frozen-zone break the cycle's current (newest) decision
 * granted an exception for: the next cycle's plan does not hold their frozen months to this
 * cycle's adopted plan. A break of no family (a supplier's, most reports) names none.
 */
export async function exceptionFamilies(db: Db, cycleId: number): Promise<string[]> {
  const newest = await db
    .selectFrom('decisions')
    .select('id')
    .where('cycle_id', '=', cycleId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return [];
  const rows = await db
    .selectFrom('break_dispositions')
    .innerJoin('deviations', 'deviations.id', 'break_dispositions.deviation_id')
    .innerJoin('families', 'families.id', 'deviations.family_id')
    .select('families.code')
    .distinct()
    .where('break_dispositions.decision_id', '=', newest.id)
    .where('break_dispositions.disposition', '=', 'exception')
    .execute();
  return rows.map((r) => r.code);
}
