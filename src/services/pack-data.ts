/**
 * What the executive meeting pack holds: the answers to the ten questions of
 * docs/sop-domain.md as data. `buildPack` (services/pack.ts) fills it; the Markdown export
 * (services/pack-markdown.ts) and the Slack presenter show it.
 */
import type { BillGap } from '../core/finance.js';
import type { BudgetGap, Mover } from '../core/pack-kpis.js';
import type { FamilyShortfall } from '../core/shortfall.js';
import type { PriceKind } from '../core/supply/duals.js';
import type { DecisionVote } from '../core/vote.js';
import type { PackLoop } from './pack-loop.js';

/** Targets the KPIs are shown against. */
export const KPI_TARGETS = {
  accuracy: 0.8,
  absBias: 0.05,
  fillRate: 0.95,
  averageUtilisation: 0.9,
} as const;

export interface PackData {
  readonly cycle: { readonly id: number; readonly month: string; readonly phase: string };
  readonly runId: string | null;
  readonly scenario: string | null;
  readonly previous: { readonly month: string; readonly runId: string | null } | null;
  /** Q1 */
  readonly changes: {
    readonly periods: readonly string[];
    readonly consensusNow: number;
    readonly consensusBefore: number | null;
    /**
     * Resources whose capacity over the common months differs from the previous plan's, in
     * their own units (hours and units do not add up), the largest relative change first.
     */
    readonly capacity: readonly CapacityMove[];
    readonly movers: readonly Mover[];
  };
  /** Q2 */
  readonly kpis: {
    readonly accuracy: number | null;
    readonly bias: number | null;
    readonly pairs: number;
    readonly cycles: readonly string[];
    /** The central plan's fill rate if demand comes as forecast (the LP's own). */
    readonly fillRate: number | null;
    /** Its fill rate against the demand samples, expected and at P10 (null before the stress test). */
    readonly expectedFillRate: number | null;
    readonly fillRateP10: number | null;
    readonly averageUtilisation: number | null;
    readonly peakUtilisation: number | null;
  };
  /** Q3: actuals against the previous cycle's consensus. */
  readonly families: readonly {
    readonly family: string;
    readonly periods: readonly string[];
    readonly actual: number;
    readonly forecast: number;
    readonly deltaPct: number | null;
  }[];
  /** Q4 */
  readonly finance: {
    readonly periods: readonly string[];
    readonly revenue: number;
    /** The plan's months the budget has lines for, and the plan's revenue over them. */
    readonly budgetPeriods: readonly string[];
    readonly revenueInBudget: number;
    /** Budget revenue over `budgetPeriods`; the gap is `revenueInBudget` against it. */
    readonly budget: number | null;
    readonly gapPct: number | null;
    readonly cost: number | null;
    /** The one margin (src/core/finance.ts): revenue − the plan's cash costs + stock change. */
    readonly margin: number | null;
    readonly marginPct: number | null;
    /** The central plan against the demand samples (null before the stress test). */
    readonly expectedMargin: number | null;
    readonly marginP10: number | null;
    readonly cashFlow: number | null;
    readonly cashFlowP10: number | null;
    /** The budget's cumulative cash at its last month in the horizon. */
    readonly budgetCashFlow: number | null;
    /** That month (the horizon's last unless the budget ends sooner), and cash at P10 against it. */
    readonly budgetCashPeriod: string | null;
    readonly cashP10VsBudget: number | null;
    /** Expected peak working capital over the horizon. */
    readonly workingCapital: number | null;
    /** Its bad case, the P90 over the samples; null for runs stored before it was kept. */
    readonly workingCapitalP90: number | null;
    /**
     * Expected peak over the budget's months (to `budgetCashPeriod`), and it against the
     * budget's peak there; null without a budget (the peak there: also for runs from before
     * it was kept, whose gap is the horizon's peak against the budget's).
     */
    readonly workingCapitalInBudget: number | null;
    /** Its bad case there (the P90); null without a budget and for runs from before it was kept. */
    readonly workingCapitalInBudgetP90: number | null;
    readonly workingCapitalVsBudget: number | null;
    /**
     * What customers owed when the plan's first month began, whose collections the cash
     * counts; null when they are not counted (no sales history for those months, or a run
     * stored before they were).
     */
    readonly openingReceivables: number | null;
    /**
     * What the company owed for the production of the months before the plan's first, whose
     * payments the cash counts; null when they are not counted (no production actuals for
     * those months, or a run stored before they were).
     */
    readonly openingPayables: number | null;
    /**
     * With `openingPayables` null or estimated: the family still producing whose production a month
     * lacks (the central scenario's stress test has it), for the words; else null.
     */
    readonly openingPayablesGap?: BillGap | null;
    /** `openingPayables` estimated from the sales of those months at unit cost. */
    readonly openingPayablesEstimated?: boolean;
  };
  /** Q5 */
  readonly risks: {
    /** One per constraint (the months of one request, as `/sop constraints` lists them). */
    readonly constraints: readonly {
      readonly resource: string;
      /** Its months: "2027-03–2027-06", or one month. */
      readonly period: string;
      readonly reason: string;
      readonly comment: string | null;
      /** Entered in this cycle. */
      readonly isNew: boolean;
      /** The month of the cycle it was entered in; null: tied to no cycle. */
      readonly enteredIn: string | null;
    }[];
    readonly flagged: readonly {
      readonly family: string;
      readonly period: string;
      readonly author: string;
      readonly reason: string;
      readonly zone: string;
    }[];
  };
  /** Q6 */
  readonly decisions: {
    readonly scenarios: readonly {
      readonly name: string;
      readonly label: string;
      readonly status: string;
      /** Why a scenario has no plan (the solver's diagnosis); null for an optimal one. */
      readonly message?: string | null;
      readonly totalCost: number | null;
      readonly fillRate: number | null;
      readonly revenue: number;
      readonly serviceAtRisk: number | null;
      readonly excessInventoryValue: number | null;
      /** What adopting it accepts, in one sentence (src/core/scenarios/trade-off.ts). */
      readonly tradeOff: string | null;
    }[];
    readonly poll: { readonly id: string; readonly status: string } | null;
    readonly decided: {
      readonly scenario: string;
      readonly by: string;
      /** The executives' vote it was taken on; null when it was recorded without one. */
      readonly vote: DecisionVote | null;
      /** Why, in the words it was recorded with. */
      readonly rationale: string;
      /** The follow-up actions it set (Q10), in id order, each with its owner and due date. */
      readonly actions: readonly {
        readonly id: string;
        readonly owner: string;
        readonly due: string;
        readonly description: string;
        readonly status: 'open' | 'done' | 'cancelled';
      }[];
    } | null;
  };
  /** Q7 */
  readonly productDevelopment: readonly {
    readonly family: string;
    readonly period: string;
    readonly reason: string;
    readonly before: number | null;
    readonly after: number | null;
    readonly author: string;
    /** Carried from an earlier cycle (src/services/carry-over.ts): no before → after of its own. */
    readonly carried: boolean;
  }[];
  /**
   * Q8: the families whose demand the central plan does not meet (lost sales and the backlog
   * left at the end) above SHORTFALL_SHARE of their demand, the largest first, with the cause.
   */
  readonly shortfalls?: readonly FamilyShortfall[];
  /** Q8 */
  readonly overloads: readonly {
    readonly resource: string;
    readonly period: string;
    readonly utilisation: number;
  }[];
  /**
   * Q8, ranked by money: the binding capacities of the central plan with the highest shadow
   * prices (what one more unit is worth), at most five. Absent for runs without duals.
   */
  readonly criticalConstraints?: readonly {
    readonly resource: string;
    readonly period: string;
    readonly unit: string;
    readonly shadowPrice: number;
    /**
     * Exact, or the dual's rate (shown "at most", with its note); null: stored before the
     * kind was kept (an older run, also shown as a bound).
     */
    readonly shadowPriceKind: PriceKind | null;
    /** Load over regular capacity (above 1: on overtime), as peak utilisation counts it. */
    readonly utilisation: number | null;
    /**
     * The plan's last month: nothing after it can take its orders (the ending backlog limit)
     * or its ending stock, so its price carries the horizon's end and may overstate it.
     */
    readonly lastMonth?: boolean;
  }[];
  /** Q9: the units the plan delivers against the budget's sales volume (BudgetGap). */
  readonly longTerm: BudgetGap;
  /** The loop: performance review (Q2, Q3), what changed (Q1), follow-through (Q10). */
  readonly loop: PackLoop | null;
  /** Q10 */
  readonly actions: readonly {
    readonly id: string;
    readonly cycle: string;
    readonly owner: string;
    readonly due: string;
    readonly description: string;
    readonly overdue: boolean;
    /** Raised by weekly S&OE in this cycle, since the last meeting (else an earlier cycle's). */
    readonly soe?: boolean;
    /** Who made it from a Slack message (in this cycle or, by `cycle`, an earlier one). */
    readonly raisedBy?: string;
  }[];
  /**
   * Q10 (and Q1's count): the owners of open actions (those above and this meeting's decision's)
   * whose Slack account is deactivated, as users.info said when the pack was built: nobody will
   * do their actions until they are reassigned. Empty or absent when Slack was not asked (no
   * client: a CLI without a token) or did not answer: the pack then marks nobody.
   */
  readonly ownersWhoLeft?: readonly string[];
}

/** One resource's capacity over the common months, now and in the previous cycle's plan. */
export interface CapacityMove {
  readonly resource: string;
  readonly unit: string;
  /** A crew's capacity is the plan's headcount × hours: a decision, not a given. */
  readonly workforce: boolean;
  readonly now: number;
  readonly before: number;
}
