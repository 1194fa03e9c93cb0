/**
 * bench/charts: renders each of the five charts RUNS times after a warm-up and prints the
 * median and p95 of the whole render, and, measured in the same loop, of its two stages:
 * vega-lite → vega → SVG, and resvg SVG → PNG (text shaping, rasterising at 2x, PNG
 * encoding). The load average is printed too: on a shared machine it explains the spread.
 * Goal: median under 100 ms (a chart is drawn a few times a day; bench/libraries.ts compares
 * this path with the hand-made one it replaced).  Run: npx tsx bench/charts.ts
 * (The README's pictures come from the seeded company: SAVE_CHARTS=docs/img npx tsx bench/pipeline.ts.)
 */

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { chartSvg, renderChart, svgToPng } from '../src/charts/index.js';
import { SAMPLE_CHARTS } from '../src/charts/warm-up.js';

const RUNS = Number(process.env.RUNS ?? 20);
/** CPU time the hypervisor gave to other guests (Linux's steal), in jiffies, and all of it. */
function cpuTimes(): { steal: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { steal: f[7] ?? 0, total: f.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}
const cpuAtStart = cpuTimes();
/** Every chart kind the jobs post, drawn from its sample (the warm-up's list). */
const charts = Object.fromEntries(
  Object.entries(SAMPLE_CHARTS).map(([name, chart]) => [name, chart()]),
);
const q = (xs: number[], f: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
};
const ms = (n: number) => n.toFixed(1).padStart(8);
const medians: number[] = [];
console.log(
  `bench/charts: ${RUNS} renders each after 3 warm-ups; load average ${loadavg()[0]!.toFixed(1)}`,
);
console.log('chart       total med   p95   | svg med  png med |  PNG px     KB');
for (const [name, c] of Object.entries(charts)) {
  for (let i = 0; i < 3; i++) await renderChart(c.spec);
  const total: number[] = [];
  const svgT: number[] = [];
  const pngT: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await renderChart(c.spec);
    const t1 = performance.now();
    const svg = await chartSvg(c.spec);
    const t2 = performance.now();
    await svgToPng(svg);
    const t3 = performance.now();
    total.push(t1 - t0);
    svgT.push(t2 - t1);
    pngT.push(t3 - t2);
  }
  const last = await renderChart(c.spec);
  medians.push(q(total, 0.5));
  console.log(
    `${name.padEnd(10)} ${ms(q(total, 0.5))} ${ms(q(total, 0.95))} | ${ms(q(svgT, 0.5))} ${ms(q(pngT, 0.5))} | ${`${last.width}x${last.height}`.padStart(9)} ${(last.png.length / 1024).toFixed(0).padStart(5)}`,
  );
}
const cpuAtEnd = cpuTimes();
const steal =
  cpuAtStart && cpuAtEnd && cpuAtEnd.total > cpuAtStart.total
    ? `; CPU stolen by the hypervisor during the run ${((100 * (cpuAtEnd.steal - cpuAtStart.steal)) / (cpuAtEnd.total - cpuAtStart.total)).toFixed(0)}%`
    : '';
console.log(
  `median of the ${medians.length} medians: ${q(medians, 0.5).toFixed(1)} ms (goal: < 100 ms); load average now ${loadavg()[0]!.toFixed(1)}${steal}`,
);
