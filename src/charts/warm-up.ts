/**
 * Warm the renderer in a new worker before real charts arrive. The first render of each
 * chart kind compiles its shape, and V8 needs several renders of each before vega runs at
 * full speed: in a fresh process the first chart takes several times as long as once warm
 * (bench/pipeline).
 * The sample charts are drawn in rotation, one at a time with the event loop free between
 * them, so jobs that arrive meanwhile are not held up; `stop` ends it early.
 */
import { accuracyChart } from './accuracy.js';
import { familyChart } from './family.js';
import { gapChart } from './gap.js';
import { type RenderOptions, renderChart } from './render.js';
import { sampleAccuracy, sampleFamily, sampleGap, sampleScenarios } from './samples.js';
import { scenarioChart } from './scenarios.js';

export interface WarmUp {
  /** Settles when the warm-up has finished or stopped (it never rejects). */
  readonly done: Promise<{ renders: number; error?: Error }>;
  stop(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function warmUpCharts(rounds: number, opts: RenderOptions = {}): WarmUp {
  let stopped = false;
  const done = (async () => {
    const specs = [
      gapChart(sampleGap(20, 24)).spec,
      familyChart(sampleFamily()).spec,
      scenarioChart(sampleScenarios()).spec,
      accuracyChart(sampleAccuracy()).spec,
    ];
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
