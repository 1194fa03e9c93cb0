/**
 * S&OP cycles: reading the current one. (The lifecycle — start, advance, close — is built on
 * top of these in the meeting work.)
 */
import type { Db } from '../../db/connect.js';
import type { CycleRow, Phase } from '../../db/schema.js';

export const PHASES: readonly Phase[] = [
  'data_gathering',
  'demand_review',
  'supply_review',
  'pre_sop',
  'executive',
  'closed',
];

export const PHASE_LABEL: Readonly<Record<Phase, string>> = {
  data_gathering: 'Data gathering',
  demand_review: 'Demand review',
  supply_review: 'Supply review',
  pre_sop: 'Pre-S&OP',
  executive: 'Executive S&OP',
  closed: 'Closed',
};

/** The open cycle (the latest month not closed), or null. */
export async function getOpenCycle(db: Db): Promise<CycleRow | null> {
  const row = await db
    .selectFrom('cycles')
    .selectAll()
    .where('phase', '<>', 'closed')
    .orderBy('month', 'desc')
    .executeTakeFirst();
  return row ?? null;
}

export async function getCycle(db: Db, id: number): Promise<CycleRow | null> {
  return (
    (await db.selectFrom('cycles').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
  );
}

export async function getCycleByMonth(db: Db, month: string): Promise<CycleRow | null> {
  return (
    (await db.selectFrom('cycles').selectAll().where('month', '=', month).executeTakeFirst()) ??
    null
  );
}

/** Phases in which sales may still adjust the forecast. */
export function adjustmentsOpen(phase: Phase): boolean {
  return phase === 'data_gathering' || phase === 'demand_review';
}
