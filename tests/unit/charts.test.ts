import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  accuracyChart,
  cashChart,
  familyChart,
  gapChart,
  gapStatus,
  palette,
  renderChart,
  scenarioChart,
} from '../../src/charts/index.js';
import {
  sampleAccuracy,
  sampleCash,
  sampleFamily,
  sampleGap,
  sampleScenarios,
} from '../../src/charts/samples.js';
import type { GapPoint } from '../../src/charts/types.js';

async function rendered(spec: Parameters<typeof renderChart>[0]) {
  const out = await renderChart(spec);
  const png = PNG.sync.read(out.png);
  return { ...out, decoded: png };
}

/** Share of pixels with exactly this colour. */
function share(png: PNG, hex: string): number {
  const r = Number.parseInt(hex.slice(1, 3), 16);
  const g = Number.parseInt(hex.slice(3, 5), 16);
  const b = Number.parseInt(hex.slice(5, 7), 16);
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b) n++;
  }
  return n / (png.width * png.height);
}

describe('chart rendering', () => {
  it.each([
    ['gap', () => gapChart(sampleGap(20, 24))],
    ['family', () => familyChart(sampleFamily())],
    ['scenarios', () => scenarioChart(sampleScenarios())],
    ['accuracy', () => accuracyChart(sampleAccuracy())],
  ])(
    '%s: a PNG that decodes, of a sensible size, with its title drawn in text',
    async (_name, build) => {
      const chart = build();
      const out = await rendered(chart.spec);
      expect(out.decoded.width).toBe(out.width);
      expect(out.width).toBeGreaterThanOrEqual(600);
      expect(out.width).toBeLessThanOrEqual(2600);
      expect(out.height).toBeGreaterThanOrEqual(300);
      expect(out.height).toBeLessThanOrEqual(2400);
      expect(out.png.length).toBeGreaterThan(5_000);
      expect(out.png.length).toBeLessThan(2_000_000);
      expect(out.svg).toContain('<text');
      expect(out.svg).toContain(chart.title.replace(/&/g, '&amp;').slice(0, 20));
      expect(out.svg).toContain('DejaVu Sans');
      expect(chart.altText.length).toBeLessThanOrEqual(1000);
      expect(chart.summary.length).toBeLessThanOrEqual(600);
    },
  );
});

