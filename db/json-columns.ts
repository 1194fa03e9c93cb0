/**
 * The JSONB columns, checked with zod as rows come back from Postgres: a Kysely plugin, so
 * every read (a query module's, a `selectAll()`, a `returning`) is checked in one place and
 * the table types in schema.ts hold for what callers get. A value that breaks its schema
 * (written by hand, or by an older sopbot) fails the read with the column and the field,
 * instead of surfacing later as `undefined` deep inside a chart or a plan.
 *
 * Rows are matched by column name. Every JSONB column here holds an object or an array, so
 * a plain column of another table that shares a name with one (forecast_snapshots.consensus,
 * a number) is told apart by its value and left alone. Values are checked, not transformed:
 * a read returns exactly what was stored.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { z } from 'zod';
import { isDay } from '../src/core/calendar.js';
import { PHASE_ORDER } from '../src/core/cycle.js';
import { isPeriod } from '../src/core/period.js';
import { planProblemSchema } from '../src/core/supply/problem.js';

const phase = z.enum(PHASE_ORDER as [string, ...string[]]);
const month = z.string().refine(isPeriod, 'must be a month as YYYY-MM');
const numbers = z.record(z.string(), z.number());
const spread = z.looseObject({ expected: z.number(), p10: z.number(), p90: z.number() });

/** Each JSONB column by name (table in the comment), with the schema of what sopbot writes. */
export const JSON_COLUMNS: Readonly<Record<string, z.ZodType>> = {
  /** workspace_settings: working days per phase. */
  phase_days: z.partialRecord(phase, z.number().int().nonnegative()),
  /** cycles: each phase's deadline, an ISO instant. */
  deadlines: z.partialRecord(phase, z.string().min(1)),
  /** cycles: each phase's holidays its deadline count stepped over. */
  skipped_holidays: z.partialRecord(
    phase,
    z.array(
      z.object({
        day: z.string().refine(isDay, 'must be a day as YYYY-MM-DD'),
        name: z.string().nullable(),
      }),
    ),
  ),
  /** baseline_models: the fitted model's parameters. */
  params: numbers,
  /** plan_runs: the months planned. */
  periods: z.array(month),
  /** plan_runs: the plan problem as solved. */
  problem: planProblemSchema,
  /** plan_runs: the consensus lines the plan was built on. */
  consensus: z.array(
    z.looseObject({
      family: z.string(),
      period: month,
      baseline: z.number(),
      consensus: z.number(),
      steps: z.array(z.looseObject({})),
    }),
  ),
  /** plan_runs: the overloads the rough-cut check found. */
  capacity_check: z.looseObject({ gaps: z.array(z.looseObject({})) }),
  /** plan_scenarios: cost by component. */
  cost_breakdown: numbers,
  /** plan_scenarios: KPIs (null where one is undefined, e.g. no demand). */
  kpis: z.record(z.string(), z.number().nullable()),
  /** forecast_snapshots: the adjustments that made the consensus of a snapshot. */
  steps: z.array(
    z.looseObject({
      author: z.string(),
      reasonCode: z.string(),
      before: z.number(),
      after: z.number(),
    }),
  ),
  /** plan_scenarios: the scenario against the demand samples (src/core/stress). */
  stress: z.looseObject({
    samples: z.number().int().positive(),
    fillRate: spread,
    margin: spread,
    cashFlow: spread,
    excessInventoryValue: spread,
    peakWorkingCapital: spread,
    cumulativeCash: z.array(z.number()),
    cumulativeCashP10: z.array(z.number()),
    budget: z
      .looseObject({ cumulativeCash: z.array(z.number()), peakWorkingCapital: z.number() })
      .nullable(),
  }),
  /** chart_fingerprints: what a posted chart showed (src/charts/shown.ts `shownForm`). */
  shown: z.looseObject({ title: z.string(), summary: z.string(), spec: z.unknown() }),
  /** audit_log: what the entry is about. */
  details: z.record(z.string(), z.unknown()),
  /** job_outbox: a job's payload (checked against the job contract when it is requested). */
  payload: z.record(z.string(), z.unknown()),
};

export class JsonColumnError extends Error {
  override readonly name = 'JsonColumnError';
}

function check(row: UnknownRow): void {
  for (const [column, value] of Object.entries(row)) {
    const schema = JSON_COLUMNS[column];
    if (!schema || value === null || typeof value !== 'object') continue;
    const r = schema.safeParse(value);
    if (!r.success) {
      const why = r.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`)
        .join('; ');
      throw new JsonColumnError(`JSONB column '${column}' holds an unexpected value: ${why}`);
    }
  }
}

export class JsonColumnsPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) check(row);
    return args.result;
  }
}
