/**
 * Rough-cut capacity check: the load a demand plan puts on every resource each month,
 * against the capacity available once the capacity updates in force are applied.
 */
import type { CapacityLine, Load, Resource } from '../company.js';
import type { Period } from '../period.js';

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
  for (const r of input.resources) {
    const loads = input.loads.filter((l) => l.resource === r.code);
    for (const period of input.periods) {
      const key = `${r.code}|${period}`;
      let load = 0;
      for (const l of loads) load += l.perUnit * (demand.get(`${l.family}|${period}`) ?? 0);
      const line = override.get(key);
      const baseCapacity = line
        ? line.capacity
        : r.workforce
          ? r.workforce.initialWorkers * r.workforce.hoursPerWorker
          : r.regularCapacity;
      const overtimeLimit =
        line?.overtimeLimit ??
        (r.workforce
          ? r.workforce.initialWorkers * r.workforce.overtimeHoursPerWorker
          : r.overtimeLimit);
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
      });
    }
  }
  const byUnits = [...gaps].sort(
    (a, b) =>
      b.units - a.units || a.resource.localeCompare(b.resource) || a.period.localeCompare(b.period),
  );
  const byRelative = [...gaps].sort(
    (a, b) => b.relative - a.relative || b.units - a.units || a.resource.localeCompare(b.resource),
  );
  return { months, gaps: byUnits, gapsByRelative: byRelative };
}
