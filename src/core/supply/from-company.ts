/**
 * From the company data (database shapes, src/core/company.ts) and a consensus demand plan
 * to a plan problem the LP can solve.
 */
import type { Company } from '../company.js';
import { addMonths, type Period, periodIndex } from '../period.js';
import { applyCapacityUpdates, type CapacityUpdate, type DemandLine } from './capacity-check.js';
import type { PlanProblem } from './problem.js';

export interface BuildPlanOptions {
  readonly periods: readonly Period[];
  readonly name?: string;
  readonly currency?: string;
  /** Production fixed by the adopted plan inside the frozen fence. */
  readonly frozen?: readonly { family: string; period: Period; production: number }[];
  /** Capacity updates and constraints from operations, applied after CapacityLine overrides. */
  readonly updates?: readonly CapacityUpdate[];
  /** Ending inventory target per family; default: its safety stock. */
  readonly endingInventory?: Readonly<Record<string, number>>;
  /** Ending backlog cap per family; default 0: every order is served by the horizon's end. */
  readonly endingBacklog?: Readonly<Record<string, number>>;
  /**
   * Options of the plan. Without a safetyStockPenalty each family gets its own (see
   * `ownSafetyPenalty`); one given here applies to every family. Lost sales
   * are allowed by default, each costing the family's price (the revenue given up), so the
   * plan stays feasible when capacity is short, and giving up a sale is never cheaper than
   * making it.
   */
  readonly options?: Partial<PlanProblem['options']>;
}

/**
 * A family's cost per unit-month below its safety stock: holding + half the backlog cost.
 * Above holding, so the plan keeps the safety stock when it can; below holding + backlog,
 * so when supply runs short the plan serves customers from it before it backlogs them,
 * which is what the stock is for. (The highest backlog cost of all families, the old
 * default, made a plan backlog a $25 family's orders to keep its safety stock intact.)
 */
export function ownSafetyPenalty(f: { holdingCost: number; backlogCost: number }): number {
  return f.holdingCost + f.backlogCost / 2;
}

/** The month of the latest inventory count before `first`: the plan's opening stock. */
export function openingStockMonth(
  inventory: readonly { readonly period: Period }[],
  first: Period,
): Period | null {
  let latest: Period | null = null;
  for (const s of inventory)
    if (s.period < first && (latest === null || s.period > latest)) latest = s.period;
  return latest;
}

/**
 * What to say when a plan opens on a count older than the month before its first month (last
 * month's inventory not imported yet): the plan still opens on it, as if the months since
 * had not happened. Null when the count is last month's, or there is none.
 */
export function staleOpeningStock(month: Period | null, first: Period): string | null {
  const expected = addMonths(first, -1);
  if (month === null || month >= expected) return null;
  return `opening stock from ${month}'s count: import ${expected}'s inventory`;
}

/** A stored run's stale-stock warning (`staleOpeningStock`), from its periods and count month. */
export function runStaleStock(run: {
  readonly periods: readonly string[];
  readonly opening_stock_month: string | null;
}): string | null {
  const first = run.periods[0];
  return first ? staleOpeningStock(run.opening_stock_month, first) : null;
}

/**
 * Initial inventory and backlog come from each family's latest InventorySnapshot before the
 * first plan month (`openingStockMonth`); families without one start empty.
 */
