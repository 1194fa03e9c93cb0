/**
 * `/sop status`: where the open cycle stands. Phase and deadlines, who still owes input
 * (sales reps with families that have neither an adjustment nor a no-change declaration
 * this cycle; ops members with open constraints), and the latest plan run.
 */
import type { Db } from '../../db/connect.js';
import { type RepOwing, repsOwingInput } from '../../db/queries/cycle-inputs.js';
import { latestRun } from '../../db/queries/plan-runs.js';
import type { CycleRow, Phase } from '../../db/schema.js';

export interface OpenConstraints {
  readonly userId: string;
  readonly count: number;
}

export interface CycleStatus {
  readonly cycle: Pick<CycleRow, 'id' | 'month' | 'phase' | 'phase_entered_at'>;
  readonly deadlines: Partial<Record<Phase, string>>;
  readonly pendingReps: readonly RepOwing[];
  readonly openConstraints: readonly OpenConstraints[];
  readonly latestRun: {
    readonly id: string;
    readonly createdAt: Date;
    readonly trigger: string;
  } | null;
}

export async function cycleStatus(db: Db, cycle: CycleRow): Promise<CycleStatus> {
  const [pendingReps, constraints, run] = await Promise.all([
    repsOwingInput(db, cycle.id),
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
  return {
    cycle: {
      id: cycle.id,
      month: cycle.month,
      phase: cycle.phase,
      phase_entered_at: cycle.phase_entered_at,
    },
    deadlines: cycle.deadlines,
    pendingReps,
    openConstraints: constraints.map((c) => ({ userId: c.author, count: Number(c.n) })),
    latestRun: run ? { id: run.id, createdAt: run.created_at, trigger: run.trigger } : null,
  };
}
