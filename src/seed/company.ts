/**
 * A realistic sample company for tests, benchmarks and the demo: product families with trend,
 * seasonality, noise and promotions; machine lines, one supplier and a workforce, sized so
 * that peak months overload some lines (and others not); subcontracting for about half the
 * families, dearer than making and limited per month; a shelf life of 2 to 4 months for about
 * a quarter. Deterministic for a given seed.
 */
import type {
  BudgetLine,
  CapacityLine,
  Company,
  Family,
  InventorySnapshot,
  Load,
  Resource,
  SalesActual,
} from '../core/company.js';
import { addMonths, monthOfYear, nextPeriods, type Period } from '../core/period.js';
import { createRng } from './random.js';

export interface SeedOptions {
  readonly families: number;
  /** Months of sales history. */
  readonly months: number;
  readonly resources: number;
  readonly seed?: number;
  /** Last month of history; the first planning cycle is the month after. */
  readonly lastActual?: Period;
  /** Months of budget and capacity calendar after the history. */
  readonly planMonths?: number;
}

const ADJECTIVES = [
  'Classic',
  'Premium',
  'Compact',
  'Eco',
  'Pro',
  'Mini',
  'Max',
  'Smart',
  'Urban',
  'Alpine',
];
const NOUNS = [
  'Kettle',
  'Blender',
  'Toaster',
  'Grill',
  'Fan',
  'Heater',
  'Mixer',
  'Juicer',
  'Lamp',
  'Scale',
];

interface DemandShape {
  readonly level: number;
  readonly trend: number;
  readonly amplitude: number;
  readonly peak: number;
  readonly noise: number;
  readonly intermittent: boolean;
}