export function buildPlanProblem(
  company: Company,
  demand: readonly DemandLine[],
  opts: BuildPlanOptions,
): PlanProblem {
  const periods = [...opts.periods];
  const first = periods[0];
  if (first === undefined) throw new RangeError('buildPlanProblem: periods must not be empty');
  const firstIdx = periodIndex(first);
  const inPlan = new Set(periods);

  const opening = new Map<string, { period: number; onHand: number; backlog: number }>();
  for (const s of company.inventory) {
    const idx = periodIndex(s.period);
    if (idx >= firstIdx) continue;
    const prev = opening.get(s.family);
    if (!prev || prev.period < idx)
      opening.set(s.family, { period: idx, onHand: s.onHand, backlog: s.backlog });
  }

  const updatesBy = new Map<string, CapacityUpdate[]>();
  for (const u of opts.updates ?? []) {
    const key = `${u.resource}|${u.period}`;
    updatesBy.set(key, [...(updatesBy.get(key) ?? []), u]);
  }
  const lines = new Map(company.capacities.map((c) => [`${c.resource}|${c.period}`, c]));
  /** Per-period overrides of a cost, for the plan months only: { period: value }. */
  const byPeriod = <T extends { period: Period }>(
    rows: readonly T[] | undefined,
    pick: (r: T) => number | null,
  ): Record<string, number> | undefined => {
    const out: Record<string, number> = {};
    for (const r of rows ?? []) {
      const v = pick(r);
      if (v !== null && inPlan.has(r.period)) out[r.period] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const costsOf = <K extends string, T extends { period: Period } & Record<K, string>>(
    rows: readonly T[] | undefined,
    key: K,
  ): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows ?? []) m.set(r[key], [...(m.get(r[key]) ?? []), r]);
    return m;
  };
  const famCosts = costsOf(company.familyCosts, 'family');
  const resCosts = costsOf(company.resourceCosts, 'resource');
  /** Only the optional fields that are set, so plans without them are unchanged. */
  const defined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

  const resources = company.resources.map((r) => {
    const capacityByPeriod: Record<string, number> = {};
    const availabilityByPeriod: Record<string, number> = {};
    const overtimeLimitByPeriod: Record<string, number> = {};
    const crewOvertimeLimitByPeriod: Record<string, number> = {};
    const wf = r.workforce;
    const crewHours = wf ? wf.initialWorkers * wf.hoursPerWorker : 0;
    for (const t of periods) {
      const key = `${r.code}|${t}`;
      const line = lines.get(key);
      const base = line ? line.capacity : wf ? crewHours : r.regularCapacity;
      const { capacity } = applyCapacityUpdates(base, updatesBy.get(key) ?? []);
      // For a crew a month's overtime limit is its crew-wide cap that month (the model
      // reads no machine overtime limit for a workforce); the per-worker cap still applies.
      if (line?.overtimeLimit != null)
        (wf ? crewOvertimeLimitByPeriod : overtimeLimitByPeriod)[t] = line.overtimeLimit;
      if (wf) {
        // A workforce's capacity follows its head count; overrides scale each worker's hours.
        if (capacity !== crewHours && crewHours > 0) availabilityByPeriod[t] = capacity / crewHours;
      } else if (capacity !== r.regularCapacity) capacityByPeriod[t] = capacity;
    }
    const rc = resCosts.get(r.code);
    return {
      ...defined({
        overtimeCostByPeriod: byPeriod(rc, (x) => x.overtimeCost),
        storage: r.kind === 'storage' ? true : undefined,
        leadTime: r.kind === 'supplier' ? (r.leadTimeMonths ?? undefined) : undefined,
        minOrderQuantity:
          r.kind === 'supplier' && r.minOrderQuantity ? r.minOrderQuantity : undefined,
      }),
      code: r.code,
      name: r.name,
      unit: r.unit,
      capacity: wf ? 0 : r.regularCapacity,
      capacityByPeriod,
      availabilityByPeriod,
      overtimeLimit: r.overtimeLimit,
      overtimeLimitByPeriod,
      overtimeCost: r.overtimeCost,
      workforce: wf
        ? {
            initialWorkers: wf.initialWorkers,
            hoursPerWorker: wf.hoursPerWorker,
            costPerWorker: wf.costPerWorker,
            hireCost: wf.hireCost,
            layoffCost: wf.layoffCost,
            overtimeHoursPerWorker: wf.overtimeHoursPerWorker,
            minWorkers: wf.minWorkers,
            maxWorkers: wf.maxWorkers,
            ...defined({
              crewOvertimeLimit: wf.crewOvertimeLimit ?? undefined,
              crewOvertimeLimitByPeriod:
                Object.keys(crewOvertimeLimitByPeriod).length > 0
                  ? crewOvertimeLimitByPeriod
                  : undefined,
              integer: wf.integer ? true : undefined,
              costPerWorkerByPeriod: byPeriod(rc, (x) => x.costPerWorker),
              hireCostByPeriod: byPeriod(rc, (x) => x.hireCost),
              layoffCostByPeriod: byPeriod(rc, (x) => x.layoffCost),
            }),
          }
        : null,
    };
  });

  const families = company.families.map((f) => {
    const open = opening.get(f.code);
    const fc = famCosts.get(f.code);
    const ms = f.minStock;
    const optional = defined({
      priceByPeriod: byPeriod(fc, (x) => x.price),
      unitCostByPeriod: byPeriod(fc, (x) => x.unitCost),
      holdingCostByPeriod: byPeriod(fc, (x) => x.holdingCost),
      backlogCostByPeriod: byPeriod(fc, (x) => x.backlogCost),
      subcontractCostByPeriod: byPeriod(fc, (x) => x.subcontractCost),
      // Lost sales cost the price: a price by month is the lost-sales cost by month.
      lostSalesCostByPeriod: byPeriod(fc, (x) => x.price),
      minStock: ms
        ? defined({
            units: ms.units ?? undefined,
            shareOfNextDemand: ms.share ?? undefined,
            daysOfDemand: ms.days ?? undefined,
          })
        : undefined,
      shelfLife: f.shelfLifeMonths
        ? { periods: f.shelfLifeMonths, expired: 'scrap' as const, scrapCost: f.scrapCost ?? 0 }
        : undefined,
    });
    return {
      ...optional,
      code: f.code,
      name: f.name,
      price: f.price,
      unitCost: f.unitCost,
      holdingCost: f.holdingCost,
      backlogCost: f.backlogCost,
      subcontractCost: f.subcontractCost,
      subcontractLimit: f.subcontractLimit ?? null,
      lostSalesCost: f.price,
      safetyStock: f.safetyStock,
      ...(opts.options?.safetyStockPenalty === undefined
        ? { safetyStockPenalty: ownSafetyPenalty(f) }
        : {}),
      initialInventory: open?.onHand ?? 0,
      initialBacklog: open?.backlog ?? 0,
      endingInventoryMin: opts.endingInventory?.[f.code] ?? f.safetyStock,
      endingBacklogMax: opts.endingBacklog?.[f.code] ?? 0,
    };
  });
  const known = new Set(company.families.map((f) => f.code));
  const summed = new Map<string, DemandLine>();
  for (const d of demand) {
    if (!inPlan.has(d.period) || !known.has(d.family)) continue;
    const key = `${d.family}|${d.period}`;
    const prev = summed.get(key);
    summed.set(key, { family: d.family, period: d.period, units: (prev?.units ?? 0) + d.units });
  }
  const maxBacklogCost = Math.max(0, ...company.families.map((f) => f.backlogCost));
  return {
    name: opts.name ?? 'plan',
    currency: opts.currency ?? 'USD',
    periods,
    families,
    demand: [...summed.values()],
    resources,
    loads: company.loads.map((l) => ({
      family: l.family,
      resource: l.resource,
      perUnit: l.perUnit,
    })),
    frozen: (opts.frozen ?? []).filter((f) => inPlan.has(f.period)).map((f) => ({ ...f })),
    options: {
      overtime: opts.options?.overtime ?? true,
      subcontracting: opts.options?.subcontracting ?? true,
      lostSales: opts.options?.lostSales ?? true,
      maxBacklog: opts.options?.maxBacklog ?? null,
      safetyStockPenalty: opts.options?.safetyStockPenalty ?? maxBacklogCost,
    },
  };
}
