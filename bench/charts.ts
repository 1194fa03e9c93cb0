/**
 * bench/charts: renders each of the four charts RUNS times after a warm-up and prints the
 * median and p95 render time (vega-lite compile → vega → SVG → resvg PNG).
 * Goal: median under 60 ms.  Run: npx tsx bench/charts.ts [--write-docs]
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  accuracyChart,
  familyChart,
  gapChart,
  renderChart,
  scenarioChart,
} from '../src/charts/index.js';
import { sampleAccuracy, sampleFamily, sampleGap, sampleScenarios } from '../src/charts/samples.js';

const RUNS = Number(process.env.RUNS ?? 20);
const charts = {
  gap: gapChart(sampleGap(20, 24)),
  family: familyChart(sampleFamily()),
  scenarios: scenarioChart(sampleScenarios()),
  accuracy: accuracyChart(sampleAccuracy()),
};
const q = (xs: number[], f: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
};
const medians: number[] = [];
console.log(`bench/charts: ${RUNS} renders each after 3 warm-ups`);
console.log('chart       median ms   p95 ms   PNG px      PNG KB');
for (const [name, c] of Object.entries(charts)) {
  for (let i = 0; i < 3; i++) await renderChart(c.spec);
  const times: number[] = [];
  let last = await renderChart(c.spec);
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    last = await renderChart(c.spec);
    times.push(performance.now() - t);
  }
  const med = q(times, 0.5);
  medians.push(med);
  console.log(
    `${name.padEnd(10)} ${med.toFixed(1).padStart(10)} ${q(times, 0.95).toFixed(1).padStart(8)}   ${`${last.width}x${last.height}`.padEnd(10)} ${(last.png.length / 1024).toFixed(0).padStart(6)}`,
  );
  if (process.argv.includes('--write-docs')) writeFileSync(`docs/img/${name}.png`, last.png);
}
console.log(`median of the four medians: ${q(medians, 0.5).toFixed(1)} ms (goal: < 60 ms)`);
