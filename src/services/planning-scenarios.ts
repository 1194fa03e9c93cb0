/**
 * Scenario assumptions over the consensus plan: the three standard scenarios and the
 * what-ifs people type (core's parser, src/core/scenarios/what-if.ts), applied to the
 * company, the demand and the capacity updates before the plan problem is built.
 */
import type { Company } from '../core/company.js';
import { addMonths, type Period, periodIndex } from '../core/period.js';
import type { WhatIf } from '../core/scenarios/what-if.js';
import type { CapacityUpdate, DemandLine } from '../core/supply/capacity-check.js';

export interface ScenarioDef {
  readonly name: string;
  readonly label: string;
  readonly assumptions: readonly WhatIf[];
}

/** Demand ±10% after the frozen fence; inside it the plan is already committed. */
export function standardScenarios(
  cycleMonth: Period,
  frozenMonths: number,
  lastPlan: Period,
): ScenarioDef[] {
  const from = addMonths(cycleMonth, frozenMonths);
  const range = periodIndex(from) <= periodIndex(lastPlan) ? { from, to: lastPlan } : null;
  const demand = (pct: number): WhatIf[] =>
    range ? [{ kind: 'demand', family: null, pct, ...range }] : [];
  return [
    { name: 'central', label: 'Central (consensus)', assumptions: [] },
    { name: 'cautious', label: 'Cautious (demand −10%)', assumptions: demand(-10) },
    { name: 'ambitious', label: 'Ambitious (demand +10%)', assumptions: demand(10) },
  ];
}

export interface ScenarioInputs {
  readonly company: Company;
  readonly demand: readonly DemandLine[];
  readonly updates: readonly CapacityUpdate[];
  readonly options: { overtime?: boolean; subcontracting?: boolean };
}

const within = (p: Period, from?: Period, to?: Period): boolean =>
  (from === undefined || periodIndex(p) >= periodIndex(from)) &&
  (to === undefined || periodIndex(p) <= periodIndex(to));

/** Names of families and resources a what-if refers to that the company does not have. */
export function unknownNames(company: Company, whatIfs: readonly WhatIf[]): string[] {
  const fams = new Set(company.families.map((f) => f.code));
  const res = new Set(company.resources.map((r) => r.code));
  const out: string[] = [];
  for (const w of whatIfs) {
    if ((w.kind === 'demand' || w.kind === 'price') && w.family !== null && !fams.has(w.family))
      out.push(`family '${w.family}'`);
    if (w.kind === 'capacity' && !res.has(w.resource)) out.push(`resource '${w.resource}'`);
  }
  return out;
}

export function applyWhatIfs(
  base: ScenarioInputs,
  whatIfs: readonly WhatIf[],
  periods: readonly Period[],
): ScenarioInputs {
  let { company, demand, updates } = base;
  const options = { ...base.options };
  for (const w of whatIfs) {
    switch (w.kind) {
      case 'demand':
        demand = demand.map((d) =>
          (w.family === null || d.family === w.family) && within(d.period, w.from, w.to)
            ? { ...d, units: Math.max(0, d.units * (1 + w.pct / 100)) }
            : d,
        );
        break;
      case 'capacity':
        updates = [
          ...updates,
          ...periods
            .filter((p) => within(p, w.from, w.to))
            .map((period) => ({
              id: `whatif-${w.resource}-${period}`,
              resource: w.resource,
              period,
              kind: 'delta_pct' as const,
              value: w.pct,
              reason: 'what-if',
            })),
        ];
        break;
      case 'overtime':
        options.overtime = w.allowed;
        break;
      case 'subcontracting':
        options.subcontracting = w.allowed;
        break;
      case 'price':
        company = {
          ...company,
          families: company.families.map((f) =>
            w.family === null || f.code === w.family
              ? { ...f, price: f.price * (1 + w.pct / 100) }
              : f,
          ),
        };
        break;
    }
  }
  return { company, demand, updates, options };
}
