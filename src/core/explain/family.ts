/**
 * The chain behind one family's figure in one month: history, the baseline and why, each
 * adjustment that counts (with its author's and its reason's forecast value added so far),
 * the consensus they add up to, how the latest plan serves that demand, and the figure in
 * each scenario. Pure: the service gathers the inputs, presenters format the result.
 *
 * Two identities hold and are checked (`checks`):
 * - baseline + Σ step changes = consensus (steps come from core consensus, in order);
 * - demand = production + subcontracted + from stock + backlogged + lost, where "from
 *   stock" is last month's stock minus this month's minus what expired and was scrapped
 *   (negative: stock was built) and
 *   "backlogged" is this month's backlog minus last month's (negative: late orders served).
 */
import { type AdjustmentKind, type ConsensusLine, OVERRIDE_ROLES } from '../consensus.js';
import type { AdjustmentFva } from '../kpi.js';
import { addMonths, type Period } from '../period.js';
import type { DemandPriceKind, PriceKind } from '../supply/duals.js';
import type { FamilyPeriodPlan } from '../supply/solve.js';
import { type BaselineWhy, describeBaseline } from './baseline.js';

export interface HistoryPoint {
  readonly period: Period;
  readonly units: number;
}

export interface BaselineFigures {
  readonly value: number;
  readonly lo80: number | null;
  readonly hi80: number | null;
  readonly lo95: number | null;
  readonly hi95: number | null;
}

export interface AdjustmentMeta {
  readonly status: 'accepted' | 'flagged';
  readonly zone: 'frozen' | 'slushy' | 'liquid';
  readonly createdAt: string;
}

export interface ExplainStep {
  readonly id: string;
  readonly author: string;
  readonly kind: AdjustmentKind;
  /** The value as typed (=1200, +200, +15%). */
  readonly value: number;
  readonly before: number;
  readonly after: number;
  /** after − before. */
  readonly change: number;
  readonly reasonCode: string;
  readonly comment: string | null;
  /** 'override': a planner's or an executive's set; 'floor': the system step at zero. */
  readonly role: 'adjustment' | 'override' | 'floor';
  readonly flagged: boolean;
  readonly zone: AdjustmentMeta['zone'] | null;
  /** FVA of the author's and of the reason's earlier adjustments, once actuals came in. */
  readonly authorFva: AdjustmentFva | null;
  readonly reasonFva: AdjustmentFva | null;
}

/** One family-month row of a stored scenario: the solved plan's figures and the revenue. */
export type PlanFamilyRow = Pick<
  FamilyPeriodPlan,
  'demand' | 'production' | 'subcontract' | 'inventory' | 'backlog' | 'lostSales'
> & {
  readonly revenue: number;
  /** Units that expired in the month and were scrapped (0 without a shelf life). */
  readonly scrapped: number;
};

export interface ResourceMonthRow {
  readonly resource: string;
  readonly load: number;
  readonly capacity: number;
  readonly overtime: number;
  /** The most overtime the plan allowed; null when the run did not keep it. */
  readonly overtimeLimit: number | null;
  /** What one more unit of capacity is worth in this month, when known. */
  readonly shadowPrice: number | null;
  /** Exact, or the dual's rate (at most that); null when not kept (an older run). */
  readonly shadowPriceKind: PriceKind | null;
}

export interface SupplyBreakdown {
  readonly demand: number;
  readonly production: number;
  readonly subcontract: number;
  /**
   * Stock that served demand: last month's stock − this month's − what expired (negative:
   * stock was built).
   */
  readonly fromStock: number;
  /** Units that expired and were scrapped: they left the stock without serving demand. */
  readonly scrapped: number;
  /** This month's backlog − last month's (negative: earlier orders served late). */
  readonly backlogged: number;
  readonly lost: number;
  readonly closingInventory: number;
  readonly closingBacklog: number;
}

export interface ResourceUse {
  readonly resource: string;
  readonly perUnit: number;
  /** perUnit × this family's production. */
  readonly familyLoad: number;
  readonly load: number;
  readonly capacity: number;
  readonly overtime: number;
  readonly overtimeLimit: number | null;
  readonly shadowPrice: number | null;
  readonly shadowPriceKind: PriceKind | null;
  /** full: regular capacity and the overtime allowed are used up; overtime: some overtime. */
  readonly state: 'full' | 'overtime' | 'spare';
}

