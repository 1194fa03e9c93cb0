/**
 * What a reader sees of a chart's layout: the width Slack shows, every month named, labels
 * whole, a scenario in one colour everywhere, a subtitle naming only the marks drawn.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracyChart,
  CHART_WIDTH,
  cashChart,
  chartSvg,
  DEFAULT_FONT_DIR,
  familyChart,
  gapChart,
  reviewTrendChart,
  scenarioChart,
} from '../../src/charts/index.js';
import {
  sampleAccuracy,
  sampleCash,
  sampleFamily,
  sampleGap,
  sampleScenarios,
} from '../../src/charts/samples.js';
import { fontAdvances, textWidth } from '../../src/charts/text-width.js';
import type { ChartResult } from '../../src/charts/types.js';
import { labelColours as colours } from '../helpers/chart-colours.js';

const svgWidth = (svg: string) => Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);

/**
 * The texts drawn in an SVG (a multi-line text's lines each); not those vega hid as
 * overlapping, which stay in the SVG with opacity 0.
 */
const texts = (svg: string) =>
  [...svg.matchAll(/<(text|tspan)([^>]*)>([^<]*)(?=<)/g)]
    .filter((m) => !/opacity="0"/.test(m[2]!))
    .map((m) => m[3]!)
    .filter(Boolean);

const whatIfLabel = 'What-if: demand all +15% 2027-02..2027-04';
const whatIf = (): ChartResult => {
  const [central, , ambitious] = sampleScenarios();
  return scenarioChart([central!, { ...ambitious!, scenario: 'whatif', label: whatIfLabel }]);
};

const review = (): ChartResult =>
  reviewTrendChart([
    {
      cycle: '2027-02',
      periods: ['2027-01'],
      accuracy: null,
      baselineAccuracy: null,
      adherence: 0.963,
      fillRate: 0.943,
      otif: 0.875,
    },
    {
      cycle: '2027-03',
      periods: ['2027-02'],
      accuracy: 0.947,
      baselineAccuracy: 0.947,
      adherence: 0.96,
      fillRate: 0.892,
      otif: 0.833,
    },
  ]);

describe('text is laid out at the width it is drawn', () => {
  it('measures DejaVu Sans: ten digits at 10 px are 63.6 px wide', () => {
    // Every digit of DejaVu Sans advances 1303 of its 2048 units per em: 10 × 10 × 1303 / 2048.
    const font = fontAdvances(join(DEFAULT_FONT_DIR, 'DejaVuSans.ttf'));
    expect(textWidth(font, '0123456789', 10)).toBeCloseTo(63.62, 1);
  });

  it.each([
    ['cash', () => cashChart(sampleCash().series, sampleCash().budget)],
    // The longest words of what it counts of what was open: both amounts, in millions.
    [
      'cash, counting the invoices and bills open when it began',
      () =>
        cashChart(sampleCash().series, sampleCash().budget, {
          receivables: 19_480_000,
          payables: 8_240_000,
        }),
    ],
    ['scenarios', () => scenarioChart(sampleScenarios())],
    ['what-if, its label long', whatIf],
    ['capacity check, 18 months', () => gapChart(sampleGap(8, 18))],
    ['family', () => familyChart(sampleFamily())],
    ['accuracy', () => accuracyChart(sampleAccuracy())],
    ['performance review', review],
  ])(`%s: no wider than the ${CHART_WIDTH} px Slack shows`, async (_name, build) => {
    // The cash chart was 947 px wide, its right third empty: vega guessed its subtitle at
    // 0.8 × font size per character. The review's legend ran past its plot (981 px).
    const width = svgWidth(await chartSvg(build().spec));
    expect(width).toBeGreaterThan(600);
    expect(width).toBeLessThanOrEqual(CHART_WIDTH);
  });
});

describe("an adjustment's label stays inside the family chart", () => {
  it('a display name of 80 characters is cut, the tooltip keeps it whole', async () => {
    const f = sampleFamily();
    // 80 characters, Slack's longest display name.
    const long = 'Alexandra Konstantinopoulou-Vanderbilt (Sales, Northern Europe and Baltics area)';
    expect(long).toHaveLength(80);
    const chart = familyChart({
      ...f,
      adjustments: f.adjustments.map((a) => ({ ...a, author: long })),
    });
    const svg = await chartSvg(chart.spec);
    // Its first 23 characters and "…": "Alexandra" (9), a space, "Konstantinopo" (13).
    const label = 'Alexandra Konstantinopo… · promotion';
    const drawn = [
      ...svg.matchAll(/<text[^>]*translate\(([-\d.]+),[-\d.]+\)[^>]*>([^<]*)</g),
    ].filter((m) => m[2]!.includes('·'));
    expect(drawn.map((m) => m[2])).toEqual([label, label]);
    // Right-aligned at x, the label starts at x minus its width: inside the picture. The
    // whole name at 11 px was about 620 px wide, from about x = 487: it began left of 0.
    const font = fontAdvances(join(DEFAULT_FONT_DIR, 'DejaVuSans.ttf'));
    for (const m of drawn) expect(Number(m[1]) - textWidth(font, label, 11)).toBeGreaterThan(0);
    expect(JSON.stringify(chart.spec)).toContain(`"who":"${long}"`);
  });
});

