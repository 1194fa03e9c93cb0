/**
 * The CSV import formats, one per kind: columns, a zod schema per row, and how the sample
 * company maps to rows. docs/data-format.md documents the same columns for people.
 */
import { z } from 'zod';
import { HOLIDAY_NAME_MAX, holidayName, isDay, weekdayOf } from '../core/calendar.js';
import type { Company } from '../core/company.js';
import { isPeriod } from '../core/period.js';
import {
  CODE,
  choiceRefusal,
  codeRefusal,
  dashedCode,
  dayRefusal,
  mondayRefusal,
  monthRefusal,
  type NumberCell,
  numberRefusal,
  quoted,
  tooLongRefusal,
  yesNoRefusal,
} from './advice.js';

/** Every kind, in import order: a kind comes after the kinds its rows refer to. */
export const IMPORT_KINDS = [
  'families',
  'resources',
  'loads',
  'sales',
  'inventory',
  'budget',
  'capacities',
  'family_costs',
  'resource_costs',
  'production',
  'orders',
  'weekly-sales',
  'weekly-production',
  'receipts',
  'holidays',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Accepted aliases on the command line. */
export const KIND_ALIASES: Readonly<Record<string, ImportKind>> = {
  history: 'sales',
  actuals: 'sales',
  capacity: 'capacities',
  family: 'families',
  resource: 'resources',
  load: 'loads',
  'family-costs': 'family_costs',
  'resource-costs': 'resource_costs',
  order: 'orders',
  'order-lines': 'orders',
  'supplier-receipts': 'receipts',
  holiday: 'holidays',
};

/** No quantity, price or capacity in a plan comes near this; a bigger one is a typo. */
const MAX_MAGNITUDE = 1e12;
/** A leading minus may be the minus sign `−` (U+2212), as sopbot's own messages write it. */
const DECIMAL = /^[+\-−]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const decimal = (s: string) => Number(s.replace(/^−/, '-'));

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * A number that must keep within a range: `ok` is the test, `words` what the refusal says it
 * must be ("0 or more"), `why` an optional reason written after the quoted value.
 */
interface Range {
  readonly ok: (n: number) => boolean;
  readonly words: string;
  readonly why?: string;
}

/**
 * A plain number (`what`, as a refusal of its writing names it), within `range` when given.
 * Each refusal quotes the cell as written (`-12.50`, not the number read from it), and the
 * advice for a number written another way offers no reading the range refuses. `cell` says
 * whether the column may be left empty and whether it is a share (`12%` → 0.12), for the
 * advice (`numberRefusal`).
 */
const number = (what = 'a number', range?: Range, cell: NumberCell = {}) => {
  /** Why the column refuses `n`, written `written`; null when it takes it. */
  const refuse = (n: number, written: string) => {
    if (Math.abs(n) > MAX_MAGNITUDE)
      return `must be at most 1,000,000,000,000, not ${quoted(written)}`;
    if (range && !range.ok(n))
      return `must be ${range.words}, not ${quoted(written)}${range.why ? ` ${range.why}` : ''}`;
    return null;
  };
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'is required' })
      .trim()
      // Digits with a decimal point and an exponent (1.5, 1E+12 as spreadsheets write it);
      // not what Number() also reads (0x10, 0b11, Infinity).
      .refine((s) => DECIMAL.test(s) && Number.isFinite(decimal(s)), {
        error: (iss) => numberRefusal(String(iss.input), what, refuse, cell),
        abort: true,
      })
      .superRefine((s, ctx) => {
        const refusal = refuse(decimal(s), s);
        if (refusal) ctx.addIssue({ code: 'custom', message: refusal });
      })
      .transform(decimal),
  );
};
const nonNegative = (cell: NumberCell = {}) =>
  number('a number ≥ 0', { ok: (n) => n >= 0, words: '0 or more' }, cell);
const positive = (why?: string, cell: NumberCell = {}) =>
  number('a number > 0', { ok: (n) => n > 0, words: 'above 0', ...(why ? { why } : {}) }, cell);
