/**
 * The company as the planning math sees it: plain, readonly data. The CSV import formats
 * (docs/data-format.md), the seed generator and the database all map to these shapes.
 */
import type { Period } from './period.js';

export type ResourceKind = 'line' | 'workforce' | 'supplier' | 'storage';
export type Role = 'sales' | 'ops' | 'planner' | 'exec' | 'admin';

export interface Family {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  /** Selling price per unit. */
  readonly price: number;
  /** Variable production cost per unit (materials and regular-time conversion). */
  readonly unitCost: number;
  /** Cost of holding one unit in stock for one month. */
  readonly holdingCost: number;
  /** Cost of one unit on backlog for one month. */
  readonly backlogCost: number;
  /** Cost per unit bought from a subcontractor; null when subcontracting is impossible. */
  readonly subcontractCost: number | null;
  /** Most units bought outside per month; null or absent: no limit. */
  readonly subcontractLimit?: number | null;
  /** Units to keep in stock at the end of each month (soft, penalised). */
  readonly safetyStock: number;
  /** Hard minimum stock at each month end: units, share of next month's demand, days of it. */
  readonly minStock?: {
    readonly units: number | null;
    readonly share: number | null;
    readonly days: number | null;
  } | null;
  /** Months a unit can be sold in (made in t: t .. t+months−1); null = no shelf life. */
  readonly shelfLifeMonths?: number | null;
  /** Cost of throwing away one expired unit. */
  readonly scrapCost?: number | null;
}

export interface WorkforceParams {
  readonly initialWorkers: number;
  /** Regular hours one worker gives in one month. */
  readonly hoursPerWorker: number;
  /** Cost of one worker for one month (regular time). */
  readonly costPerWorker: number;
  readonly hireCost: number;
  readonly layoffCost: number;
  /** Overtime hours one worker may give per month. */
  readonly overtimeHoursPerWorker: number;
  readonly minWorkers: number | null;
  readonly maxWorkers: number | null;
  /** Overtime hours the whole crew may give per month; null/absent = no crew-wide cap. */
  readonly crewOvertimeLimit?: number | null;
  /** Whole workers: head count, hires and layoffs are integers. */
  readonly integer?: boolean;
}

export interface Resource {
  readonly code: string;
  readonly name: string;
  readonly kind: ResourceKind;
  /** Unit the capacity is counted in: hours, units, pallets... */
  readonly unit: string;
  /** Regular capacity per month (for a workforce: derived from workers x hours, may be 0 here). */
  readonly regularCapacity: number;
  /** Maximum overtime per month, in the capacity unit. */
  readonly overtimeLimit: number;
  /** Cost per capacity unit of overtime. */
  readonly overtimeCost: number;
  readonly workforce: WorkforceParams | null;
  /** Supplier: months between an order and its arrival. */
  readonly leadTimeMonths?: number | null;
  /** Supplier: each month's order is nothing or at least this (capacity units). */
  readonly minOrderQuantity?: number | null;
}

/** Capacity units of `resource` that one unit of `family` uses. */
export interface Load {
  readonly family: string;
  readonly resource: string;
  readonly perUnit: number;
}

export interface SalesActual {
  readonly family: string;
  readonly period: Period;
  readonly units: number;
  readonly revenue: number | null;
}

export interface InventorySnapshot {
  readonly family: string;
  readonly period: Period;
  readonly onHand: number;
  readonly backlog: number;
}

export interface BudgetLine {
  readonly family: string;
  readonly period: Period;
  readonly volume: number;
  readonly revenue: number;
}

/** Base capacity of a resource in one month, overriding its regular capacity. */
export interface CapacityLine {
  readonly resource: string;
  readonly period: Period;
  readonly capacity: number;
  readonly overtimeLimit: number | null;
}

/** Costs of a family in one month that differ from its constants (null = the constant). */
export interface FamilyPeriodCost {
  readonly family: string;
  readonly period: Period;
  readonly price: number | null;
  readonly unitCost: number | null;
  readonly holdingCost: number | null;
  readonly backlogCost: number | null;
  readonly subcontractCost: number | null;
}

/** Costs of a resource (its overtime, its workforce) in one month (null = the constant). */
export interface ResourcePeriodCost {
  readonly resource: string;
  readonly period: Period;
  readonly overtimeCost: number | null;
  readonly costPerWorker: number | null;
  readonly hireCost: number | null;
  readonly layoffCost: number | null;
}

export interface Company {
  readonly families: readonly Family[];
  readonly resources: readonly Resource[];
  readonly loads: readonly Load[];
  readonly history: readonly SalesActual[];
  readonly inventory: readonly InventorySnapshot[];
  readonly budget: readonly BudgetLine[];
  readonly capacities: readonly CapacityLine[];
  readonly familyCosts?: readonly FamilyPeriodCost[];
  readonly resourceCosts?: readonly ResourcePeriodCost[];
}

/** Time fences, in months counted from the cycle month (month 1 is the cycle month). */
export interface TimeFences {
  /** Months 1..frozenMonths are frozen. */
  readonly frozenMonths: number;
  /** The next slushyMonths months are slushy; the rest of the horizon is liquid. */
  readonly slushyMonths: number;
}
