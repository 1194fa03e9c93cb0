import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracyChart,
  cashChart,
  chartSvg,
  chartTheme,
  familyChart,
  gapChart,
  renderChart,
  reviewTrendChart,
  scenarioChart,
  svgToPng,
} from '../../src/charts/index.js';
import { clearShapeCache, shapeCacheSize } from '../../src/charts/render.js';
import {
  sampleAccuracy,
  sampleCash,
  sampleFamily,
  sampleGap,
  sampleScenarios,
} from '../../src/charts/samples.js';
import type { FamilySeries } from '../../src/charts/types.js';

describe('renderer', () => {
  it('draws from a shape compiled for another chart exactly what a fresh compile draws', async () => {
    const fam = (family: string, shift: number) => {
      const base = sampleFamily();
      return familyChart({
        ...base,
        family,
        history: base.history.map((h) => ({ ...h, units: h.units + shift })),
      }).spec;
    };
    // Every load 3% higher: other numbers and colours, the same ranking of resources.
    const gap = (k: number) =>
      gapChart(sampleGap(20, 24).map((p) => ({ ...p, load: p.load * k }))).spec;
    for (const [first, second] of [
      [fam('FAM-1', 0), fam('FAM-77', 250)],
      [gap(1), gap(1.03)],
    ] as const) {
      clearShapeCache();
      const fresh = await chartSvg(second);
      clearShapeCache();
      await chartSvg(first);
      const shapes = shapeCacheSize();
      const reused = await chartSvg(second);
      expect(shapeCacheSize()).toBe(shapes); // no new compile: the shape was shared
      expect(reused).toBe(fresh);
    }
    // The title really is per render: both families' names are drawn, each in its own chart.
    expect(await chartSvg(fam('FAM-77', 0))).toContain('FAM-77: demand history');
    expect(await chartSvg(fam('FAM-1', 0))).not.toContain('FAM-77');
  });

  it('leaves the caller’s data as it was', async () => {
    const spec = familyChart(sampleFamily()).spec as { data?: unknown; layer?: unknown };
    const before = JSON.stringify(spec);
    await chartSvg(spec as Parameters<typeof chartSvg>[0]);
    expect(JSON.stringify(spec)).toBe(before);
  });

  it('names the missing font files and the variable that relocates them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sopbot-fonts-'));
    await expect(renderChart(familyChart(sampleFamily()).spec, { fontDir: empty })).rejects.toThrow(
      /DejaVuSans\.ttf.*SOPBOT_FONT_DIR/s,
    );
  });

  it('never loads data from a URL', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end('[{"a":1},{"a":2}]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const svg = await chartSvg({
        config: chartTheme,
        data: { url: `http://127.0.0.1:${port}/data.json` },
        mark: 'point',
        encoding: { x: { field: 'a', type: 'quantitative' } },
      });
      expect(requests).toBe(0);
      expect(svg).not.toContain('mark-symbol role-mark" role="graphics-object"><path');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('scale sets the PNG pixel ratio', async () => {
    const svg = await chartSvg(accuracyChart(sampleAccuracy()).spec);
    const one = await svgToPng(svg, { scale: 1 });
    const two = await svgToPng(svg, { scale: 2 });
    expect(Math.abs(two.width - 2 * one.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(two.height - 2 * one.height)).toBeLessThanOrEqual(1);
  });
});

describe('family chart', () => {
  it('labels each run of adjustments with who made it and why', async () => {
    const base = sampleFamily();
    const series: FamilySeries = {
      ...base,
      adjustments: [
        { period: '2027-05', author: 'Rita', reasonCode: 'promotion', before: 1500, after: 1800 },
        { period: '2027-06', author: 'Rita', reasonCode: 'promotion', before: 1700, after: 2000 },
        {
          period: '2027-09',
          author: 'Omar',
          reasonCode: 'lost_customer',
          before: 1500,
          after: 1200,
        },
      ],
    };
    const svg = await chartSvg(familyChart(series).spec);
    // One label for the run of two months: drawn once, over its white halo.
    const rita = svg.match(/<text[^>]*>Rita · promotion</g) ?? [];
    expect(rita.filter((t) => !t.includes('stroke="#ffffff"')).length).toBe(1);
    expect(rita.filter((t) => t.includes('stroke="#ffffff"')).length).toBe(1);
    expect(svg).toContain('>Omar · lost customer<');
    expect(svg).not.toMatch(/\de\+\d/);
  });
});

describe('accuracy chart', () => {
  it('states the bias sign convention in the picture', async () => {
    const svg = await chartSvg(accuracyChart(sampleAccuracy()).spec);
    expect(svg).toContain('positive means over-forecast');
  });
});

describe('gap summary edge cases', () => {
  it('says when there is nothing to show and names a resource with no capacity', () => {
    expect(gapChart([]).summary).toBe('No capacity data for this run.');
    const s = gapChart([
      { resource: 'PAINT', period: '2027-02', load: 40, capacity: 0, overtimeLimit: 0 },
    ]).summary;
    expect(s).toContain('PAINT in 2027-02 with no capacity (40 over, beyond overtime)');
  });
});

