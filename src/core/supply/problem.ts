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
/** A cost that changes by month: each month listed overrides the constant (same unit). */
const costByPeriod = (what: string) =>
  z
    .record(period, money)
    .optional()
    .describe(`${what} by month, overriding the constant for the months listed.`);

const minStock = z
  .object({
    units: qty.optional().describe('Units to keep at the end of every month.'),
    unitsByPeriod: perPeriod.optional().describe('Units by month (overrides `units`).'),
    shareOfNextDemand: qty
      .optional()
      .describe("Cover: this share of next month's demand (0.1 = 10%) at each month end."),
    daysOfDemand: qty
      .optional()
      .describe("Cover: this many days of next month's demand (its units / its calendar days)."),
    demandAfterHorizon: qty
      .optional()
      .describe(
        'Demand of the month after the last plan month, for cover in the last month; default: the last month repeats.',
      ),
  })
  .strict()
  .describe(
    'Hard minimum stock at every month end: the largest of the rules given. Not applied in frozen months.',
  );

const shelfLife = z
  .object({
    periods: z
      .number()
      .int({ message: 'must be a whole number of months' })
      .min(1, { message: 'must be at least 1 month' })
      .describe(
        'Months a unit can be sold in: made in t, it serves demand in t .. t+periods−1, then expires.',
      ),
    expired: z
      .enum(['scrap', 'forbid'])
      .default('scrap')
      .describe(
        "'scrap': expired stock is thrown away at scrapCost; 'forbid': nothing may expire.",
      ),
    scrapCost: money
      .default(0)
      .describe('Cost of disposing of one expired unit (on top of its value).'),
  })
  .strict();

/** A family or a resource: its code, an optional name, then its own fields; no others. */
const named = <S extends z.ZodRawShape>(shape: S) =>
  z.object({ code, name: z.string().optional(), ...shape }).strict();

const family = named({
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
  safetyStockPenalty: money
    .optional()
    .describe(
      "Cost per unit per month below this family's safety stock; default: options.safetyStockPenalty.",
    ),
  initialInventory: qty.default(0),
  initialBacklog: qty.default(0),
  endingInventoryMin: qty.default(0).describe('Inventory required at the end of the horizon.'),
  endingBacklogMax: qty
    .nullable()
    .default(null)
    .describe('Backlog allowed at the end of the horizon; null = no limit.'),
  priceByPeriod: costByPeriod('Price'),
  unitCostByPeriod: costByPeriod('Unit cost'),
  holdingCostByPeriod: costByPeriod('Holding cost'),
  backlogCostByPeriod: costByPeriod('Backlog cost'),
  subcontractCostByPeriod: costByPeriod('Subcontract cost (only where subcontractCost is set)'),
  lostSalesCostByPeriod: costByPeriod('Lost-sales cost'),
  minStock: minStock.optional(),
  shelfLife: shelfLife.optional(),
});

const workforce = z
  .object({
    initialWorkers: qty,
    hoursPerWorker: qty.describe('Regular capacity units (hours) one worker gives per month.'),
    costPerWorker: money.describe('Regular-time cost of one worker for one month.'),
    hireCost: money,
    layoffCost: money,
    overtimeHoursPerWorker: qty
      .nullable()
      .default(0)
      .describe(
        'Overtime one worker may give per month (times availability); null = no per-worker cap.',
      ),
    crewOvertimeLimit: qty
      .optional()
      .describe(
        'Overtime the whole crew may give per month (hours), on top of the per-worker cap.',
      ),
    crewOvertimeLimitByPeriod: perPeriod.optional().describe('Crew overtime limit by month.'),
    minWorkers: qty.nullable().default(null),
    maxWorkers: qty.nullable().default(null),
    hiringFreeze: z
      .boolean()
      .optional()
      .describe(
        "A hiring freeze (a scenario's): no hires after the frozen fence; inside it the crew grows only as far as the frozen production needs in regular time.",
      ),
    costPerWorkerByPeriod: costByPeriod('Cost per worker'),
    hireCostByPeriod: costByPeriod('Hire cost'),
    layoffCostByPeriod: costByPeriod('Layoff cost'),
    integer: z
      .boolean()
      .optional()
      .describe('Whole workers: workers, hires and layoffs are integers (the plan is a MIP).'),
  })
  .strict();