export interface FamilyPlanExplanation {
  readonly runId: string;
  readonly scenario: string;
  readonly supply: SupplyBreakdown;
  /** Whether the run planned for today's consensus (false: adjustments came after it). */
  readonly matchesConsensus: boolean;
  readonly frozen: boolean;
  /**
   * What one more unit demanded this month would add to the plan's cost (the run's price of
   * that step, src/core/supply/duals.ts); null when no plan meets it (`unserved`) or the run
   * kept no price (an integer program).
   */
  readonly marginalCost: number | null;
  /**
   * How marginalCost was had (DemandPriceKind); null when not kept (none, or an older run's
   * figure below its lost sale: storedDemandPrice).
   */
  readonly marginalCostKind: DemandPriceKind | null;
  /** The run's last month: its capacity prices carry LAST_MONTH_NOTE. */
  readonly lastMonth: boolean;
  readonly resources: readonly ResourceUse[];
  /** The constraint that binds, in words; null when none does. */
  readonly binding: string | null;
}

export interface ScenarioValue {
  readonly name: string;
  readonly label: string;
  readonly status: string;
  readonly demand: number | null;
  readonly production: number | null;
  readonly revenue: number | null;
}

export interface FamilyMonthExplanation {
  readonly family: string;
  readonly period: Period;
  readonly history: readonly HistoryPoint[];
  readonly sameMonthLastYear: HistoryPoint | null;
  readonly baseline: BaselineFigures | null;
  readonly model: BaselineWhy | null;
  readonly steps: readonly ExplainStep[];
  readonly superseded: number;
  readonly consensus: number;
  readonly plan: FamilyPlanExplanation | null;
  readonly scenarios: readonly ScenarioValue[];
  readonly checks: {
    /** baseline + Σ changes − consensus (0 when the chain adds up). */
    readonly chainGap: number;
    /** demand − Σ supply parts (0 when it adds up); null without a plan. */
    readonly supplyGap: number | null;
  };
}

export interface FamilyMonthInput {
  readonly family: string;
  readonly period: Period;
  /** The family's sales history, any order. */
  readonly history: readonly HistoryPoint[];
  /** The cycle's month: history is what came before it. */
  readonly cycleMonth: Period;
  readonly model: {
    readonly method: string;
    readonly params: Readonly<Record<string, number>>;
    readonly aicc: number | null;
  } | null;
  readonly baseline: BaselineFigures | null;
  /** Consensus of this family and month (core computeConsensus). */
  readonly consensus: ConsensusLine;
  readonly meta: ReadonlyMap<string, AdjustmentMeta>;
  readonly fvaByPerson: Readonly<Record<string, AdjustmentFva>>;
  readonly fvaByReason: Readonly<Record<string, AdjustmentFva>>;
  readonly plan: {
    readonly runId: string;
    readonly scenario: string;
    readonly row: PlanFamilyRow;
    /** Stock and backlog at the end of the previous month (the opening ones in month 1). */
    readonly previous: { readonly inventory: number; readonly backlog: number };
    readonly frozen: boolean;
    readonly marginalCost: number | null;
    readonly marginalCostKind: DemandPriceKind | null;
    /** True when this is the run's last month. */
    readonly lastMonth: boolean;
    readonly loads: readonly { readonly resource: string; readonly perUnit: number }[];
    readonly resources: readonly ResourceMonthRow[];
  } | null;
  readonly scenarios: readonly ScenarioValue[];
}

const EPS = 1e-6;

/** Σ parts of a supply breakdown (what must equal its demand). */
export function supplyTotal(s: SupplyBreakdown): number {
  return s.production + s.subcontract + s.fromStock + s.backlogged + s.lost;
}

export function supplyBreakdown(
  row: PlanFamilyRow,
  previous: { inventory: number; backlog: number },
): SupplyBreakdown {
  return {
    demand: row.demand,
    production: row.production,
    subcontract: row.subcontract,
    fromStock: previous.inventory - row.inventory - row.scrapped,
    scrapped: row.scrapped,
    backlogged: row.backlog - previous.backlog,
    lost: row.lostSales,
    closingInventory: row.inventory,
    closingBacklog: row.backlog,
  };
}