describe('gap chart', () => {
  const point = (
    resource: string,
    period: string,
    load: number,
    capacity = 100,
    overtimeLimit = 10,
  ): GapPoint => ({
    resource,
    period,
    load,
    capacity,
    overtimeLimit,
  });

  it('classifies utilisation', () => {
    expect(gapStatus(point('L', '2027-01', 80))).toBe('below 90%');
    expect(gapStatus(point('L', '2027-01', 95))).toBe('above 90%');
    expect(gapStatus(point('L', '2027-01', 105))).toBe('over capacity');
    expect(gapStatus(point('L', '2027-01', 125))).toBe('beyond overtime');
    // What HiGHS returned for the demo's crew, sized to its work: 8e-8 hours over, no overtime.
    expect(gapStatus(point('CREW-1', '2027-03', 6341.05570696, 6341.05570688, 1200))).toBe(
      'above 90%',
    );
    // One hour over is an overload however large the capacity.
    expect(gapStatus(point('CREW-1', '2027-03', 6342.05570688, 6341.05570688, 1200))).toBe(
      'over capacity',
    );
    const summary = gapChart([
      point('CREW-1', '2027-03', 6341.05570696, 6341.05570688, 1200),
    ]).summary;
    expect(summary).toMatch(/^\*In the plan, no overloads\*/);
  });

  it('paints overloads red only when there are overloads', async () => {
    const calm = [
      point('LINE-1', '2027-01', 50),
      point('LINE-1', '2027-02', 60),
      point('LINE-2', '2027-01', 70),
    ];
    const busy = [...calm.slice(0, 2), point('LINE-2', '2027-01', 105)];
    const severe = [...calm.slice(0, 2), point('LINE-2', '2027-01', 118)];
    const calmPng = (await rendered(gapChart(calm).spec)).decoded;
    const busyPng = (await rendered(gapChart(busy).spec)).decoded;
    // Without overloads the red is only the legend's swatch; with one, a whole cell is red.
    expect(share(calmPng, palette.over)).toBeLessThan(0.001);
    expect(share(busyPng, palette.over)).toBeGreaterThan(share(calmPng, palette.over) + 0.003);
    const severePng = (await rendered(gapChart(severe).spec)).decoded;
    expect(share(severePng, palette.severe)).toBeGreaterThan(
      share(calmPng, palette.severe) + 0.003,
    );
  });

  it('summarises the worst overloads from the data', () => {
    const a = gapChart([
      point('LINE-1', '2027-03', 118),
      point('LINE-2', '2027-03', 95),
      point('LINE-2', '2027-04', 80),
    ]);
    expect(a.summary).toContain('*In the plan, 1 overload*');
    expect(a.summary).toContain('LINE-1 in 2027-03 at 118% (18 over, beyond overtime)');
    expect(a.summary).toContain('1 more above 90%');
    const b = gapChart([point('LINE-1', '2027-03', 70)]);
    expect(b.summary).toContain('*In the plan, no overloads*');
    expect(b.summary).toContain('LINE-1 at 70%');
  });

  it('says the rough-cut gaps at consensus demand before the plan, beyond overtime first', () => {
    const c = gapChart([point('LINE-1', '2027-05', 100)], {
      roughCut: {
        // The demo's run 2, stored figures: LINE-1 697 h against 533 (164 over, 44 of overtime),
        // LINE-2 442 against 378 (64 over, covered), CREW-1 923 over 6,400 (14%, beyond).
        gaps: [
          {
            resource: 'CREW-1',
            period: '2028-02',
            units: 923,
            relative: 923 / 6400,
            coveredByOvertime: false,
            unit: 'hours',
          },
          {
            resource: 'LINE-1',
            period: '2027-05',
            units: 164,
            relative: 164 / 533,
            coveredByOvertime: false,
            unit: 'hours',
          },
          {
            resource: 'LINE-2',
            period: '2027-03',
            units: 64,
            relative: 64 / 378,
            coveredByOvertime: true,
            unit: 'hours',
          },
          {
            resource: 'LINE-2',
            period: '2027-04',
            units: 46,
            relative: 46 / 378,
            coveredByOvertime: true,
            unit: 'hours',
          },
        ],
        total: 30,
        beyondOvertime: 9,
      },
    });
    const [rough, plan] = c.summary.split('\n');
    // Each gap in its resource's unit: LINE-1's 164 are hours, "164 hours over", not "164 over".
    // 1 + 164/533 = 131%; 1 + 923/6400 = 114%; 1 + 64/378 = 117%.
    expect(rough).toBe(
      '*Rough-cut at consensus demand*, each month made in its month: 30 resource-months over capacity, 9 beyond the overtime allowed; largest: LINE-1 in 2027-05 at 131% (164 hours over, beyond overtime); CREW-1 in 2028-02 at 114% (923 hours over, beyond overtime); LINE-2 in 2027-03 at 117% (64 hours over); +27 more. The plan closes them by building ahead, overtime, hiring or subcontracting.',
    );
    expect(plan).toMatch(/^\*In the plan, no overloads\*/);
    const none = gapChart([point('LINE-1', '2027-05', 50)], {
      roughCut: { gaps: [], total: 0, beyondOvertime: 0 },
    });
    expect(none.summary.split('\n')[0]).toBe(
      '*Rough-cut at consensus demand*, each month made in its month: no resource-month over capacity.',
    );
  });

  it("marks suppliers' fixed orders and small needs, labels warehouses, one line each", async () => {
    const plain = [
      point('LINE-1', '2027-01', 50),
      point('LINE-1', '2027-02', 60),
      point('PARTS', '2027-01', 40),
      point('PARTS', '2027-02', 40),
      point('PARTS', '2027-03', 40),
      point('WH', '2027-01', 70),
      point('WH', '2027-02', 85),
      point('WH', '2027-03', 60),
    ];
    const flagged = plain.map((p) =>
      p.resource === 'PARTS'
        ? { ...p, fixedOrder: p.period === '2027-01', belowMinimumOrder: p.period !== '2027-01' }
        : p.resource === 'WH'
          ? { ...p, storage: true }
          : p,
    );
    const c = gapChart(flagged);
    const lines = c.summary.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      "Orders already placed (inside the supplier's lead time): PARTS in 2027-01; too late to order more, only overtime or other sources can add.",
    );
    expect(lines[2]).toBe(
      'Need under the minimum order: PARTS in 2027-02, 2027-03; each order is 0 or at least the minimum, so orders are bunched.',
    );
    expect(lines[3]).toBe(
      'Warehouse stock against storage capacity: WH peaks at 85% in 2027-02 (85 of 100).',
    );
    const spec = c.spec as {
      data: { values: { resource: string }[] };
      layer: { encoding?: { shape?: { datum: string } } }[];
    };
    expect(spec.data.values.filter((v) => v.resource === 'WH (stock)')).toHaveLength(3);
    expect(spec.layer.flatMap((l) => l.encoding?.shape?.datum ?? [])).toEqual([
      'order already placed (lead time)',
      'need under the minimum order',
    ]);
    // Without marks: the summary is one line and the picture has no marker layer.
    const none = gapChart(plain);
    expect(none.summary.split('\n')).toHaveLength(1);
    expect((none.spec as { layer: unknown[] }).layer).toHaveLength(2);
    // The marks are drawn: more pixels in ink (the markers and their legend symbols), counted
    // rather than as a share because the legend below makes the picture taller.
    const inkPixels = (png: PNG): number => share(png, palette.ink) * png.width * png.height;
    const marked = inkPixels((await rendered(c.spec)).decoded);
    const unmarked = inkPixels((await rendered(none.spec)).decoded);
    expect(marked).toBeGreaterThan(unmarked + 100);
  });

  it("writes a cell's number as its colour reads, in the picture and in the summary", () => {
    const hours = (p: GapPoint): GapPoint => ({ ...p, unit: 'hours' });
    const c = gapChart([
      hours(point('LINE-1', '2027-01', 100.4)), // 0.4 over: red, so above 100 (rounding gives 100)
      point('LINE-1', '2027-02', 99.6), // amber, 100 by rounding and within capacity
      point('LINE-1', '2027-03', 90.3), // amber, "above 90%", so above 90 (rounding gives 90)
      hours(point('LINE-1', '2027-04', 110.2)), // beyond 100 + 10 of overtime: 110 is above 100
      point('LINE-2', '2027-01', 89.6), // below 90%: no number drawn
    ]);
    const values = (
      c.spec as { data: { values: { resource: string; period: string; status: string }[] } }
    ).data.values;
    const cell = (resource: string, period: string) => {
      const v = values.find((x) => x.resource === resource && x.period === period);
      return v && { status: v.status, label: (v as unknown as { label: string }).label };
    };
    expect(cell('LINE-1', '2027-01')).toEqual({ status: 'over capacity', label: '101' });
    expect(cell('LINE-1', '2027-02')).toEqual({ status: 'above 90%', label: '100' });
    expect(cell('LINE-1', '2027-03')).toEqual({ status: 'above 90%', label: '91' });
    expect(cell('LINE-1', '2027-04')).toEqual({ status: 'beyond overtime', label: '110' });
    expect(cell('LINE-2', '2027-01')?.status).toBe('below 90%');
    // The text posted with the chart says the same figures, in the line's unit; 0.4 hours over
    // is not "0 over" (and one hour, not "1 hours").
    expect(c.summary).toBe(
      '*In the plan, 2 overloads* (resource-months over regular capacity): LINE-1 in 2027-04 at 110% (10 hours over, beyond overtime); LINE-1 in 2027-01 at 101% (less than 1 hour over). 2 more above 90%. To read any resource month by month: `/sop explain LINE-1 2027-01..2027-04`.',
    );
    // A unit is typed (a resources file): escaped in the summary's mrkdwn, as typed in alt text.
    const typed = gapChart([{ ...point('MIX', '2027-01', 120), unit: 'kg <b> & bags' }]);
    expect(typed.summary).toContain(
      'MIX in 2027-01 at 120% (20 kg &lt;b&gt; &amp; bags over, beyond overtime)',
    );
    expect(typed.altText).toContain(
      'MIX in 2027-01 at 120% (20 kg <b> & bags over, beyond overtime)',
    );
    // Without overloads the peak reads as its cell: 90.3% is one of the months above 90%.
    expect(
      gapChart([point('LINE-1', '2027-03', 90.3), point('LINE-2', '2027-03', 80)]).summary,
    ).toBe(
      '*In the plan, no overloads*: every resource stays within capacity; the peak is LINE-1 at 91%. 1 resource-month above 90%.',
    );
    // The rough-cut's gaps are over capacity (2 of 500 is 100.4%), a warehouse over storage too.
    const rough = gapChart(
      [point('LINE-1', '2027-03', 80), { ...point('WH', '2027-03', 100.4, 100, 0), storage: true }],
      {
        roughCut: {
          gaps: [
            {
              resource: 'LINE-1',
              period: '2027-03',
              units: 2,
              relative: 2 / 500,
              coveredByOvertime: true,
            },
          ],
          total: 1,
          beyondOvertime: 0,
        },
      },
    ).summary.split('\n');
    expect(rough[0]).toContain('largest: LINE-1 in 2027-03 at 101% (2 over).');
    expect(rough[2]).toContain('WH peaks at 101% in 2027-03 (100.4 of 100)');
  });

  it("a warehouse's stock and storage capacity read as the percentage beside them", () => {
    const wh = (resource: string, load: number, capacity = 100): GapPoint => ({
      ...point(resource, '2027-03', load, capacity, 0),
      storage: true,
    });
    const line = gapChart([
      wh('WH-A', 100.4), // 100.4% over storage: 101%, and 100.4 > 100 (was "100 of 100")
      wh('WH-B', 90.3), // above 90%: 91%, and 90.3 > 90 (was "90 of 100")
      wh('WH-C', 954.6, 1000), // 95.46%: 95%, where "955 of 1,000" is 95.5%, 96%
      wh('WH-D', 85), // whole numbers that give 85% stay whole
    ]).summary.split('\n')[1];
    expect(line).toBe(
      'Warehouse stock against storage capacity: WH-A peaks at 101% in 2027-03 (100.4 of 100); WH-B peaks at 91% in 2027-03 (90.3 of 100); WH-C peaks at 95% in 2027-03 (954.6 of 1,000); WH-D peaks at 85% in 2027-03 (85 of 100).',
    );
    // 2 millionths over (beyond the solver's rounding, 1 millionth) is over: written so.
    expect(gapChart([wh('WH', 100.0002)]).summary).toContain(
      'WH peaks at 101% in 2027-03 (100.0002 of 100)',
    );
  });

  it('shows only the most loaded resources, and says so', () => {
    const c = gapChart(sampleGap(20, 6), { maxResources: 5 });
    const values = (c.spec as { data: { values: { resource: string }[] } }).data.values;
    expect(new Set(values.map((v) => v.resource)).size).toBe(5);
    const subtitle = (c.spec as { title: { subtitle: string[] } }).title.subtitle.join(' ');
    expect(subtitle).toContain('The 5 most loaded of 20 resources');
    expect(c.altText).toContain('5 resources');
  });
});

