/**
 * `/sop status`: where the open cycle stands. Phase and deadlines, who still owes input
 * (sales reps with families that have neither an adjustment nor a no-change declaration
 * this cycle; ops members with open constraints), and the latest plan run.
 */
import type { Db } from '../../db/connect.js';
import { latestRun } from '../../db/queries/plan-runs.js';
import type { CycleRow, Phase } from '../../db/schema.js';

export interface PendingRep {
  readonly userId: string;
  /** Family codes with neither an adjustment nor a no-change declaration from this rep. */
  readonly families: readonly string[];
}

export interface OpenConstraints {
  readonly userId: string;
  readonly count: number;
}

export interface CycleStatus {
  readonly cycle: Pick<CycleRow, 'id' | 'month' | 'phase' | 'phase_entered_at'>;
  readonly deadlines: Partial<Record<Phase, string>>;
  readonly pendingReps: readonly PendingRep[];
  readonly openConstraints: readonly OpenConstraints[];
  readonly latestRun: {
    readonly id: string;
    readonly createdAt: Date;
    readonly trigger: string;
  } | null;
}

export async function cycleStatus(db: Db, cycle: CycleRow): Promise<CycleStatus> {
  const [assignments, adjusted, declared, constraints, run] = await Promise.all([
    db
      .selectFrom('member_families as mf')
      .innerJoin('members as m', 'm.slack_user_id', 'mf.slack_user_id')
      .innerJoin('families as f', 'f.id', 'mf.family_id')
      .select(['m.slack_user_id as userId', 'f.id as familyId', 'f.code'])
      .where('m.role', '=', 'sales')
      .where('f.active', '=', true)
      .orderBy('m.slack_user_id')
      .orderBy('f.code')
      .execute(),
    db
      .selectFrom('forecast_adjustments')
      .select(['author', 'family_id'])
      .distinct()
      .where('cycle_id', '=', cycle.id)
      .where('status', '!=', 'withdrawn')
      .execute(),
    db
      .selectFrom('no_change_declarations')
      .select(['slack_user_id', 'family_id'])
      .where('cycle_id', '=', cycle.id)
      .execute(),
    db
      .selectFrom('capacity_updates as c')
      .innerJoin('members as m', 'm.slack_user_id', 'c.author')
      .select(['c.author', (eb) => eb.fn.countAll<string>().as('n')])
      .where('m.role', '=', 'ops')
      .where('c.is_constraint', '=', true)
      .where('c.status', '=', 'open')
      .where((eb) => eb.or([eb('c.cycle_id', '=', cycle.id), eb('c.cycle_id', 'is', null)]))
      .groupBy('c.author')
      .orderBy('c.author')
      .execute(),
    latestRun(db, cycle.id),
  ]);
  const done = new Set([
    ...adjusted.map((a) => `${a.author}|${a.family_id}`),
    ...declared.map((d) => `${d.slack_user_id}|${d.family_id}`),
  ]);
  const pending = new Map<string, string[]>();
  for (const a of assignments) {
    if (done.has(`${a.userId}|${a.familyId}`)) continue;
    pending.set(a.userId, [...(pending.get(a.userId) ?? []), a.code]);
  }
  return {
    cycle: {
      id: cycle.id,
      month: cycle.month,
      phase: cycle.phase,
      phase_entered_at: cycle.phase_entered_at,
    },
    deadlines: cycle.deadlines,
    pendingReps: [...pending.entries()].map(([userId, families]) => ({ userId, families })),
    openConstraints: constraints.map((c) => ({ userId: c.author, count: Number(c.n) })),
    latestRun: run ? { id: run.id, createdAt: run.created_at, trigger: run.trigger } : null,
  };
}
