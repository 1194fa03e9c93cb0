/**
 * Rough-cut capacity check: the load a demand plan puts on every resource each month,
 * against the capacity available once the capacity updates in force are applied.
 */
import type { CapacityLine, Family, Load, Resource } from '../company.js';
import { addMonths, type Period } from '../period.js';
import { compareCodes } from '../text.js';
import { crewOvertimeLimit } from './overtime.js';

/** A capacity update or constraint from operations, applied in list order. */
export interface CapacityUpdate {
  readonly id: string;
  readonly resource: string;
  readonly period: Period;
  /** 'set': capacity becomes value; 'delta_units': capacity + value; 'delta_pct': capacity × (1 + value/100). */
  readonly kind: 'set' | 'delta_units' | 'delta_pct';
  readonly value: number;
  readonly reason: string;
}

export interface DemandLine {
  readonly family: string;
  readonly period: Period;
  readonly units: number;
}

export interface CapacityCheckInput {
  readonly resources: readonly Resource[];
  readonly loads: readonly Load[];
  readonly capacities?: readonly CapacityLine[];
  readonly updates?: readonly CapacityUpdate[];
  readonly demand: readonly DemandLine[];
  readonly periods: readonly Period[];
  /**
   * Families, for warehouses: a storage resource's load is the stock the families must
   * hold at month end (the larger of safety stock and minimum stock). Without them a
   * warehouse's load is 0.
   */
  readonly families?: readonly Family[];
}

export interface ResourceMonth {
  readonly resource: string;
  readonly period: Period;
  readonly load: number;
  /** Base capacity before updates (regular, CapacityLine override, or workers × hours). */
  readonly baseCapacity: number;
  readonly capacity: number;
  readonly overtimeLimit: number;
  /** load / capacity; null when there is no capacity at all. */
  readonly utilisation: number | null;
  /** Ids of the updates applied, in order. */
  readonly updates: readonly string[];
  /** Supplier with a lead time: the month this month's arrival is ordered in. */
  readonly orderPeriod?: Period;
  /** Supplier: inside the lead time, so what arrives was ordered before the plan. */
  readonly fixedOrder?: boolean;
  /** Supplier: a load above 0 but below the minimum order quantity. */
  readonly belowMinimumOrder?: boolean;
  /** Warehouse: the load is stock at month end, not production. */
  readonly storage?: boolean;
}

export interface CapacityGap {
  readonly resource: string;
  readonly period: Period;
  readonly kind: 'overload' | 'idle';
  /** Capacity units: load − capacity for an overload, capacity − load for idle capacity. */
  readonly units: number;
  /** units / capacity (Infinity for load on a resource with no capacity). */
  readonly relative: number;
  /** Whether the allowed overtime covers the overload. */
  readonly coveredByOvertime: boolean;
  /** Supplier inside its lead time: too late to order more for this month. */
  readonly fixedOrder?: boolean;
}

export interface CapacityCheck {
  readonly months: readonly ResourceMonth[];
  /** Gaps sorted by absolute size, largest first. */
  readonly gaps: readonly CapacityGap[];
  /** The same gaps sorted by size relative to capacity, largest first. */
  readonly gapsByRelative: readonly CapacityGap[];
}

export function applyCapacityUpdates(
  base: number,
  updates: readonly CapacityUpdate[],
): { capacity: number; applied: string[] } {
  let capacity = base;
  const applied: string[] = [];
  for (const u of updates) {
    if (u.kind === 'set') capacity = u.value;
    else if (u.kind === 'delta_units') capacity += u.value;
    else capacity *= 1 + u.value / 100;
    capacity = Math.max(0, capacity);
    applied.push(u.id);
  }
  return { capacity, applied };
}