/**
 * A selling price: above 0. The price is also what a lost sale costs the plan, so at 0 the plan
 * drops the family's whole demand as lost sales.
 */
const PRICE_WHY = "(at 0 a lost sale costs nothing, so the plan drops the family's demand)";
const price = () => positive(PRICE_WHY);
const optionalPrice = () =>
  z
    .preprocess(blankToUndefined, positive(PRICE_WHY, { optional: true }).optional())
    .transform((v) => v ?? null);
/** A column that may be left empty; `share`: a share written as a fraction (0.1 = 10%). */
const optionalNonNegative = (share = false) =>
  z
    .preprocess(blankToUndefined, nonNegative({ optional: true, share }).optional())
    .transform((v) => v ?? null);
const wholeNumber = (min: number, cell: NumberCell = {}) =>
  number(
    `a whole number ≥ ${min}`,
    { ok: (n) => Number.isInteger(n) && n >= min, words: `a whole number, ${min} or more` },
    cell,
  );
const optionalWholeNumber = (min: number) =>
  z
    .preprocess(blankToUndefined, wholeNumber(min, { optional: true }).optional())
    .transform((v) => v ?? null);
const YES = ['yes', 'true', '1', 'y'];
const NO = ['no', 'false', '0', 'n'];
const optionalBoolean = () =>
  z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .refine((s) => YES.includes(s.toLowerCase()) || NO.includes(s.toLowerCase()), {
          error: (iss) => yesNoRefusal(String(iss.input)),
        })
        .transform((s) => YES.includes(s.toLowerCase()))
        .optional(),
    )
    .transform((v) => v ?? false);
const code = () =>
  z
    .string({ error: 'is required' })
    .trim()
    .min(1, { error: 'is required', abort: true })
    .refine((s) => CODE.test(s), { error: (iss) => codeRefusal(String(iss.input)), abort: true });
/**
 * A column that names a family or resource (a supplier is a resource): a code, or one written
 * with spaces (`FAM 12`), which passes here to be refused once the codes that exist are looked
 * up, with the one it means only if that one exists (spacedCodeRefusal).
 */
const ref = () =>
  z
    .string({ error: 'is required' })
    .trim()
    .min(1, { error: 'is required', abort: true })
    .refine((s) => CODE.test(s) || (s.length <= 64 && dashedCode(s) !== null), {
      error: (iss) => codeRefusal(String(iss.input)),
      abort: true,
    });
const period = () =>
  z
    .string({ error: 'is required' })
    .trim()
    .refine(isPeriod, { error: (iss) => monthRefusal(String(iss.input)) });
const text = (max = 200) =>
  z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .refine((s) => s.length <= max, { error: (iss) => tooLongRefusal(String(iss.input), max) });

/** The unit a quantity is counted in; blank: `dflt`. */
const unit = (dflt: string) =>
  z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .refine((s) => s.length <= 32, { error: (iss) => tooLongRefusal(String(iss.input), 32) })
        .optional(),
    )
    .transform((v) => v ?? dflt);

export const familyRow = z.object({
  code: code(),
  name: text(),
  unit: unit('units'),
  price: price(),
  unit_cost: nonNegative(),
  holding_cost: nonNegative(),
  backlog_cost: nonNegative(),
  subcontract_cost: optionalNonNegative(),
  subcontract_limit: optionalNonNegative(),
  safety_stock: optionalNonNegative().transform((v) => v ?? 0),
  min_stock_units: optionalNonNegative(),
  min_stock_share: optionalNonNegative(true),
  min_stock_days: optionalNonNegative(),
  shelf_life_months: optionalWholeNumber(1),
  scrap_cost: optionalNonNegative(),
});