export function resourceState(r: {
  load: number;
  capacity: number;
  overtime: number;
  overtimeLimit: number | null;
}): ResourceUse['state'] {
  const tol = EPS * Math.max(1, r.capacity);
  // An unknown overtime limit never makes a resource "full": say only what is known.
  if (r.overtimeLimit !== null && r.load >= r.capacity + r.overtimeLimit - tol && r.load > tol)
    return 'full';
  if (r.overtime > tol) return 'overtime';
  return 'spare';
}

function bindingText(
  resources: readonly ResourceUse[],
  frozen: boolean,
  period: Period,
): string | null {
  if (frozen)
    return `Production in ${period} is frozen: it was fixed by the plan adopted last cycle.`;
  const priced = resources.filter((r) => r.shadowPrice !== null && Math.abs(r.shadowPrice) > EPS);
  const top = [...priced].sort((a, b) => Math.abs(b.shadowPrice!) - Math.abs(a.shadowPrice!))[0];
  if (top) return `${top.resource} in ${period}: its capacity is used up.`;
  const full = resources.find((r) => r.state === 'full');
  if (full)
    return `${full.resource} in ${period}: regular time and the overtime allowed are used up.`;
  const ot = resources.find((r) => r.state === 'overtime');
  if (ot)
    return `${ot.resource} in ${period}: regular capacity is used up; overtime covers the rest.`;
  return null;
}

export function explainFamilyMonth(input: FamilyMonthInput): FamilyMonthExplanation {
  const c = input.consensus;
  const before = input.history
    .filter((h) => h.period < input.cycleMonth)
    .sort((a, b) => (a.period < b.period ? -1 : 1));
  const history = before.slice(-12);
  const lastYear = addMonths(input.period, -12);
  const sameMonthLastYear = input.history.find((h) => h.period === lastYear) ?? null;
  const steps: ExplainStep[] = c.steps
    .filter((s) => s.adjustmentId !== 'baseline')
    .map((s) => {
      const meta = input.meta.get(s.adjustmentId);
      const role: ExplainStep['role'] =
        s.adjustmentId === 'floor'
          ? 'floor'
          : s.kind === 'set' && OVERRIDE_ROLES.includes(s.authorRole)
            ? 'override'
            : 'adjustment';
      return {
        id: s.adjustmentId,
        author: s.author,
        kind: s.kind,
        value: s.value,
        before: s.before,
        after: s.after,
        change: s.after - s.before,
        reasonCode: s.reasonCode,
        comment: s.comment,
        role,
        flagged: meta?.status === 'flagged',
        zone: meta?.zone ?? null,
        authorFva: role === 'floor' ? null : (input.fvaByPerson[s.author] ?? null),
        reasonFva: role === 'floor' ? null : (input.fvaByReason[s.reasonCode] ?? null),
      };
    });
  const chainGap = c.baseline + steps.reduce((a, s) => a + s.change, 0) - c.consensus;

  let plan: FamilyPlanExplanation | null = null;
  let supplyGap: number | null = null;
  if (input.plan) {
    const p = input.plan;
    const supply = supplyBreakdown(p.row, p.previous);
    supplyGap = supply.demand - supplyTotal(supply);
    const resources: ResourceUse[] = p.loads.flatMap((l) => {
      const r = p.resources.find((x) => x.resource === l.resource);
      if (!r) return [];
      return [
        {
          resource: l.resource,
          perUnit: l.perUnit,
          familyLoad: l.perUnit * p.row.production,
          load: r.load,
          capacity: r.capacity,
          overtime: r.overtime,
          overtimeLimit: r.overtimeLimit,
          shadowPrice: r.shadowPrice,
          shadowPriceKind: r.shadowPriceKind,
          state: resourceState(r),
        },
      ];
    });
    plan = {
      runId: p.runId,
      scenario: p.scenario,
      supply,
      matchesConsensus: Math.abs(p.row.demand - c.consensus) <= EPS * Math.max(1, c.consensus),
      frozen: p.frozen,
      marginalCost: p.marginalCost,
      marginalCostKind: p.marginalCostKind,
      lastMonth: p.lastMonth,
      resources,
      binding: bindingText(resources, p.frozen, input.period),
    };
  }
  return {
    family: input.family,
    period: input.period,
    history,
    sameMonthLastYear,
    baseline: input.baseline,
    model: input.model
      ? describeBaseline(input.model.method, input.model.params, input.model.aicc)
      : null,
    steps,
    superseded: c.superseded.length,
    consensus: c.consensus,
    plan,
    scenarios: input.scenarios,
    checks: { chainGap, supplyGap },
  };
}
