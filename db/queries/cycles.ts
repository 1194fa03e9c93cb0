/** Cycles: the open one, by id or month, opening one, and moving it through its phases. */
import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type SqlBool,
  sql,
} from 'kysely';
import type { Db } from '../connect.js';
import type { CycleRow, CyclesTable, Database, Phase } from '../schema.js';
import { firstOrNull } from './shared.js';

type CycleFilter = (eb: ExpressionBuilder<Database, 'cycles'>) => Expression<SqlBool>;

/** The latest cycle by month among those `filter` keeps (any cycle without one), or null. */
export async function latestCycleWhere(db: Db, filter?: CycleFilter): Promise<CycleRow | null> {
  const q = db.selectFrom('cycles').selectAll().orderBy('month', 'desc');
  return firstOrNull(filter ? q.where(filter) : q);
}

/**
 * The open cycle: the latest month whose phase is not `closed`, or null. The one definition
 * of "the open cycle": commands and services (services/cycles.ts getOpenCycle), and the
 * worker's daily recompute. The phase is the cycle's state; closed_at only records when it
 * entered `closed`.
 */
export async function openCycle(db: Db): Promise<CycleRow | null> {
  return latestCycleWhere(db, (eb) => eb('phase', '<>', 'closed'));
}

export async function cycleOfMonth(db: Db, month: string): Promise<CycleRow | null> {
  return firstOrNull(db.selectFrom('cycles').selectAll().where('month', '=', month));
}

/** Serializes cycle starts until the caller's transaction ends. */
export async function lockCycleStart(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('sopbot.cycle.start'))`.execute(trx);
}

export async function insertCycle(trx: Db, cycle: Insertable<CyclesTable>): Promise<CycleRow> {
  return trx.insertInto('cycles').values(cycle).returningAll().executeTakeFirstOrThrow();
}

/**
 * The cycle's month and phase, its row locked in share mode until the caller's transaction
 * ends: a phase change (`movePhase`, an UPDATE) waits for it, so what the caller writes for an
 * open cycle is committed before the cycle can close. Null when there is no such cycle.
 */
export async function lockCyclePhase(
  trx: Db,
  cycleId: number,
): Promise<{ month: string; phase: Phase } | null> {
  return firstOrNull(
    trx.selectFrom('cycles').select(['month', 'phase']).where('id', '=', cycleId).forShare(),
  );
}

/**
 * Moves the cycle from `from` to `to` (setting closed_at when `to` is closed); null when the
 * cycle is no longer in `from`, so a second caller changes nothing.
 */
export async function movePhase(
  db: Db,
  cycleId: number,
  from: Phase,
  to: Phase,
  at: Date,
): Promise<CycleRow | null> {
  return firstOrNull(
    db
      .updateTable('cycles')
      .set({ phase: to, phase_entered_at: at, ...(to === 'closed' ? { closed_at: at } : {}) })
      .where('id', '=', cycleId)
      .where('phase', '=', from)
      .returningAll(),
  );
}

/** Saves the working days per phase (a JSON object) in the workspace's settings row. */
export async function savePhaseDays(
  db: Db,
  teamId: string,
  phaseDays: Record<string, number>,
): Promise<void> {
  await db
    .updateTable('workspace_settings')
    .set({ phase_days: JSON.stringify(phaseDays), updated_at: new Date() })
    .where('team_id', '=', teamId)
    .execute();
}

/** The latest cycle before `month` that adopted a scenario, or null. */
export async function lastAdoptedCycleBefore(db: Db, month: string): Promise<CycleRow | null> {
  return latestCycleWhere(db, (eb) =>
    eb.and([eb('month', '<', month), eb('adopted_scenario_id', 'is not', null)]),
  );
}
