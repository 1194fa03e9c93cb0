/**
 * The chain behind one resource in one month: the load each family puts on it, its
 * capacity and the updates in force, the overload at consensus demand, what the plan did
 * about it, and what one more unit of capacity is worth (the shadow price: exact, or the dual's
 * rate, src/core/supply/duals.ts PriceKind).
 *
 * The overload is accounted for exactly (`checks.responseGap`): for each family f on the
 * resource, demand = production + subcontracted + from stock + backlogged + lost, so
 * Σ a_f·demand_f (the load at consensus) = the load planned + Σ a_f·(subcontracted + from
 * stock + backlogged + lost). Overtime is part of the load planned.
 */
import type { Period } from '../period.js';
import type { PriceKind } from '../supply/duals.js';
import { compareCodes } from '../text.js';
import {
  type PlanFamilyRow,
  resourceState,
  type SupplyBreakdown,
  supplyBreakdown,
} from './family.js';

export interface FamilyOnResource {
  readonly family: string;
  readonly perUnit: number;
  readonly row: PlanFamilyRow;
  readonly previous: { readonly inventory: number; readonly backlog: number };
  /** Months before this one in which the family built stock (inventory rose). */
  readonly builtIn: readonly Period[];
}

export interface CapacityUpdateInForce {
  readonly id: string;
  readonly kind: 'set' | 'delta_units' | 'delta_pct';
  readonly value: number;
  readonly reason: string;
  readonly comment: string | null;
  readonly isConstraint: boolean;
  readonly author: string;
  /** The month of the cycle it was entered in (an earlier cycle's still holds); null: none. */
  readonly enteredIn: Period | null;
}

export interface ResourceMonthInput {
  readonly resource: string;
  readonly unit: string;
  readonly period: Period;
  readonly runId: string;
  readonly overtimeCost: number;
  readonly plan: {
    readonly load: number;
    readonly capacity: number;
    readonly overtime: number;
    /** null when the run did not keep it. */
    readonly overtimeLimit: number | null;
  };
  /** Regular capacity before the updates in force. */
  readonly baseCapacity: number | null;
  readonly updates: readonly CapacityUpdateInForce[];
  readonly families: readonly FamilyOnResource[];
  readonly shadowPrice: number | null;
  /** Exact, or the dual's rate (at most that); null when not kept (an older run). */
  readonly shadowPriceKind: PriceKind | null;
  /** True when this is the run's last month (its price carries LAST_MONTH_NOTE). */
  readonly lastMonth: boolean;
  readonly scenarios: readonly {
    readonly name: string;
    readonly label: string;
    readonly status: string;
    readonly load: number | null;
    readonly capacity: number | null;
    readonly overtime: number | null;
  }[];
}

export interface FamilyLoad {
  readonly family: string;
  readonly perUnit: number;
  readonly demand: number;
  readonly production: number;
  /** perUnit × production: the load planned. */
  readonly load: number;
  /** perUnit × demand: the load consensus demand would put on it. */
  readonly demandLoad: number;
  readonly supply: SupplyBreakdown;
}

export interface ResourceMonthExplanation {
  readonly resource: string;
  readonly unit: string;
  readonly period: Period;
  readonly runId: string;
  readonly families: readonly FamilyLoad[];
  readonly load: number;
  readonly capacity: number;
  readonly baseCapacity: number | null;
  readonly updates: readonly CapacityUpdateInForce[];
  /** Load at consensus demand (rough cut) and how far it is above capacity (≥ 0). */
  readonly demandLoad: number;
  readonly overload: number;
  readonly response: {
    readonly overtime: number;
    readonly overtimeLimit: number | null;
    readonly overtimeCost: number;
    /** Capacity units of demand met from stock built earlier (negative: stock built now). */
    readonly fromStock: number;
    readonly stockBuiltIn: readonly Period[];
    readonly subcontracted: number;
    readonly backlogged: number;
    readonly lost: number;
  };
  readonly state: 'full' | 'overtime' | 'spare';
  readonly shadowPrice: number | null;
  readonly shadowPriceKind: PriceKind | null;
  readonly lastMonth: boolean;
  readonly scenarios: ResourceMonthInput['scenarios'];
  readonly checks: {
    /** demandLoad − (load planned + Σ the other responses): 0 when it adds up. */
    readonly responseGap: number;
    /** load planned − Σ family loads: 0 when the stored load is the families' sum. */
    readonly loadGap: number;
  };
}

export function explainResourceMonth(input: ResourceMonthInput): ResourceMonthExplanation {
  const families = input.families
    .map((f): FamilyLoad => {
      const supply = supplyBreakdown(f.row, f.previous);
      return {
        family: f.family,
        perUnit: f.perUnit,
        demand: f.row.demand,
        production: f.row.production,
        load: f.perUnit * f.row.production,
        demandLoad: f.perUnit * f.row.demand,
        supply,
      };
    })
    .filter((f) => f.load !== 0 || f.demandLoad !== 0)
    .sort((a, b) => b.load - a.load || compareCodes(a.family, b.family));
  const sum = (pick: (f: FamilyLoad) => number): number =>
    families.reduce((a, f) => a + pick(f), 0);
  const demandLoad = sum((f) => f.demandLoad);
  const familyLoad = sum((f) => f.load);
  const fromStock = sum((f) => f.perUnit * f.supply.fromStock);
  const subcontracted = sum((f) => f.perUnit * f.supply.subcontract);
  const backlogged = sum((f) => f.perUnit * f.supply.backlogged);
  const lost = sum((f) => f.perUnit * f.supply.lost);
  const built = new Set<Period>();
  for (const f of input.families)
    if (f.row.inventory < f.previous.inventory) for (const p of f.builtIn) built.add(p);
  const p = input.plan;
  return {
    resource: input.resource,
    unit: input.unit,
    period: input.period,
    runId: input.runId,
    families,
    load: p.load,
    capacity: p.capacity,
    baseCapacity: input.baseCapacity,
    updates: input.updates,
    demandLoad,
    overload: Math.max(0, demandLoad - p.capacity),
    response: {
      overtime: p.overtime,
      overtimeLimit: p.overtimeLimit,
      overtimeCost: p.overtime * input.overtimeCost,
      fromStock,
      stockBuiltIn: [...built].sort(),
      subcontracted,
      backlogged,
      lost,
    },
    state: resourceState(p),
    shadowPrice: input.shadowPrice,
    shadowPriceKind: input.shadowPriceKind,
    lastMonth: input.lastMonth,
    scenarios: input.scenarios,
    checks: {
      responseGap: demandLoad - (familyLoad + fromStock + subcontracted + backlogged + lost),
      loadGap: p.load - familyLoad,
    },
  };
}