describe('summaries come from the numbers', () => {
  it('the cash summary compares with a budget that ends early where it ends', () => {
    const point = (period: string, cumulative: number, cumulativeP10: number) => ({
      period,
      cumulative,
      cumulativeP10,
    });
    const series = [
      {
        scenario: 'central',
        label: 'Central',
        points: [
          point('2027-01', 100_000, 80_000),
          point('2027-02', 250_000, 200_000),
          point('2027-03', 400_000, 300_000),
        ],
      },
    ];
    // The budget covers January and February only: at February, 250k − 220k = +30k expected
    // and 200k − 220k = −20k at P10. (At the horizon's end it would read +180k.)
    const early = cashChart(series, [
      { period: '2027-01', cumulative: 90_000 },
      { period: '2027-02', cumulative: 220_000 },
    ]).summary;
    expect(early).toBe(
      "*Central*: $400k expected by 2027-03, $300k in a bad case; by 2027-02, the budget's last month, $250k and $200k: +$30k and −$20k vs budget $220k.",
    );
    // A budget to the horizon's end: 400k − 390k = +10k, 300k − 390k = −90k.
    const full = cashChart(series, [
      { period: '2027-01', cumulative: 90_000 },
      { period: '2027-02', cumulative: 220_000 },
      { period: '2027-03', cumulative: 390_000 },
    ]).summary;
    expect(full).toBe(
      '*Central*: $400k expected by 2027-03, $300k in a bad case (+$10k and −$90k vs budget $390k).',
    );
    // No budget: each line still says which figure is expected and which the bad case.
    expect(cashChart(series, null).summary).toBe(
      '*Central*: $400k expected by 2027-03, $300k in a bad case.',
    );
  });

  it('scenario summary compares every plan against the same demand samples', () => {
    // Figures from sampleScenarios(), money to two significant figures (4.72M → $4.7M, 5.16M →
    // $5.2M), the money beside the difference, by hand: Cautious 4.72M − 4.98M =
    // −260k and 91.2% − 95.1% = −3.9 pts; Ambitious 5.16M − 4.98M = +180k, 96.8% − 95.1% = +1.7.
    const s = scenarioChart(sampleScenarios()).summary;
    expect(s.split('\n')).toEqual([
      'Each plan against the same demand samples (bad case: 1 sample in 10 does worse):',
      '*Central*: expected margin $5.0M (bad case $4.3M), expected fill rate 95.1% (bad case 90.2%), peak utilisation 108.0% (14 resource-months >90%).',
      '*Cautious*: expected margin $4.7M (−$260k vs Central; bad case $4.3M), expected fill rate 91.2% (−3.9 pts vs Central; bad case 84.6%), peak utilisation 94.0% (5 resource-months >90%).',
      '*Ambitious*: expected margin $5.2M (+$180k vs Central; bad case $4.0M), expected fill rate 96.8% (+1.7 pts vs Central; bad case 93.1%), peak utilisation 121.0% (27 resource-months >90%).',
    ]);
    // The figures at each plan's own demand (Ambitious +$570k margin) are not the comparison.
    expect(s).not.toContain('570k');
  });

  it('before the stress test the summary says each figure is at its own planned demand', () => {
    const rows = sampleScenarios().map(({ stress: _, ...r }) => r);
    const s = scenarioChart(rows).summary;
    expect(s.split('\n')[0]).toBe('Each scenario at its own planned demand:');
    expect(s).toContain('*Central*: revenue $14.9M, margin $5.1M, fill rate 96.2%');
    // 5.69M − 5.12M = +570k; 91.8% − 96.2% = −4.4 pts.
    expect(s).toContain(
      '*Ambitious*: revenue +$2.2M, margin +$570k vs Central; fill rate 91.8% (−4.4 pts)',
    );
    const changed = scenarioChart(
      rows.map((r) => (r.scenario === 'ambitious' ? { ...r, grossMargin: 4_000_000 } : r)),
    ).summary;
    expect(changed).toContain('margin −$1.1M vs Central');
    expect(scenarioChart([]).summary).toBe('No scenarios to compare.');
  });

  it('family summary totals the consensus against the baseline and names the reasons', () => {
    const f = sampleFamily();
    const s = familyChart(f).summary;
    const base = f.baseline.reduce((a, b) => a + b.value, 0);
    expect(s).toContain(`baseline ${base.toLocaleString('en-US')}`);
    expect(s).toContain('3 adjusted months: promotion +');
    expect(familyChart({ ...f, adjustments: [], consensus: [] }).summary).toContain(
      'No adjustments',
    );
  });

  it('accuracy summary names the months scored, then the latest with the bias sign convention', () => {
    const c = accuracyChart(sampleAccuracy());
    expect(c.summary).toMatch(
      /^Forecast accuracy, lag 1, 2026-05–2027-01\. Latest, 2027-01 \(cycle 2026-12's forecast\): accuracy 87\.6% \(\+1\.2 pts vs 2026-12\), bias −1\.2% \(under-forecast\)/,
    );
    expect(c.title).toBe('Forecast accuracy, bias and accuracy added, lag 1, 2026-05–2027-01');
    // The review and the pack give FVA in units of error removed; the chart's figure is in
    // accuracy points, so it does not take the name anywhere: series, notes, caption.
    expect(`${JSON.stringify(c.spec)} ${c.summary} ${c.altText}`).not.toContain('FVA');
    expect(accuracyChart([]).summary).toBe('No closed cycle with actuals yet.');
    // No bias: no "(no-forecast)" after it.
    expect(
      accuracyChart([{ cycle: '2027-01', period: '2027-02', accuracy: 0.9, bias: 0, fva: 0 }])
        .summary,
    ).toBe(
      "Forecast accuracy, lag 1, 2027-02. Latest, 2027-02 (cycle 2027-01's forecast): accuracy 90.0%, bias 0.0%, accuracy added by the consensus 0.0 pts (consensus vs statistical).",
    );
  });

  it('accuracy change is between the two percentages as printed', () => {
    // 82.34% prints "82.3%", 84.66% prints "84.7%": 84.7 − 82.3 = +2.4 pts, where the
    // unrounded 2.32 points would print "+2.3 pts" beside two points 2.4 apart.
    const c = accuracyChart([
      { cycle: '2027-01', period: '2027-02', accuracy: 0.8234, bias: 0, fva: 0 },
      { cycle: '2027-02', period: '2027-03', accuracy: 0.8466, bias: 0, fva: 0 },
    ]);
    expect(c.summary).toContain('accuracy 84.7% (+2.4 pts vs 2027-02)');
  });
});

describe('a figure reads the same in the picture and in the message', () => {
  /** The scenario rows with one plan's figures replaced. */
  const rowsWith = (central: Partial<ReturnType<typeof sampleScenarios>[number]>) =>
    sampleScenarios().map(({ stress: _, ...r }) =>
      r.scenario === 'central' ? { ...r, ...central } : r,
    );
  /** The text of every label the SVG draws. */
  const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

  it('labels the bars as the summary writes them: one decimal, "$1.5B", never "$1.5G"', async () => {
    const chart = scenarioChart(
      rowsWith({ grossMargin: 1.5e9, fillRate: 0.959, peakUtilisation: 1.214, daysOfSupply: 41.6 }),
    );
    const values = (chart.spec as unknown as { data: { values: Record<string, unknown>[] } }).data
      .values;
    const central = values.find((v) => v.scenario === 'central')!;
    // 1.5e9 → 1.5 billion; 0.959 → 95.9%; 1.214 → 121.4%; 41.6 days → 42.
    expect(central).toMatchObject({
      grossMargin_label: '$1.5B',
      fillRate_label: '95.9%',
      peakUtilisation_label: '121.4%',
      daysOfSupply_label: '42',
    });
    expect(chart.summary).toContain('*Central*: revenue $14.9M, margin $1.5B, fill rate 95.9%');
    expect(chart.summary).toContain('peak utilisation 121.4%');
    const drawn = texts((await renderChart(chart.spec)).svg);
    expect(drawn).toEqual(expect.arrayContaining(['$1.5B', '95.9%', '121.4%']));
    // The axes stay compact but speak the messages' units: B and k, not G and m.
    expect(drawn.filter((t) => /^−?\$[\d.,]+[GmµT]?$/.test(t) && /[Gmµ]$/.test(t))).toEqual([]);
    expect(drawn).toContain('$1B');
  });

  it('gives the points between two fill rates as the summary prints them', () => {
    // 0.95730 and 0.97277 print 95.7% and 97.3%: +1.6 pts, not the unrounded +1.5.
    const fill = (scenario: string) => (scenario === 'central' ? 0.9573 : 0.97277);
    const stressed = sampleScenarios().map((r) => ({
      ...r,
      stress: { ...r.stress!, fillRate: { ...r.stress!.fillRate, expected: fill(r.scenario) } },
    }));
    expect(scenarioChart(stressed).summary).toContain('expected fill rate 97.3% (+1.6 pts vs ');
    const plain = sampleScenarios().map(({ stress: _, ...r }) => ({
      ...r,
      fillRate: fill(r.scenario),
    }));
    expect(scenarioChart(plain).summary).toContain('fill rate 97.3% (+1.6 pts)');
  });

  it('gives the margin between two plans as the summary prints them', () => {
    // Plan run 2 of the demo: Central's expected margin 73,249,429 prints "$73.2M",
    // Ambitious's 71,882,315 "$71.9M": 71.9 − 73.2 = −1.3, where the unrounded −1,367,114
    // printed "−$1.4M" beside them.
    const margin = (scenario: string) => (scenario === 'central' ? 73_249_429 : 71_882_315);
    const stressed = sampleScenarios().map((r) => ({
      ...r,
      stress: { ...r.stress!, margin: { ...r.stress!.margin, expected: margin(r.scenario) } },
    }));
    expect(scenarioChart(stressed).summary).toContain(
      '*Ambitious*: expected margin $71.9M (−$1.3M vs Central;',
    );
  });

  it('cash against the budget is the difference of the amounts the pack prints', () => {
    // Plan run 3 of the demo, Central at 2028-07: expected 63,654,819 ("$63.7M"), at P10
    // 57,960,116 ("$58.0M" beside "$63.7M"), the budget 67,117,904 ("$67.1M", printed in the pack's question 4).
    // 63.7 − 67.1 = −3.4 and 58.0 − 67.1 = −9.1; unrounded, −3,463,085 and −9,157,788
    // printed "−$3.5M" and "−$9.2M".
    const c = cashChart(
      [
        {
          scenario: 'central',
          label: 'Central',
          points: [{ period: '2028-07', cumulative: 63_654_819, cumulativeP10: 57_960_116 }],
        },
      ],
      [{ period: '2028-07', cumulative: 67_117_904 }],
    );
    expect(c.summary).toBe(
      '*Central*: $63.7M expected by 2028-07, $58.0M in a bad case (−$3.4M and −$9.1M vs budget $67.1M).',
    );
  });

  it('the stressed panels label expected figures the same way: "$1.2M", not "$1.23M"', () => {
    const rows = sampleScenarios().map((r) =>
      r.scenario === 'central'
        ? {
            ...r,
            stress: {
              ...r.stress!,
              margin: { expected: 1_234_567, p10: 500_000, p90: 2_000_000 },
              excessInventoryValue: { expected: 0.5, p10: 0, p90: 1 },
            },
          }
        : r,
    );
    const values = (
      scenarioChart(rows).spec as unknown as { data: { values: Record<string, unknown>[] } }
    ).data.values;
    // 1,234,567 → 1.2 million; 0.5 dollars → "$1" (whole dollars), not "$500m"; 0.951 → 95.1%.
    expect(values.find((v) => v.scenario === 'central')).toMatchObject({
      margin_e_label: '$1.2M',
      excess_e_label: '$1',
      fillRate_e_label: '95.1%',
    });
  });

  it('the cash axis reads billions as B', async () => {
    const { series } = sampleCash();
    const big = series.map((x) => ({
      ...x,
      points: x.points.map((p) => ({
        ...p,
        cumulative: p.cumulative * 10_000,
        cumulativeP10: p.cumulativeP10 * 10_000,
      })),
    }));
    const drawn = texts((await renderChart(cashChart(big, null).spec)).svg);
    expect(drawn.some((t) => /^−?\$[\d.]+B$/.test(t))).toBe(true);
    expect(drawn.filter((t) => /^−?\$[\d.,]+[Gmµ]$/.test(t))).toEqual([]);
  });
});

describe('resource codes come from an import, which takes any text', () => {
  const EVIL = '<!channel>&B';
  /** EVIL escaped for mrkdwn, written out by hand. */
  const SHOWN = '&lt;!channel&gt;&amp;B';
  const LIVE = /<(!|https?:|mailto:|#|@)/;
  const at = (
    resource: string,
    period: string,
    load: number,
    more: Partial<GapPoint> = {},
  ): GapPoint => ({ resource, period, load, capacity: 100, overtimeLimit: 10, ...more });

  it('the gap summary, its file comment, escapes them in every line; the alt text keeps them as typed', () => {
    // EVIL overloaded at 118% (18 over, beyond overtime: 118 > 100 + 10); a supplier whose order
    // is fixed, a warehouse peaking at 95 of 100; a rough-cut gap of 50 over 100, covered.
    const points = [
      at(EVIL, '2027-03', 118),
      at(`${EVIL}-SUP`, '2027-03', 40, { fixedOrder: true }),
      at(`${EVIL}-WH`, '2027-03', 95, { storage: true }),
    ];
    const chart = gapChart(points, {
      roughCut: {
        gaps: [
          { resource: EVIL, period: '2027-03', units: 50, relative: 0.5, coveredByOvertime: true },
        ],
        total: 1,
        beyondOvertime: 0,
      },
    });
    const lines = chart.summary.split('\n');
    expect(lines).toEqual([
      `*Rough-cut at consensus demand*, each month made in its month: 1 resource-month over capacity, 0 beyond the overtime allowed; largest: ${SHOWN} in 2027-03 at 150% (50 over). The plan closes them by building ahead, overtime, hiring or subcontracting.`,
      `*In the plan, 1 overload* (resource-months over regular capacity): ${SHOWN} in 2027-03 at 118% (18 over, beyond overtime). 1 more above 90%. To read any resource month by month: \`/sop explain ${SHOWN}-WH 2027-03\`.`,
      `Orders already placed (inside the supplier's lead time): ${SHOWN}-SUP in 2027-03; too late to order more, only overtime or other sources can add.`,
      `Warehouse stock against storage capacity: ${SHOWN}-WH peaks at 95% in 2027-03 (95 of 100).`,
    ]);
    expect(chart.summary).not.toMatch(LIVE);
    // Alt text is plain text: the code as typed, not "&lt;".
    expect(chart.altText).toContain(`worst: ${EVIL} in 2027-03 at 118%`);
    expect(chart.altText).toContain(`${EVIL}-WH peaks at 95%`);
    expect(chart.altText).not.toContain('&lt;');
    // No overload: the peak, named.
    const calm = gapChart([at(EVIL, '2027-03', 70)]).summary;
    expect(calm).toContain(`the peak is ${SHOWN} at 70%`);
    expect(calm).not.toMatch(LIVE);
  });

  it('the gap summary says where the resource-months it only counts are read, kept whole', () => {
    // Five lines over four months, each over 100: 20 overloads, the worst LINE-5's (150% down
    // to 147%), then LINE-4's (140%); the fourth, the first left out, is LINE-5's in 2027-04.
    const points = ['LINE-1', 'LINE-2', 'LINE-3', 'LINE-4', 'LINE-5'].flatMap((r, i) =>
      ['2027-01', '2027-02', '2027-03', '2027-04'].map((m, k) =>
        at(r, m, 110 + 10 * i - (i === 4 ? k : 0)),
      ),
    );
    const plan = gapChart(points).summary;
    expect(plan).toBe(
      '*In the plan, 20 overloads* (resource-months over regular capacity): LINE-5 in 2027-01 at 150% (50 over, beyond overtime); LINE-5 in 2027-02 at 149% (49 over, beyond overtime); LINE-5 in 2027-03 at 148% (48 over, beyond overtime); +17 more. 0 more above 90%. To read any resource month by month: `/sop explain LINE-5 2027-01..2027-04`.',
    );
    // A code of 64 characters: the summary is cut before the question, never the question.
    const long = `L${'X'.repeat(63)}`;
    const wide = gapChart(
      ['A', 'B', 'C', 'D'].map((x, i) =>
        at(`${long.slice(0, 63)}${x}`, '2027-01', 150 - i, { unit: 'press-hours-of-the-old-line' }),
      ),
    ).summary;
    expect(wide.length).toBeLessThanOrEqual(600);
    expect(
      wide.endsWith(
        `To read any resource month by month: \`/sop explain ${long.slice(0, 63)}D 2027-01\`.`,
      ),
    ).toBe(true);
    expect(wide).toContain('…');
  });

  it('the gap picture draws a code as typed (SVG text, XML-escaped once)', async () => {
    const out = await renderChart(gapChart([at('<A&B>', '2027-03', 95)]).spec);
    expect(out.svg).toContain('&lt;A&amp;B&gt;');
    expect(out.svg).not.toContain('&amp;lt;');
  });
});

describe('scenario labels are typed by planners', () => {
  const EVIL = '<!channel> <http://evil.example|Win>';
  /** EVIL escaped for mrkdwn, written out by hand. */
  const SHOWN = '&lt;!channel&gt; &lt;http://evil.example|Win&gt;';
  const LIVE = /<(!|https?:|mailto:|#|@)/;

  it('the scenario summary escapes them, the central label it compares with too', () => {
    const rows = sampleScenarios().map((r) =>
      r.scenario === 'central' ? { ...r, label: `${EVIL} & co` } : { ...r, label: EVIL },
    );
    // Against the same demand samples (with the stress test) and each at its own demand.
    const s = scenarioChart(rows).summary;
    expect(s).toContain(`*${SHOWN} &amp; co*: expected margin $`);
    expect(s).toContain(`*${SHOWN}*: expected margin `);
    expect(s).toContain(`vs ${SHOWN} &amp; co;`);
    expect(s).not.toMatch(LIVE);
    const plain = scenarioChart(rows.map(({ stress: _, ...r }) => r)).summary;
    expect(plain).toContain(`*${SHOWN} &amp; co*: revenue $`);
    expect(plain).toContain(`*${SHOWN}*: revenue `);
    expect(plain).toContain(`vs ${SHOWN} &amp; co;`);
    expect(plain).not.toMatch(LIVE);
  });

  it('the cash summary escapes them', () => {
    const { series, budget } = sampleCash();
    const s = cashChart(
      series.map((x) => ({ ...x, label: EVIL })),
      budget,
    ).summary;
    expect(s).toContain(`*${SHOWN}*: $`);
    expect(s).not.toMatch(LIVE);
  });

  it('the picture draws the label as typed (SVG text, XML-escaped once)', async () => {
    const [first, ...rest] = sampleScenarios();
    const out = await renderChart(scenarioChart([{ ...first!, label: '<A&B>' }, ...rest]).spec);
    expect(out.svg).toContain('&lt;A&amp;B&gt;');
    expect(out.svg).not.toContain('&amp;lt;');
  });
});
