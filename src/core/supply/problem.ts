/**
 * The plan file: one whole aggregate-planning problem as JSON (docs/plan-format.md).
 * The zod schema is the single source; docs/schema/plan-problem.schema.json is generated
 * from it by `planProblemJsonSchema()`.
 */
import { z } from 'zod';
import { type Period, periodIndex } from '../period.js';
import {
  cashSettingsSchema,
  scenarioAssumptionsSchema,
  stressSettingsSchema,
} from '../scenarios/schema.js';

const period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month in YYYY-MM form' });
const code = z.string().min(1, { message: 'must not be empty' });
const money = z.number().finite().nonnegative();
const qty = z.number().finite().nonnegative();
const perPeriod = z.record(period, qty);

const family = z
  .object({
    code,
    name: z.string().optional(),
    price: money.default(0).describe('Selling price per unit (revenue, margin).'),
    unitCost: money.describe('Variable cost per unit produced in house (materials...).'),
    holdingCost: money.describe('Cost of one unit in stock at the end of a month.'),
    backlogCost: money.describe('Cost of one unit on backlog at the end of a month.'),
    subcontractCost: money
      .nullable()
      .default(null)
      .describe('Cost per unit bought outside; null = subcontracting impossible.'),
    subcontractLimit: qty.nullable().default(null).describe('Max units subcontracted per month.'),
    lostSalesCost: money
      .nullable()
      .default(null)
      .describe('Cost per unit of demand given up (used only when options.lostSales).'),
    safetyStock: qty.default(0).describe('Units to keep at the end of each month (soft).'),
    initialInventory: qty.default(0),
    initialBacklog: qty.default(0),
    endingInventoryMin: qty.default(0).describe('Inventory required at the end of the horizon.'),
    endingBacklogMax: qty
      .nullable()
      .default(null)
      .describe('Backlog allowed at the end of the horizon; null = no limit.'),
    shelfLifeMonths: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .describe('Months a unit may stay in stock before it must be written off (stress test).'),
  })
  .strict();

const workforce = z
  .object({
    initialWorkers: qty,
    hoursPerWorker: qty.describe('Regular capacity units (hours) one worker gives per month.'),
    costPerWorker: money.describe('Regular-time cost of one worker for one month.'),
    hireCost: money,
    layoffCost: money,
    overtimeHoursPerWorker: qty.default(0),
    minWorkers: qty.nullable().default(null),
    maxWorkers: qty.nullable().default(null),
  })
  .strict();

const resource = z
  .object({
    code,
    name: z.string().optional(),
    unit: z.string().default('h'),
    capacity: qty.default(0).describe('Regular capacity per month (a workforce adds its hours).'),
    capacityByPeriod: perPeriod.default({}).describe('Regular capacity overrides by month.'),
    availabilityByPeriod: perPeriod
      .default({})
      .describe('Factor on regular capacity (workforce hours included) by month; 1 = normal.'),
    overtimeLimit: qty.default(0).describe('Max overtime per month (not for a workforce).'),
    overtimeLimitByPeriod: perPeriod.default({}),
    overtimeCost: money.default(0).describe('Cost per capacity unit of overtime.'),
    workforce: workforce.nullable().default(null),
  })
  .strict();

const load = z.object({ family: code, resource: code, perUnit: qty }).strict();
const demandLine = z
  .object({
    family: code,
    period,
    units: qty,
    p10: qty.optional().describe('10th percentile of demand (stress test); default: units.'),
    p90: qty.optional().describe('90th percentile of demand (stress test); default: units.'),
  })
  .strict();
const frozenLine = z.object({ family: code, period, production: qty }).strict();

const options = z
  .object({
    overtime: z.boolean().default(true).describe('Overtime allowed at all.'),
    subcontracting: z.boolean().default(true).describe('Subcontracting allowed at all.'),
    lostSales: z.boolean().default(false).describe('Demand may be given up at lostSalesCost.'),
    maxBacklog: qty.nullable().default(null).describe('Backlog cap per family and month.'),
    safetyStockPenalty: money.default(0).describe('Cost per unit per month below safety stock.'),
  })
  .strict();

export const planProblemSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().default('plan'),
    source: z.string().optional().describe('Where the data comes from.'),
    currency: z.string().default('USD'),
    periods: z.array(period).min(1, { message: 'needs at least one month' }),
    families: z.array(family).min(1, { message: 'needs at least one family' }),
    demand: z.array(demandLine),
    resources: z.array(resource).default([]),
    loads: z.array(load).default([]),
    frozen: z.array(frozenLine).default([]),
    options: options.default({
      overtime: true,
      subcontracting: true,
      lostSales: false,
      maxBacklog: null,
      safetyStockPenalty: 0,
    }),
    scenarios: z
      .array(scenarioAssumptionsSchema)
      .optional()
      .describe('Scenarios for --scenarios; default: central, cautious and ambitious.'),
    stress: stressSettingsSchema.optional().describe('Sampling of the stress test.'),
    cash: cashSettingsSchema.optional().describe('Payment terms and the excess-stock limit.'),
  })
  .strict();