const RESOURCE_KINDS = ['line', 'workforce', 'supplier', 'storage'] as const;
/** Words for a resource kind with one plain reading. */
const RESOURCE_KIND_WORDS = {
  labour: 'workforce',
  labor: 'workforce',
  crew: 'workforce',
  vendor: 'supplier',
  warehouse: 'storage',
};
export const resourceRow = z
  .object({
    code: code(),
    name: text(),
    kind: z
      .string({ error: 'is required' })
      .trim()
      .refine((s) => (RESOURCE_KINDS as readonly string[]).includes(s.toLowerCase()), {
        error: (iss) => choiceRefusal(String(iss.input), RESOURCE_KINDS, RESOURCE_KIND_WORDS),
        abort: true,
      })
      .toLowerCase()
      .pipe(z.enum(RESOURCE_KINDS)),
    unit: unit('hours'),
    regular_capacity: nonNegative(),
    overtime_limit: optionalNonNegative().transform((v) => v ?? 0),
    overtime_cost: optionalNonNegative().transform((v) => v ?? 0),
    initial_workers: optionalNonNegative(),
    hours_per_worker: optionalNonNegative(),
    cost_per_worker: optionalNonNegative(),
    hire_cost: optionalNonNegative(),
    layoff_cost: optionalNonNegative(),
    overtime_hours_per_worker: optionalNonNegative(),
    min_workers: optionalNonNegative(),
    max_workers: optionalNonNegative(),
    crew_overtime_limit: optionalNonNegative(),
    integer_workers: optionalBoolean(),
    lead_time_months: optionalWholeNumber(0),
    min_order_qty: optionalNonNegative(),
  })
  .superRefine((r, ctx) => {
    if (r.kind !== 'workforce') return;
    for (const k of [
      'initial_workers',
      'hours_per_worker',
      'cost_per_worker',
      'hire_cost',
      'layoff_cost',
    ] as const) {
      if (r[k] === null)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: 'is required for a workforce resource',
        });
    }
  });

export const loadRow = z.object({ family: ref(), resource: ref(), load_per_unit: nonNegative() });
export const salesRow = z.object({
  family: ref(),
  period: period(),
  units: nonNegative(),
  revenue: optionalNonNegative(),
});
export const inventoryRow = z.object({
  family: ref(),
  period: period(),
  on_hand: nonNegative(),
  backlog: optionalNonNegative().transform((v) => v ?? 0),
});
export const budgetRow = z.object({
  family: ref(),
  period: period(),
  volume: nonNegative(),
  revenue: nonNegative(),
});
export const capacityRow = z.object({
  resource: ref(),
  period: period(),
  capacity: nonNegative(),
  overtime_limit: optionalNonNegative(),
});

export const familyCostRow = z.object({
  family: ref(),
  period: period(),
  price: optionalPrice(),
  unit_cost: optionalNonNegative(),
  holding_cost: optionalNonNegative(),
  backlog_cost: optionalNonNegative(),
  subcontract_cost: optionalNonNegative(),
});
export const resourceCostRow = z.object({
  resource: ref(),
  period: period(),
  overtime_cost: optionalNonNegative(),
  cost_per_worker: optionalNonNegative(),
  hire_cost: optionalNonNegative(),
  layoff_cost: optionalNonNegative(),
});

/** Monthly production actuals (plan adherence). */
export const productionRow = z.object({ family: ref(), period: period(), units: nonNegative() });

const day = () =>
  z
    .string({ error: 'is required' })
    .trim()
    .refine(isDay, { error: (iss) => dayRefusal(String(iss.input)) });

/** Customer order lines (fill rate, OTIF): an unshipped line has no shipped_date. */
export const orderRow = z
  .object({
    order_id: code(),
    line: wholeNumber(1),
    family: ref(),
    requested_date: day(),
    shipped_date: z.preprocess(blankToUndefined, day().optional()).transform((v) => v ?? null),
    ordered_qty: positive(),
    shipped_qty: optionalNonNegative().transform((v) => v ?? 0),
  })
  .superRefine((r, ctx) => {
    if (r.shipped_qty > 0 && r.shipped_date === null)
      ctx.addIssue({
        code: 'custom',
        path: ['shipped_date'],
        message: 'is required when shipped_qty is above 0',
      });
  });