const resource = named({
  unit: z.string().default('h'),
  capacity: qty.default(0).describe('Regular capacity per month (a workforce adds its hours).'),
  capacityByPeriod: perPeriod.default({}).describe('Regular capacity overrides by month.'),
  availabilityByPeriod: perPeriod
    .default({})
    .describe('Factor on regular capacity (workforce hours included) by month; 1 = normal.'),
  overtimeLimit: qty.default(0).describe('Max overtime per month (not for a workforce).'),
  overtimeLimitByPeriod: perPeriod.default({}),
  overtimeCost: money.default(0).describe('Cost per capacity unit of overtime.'),
  overtimeCostByPeriod: costByPeriod('Overtime cost'),
  storage: z
    .boolean()
    .optional()
    .describe(
      'A warehouse: loads count units (or m³) of each family in stock at month end, not production.',
    ),
  leadTime: z
    .number()
    .int({ message: 'must be a whole number of months' })
    .min(0)
    .optional()
    .describe(
      'Supplier: months between an order and its arrival; orders arriving before are fixed.',
    ),
  scheduledReceipts: perPeriod
    .optional()
    .describe(
      'Supplier: capacity units already ordered, arriving in the months inside the lead time (default: the regular capacity).',
    ),
  minOrderQuantity: qty
    .optional()
    .describe('Supplier: each month’s order is either nothing or at least this (a MIP).'),
  workforce: workforce.nullable().default(null),
});

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
    mip: z
      .object({
        timeLimit: z
          .number()
          .positive()
          .default(60)
          .describe('Seconds before the best plan found so far is returned.'),
        relativeGap: z
          .number()
          .min(0)
          .max(1)
          .default(1e-4)
          .describe('Stop when the plan is proven within this share of the best possible.'),
      })
      .strict()
      .optional()
      .describe('How integer plans (whole workers, minimum orders) are solved.'),
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

const FAMILY_BY_PERIOD = [
  'priceByPeriod',
  'unitCostByPeriod',
  'holdingCostByPeriod',
  'backlogCostByPeriod',
  'subcontractCostByPeriod',
  'lostSalesCostByPeriod',
] as const;
const WORKFORCE_BY_PERIOD = [
  'costPerWorkerByPeriod',
  'hireCostByPeriod',
  'layoffCostByPeriod',
  'crewOvertimeLimitByPeriod',
] as const;

type FamilyCostField =
  | 'price'
  | 'unitCost'
  | 'holdingCost'
  | 'backlogCost'
  | 'subcontractCost'
  | 'lostSalesCost';

/** The by-month field of each cost, spelled out: the model looks costs up per family-month. */
const BY_PERIOD = {
  price: 'priceByPeriod',
  unitCost: 'unitCostByPeriod',
  holdingCost: 'holdingCostByPeriod',
  backlogCost: 'backlogCostByPeriod',
  subcontractCost: 'subcontractCostByPeriod',
  lostSalesCost: 'lostSalesCostByPeriod',
} as const satisfies Record<FamilyCostField, `${FamilyCostField}ByPeriod`>;

/** A family's cost or price in a month: the month's override, else the constant. */
export function familyCost(f: PlanFamily, field: FamilyCostField, t: Period): number {
  const rec = f[BY_PERIOD[field]];
  const override = rec?.[t];
  if (override !== undefined) return override;
  if (field === 'lostSalesCost') return f.lostSalesCost ?? familyCost(f, 'price', t);
  return f[field] ?? 0;
}

/** The cost per unit-month below a family's safety stock: its own, else the plan's. */
export function safetyPenalty(p: Pick<PlanProblem, 'options'>, f: PlanFamily): number {
  return f.safetyStockPenalty ?? p.options.safetyStockPenalty;
}

/** A resource's overtime cost, or its workforce's costs, in a month. */
export function resourceCost(
  r: PlanResource,
  field: 'overtimeCost' | 'costPerWorker' | 'hireCost' | 'layoffCost',
  t: Period,
): number {
  if (field === 'overtimeCost') return r.overtimeCostByPeriod?.[t] ?? r.overtimeCost;
  const wf = r.workforce;
  if (!wf) return 0;
  return wf[`${field}ByPeriod`]?.[t] ?? wf[field];
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
  const months = (rec: Readonly<Record<string, number>> | undefined, at: string): void => {
    for (const t of Object.keys(rec ?? {}))
      if (!periods.has(t)) issues.push(`${at}.${t}: not a plan month`);
  };
  const fams = new Set<string>();
  p.families.forEach((f, i) => {
    if (fams.has(f.code)) issues.push(`families[${i}].code: '${f.code}' appears twice`);
    fams.add(f.code);
    for (const field of FAMILY_BY_PERIOD) months(f[field], `families[${i}].${field}`);
    months(f.minStock?.unitsByPeriod, `families[${i}].minStock.unitsByPeriod`);
  });
  const res = new Set<string>();
  p.resources.forEach((r, i) => {
    if (res.has(r.code)) issues.push(`resources[${i}].code: '${r.code}' appears twice`);
    res.add(r.code);
    for (const field of [
      'capacityByPeriod',
      'availabilityByPeriod',
      'overtimeLimitByPeriod',
      'overtimeCostByPeriod',
      'scheduledReceipts',
    ] as const)
      months(r[field], `resources[${i}].${field}`);
    if (r.workforce && (r.storage || r.leadTime !== undefined || r.minOrderQuantity !== undefined))
      issues.push(
        `resources[${i}]: a workforce cannot also be a warehouse or a supplier (storage, leadTime, minOrderQuantity)`,
      );
    if (r.storage && (r.leadTime !== undefined || r.minOrderQuantity !== undefined))
      issues.push(`resources[${i}]: a warehouse (storage) has no leadTime or minOrderQuantity`);
    if (r.workforce)
      for (const field of WORKFORCE_BY_PERIOD)
        months(r.workforce[field], `resources[${i}].workforce.${field}`);
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