export type PlanProblem = z.output<typeof planProblemSchema>;
export type PlanProblemInput = z.input<typeof planProblemSchema>;
export type PlanFamily = PlanProblem['families'][number];
export type PlanResource = PlanProblem['resources'][number];

/** A problem file that does not parse; `issues` are `path.to.field: message` lines. */
export class PlanProblemError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`The plan problem is not valid:\n  ${issues.join('\n  ')}`);
    this.name = 'PlanProblemError';
    this.issues = issues;
  }
}

function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** Cross-field checks that zod's shape cannot express: unknown codes, periods, duplicates. */
function crossCheck(p: PlanProblem): string[] {
  const issues: string[] = [];
  const periods = new Set<Period>();
  p.periods.forEach((t, i) => {
    if (periods.has(t)) issues.push(`periods[${i}]: '${t}' appears twice`);
    const prev = p.periods[i - 1];
    if (prev && periodIndex(t) !== periodIndex(prev) + 1)
      issues.push(`periods[${i}]: '${t}' does not follow '${prev}' (months must be consecutive)`);
    periods.add(t);
  });
  const fams = new Set<string>();
  p.families.forEach((f, i) => {
    if (fams.has(f.code)) issues.push(`families[${i}].code: '${f.code}' appears twice`);
    fams.add(f.code);
  });
  const res = new Set<string>();
  p.resources.forEach((r, i) => {
    if (res.has(r.code)) issues.push(`resources[${i}].code: '${r.code}' appears twice`);
    res.add(r.code);
    for (const field of [
      'capacityByPeriod',
      'availabilityByPeriod',
      'overtimeLimitByPeriod',
    ] as const)
      for (const t of Object.keys(r[field]))
        if (!periods.has(t)) issues.push(`resources[${i}].${field}.${t}: not a plan month`);
  });
  const seen = new Set<string>();
  p.demand.forEach((d, i) => {
    if (!fams.has(d.family)) issues.push(`demand[${i}].family: unknown family '${d.family}'`);
    if (!periods.has(d.period))
      issues.push(`demand[${i}].period: '${d.period}' is not a plan month`);
    if (d.p10 !== undefined && d.p10 > d.units)
      issues.push(`demand[${i}].p10: ${d.p10} is above units (${d.units})`);
    if (d.p90 !== undefined && d.p90 < d.units)
      issues.push(`demand[${i}].p90: ${d.p90} is below units (${d.units})`);
    const key = `${d.family}|${d.period}`;
    if (seen.has(key)) issues.push(`demand[${i}]: ${d.family} ${d.period} appears twice`);
    seen.add(key);
  });
  p.loads.forEach((l, i) => {
    if (!fams.has(l.family)) issues.push(`loads[${i}].family: unknown family '${l.family}'`);
    if (!res.has(l.resource)) issues.push(`loads[${i}].resource: unknown resource '${l.resource}'`);
  });
  p.frozen.forEach((f, i) => {
    if (!fams.has(f.family)) issues.push(`frozen[${i}].family: unknown family '${f.family}'`);
    if (!periods.has(f.period))
      issues.push(`frozen[${i}].period: '${f.period}' is not a plan month`);
  });
  const names = new Set<string>();
  (p.scenarios ?? []).forEach((s, i) => {
    if (names.has(s.name)) issues.push(`scenarios[${i}].name: '${s.name}' appears twice`);
    names.add(s.name);
  });
  return issues;
}

/** Parses and checks a plan problem; throws PlanProblemError naming each bad field. */
export function parsePlanProblem(input: unknown): PlanProblem {
  const res = planProblemSchema.safeParse(input);
  if (!res.success) {
    throw new PlanProblemError(
      res.error.issues.map((i) => `${issuePath(i.path) || '(top level)'}: ${i.message}`),
    );
  }
  const issues = crossCheck(res.data);
  if (issues.length > 0) throw new PlanProblemError(issues);
  return res.data;
}

/** The JSON Schema of the plan file, as committed in docs/schema/plan-problem.schema.json. */
export function planProblemJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planProblemSchema, { io: 'input' }),
    title: 'sopbot plan problem',
    description: 'A whole aggregate-planning problem; see docs/plan-format.md.',
  };
}
