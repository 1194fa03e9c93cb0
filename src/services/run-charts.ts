/**
 * Which charts a plan run gets, where each goes, and its words. Rendering happens in the
 * post-charts job, chart by chart, so a retry re-renders only what the ledger has not posted.
 */

import type { ChartKind } from '../../jobs/contracts.js';
import { accuracyChart, cashChart, familyChart, gapChart, scenarioChart } from '../charts/index.js';
import type { ChartResult } from '../charts/types.js';
import type { RunChartData } from './chart-data.js';

export type ChannelRole = 'demand' | 'supply' | 'exec';

export interface PlannedChart {
  /** Ledger key: unique per run and chart. */
  readonly key: string;
  readonly kind: ChartKind;
  readonly filename: string;
  readonly role: ChannelRole;
  /** Builds the spec and its words (cheap; rendering is separate). */
  build(): ChartResult;
}

export const CHART_CHANNEL: Readonly<Record<ChartKind, ChannelRole>> = {
  gap: 'supply',
  family: 'demand',
  scenarios: 'exec',
  cash: 'exec',
  accuracy: 'demand',
};

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function planCharts(data: RunChartData, kinds: readonly ChartKind[]): PlannedChart[] {
  const runId = data.run.id;
  const want = new Set(kinds);
  const out: PlannedChart[] = [];
  /** One chart of `kind`; `name` tells a family's chart from the others (key and file). */
  const add = (kind: ChartKind, build: () => ChartResult, name?: string) =>
    out.push({
      key: `run:${runId}:${kind}${name === undefined ? '' : `:${name}`}`,
      kind,
      filename: `run-${runId}-${name === undefined ? kind : slug(name)}.png`,
      role: CHART_CHANNEL[kind],
      build,
    });
  if (want.has('gap') && data.gap.length > 0)
    add('gap', () => gapChart(data.gap, data.roughCut ? { roughCut: data.roughCut } : {}));
  if (want.has('scenarios') && data.scenarios.length > 0)
    add('scenarios', () => scenarioChart(data.scenarios));
  const cash = data.cash;
  if (want.has('cash') && cash)
    add('cash', () => cashChart(cash.series, cash.budget, cash.opening));
  if (want.has('family'))
    for (const f of data.families) add('family', () => familyChart(f), f.family);
  if (want.has('accuracy') && data.accuracy.length > 0)
    add('accuracy', () => accuracyChart(data.accuracy));
  return out;
}