export function generateCompany(opts: SeedOptions): Company {
  const { families: nf, months, resources: nr } = opts;
  if (!(nf >= 1 && months >= 1 && nr >= 1))
    throw new RangeError('families, months and resources must be at least 1');
  const rng = createRng(opts.seed ?? 42);
  // A second stream for the attributes added later (subcontracting limits, shelf lives), so
  // the rest of a seeded company stays what it was.
  const terms = createRng((opts.seed ?? 42) ^ 0x5eed);
  const lastActual = opts.lastActual ?? '2026-12';
  const planMonths = opts.planMonths ?? 24;
  const historyPeriods = nextPeriods(addMonths(lastActual, -(months - 1)), months);
  const planPeriods = nextPeriods(addMonths(lastActual, 1), planMonths);

  // Families and their demand shape.
  const families: Family[] = [];
  const shapes: DemandShape[] = [];
  for (let i = 1; i <= nf; i++) {
    const price = Math.round(rng.uniform(15, 400) * 100) / 100;
    const unitCost = Math.round(price * rng.uniform(0.5, 0.72) * 100) / 100;
    const intermittent = rng.next() < 0.04;
    const level = intermittent
      ? rng.uniform(2, 15)
      : Math.exp(rng.uniform(Math.log(200), Math.log(6000)));
    shapes.push({
      level,
      trend: rng.uniform(-0.006, 0.015),
      amplitude: rng.next() < 0.2 ? 0 : rng.uniform(0.05, 0.4),
      peak: rng.int(1, 12),
      noise: rng.uniform(0.04, 0.14),
      intermittent,
    });
    const subcontractCost =
      rng.next() < 0.8 ? Math.round(unitCost * rng.uniform(1.2, 1.45) * 100) / 100 : null;
    // Subcontracting: about half the families, at a premium, and only so much a month.
    const canSubcontract = subcontractCost !== null && terms.next() < 0.65;
    const subcontractLimit = canSubcontract ? Math.round(level * terms.uniform(0.1, 0.3)) : null;
    // Fresh or fashion ranges keep 2 to 4 months.
    const shelfLifeMonths = terms.next() < 0.25 ? terms.int(2, 4) : null;
    families.push({
      code: `FAM-${i}`,
      name: `${ADJECTIVES[(i - 1) % ADJECTIVES.length]} ${NOUNS[Math.floor((i - 1) / ADJECTIVES.length) % NOUNS.length]}${i > 100 ? ` ${Math.ceil(i / 100)}` : ''}`,
      unit: 'units',
      price,
      unitCost,
      holdingCost: Math.round(unitCost * 0.02 * 100) / 100,
      backlogCost: Math.round(price * 0.06 * 100) / 100,
      subcontractCost: canSubcontract ? Math.round((subcontractCost ?? 0) * 115) / 100 : null,
      subcontractLimit,
      shelfLifeMonths,
      safetyStock: Math.round(level * rng.uniform(0.2, 0.5)),
    });
  }

  const demandAt = (f: number, k: number, promo: boolean): number => {
    const s = shapes[f]!;
    if (s.intermittent) return rng.next() < 0.45 ? Math.round(s.level * rng.uniform(0.5, 2)) : 0;
    const month = ((k % 12) + 12) % 12;
    const season = 1 + s.amplitude * Math.cos((2 * Math.PI * (month + 1 - s.peak)) / 12);
    const mean = s.level * (1 + s.trend) ** k * season * (promo ? rng.uniform(1.3, 1.6) : 1);
    return Math.max(0, Math.round(mean * (1 + s.noise * rng.normal())));
  };

  // Sales history, with promotions (an uplift, then a dip the month after).
  const history: SalesActual[] = [];
  const startMonth = monthOfYear(historyPeriods[0]!) - 1;
  for (let f = 0; f < nf; f++) {
    let dip = false;
    for (let k = 0; k < months; k++) {
      const promo: boolean = !dip && rng.next() < 0.06;
      let units = demandAt(f, startMonth + k, promo);
      if (dip) units = Math.round(units * 0.85);
      dip = promo;
      const fam = families[f]!;
      history.push({
        family: fam.code,
        period: historyPeriods[k]!,
        units,
        revenue: Math.round(units * fam.price * 100) / 100,
      });
    }
  }

  // Forward demand estimate for sizing capacity and the budget.
  const forward: number[][] = families.map((_, f) =>
    planPeriods.map((_, k) => {
      const s = shapes[f]!;
      if (s.intermittent) return s.level * 0.6;
      const kk = startMonth + months + k;
      const month = ((kk % 12) + 12) % 12;
      return (
        s.level *
        (1 + s.trend) ** kk *
        (1 + s.amplitude * Math.cos((2 * Math.PI * (month + 1 - s.peak)) / 12))
      );
    }),
  );

  // Resources: machine lines, one supplier (if 3+), one workforce.
  const nWorkforce = 1;
  const nSupplier = nr >= 3 ? 1 : 0;
  const nLines = Math.max(0, nr - nWorkforce - nSupplier);
  const loads: Load[] = [];
  const resources: Resource[] = [];
  const lineCodes = Array.from({ length: nLines }, (_, i) => `LINE-${i + 1}`);
  const lineLoad = new Map<string, number[]>();
  for (const code of lineCodes)
    lineLoad.set(
      code,
      planPeriods.map(() => 0),
    );
  const crewLoad = planPeriods.map(() => 0);
  const supplierLoad = planPeriods.map(() => 0);
  families.forEach((fam, f) => {
    const hoursPerUnit = Math.round(rng.uniform(0.02, 0.25) * 1000) / 1000;
    const routes =
      lineCodes.length === 0
        ? []
        : lineCodes.length === 1 || rng.next() < 0.7
          ? [rng.pick(lineCodes)]
          : [rng.pick(lineCodes), rng.pick(lineCodes)];
    for (const line of new Set(routes)) {
      const perUnit = Math.round(rng.uniform(0.01, 0.08) * 1000) / 1000;
      loads.push({ family: fam.code, resource: line, perUnit });
      const acc = lineLoad.get(line)!;
      forward[f]!.forEach((d, k) => {
        acc[k]! += d * perUnit;
      });
    }
    loads.push({ family: fam.code, resource: 'CREW-1', perUnit: hoursPerUnit });
    forward[f]!.forEach((d, k) => {
      crewLoad[k]! += d * hoursPerUnit;
    });
    if (nSupplier && rng.next() < 0.5) {
      loads.push({ family: fam.code, resource: 'SUP-1', perUnit: 1 });
      forward[f]!.forEach((d, k) => {
        supplierLoad[k]! += d;
      });
    }
  });
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const capacities: CapacityLine[] = [];
  for (const code of lineCodes) {
    const load = lineLoad.get(code)!;
    const cap = Math.max(8, Math.round(mean(load) * rng.uniform(1.05, 1.3)));
    resources.push({
      code,
      name: `Line ${code.slice(5)}`,
      kind: 'line',
      unit: 'hours',
      regularCapacity: cap,
      overtimeLimit: Math.round(cap * 0.15),
      overtimeCost: Math.round(rng.uniform(60, 120)),
      workforce: null,
    });
    // The summer shutdown and the year-end holidays reduce every line; some lines also have
    // a maintenance month at reduced capacity.
    for (const p of planPeriods) {
      const m = monthOfYear(p);
      if (m === 8 || m === 12) {
        capacities.push({
          resource: code,
          period: p,
          capacity: Math.round(cap * (m === 8 ? 0.7 : 0.85)),
          overtimeLimit: null,
        });
      }
    }
    if (rng.next() < 0.3) {
      let k = rng.int(2, planPeriods.length - 1);
      while ([8, 12].includes(monthOfYear(planPeriods[k]!))) k = (k + 1) % planPeriods.length;
      capacities.push({
        resource: code,
        period: planPeriods[k]!,
        capacity: Math.round(cap * 0.6),
        overtimeLimit: Math.round(cap * 0.05),
      });
    }
  }
  if (nSupplier) {
    const cap = Math.max(10, Math.round(mean(supplierLoad) * 1.15));
    resources.push({
      code: 'SUP-1',
      name: 'Main component supplier',
      kind: 'supplier',
      unit: 'units',
      regularCapacity: cap,
      overtimeLimit: Math.round(cap * 0.1),
      overtimeCost: 4,
      workforce: null,
    });
  }
  const hoursPerWorker = 160;
  const workers = Math.max(1, Math.round((mean(crewLoad) * 0.95) / hoursPerWorker));
  resources.push({
    code: 'CREW-1',
    name: 'Assembly crew',
    kind: 'workforce',
    unit: 'hours',
    regularCapacity: workers * hoursPerWorker,
    overtimeLimit: workers * 20,
    overtimeCost: 42,
    workforce: {
      initialWorkers: workers,
      hoursPerWorker,
      costPerWorker: 4800,
      hireCost: 2500,
      layoffCost: 3500,
      overtimeHoursPerWorker: 20,
      minWorkers: Math.max(1, Math.round(workers * 0.6)),
      maxWorkers: Math.round(workers * 1.5),
    },
  });

  // Inventory: the last three month-ends of history.
  const inventory: InventorySnapshot[] = [];
  families.forEach((fam, f) => {
    for (const back of [2, 1, 0]) {
      const k = months - 1 - back;
      if (k < 0) continue;
      const level = shapes[f]!.level;
      inventory.push({
        family: fam.code,
        period: historyPeriods[k]!,
        onHand: Math.round(level * rng.uniform(0.3, 1.2)),
        backlog: rng.next() < 0.1 ? Math.round(level * rng.uniform(0.02, 0.1)) : 0,
      });
    }
  });

  // Budget: the forward estimate with the usual optimism.
  const budget: BudgetLine[] = [];
  families.forEach((fam, f) => {
    planPeriods.forEach((p, k) => {
      const volume = Math.round(forward[f]![k]! * 1.04);
      budget.push({
        family: fam.code,
        period: p,
        volume,
        revenue: Math.round(volume * fam.price * 100) / 100,
      });
    });
  });

  return { families, resources, loads, history, inventory, budget, capacities };
}