describe('every month is named on a month axis', () => {
  const months = (n: number) =>
    Array.from({ length: n }, (_, k) => {
      const m = k % 12;
      return `${2027 + Math.floor(k / 12)}-${String(m + 1).padStart(2, '0')}`;
    });

  it('the capacity check over 18 months names each of its 18 columns', async () => {
    const drawn = new Set(texts(await chartSvg(gapChart(sampleGap(8, 18)).spec)));
    // Before, every other month was hidden as "overlapping" its neighbour.
    expect(months(18).filter((m) => !drawn.has(m))).toEqual([]);
  });

  it('the cash chart over 18 months names each month', async () => {
    const { series, budget } = sampleCash();
    const long = series.map((s) => ({
      ...s,
      points: months(18).map((period, k) => ({
        period,
        cumulative: 1e5 * k,
        cumulativeP10: 8e4 * k,
      })),
    }));
    const drawn = new Set(texts(await chartSvg(cashChart(long, budget).spec)));
    expect(months(18).filter((m) => !drawn.has(m))).toEqual([]);
  });
});

describe('a scenario is drawn in one colour on every chart', () => {
  it('the cash chart and the comparison agree, also when the cash chart lacks a scenario', () => {
    const rows = sampleScenarios();
    const { series, budget } = sampleCash();
    const bars = colours(scenarioChart(rows).spec);
    // Cautious has no stress test here: the cash chart shows Central and Ambitious only.
    const cash = colours(cashChart([series[0]!, series[2]!], budget).spec);
    expect(cash.Central).toBe(bars.Central);
    expect(cash.Ambitious).toBe(bars.Ambitious);
    expect(new Set(Object.values(bars)).size).toBe(3);
  });

  it("a what-if is not drawn in the cautious scenario's colour", () => {
    const cautious = colours(scenarioChart(sampleScenarios()).spec).Cautious;
    const drawn = colours(whatIf().spec);
    expect(drawn[whatIfLabel]).toBeDefined();
    expect(drawn[whatIfLabel]).not.toBe(cautious);
    expect(drawn.Central).toBe(colours(scenarioChart(sampleScenarios()).spec).Central);
  });
});

describe('labels are drawn whole', () => {
  it("a what-if's label is drawn in full on two lines, not cut to 'What-if: demand a…'", async () => {
    const drawn = texts(await chartSvg(whatIf().spec));
    expect(drawn).toContain('What-if: demand all');
    expect(drawn).toContain('+15% 2027-02..2027-04');
    expect(drawn.filter((t) => t.includes('…'))).toEqual([]);
  });
});

describe('subtitles name only the marks drawn', () => {
  const subtitle = (c: ChartResult) =>
    ([] as string[])
      .concat((c.spec as { title: { subtitle: string | string[] } }).title.subtitle)
      .join(' ');

  it('the cash chart without a budget names no budget line, nor a budget in its title', () => {
    const chart = cashChart(sampleCash().series, null);
    expect(subtitle(chart)).not.toMatch(/budget/i);
    expect(chart.title).not.toMatch(/budget/i);
    const withBudget = cashChart(sampleCash().series, sampleCash().budget);
    expect(subtitle(withBudget)).toMatch(/dashed grey: budget/);
  });

  it('a family chart without adjustments says nothing of dots', () => {
    const chart = familyChart({ ...sampleFamily(), adjustments: [] });
    expect(subtitle(chart)).not.toMatch(/Dots/);
    expect(subtitle(familyChart(sampleFamily()))).toMatch(/Dots: adjustments, labelled/);
  });
});

describe('the performance review shows both accuracies when they are equal', () => {
  it("draws the consensus's point after the baseline's, inside a larger one", () => {
    const spec = review().spec as unknown as {
      data: { values: { cycle: string; series: string }[] };
      layer: { mark: { type: string }; encoding?: { size?: unknown } }[];
    };
    const at = spec.data.values.filter((v) => v.cycle === '2027-03').map((v) => v.series);
    // Drawn in data order: the later one is on top.
    expect(at.indexOf('Lag-1 accuracy, consensus')).toBeGreaterThan(
      at.indexOf('Lag-1 accuracy, baseline'),
    );
    const points = spec.layer.find((l) => l.mark.type === 'point');
    expect(points?.encoding?.size).toEqual({
      condition: { test: "datum.series === 'Lag-1 accuracy, baseline'", value: 160 },
      value: 60,
    });
  });
});
