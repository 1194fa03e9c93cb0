/**
 * The company as core sees it (src/core/company.ts), read from the database. Rows are mapped
 * to domain types here, at the boundary; inactive families and resources are left out.
 */
import type { Company, Family, Resource } from '../../src/core/company.js';
import type { Db } from '../connect.js';
import type { FamilyRow, ResourceRow } from '../schema.js';
import { isActive } from './codes.js';
import { withCode } from './shared.js';

export interface LoadedCompany {
  readonly company: Company;
  /** Database id by family code, and back. */
  readonly familyIds: ReadonlyMap<string, number>;
  readonly familyCodes: ReadonlyMap<number, string>;
  readonly resourceIds: ReadonlyMap<string, number>;
  readonly resourceCodes: ReadonlyMap<number, string>;
}

function toFamily(r: FamilyRow): Family {
  return {
    code: r.code,
    name: r.name,
    unit: r.unit,
    price: r.price,
    unitCost: r.unit_cost,
    holdingCost: r.holding_cost,
    backlogCost: r.backlog_cost,
    subcontractCost: r.subcontract_cost,
    subcontractLimit: r.subcontract_limit,
    safetyStock: r.safety_stock,
    minStock:
      r.min_stock_units === null && r.min_stock_share === null && r.min_stock_days === null
        ? null
        : { units: r.min_stock_units, share: r.min_stock_share, days: r.min_stock_days },
    shelfLifeMonths: r.shelf_life_months,
    scrapCost: r.scrap_cost,
  };
}

function toResource(r: ResourceRow): Resource {
  const isWorkforce =
    r.kind === 'workforce' && r.initial_workers !== null && r.hours_per_worker !== null;
  return {
    code: r.code,
    name: r.name,
    kind: r.kind,
    unit: r.unit,
    regularCapacity: r.regular_capacity,
    overtimeLimit: r.overtime_limit,
    overtimeCost: r.overtime_cost,
    workforce: isWorkforce
      ? {
          initialWorkers: r.initial_workers ?? 0,
          hoursPerWorker: r.hours_per_worker ?? 0,
          costPerWorker: r.cost_per_worker ?? 0,
          hireCost: r.hire_cost ?? 0,
          layoffCost: r.layoff_cost ?? 0,
          overtimeHoursPerWorker: r.overtime_hours_per_worker ?? 0,
          minWorkers: r.min_workers,
          maxWorkers: r.max_workers,
          crewOvertimeLimit: r.crew_overtime_limit,
          integer: r.integer_workers,
        }
      : null,
    leadTimeMonths: r.lead_time_months,
    minOrderQuantity: r.min_order_qty,
  };
}

export async function loadCompany(db: Db): Promise<LoadedCompany> {
  const [
    families,
    resources,
    loads,
    sales,
    inventory,
    budget,
    capacities,
    familyCosts,
    resourceCosts,
  ] = await Promise.all([
    db.selectFrom('families').selectAll().where(isActive).orderBy('code').execute(),
    db.selectFrom('resources').selectAll().where(isActive).orderBy('code').execute(),
    db.selectFrom('resource_loads').selectAll().execute(),
    db
      .selectFrom('sales_history')
      .select(['family_id', 'period', 'units', 'revenue'])
      .orderBy('family_id')
      .orderBy('period')
      .execute(),
    db.selectFrom('inventory_snapshots').selectAll().execute(),
    db.selectFrom('budget').selectAll().execute(),
    db.selectFrom('resource_capacities').selectAll().execute(),
    db.selectFrom('family_period_costs').selectAll().execute(),
    db.selectFrom('resource_period_costs').selectAll().execute(),
  ]);
  const familyIds = new Map(families.map((f) => [f.code, f.id]));
  const familyCodes = new Map(families.map((f) => [f.id, f.code]));
  const resourceIds = new Map(resources.map((r) => [r.code, r.id]));
  const resourceCodes = new Map(resources.map((r) => [r.id, r.code]));
  const byFamily = <R extends { family_id: number }, T>(
    rows: readonly R[],
    make: (family: string, r: R) => T,
  ) => withCode(rows, (r) => familyCodes.get(r.family_id), make);
  const byResource = <R extends { resource_id: number }, T>(
    rows: readonly R[],
    make: (resource: string, r: R) => T,
  ) => withCode(rows, (r) => resourceCodes.get(r.resource_id), make);
  const company: Company = {
    families: families.map(toFamily),
    resources: resources.map(toResource),
    loads: byFamily(loads, (family, l) => {
      const resource = resourceCodes.get(l.resource_id);
      return resource ? [{ family, resource, perUnit: l.load_per_unit }] : [];
    }).flat(),
    history: byFamily(sales, (family, { period, units, revenue }) => ({
      family,
      period,
      units,
      revenue,
    })),
    inventory: byFamily(inventory, (family, i) => ({
      family,
      period: i.period,
      onHand: i.on_hand,
      backlog: i.backlog,
    })),
    budget: byFamily(budget, (family, { period, volume, revenue }) => ({
      family,
      period,
      volume,
      revenue,
    })),
    capacities: byResource(capacities, (resource, c) => ({
      resource,
      period: c.period,
      capacity: c.capacity,
      overtimeLimit: c.overtime_limit,
    })),
    familyCosts: byFamily(familyCosts, (family, c) => ({
      family,
      period: c.period,
      price: c.price,
      unitCost: c.unit_cost,
      holdingCost: c.holding_cost,
      backlogCost: c.backlog_cost,
      subcontractCost: c.subcontract_cost,
    })),
    resourceCosts: byResource(resourceCosts, (resource, c) => ({
      resource,
      period: c.period,
      overtimeCost: c.overtime_cost,
      costPerWorker: c.cost_per_worker,
      hireCost: c.hire_cost,
      layoffCost: c.layoff_cost,
    })),
  };
  return { company, familyIds, familyCodes, resourceIds, resourceCodes };
}
