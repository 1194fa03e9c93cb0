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
  if (want.has('gap') && data.gap.length > 0)
    out.push({
      key: `run:${runId}:gap`,
      kind: 'gap',
      filename: `run-${runId}-gap.png`,
      role: CHART_CHANNEL.gap,
      build: () => gapChart(data.gap),
    });
  if (want.has('scenarios') && data.scenarios.length > 0)
    out.push({
      key: `run:${runId}:scenarios`,
      kind: 'scenarios',
      filename: `run-${runId}-scenarios.png`,
      role: CHART_CHANNEL.scenarios,
      build: () => scenarioChart(data.scenarios),
    });
  const cash = data.cash;
  if (want.has('cash') && cash)
    out.push({
      key: `run:${runId}:cash`,
      kind: 'cash',
      filename: `run-${runId}-cash.png`,
      role: CHART_CHANNEL.cash,
      build: () => cashChart(cash.series, cash.budget),
    });
  if (want.has('family'))
    for (const f of data.families)
      out.push({
        key: `run:${runId}:family:${f.family}`,
        kind: 'family',
        filename: `run-${runId}-${slug(f.family)}.png`,
        role: CHART_CHANNEL.family,
        build: () => familyChart(f),
      });
  if (want.has('accuracy') && data.accuracy.length > 0)
    out.push({
      key: `run:${runId}:accuracy`,
      kind: 'accuracy',
      filename: `run-${runId}-accuracy.png`,
      role: CHART_CHANNEL.accuracy,
      build: () => accuracyChart(data.accuracy),
    });
  return out;
}
