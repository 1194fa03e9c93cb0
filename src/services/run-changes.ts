/**
 * What changed in a plan run's inputs since the run before it that people saw (the cycle's
 * previous run whose headline was posted): the families whose demand and the resources whose
 * capacity the two stored problems give differently, the months of each, and who entered the
 * adjustments and capacity updates of those families and resources between the two runs.
 * The figures that moved are the presenter's to compare (`sinceLines`), from the two runs'
 * scenarios.
 */

import type { Db } from '../../db/connect.js';
import {
  changeAuthors,
  earlierRunIds,
  runScenarios,
  shownRun,
} from '../../db/queries/plan-runs.js';
import type { PlanRunRow, PlanScenarioRow } from '../../db/schema.js';
import type { PlanProblem } from '../core/supply/problem.js';
import { postedOf } from '../slack/post-ledger.js';

/** A family's demand or a resource's capacity that differs between the two runs. */
export interface InputChange {
  readonly kind: 'demand' | 'capacity';
  readonly code: string;
  /** The months that differ (all the run's months when a whole-horizon figure did). */
  readonly months: readonly string[];
  /** Slack ids of who entered the change between the runs (none found: an import, a carry). */
  readonly by: readonly string[];
}

export interface RunChanges {
  /** The run compared with. */
  readonly since: string;
  readonly inputs: readonly InputChange[];
  /** The inputs differ (their hash) in something other than demand or capacity. */
  readonly otherInputs: boolean;
  readonly previousScenarios: readonly PlanScenarioRow[];
}

type Resource = PlanProblem['resources'][number];

/** Units by family and month. */
function demandOf(p: PlanProblem): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const d of p.demand) {
    const m = out.get(d.family) ?? new Map<string, number>();
    m.set(d.period, (m.get(d.period) ?? 0) + d.units);
    out.set(d.family, m);
  }
  return out;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The months whose capacity figures differ between two versions of a resource. */
function capacityMonths(a: Resource | undefined, b: Resource | undefined, all: readonly string[]) {
  if (!a || !b) return [...all];
  const months = new Set<string>();
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const x = ra[k];
    const y = rb[k];
    if (same(x, y)) continue;
    const byMonth = (v: unknown) =>
      v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v));
    if (k.endsWith('ByPeriod') || k === 'scheduledReceipts') {
      if (!byMonth(x) || !byMonth(y)) return [...all];
      const px = (x ?? {}) as Record<string, unknown>;
      const py = (y ?? {}) as Record<string, unknown>;
      for (const m of new Set([...Object.keys(px), ...Object.keys(py)]))
        if (!same(px[m], py[m])) months.add(m);
    } else return [...all];
  }
  return all.filter((m) => months.has(m));
}

/** The demand and capacity changes between two stored problems, in the run's code order. */
export function inputChanges(
  before: PlanProblem,
  after: PlanProblem,
): { kind: 'demand' | 'capacity'; code: string; months: string[] }[] {
  const out: { kind: 'demand' | 'capacity'; code: string; months: string[] }[] = [];
  const da = demandOf(before);
  const db = demandOf(after);
  for (const family of new Set([...db.keys(), ...da.keys()])) {
    const x = da.get(family) ?? new Map<string, number>();
    const y = db.get(family) ?? new Map<string, number>();
    const months = after.periods.filter((m) => Math.abs((x.get(m) ?? 0) - (y.get(m) ?? 0)) > 1e-9);
    if (months.length) out.push({ kind: 'demand', code: family, months });
  }
  const ra = new Map(before.resources.map((r) => [r.code, r]));
  for (const r of after.resources) {
    const months = capacityMonths(ra.get(r.code), r, after.periods);
    if (months.length) out.push({ kind: 'capacity', code: r.code, months });
  }
  return out;
}

/** When a run read its inputs, or when it was stored for a run from before that was kept. */
const inputsReadAt = (run: Pick<PlanRunRow, 'created_at' | 'inputs_read_at'>): Date =>
  run.inputs_read_at ?? run.created_at;

/** The ledger key of a run's headline in the executive thread (jobs/post-charts.ts). */
const headlineKey = (id: string): string => `run:${id}:headline`;

/**
 * The run's changes since the cycle's previous run whose headline was posted, or null when
 * there is none (the cycle's first run people see) or the run is outside a cycle.
 */
export async function changesSincePrevious(
  db: Db,
  run: Pick<
    PlanRunRow,
    'id' | 'cycle_id' | 'input_hash' | 'problem' | 'created_at' | 'inputs_read_at'
  >,
): Promise<RunChanges | null> {
  if (run.cycle_id === null) return null;
  // The run before it that people saw: the cycle's latest earlier run whose headline the
  // ledger posted (key `run:<id>:headline`).
  const earlier = await earlierRunIds(db, run.cycle_id, run.id);
  const posted = await postedOf(db, earlier.map(headlineKey));
  const seen = earlier.find((id) => posted.has(headlineKey(id)));
  const prev = seen === undefined ? undefined : await shownRun(db, seen);
  if (!prev) return null;
  // json-columns checked both problems with planProblemSchema as they were read.
  const changed = inputChanges(prev.problem as PlanProblem, run.problem as PlanProblem);
  // Who entered them: the changes each run read, by when it read its inputs (a change entered
  // while the earlier run was solving is older than that run's row but not in it); a run
  // stored before the read time was kept stands on when it was stored.
  const authors = changed.length
    ? await changeAuthors(db, run.cycle_id, inputsReadAt(prev), inputsReadAt(run))
    : [];
  const inputs = changed.map((c) => ({
    ...c,
    by: [
      ...new Set(
        authors
          .filter((a) => a.kind === c.kind && a.code.toLowerCase() === c.code.toLowerCase())
          .map((a) => a.author),
      ),
    ],
  }));
  return {
    since: prev.id,
    inputs,
    otherInputs: inputs.length === 0 && prev.input_hash !== run.input_hash,
    previousScenarios: await runScenarios(db, prev.id),
  };
}
