/**
 * bench/charts: renders each of the four charts RUNS times after a warm-up and prints the
 * median and p95 of the whole render, and, measured in the same loop, of its two stages:
 * vega-lite → vega → SVG, and resvg SVG → PNG (text shaping, rasterising at 2x, PNG
 * encoding). The load average is printed too: on a shared machine it explains the spread.
 * Goal: median under 60 ms.  Run: npx tsx bench/charts.ts
 * (The README's pictures come from the seeded company: SAVE_CHARTS=docs/img npx tsx bench/pipeline.ts.)
 */

import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Resvg } from '@resvg/resvg-js';
import {
  accuracyChart,
  chartSvg,
  DEFAULT_FONT_DIR,
  familyChart,
  gapChart,
  renderChart,
  scenarioChart,
  svgToPng,
} from '../src/charts/index.js';
import { encodePng } from '../src/charts/png.js';
import { flattenOpacity, svgBands } from '../src/charts/raster-prep.js';
import { sampleAccuracy, sampleFamily, sampleGap, sampleScenarios } from '../src/charts/samples.js';
import { outlineText } from '../src/charts/text-paths.js';

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
// Text drawn by resvg against text as outlines (src/charts/text-paths.ts), side by side.
{
  const svg = await chartSvg(charts.gap.spec);
  const withText: number[] = [];
  const outlined: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await svgToPng(svg, { outlineText: false });
    withText.push(performance.now() - t);
    t = performance.now();
    await svgToPng(svg);
    outlined.push(performance.now() - t);
  }
  console.log(
    `SVG to PNG (gap): resvg shaping the text ${q(withText, 0.5).toFixed(1)} ms; text as outlines ${q(outlined, 0.5).toFixed(1)} ms; ratio ${(q(withText, 0.5) / q(outlined, 0.5)).toFixed(2)}x`,
  );
}
// The PNG encoder, side by side with resvg's own, on the same rasterised gap chart.
{
  const svg = await chartSvg(charts.gap.spec);
  const image = new Resvg(svg, {
    font: { fontFiles: [`${DEFAULT_FONT_DIR}/DejaVuSans.ttf`], loadSystemFonts: false },
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
  }).render();
  const theirs: number[] = [];
  const ours: number[] = [];
  let sizes = [0, 0];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const a = image.asPng();
    const t1 = performance.now();
    const b = await encodePng([{ pixels: image.pixels, height: image.height }], image.width);
    const t2 = performance.now();
    theirs.push(t1 - t0);
    ours.push(t2 - t1);
    sizes = [a.length, b.length];
  }
  console.log(
    `PNG encoding (gap, ${image.width}x${image.height}): resvg asPng ${q(theirs, 0.5).toFixed(1)} ms, ${(sizes[0]! / 1024).toFixed(0)} KB; encodePng ${q(ours, 0.5).toFixed(1)} ms, ${(sizes[1]! / 1024).toFixed(0)} KB; ratio ${(q(theirs, 0.5) / q(ours, 0.5)).toFixed(2)}x`,
  );
}
// Rasterising and deflating in bands on libuv's thread pool against the picture whole.
{
  const svg = await chartSvg(charts.gap.spec);
  const whole: number[] = [];
  const banded: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await svgToPng(svg, { bands: 1 });
    whole.push(performance.now() - t);
    t = performance.now();
    await svgToPng(svg);
    banded.push(performance.now() - t);
  }
  console.log(
    `SVG to PNG (gap): whole ${q(whole, 0.5).toFixed(1)} ms; in ${svgBands(flattenOpacity(outlineText(svg, DEFAULT_FONT_DIR)), 2).length} bands ${q(banded, 0.5).toFixed(1)} ms; ratio ${(q(whole, 0.5) / q(banded, 0.5)).toFixed(2)}x (${availableParallelism()} cores)`,
  );
}
const cpuAtEnd = cpuTimes();
const steal =
  cpuAtStart && cpuAtEnd && cpuAtEnd.total > cpuAtStart.total
    ? `; CPU stolen by the hypervisor during the run ${((100 * (cpuAtEnd.steal - cpuAtStart.steal)) / (cpuAtEnd.total - cpuAtStart.total)).toFixed(0)}%`
    : '';
console.log(
  `median of the four medians: ${q(medians, 0.5).toFixed(1)} ms (goal: < 60 ms); load average now ${loadavg()[0]!.toFixed(1)}${steal}`,
);