describe('axes', () => {
  /** The tick labels of each axis in a rendered SVG, axis by axis. */
  function axisLabels(svg: string): string[][] {
    const groups = svg.split('role-axis-label').slice(1);
    return groups.map((g) =>
      [...g.split('role-axis-domain')[0]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(
        (m) => m[1]!,
      ),
    );
  }

  /** Accuracy within two points and bias within one (the demo's second cycle: it drew 95% twice). */
  const narrow = [
    { cycle: '2027-01', period: '2027-02', accuracy: 0.941, bias: 0.0168, fva: 0 },
    { cycle: '2027-02', period: '2027-03', accuracy: 0.955, bias: 0.0111, fva: 0 },
  ];
  const charts = {
    'accuracy (sample)': accuracyChart(sampleAccuracy()),
    'accuracy (within a point)': accuracyChart(narrow),
    'accuracy (one cycle)': accuracyChart([
      { cycle: '2027-01', period: '2027-02', accuracy: 0.934, bias: 0.004, fva: 0 },
    ]),
    family: familyChart(sampleFamily()),
    gap: gapChart(sampleGap()),
    scenarios: scenarioChart(sampleScenarios()),
    cash: cashChart(sampleCash().series, sampleCash().budget),
    review: reviewTrendChart([
      {
        cycle: '2027-02',
        periods: ['2027-01'],
        accuracy: 0.9,
        baselineAccuracy: 0.88,
        adherence: 0.95,
        fillRate: 0.97,
        otif: 0.8,
      },
      {
        cycle: '2027-03',
        periods: ['2027-02'],
        accuracy: 0.91,
        baselineAccuracy: 0.87,
        adherence: 0.94,
        fillRate: 0.96,
        otif: 0.82,
      },
    ]),
  };

  it('one scored cycle: the accuracy axis reads at most one decimal, not "93.92262%"', async () => {
    const one = accuracyChart([
      { cycle: '2027-01', period: '2027-02', accuracy: 0.9392262, bias: 0.0123456, fva: 0 },
    ]);
    const labels = axisLabels(await chartSvg(one.spec)).flat();
    const percents = labels.filter((l) => l.endsWith('%'));
    expect(percents.length).toBeGreaterThan(0);
    for (const l of percents) expect(l).toMatch(/^[−-]?\d+(\.\d)?%$/);
  });

  /**
   * A family chart over `periods`: the first `history` of them sold, the rest forecast. Its
   * month axis is the first axis drawn.
   */
  async function familyMonths(periods: readonly string[], history: number): Promise<string[]> {
    const chart = familyChart({
      family: 'FAM-1',
      history: periods.slice(0, history).map((period) => ({ period, units: 100 })),
      baseline: periods
        .slice(history)
        .map((period) => ({ period, value: 100, lo80: 90, hi80: 110, lo95: 80, hi95: 120 })),
      consensus: periods.slice(history).map((period) => ({ period, value: 100 })),
      adjustments: [],
    });
    return axisLabels(await chartSvg(chart.spec))[0] ?? [];
  }

  /** Runs `fn` with the process in time zone `tz` (the worker's TZ, which is not the company's). */
  async function inProcessZone<T>(tz: string, fn: () => Promise<T>): Promise<T> {
    const before = process.env.TZ;
    process.env.TZ = tz;
    try {
      return await fn();
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  }

  // Twelve months, 2027-01 to 2027-12, written out by hand: one label each, whatever the zone
  // the worker process runs in. Before, each month's date (UTC midnight) was ticked and labelled
  // in the process's local time: in New York the axis lost 2027-12 (its point fell on the 30
  // November evening there), at UTC+14 it lost 2027-01.
  const YEAR = [
    '2027-01',
    '2027-02',
    '2027-03',
    '2027-04',
    '2027-05',
    '2027-06',
    '2027-07',
    '2027-08',
    '2027-09',
    '2027-10',
    '2027-11',
    '2027-12',
  ];
  it.each(['UTC', 'America/New_York', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'Pacific/Kiritimati'])(
    'the family chart names each of 12 months once with the process in %s',
    async (tz) => {
      expect(await inProcessZone(tz, () => familyMonths(YEAR, 8))).toEqual(YEAR);
    },
  );

  it('a family chart over 6 months names each month once, not each week with its month', async () => {
    // Before: 22 weekly ticks, "2027-01" four times, then "2027-02" four times…
    expect(await familyMonths(YEAR.slice(0, 6), 2)).toEqual([
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
      '2027-05',
      '2027-06',
    ]);
  });

  it.each(Object.entries(charts))('%s: no axis repeats a tick label', async (_, chart) => {
    const axes = axisLabels(await chartSvg(chart.spec));
    expect(axes.length).toBeGreaterThan(0);
    for (const labels of axes) expect(labels.filter((l, i) => labels.indexOf(l) !== i)).toEqual([]);
  });
});