/**
 * A Monday. A cell that is no date at all has day()'s refusal alone: this check runs after
 * it all the same (zod goes on past a failed refinement), and is only about real days.
 */
const monday = () =>
  day().refine((s) => !isDay(s) || weekdayOf(s) === 1, {
    error: (iss) => mondayRefusal(String(iss.input)),
  });

/** Weekly actuals of S&OE: sales or production of a family in the week starting that Monday. */
export const weeklyRow = z.object({ family: ref(), week: monday(), units: nonNegative() });

/** Supplier receipts of a week: what was due from a supplier resource and what arrived. */
export const receiptRow = z.object({
  supplier: ref(),
  week: monday(),
  expected: nonNegative(),
  received: nonNegative(),
});

/**
 * The company's holidays (`/sop cycle holidays add`, a file at a time): a day as YYYY-MM-DD,
 * refused with the command's advice for one written another way (`dayRefusal`), and an optional
 * name read as the command reads it (`holidayName`), of at most HOLIDAY_NAME_MAX characters.
 */
export const holidayRow = z.object({
  date: day(),
  name: z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .transform(holidayName)
        .refine((s) => s === null || s.length <= HOLIDAY_NAME_MAX, {
          error: (iss) => tooLongRefusal(String(iss.input), HOLIDAY_NAME_MAX),
        })
        .optional(),
    )
    .transform((v) => v ?? null),
});

export interface KindSpec {
  readonly kind: ImportKind;
  readonly file: string;
  readonly schema: z.ZodType<Record<string, unknown>>;
  /** Columns, required first. */
  readonly columns: readonly string[];
  readonly required: readonly string[];
  /** Columns that make the natural key; a file may not repeat a key. */
  readonly key: readonly string[];
  /**
   * What each row is, for a kind whose rows are families or resources keyed by their `code`:
   * commands and forms read a code in any case, so no two codes may differ only in case, in
   * the file or against the stored ones. Undefined for the other kinds (an order's id is
   * matched as written).
   */
  readonly coded?: 'family' | 'resource';
}

function spec(
  kind: ImportKind,
  file: string,
  schema: z.ZodObject | z.ZodType,
  key: string[],
  coded?: 'family' | 'resource',
): KindSpec {
  const shape =
    (schema instanceof z.ZodObject ? schema : (schema as unknown as { in?: z.ZodObject }).in)
      ?.shape ?? {};
  const columns = Object.keys(shape);
  const required = columns.filter((c) => {
    const r = (shape as Record<string, z.ZodType>)[c]!.safeParse(undefined);
    return !r.success;
  });
  return {
    kind,
    file,
    schema: schema as z.ZodType<Record<string, unknown>>,
    columns,
    required,
    key,
    ...(coded ? { coded } : {}),
  };
}

export const KIND_SPECS: Readonly<Record<ImportKind, KindSpec>> = {
  families: spec('families', 'families.csv', familyRow, ['code'], 'family'),
  resources: spec('resources', 'resources.csv', resourceRow, ['code'], 'resource'),
  loads: spec('loads', 'loads.csv', loadRow, ['family', 'resource']),
  sales: spec('sales', 'sales.csv', salesRow, ['family', 'period']),
  inventory: spec('inventory', 'inventory.csv', inventoryRow, ['family', 'period']),
  budget: spec('budget', 'budget.csv', budgetRow, ['family', 'period']),
  capacities: spec('capacities', 'capacities.csv', capacityRow, ['resource', 'period']),
  family_costs: spec('family_costs', 'family_costs.csv', familyCostRow, ['family', 'period']),
  resource_costs: spec('resource_costs', 'resource_costs.csv', resourceCostRow, [
    'resource',
    'period',
  ]),
  production: spec('production', 'production.csv', productionRow, ['family', 'period']),
  orders: spec('orders', 'orders.csv', orderRow, ['order_id', 'line']),
  'weekly-sales': spec('weekly-sales', 'weekly-sales.csv', weeklyRow, ['family', 'week']),
  'weekly-production': spec('weekly-production', 'weekly-production.csv', weeklyRow, [
    'family',
    'week',
  ]),
  receipts: spec('receipts', 'receipts.csv', receiptRow, ['supplier', 'week']),
  holidays: spec('holidays', 'holidays.csv', holidayRow, ['date']),
};

