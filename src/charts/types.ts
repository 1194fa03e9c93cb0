/**
 * Plain inputs of the chart builders. Jobs map plan-run results to these shapes; the
 * builders never see the database or Slack.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Period } from '../core/period.js';

/** Load against capacity for one resource in one month, in the resource's capacity unit. */
export interface GapPoint {
  readonly resource: string;
  readonly period: Period;
  readonly load: number;
  readonly capacity: number;
  /** The resource's capacity unit ("hours"), for the figures the summary writes. */
  readonly unit?: string;
  /** Extra capacity that overtime can add on top of `capacity` (0 when none). */
  readonly overtimeLimit: number;
  /** Supplier inside its lead time: what arrives was ordered before the plan (fixed). */
  readonly fixedOrder?: boolean;
  /** Supplier: the month's need is above 0 but under the minimum order quantity. */
  readonly belowMinimumOrder?: boolean;
  /** Warehouse: the load is stock at month end, against storage capacity. */
  readonly storage?: boolean;
}

/**
 * One overload of the rough-cut check: the load at consensus demand, each month's demand
 * made in that month, against the capacity in force (src/core/supply/capacity-check.ts).
 */
export interface RoughCutGap {
  readonly resource: string;
  readonly period: Period;
  /** Load − capacity, in the resource's unit. */
  readonly units: number;
  /** That unit ("hours"); a run stored without its resources has none to name. */
  readonly unit?: string;
  /** units / capacity (Infinity with no capacity). */
  readonly relative: number;
  /** Whether the overtime allowed covers it. */
  readonly coveredByOvertime: boolean;
}

/** The rough-cut check's overloads: the largest ones, and how many in all. */
export interface RoughCut {
  /** The largest overloads (a stored run keeps up to 200). */
  readonly gaps: readonly RoughCutGap[];
  /** Resource-months over capacity, all of them. */
  readonly total: number;
  /** Of those, the ones the overtime allowed cannot cover. */
  readonly beyondOvertime: number;
}

export interface HistoryPoint {
  readonly period: Period;
  readonly units: number;
}

/** Statistical forecast with its 80% and 95% prediction intervals. */
export interface BaselinePoint {
  readonly period: Period;
  readonly value: number;
  readonly lo80: number;
  readonly hi80: number;
  readonly lo95: number;
  readonly hi95: number;
}

export interface ConsensusPoint {
  readonly period: Period;
  readonly value: number;
}

export interface AdjustmentPoint {
  readonly period: Period;
  readonly author: string;
  readonly reasonCode: string;
  readonly before: number;
  readonly after: number;
}

export interface FamilySeries {
  readonly family: string;
  readonly history: readonly HistoryPoint[];
  readonly baseline: readonly BaselinePoint[];
  readonly consensus: readonly ConsensusPoint[];
  readonly adjustments: readonly AdjustmentPoint[];
}

/** Headline figures of one scenario (central, cautious, ambitious or a what-if). */
export interface ScenarioKpis {
  readonly scenario: string;
  readonly label: string;
  /** Units delivered on time / units demanded, 0..1. */
  readonly fillRate: number;
  readonly endingInventoryValue: number;
  readonly daysOfSupply: number;
  readonly grossMargin: number;
  readonly revenue: number;
  /** Highest load / capacity over all resource-months (1 = 100%). */
  readonly peakUtilisation: number;
  /** Number of resource-months above 90% utilisation. */
  readonly monthsOver90: number;
  /** The plan against uncertain demand: expected value and the P10–P90 range (absent before the stress test). */
  readonly stress?: {
    readonly fillRate: Spread;
    readonly margin: Spread;
    readonly cashFlow: Spread;
    readonly excessInventoryValue: Spread;
  };
}

export interface Spread {
  readonly expected: number;
  readonly p10: number;
  readonly p90: number;
}

/** Cumulative cash of one scenario at each month's end (expected, and at P10). */
export interface CashSeries {
  readonly scenario: string;
  readonly label: string;
  readonly points: readonly {
    readonly period: Period;
    readonly cumulative: number;
    readonly cumulativeP10: number;
  }[];
}

/** Forecast quality of one closed cycle; all three as fractions (0.05 = 5%). */
export interface AccuracyPoint {
  /** The cycle that made the forecast. */
  readonly cycle: Period;
  /** The month it forecast and is scored on (lag 1: the month after the cycle's). */
  readonly period: Period;
  /** max(0, 1 − WMAPE). */
  readonly accuracy: number;
  /** Σ(F−A)/ΣA: positive means over-forecast. */
  readonly bias: number;
  /** Error of the statistical forecast minus error of the consensus: positive means the process helped. */
  readonly fva: number;
}

/** What every builder returns: the spec to render plus words for Slack and screen readers. */
export interface ChartResult {
  readonly spec: TopLevelSpec;
  readonly title: string;
  /** Describes the chart for screen readers; at most 1000 characters (Slack image alt_text). */
  readonly altText: string;
  /**
   * The numbers that matter, in Slack mrkdwn (the file's comment): names people typed, such
   * as scenario labels, escaped with `esc`. Slack sets no limit of its own on a file's
   * `initial_comment` that docs/slack-platform.md records; each builder keeps its comment short
   * enough to read beside the picture: 600 characters (family, cash, accuracy, review); the
   * capacity check up to 600 for the plan's line plus its rough-cut line (700) and a supplier
   * note of up to 300 for each kind present; the scenario comparison up to 2,500, so that each
   * scenario keeps its whole line (a plan's line reads 150 to 250 characters: the three sample
   * scenarios already take 596, and cut to 600 a run with a what-if or two lost the later
   * scenarios' figures).
   */
  readonly summary: string;
}