export function roughCutCapacity(input: CapacityCheckInput): CapacityCheck {
  const periodSet = new Set(input.periods);
  const demand = new Map<string, number>();
  for (const d of input.demand) {
    if (!periodSet.has(d.period)) continue;
    const key = `${d.family}|${d.period}`;
    demand.set(key, (demand.get(key) ?? 0) + d.units);
  }
  const override = new Map<string, CapacityLine>();
  for (const c of input.capacities ?? []) override.set(`${c.resource}|${c.period}`, c);
  const updates = new Map<string, CapacityUpdate[]>();
  for (const u of input.updates ?? []) {
    const key = `${u.resource}|${u.period}`;
    const list = updates.get(key) ?? [];
    list.push(u);
    updates.set(key, list);
  }
  const months: ResourceMonth[] = [];
  const gaps: CapacityGap[] = [];
  const families = new Map((input.families ?? []).map((f) => [f.code, f]));
  /** Stock family f must hold at the end of month i: safety stock or the hard minimum. */
  const requiredStock = (family: string, i: number): number => {
    const f = families.get(family);
    if (!f) return 0;
    const period = input.periods[i]!;
    const nextPeriod = input.periods[i + 1] ?? period;
    const next = demand.get(`${family}|${nextPeriod}`) ?? 0;
    const ms = f.minStock;
    const [y, m] = addMonths(period, 1).split('-').map(Number);
    const days = new Date(Date.UTC(y ?? 2000, m ?? 1, 0)).getUTCDate();
    return Math.max(
      f.safetyStock,
      ms?.units ?? 0,
      (ms?.share ?? 0) * next,
      ((ms?.days ?? 0) * next) / days,
    );
  };
  for (const r of input.resources) {
    const loads = input.loads.filter((l) => l.resource === r.code);
    const storage = r.kind === 'storage';
    const lead = r.kind === 'supplier' ? (r.leadTimeMonths ?? 0) : 0;
    for (const [i, period] of input.periods.entries()) {
      const key = `${r.code}|${period}`;
      let load = 0;
      for (const l of loads)
        load +=
          l.perUnit *
          (storage ? requiredStock(l.family, i) : (demand.get(`${l.family}|${period}`) ?? 0));
      const line = override.get(key);
      const baseCapacity = line
        ? line.capacity
        : r.workforce
          ? r.workforce.initialWorkers * r.workforce.hoursPerWorker
          : r.regularCapacity;
      // A month's overtime limit is a crew's crew-wide cap that month, as in the plan
      // (from-company.ts); the per-worker cap still applies.
      const overtimeLimit = r.workforce
        ? crewOvertimeLimit(
            r.workforce.initialWorkers,
            r.workforce.overtimeHoursPerWorker,
            line?.overtimeLimit ?? r.workforce.crewOvertimeLimit,
          )
        : (line?.overtimeLimit ?? r.overtimeLimit);
      const { capacity, applied } = applyCapacityUpdates(baseCapacity, updates.get(key) ?? []);
      months.push({
        resource: r.code,
        period,
        load,
        baseCapacity,
        capacity,
        overtimeLimit,
        utilisation: capacity > 0 ? load / capacity : load > 0 ? null : 0,
        updates: applied,
        ...(storage ? { storage: true } : {}),
        ...(r.kind === 'supplier' && r.leadTimeMonths != null
          ? { orderPeriod: addMonths(period, -lead), fixedOrder: i < lead }
          : {}),
        ...(r.kind === 'supplier' && (r.minOrderQuantity ?? 0) > 0
          ? { belowMinimumOrder: load > 0 && load < (r.minOrderQuantity ?? 0) }
          : {}),
      });
      if (load === capacity) continue;
      const over = load > capacity;
      const units = Math.abs(load - capacity);
      gaps.push({
        resource: r.code,
        period,
        kind: over ? 'overload' : 'idle',
        units,
        relative: capacity > 0 ? units / capacity : Number.POSITIVE_INFINITY,
        coveredByOvertime: over && load - capacity <= overtimeLimit,
        ...(i < lead ? { fixedOrder: true } : {}),
      });
    }
  }
  const byUnits = [...gaps].sort(
    (a, b) =>
      b.units - a.units || compareCodes(a.resource, b.resource) || a.period.localeCompare(b.period),
  );
  const byRelative = [...gaps].sort(
    (a, b) => b.relative - a.relative || b.units - a.units || compareCodes(a.resource, b.resource),
  );
  return { months, gaps: byUnits, gapsByRelative: byRelative };
}
