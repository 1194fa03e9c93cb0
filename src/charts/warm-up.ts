/**
 * Warm the renderer in a new worker before real charts arrive. The first render of each
 * chart kind compiles its shape, and V8 needs several renders of each before vega runs at
 * full speed: in a fresh process the first chart takes several times as long as once warm
 * (bench/pipeline).
 * The sample charts are drawn in rotation, one at a time with the event loop free between
 * them, so jobs that arrive meanwhile are not held up; `stop` ends it early.
 */
import { accuracyChart } from './accuracy.js';
import { cashChart } from './cash.js';
import { familyChart } from './family.js';
import { gapChart } from './gap.js';
import { type RenderOptions, renderChart } from './render.js';
import { sampleAccuracy, sampleCash, sampleFamily, sampleGap, sampleScenarios } from './samples.js';
import { scenarioChart } from './scenarios.js';
import type { ChartResult } from './types.js';

/**
 * One sample chart of each kind the jobs post (`CHART_KINDS` in jobs/contracts.ts; a test
 * keeps the two lists equal): what the warm-up draws and bench/charts measures.
 */
export const SAMPLE_CHARTS: Readonly<Record<string, () => ChartResult>> = {
  gap: () => gapChart(sampleGap(20, 24)),
  family: () => familyChart(sampleFamily()),
  scenarios: () => scenarioChart(sampleScenarios()),
  cash: () => {
    const { series, budget } = sampleCash();
    return cashChart(series, budget);
  },
  accuracy: () => accuracyChart(sampleAccuracy()),
};

export interface WarmUp {
  /** Settles when the warm-up has finished or stopped (it never rejects). */
  readonly done: Promise<{ renders: number; error?: Error }>;
  stop(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function warmUpCharts(rounds: number, opts: RenderOptions = {}): WarmUp {
  let stopped = false;
  const done = (async () => {
    const specs = Object.values(SAMPLE_CHARTS).map((chart) => chart().spec);
    let renders = 0;
    try {
      for (let r = 0; r < rounds; r++) {
        for (const spec of specs) {
          await yieldToEventLoop();
          if (stopped) return { renders };
          await renderChart(spec, opts);
          renders++;
        }
      }
      return { renders };
    } catch (err) {
      return { renders, error: err as Error };
    }
  })();
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}