/** Rows (column → value) of each kind for a company, in the import formats. */
export function companyToRows(
  c: Company,
): Record<ImportKind, Record<string, string | number | null>[]> {
  return {
    families: c.families.map((f) => ({
      code: f.code,
      name: f.name,
      unit: f.unit,
      price: f.price,
      unit_cost: f.unitCost,
      holding_cost: f.holdingCost,
      backlog_cost: f.backlogCost,
      subcontract_cost: f.subcontractCost,
      subcontract_limit: f.subcontractLimit ?? null,
      safety_stock: f.safetyStock,
      min_stock_units: f.minStock?.units ?? null,
      min_stock_share: f.minStock?.share ?? null,
      min_stock_days: f.minStock?.days ?? null,
      shelf_life_months: f.shelfLifeMonths ?? null,
      scrap_cost: f.scrapCost ?? null,
    })),
    resources: c.resources.map((r) => ({
      code: r.code,
      name: r.name,
      kind: r.kind,
      unit: r.unit,
      regular_capacity: r.regularCapacity,
      overtime_limit: r.overtimeLimit,
      overtime_cost: r.overtimeCost,
      initial_workers: r.workforce?.initialWorkers ?? null,
      hours_per_worker: r.workforce?.hoursPerWorker ?? null,
      cost_per_worker: r.workforce?.costPerWorker ?? null,
      hire_cost: r.workforce?.hireCost ?? null,
      layoff_cost: r.workforce?.layoffCost ?? null,
      overtime_hours_per_worker: r.workforce?.overtimeHoursPerWorker ?? null,
      min_workers: r.workforce?.minWorkers ?? null,
      max_workers: r.workforce?.maxWorkers ?? null,
      crew_overtime_limit: r.workforce?.crewOvertimeLimit ?? null,
      integer_workers: r.workforce?.integer ? 'yes' : null,
      lead_time_months: r.leadTimeMonths ?? null,
      min_order_qty: r.minOrderQuantity ?? null,
    })),
    loads: c.loads.map((l) => ({
      family: l.family,
      resource: l.resource,
      load_per_unit: l.perUnit,
    })),
    sales: c.history.map((h) => ({
      family: h.family,
      period: h.period,
      units: h.units,
      revenue: h.revenue,
    })),
    inventory: c.inventory.map((i) => ({
      family: i.family,
      period: i.period,
      on_hand: i.onHand,
      backlog: i.backlog,
    })),
    budget: c.budget.map((b) => ({
      family: b.family,
      period: b.period,
      volume: b.volume,
      revenue: b.revenue,
    })),
    capacities: c.capacities.map((x) => ({
      resource: x.resource,
      period: x.period,
      capacity: x.capacity,
      overtime_limit: x.overtimeLimit,
    })),
    family_costs: (c.familyCosts ?? []).map((x) => ({
      family: x.family,
      period: x.period,
      price: x.price,
      unit_cost: x.unitCost,
      holding_cost: x.holdingCost,
      backlog_cost: x.backlogCost,
      subcontract_cost: x.subcontractCost,
    })),
    resource_costs: (c.resourceCosts ?? []).map((x) => ({
      resource: x.resource,
      period: x.period,
      overtime_cost: x.overtimeCost,
      cost_per_worker: x.costPerWorker,
      hire_cost: x.hireCost,
      layoff_cost: x.layoffCost,
    })),
    // Actuals of execution: the sample company has none until a cycle has run.
    production: [],
    orders: [],
    'weekly-sales': [],
    'weekly-production': [],
    receipts: [],
    // The sample company lists no holidays: deadlines count Monday to Friday.
    holidays: [],
  };
}
