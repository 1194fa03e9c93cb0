/**
 * The scenario colours of a cash chart at MAX_SCENARIOS (6): none reads as the dashed
 * budget's grey, and the six stay apart, also for readers with protanopia or deuteranopia
 * (about 1 man in 12 has a red-green deficiency). Colours are compared in CIELAB (sRGB, D65)
 * by CIE76 ΔE, the straight distance: 2.3 is about the smallest difference anyone notices;
 * two thin lines read as different colours at a glance from about 20 apart, and Central's
 * blue is 31 from the budget's grey, the nearest any of the three README colours comes.
 * Colour-blind sight is simulated with Machado, Oliveira & Fernandes (2009), severity 1.
 */
import { describe, expect, it } from 'vitest';
import { cashChart } from '../../src/charts/cash.js';
import { sampleCash } from '../../src/charts/samples.js';
import { scenarioColours } from '../../src/charts/theme.js';
import { labelColours as colours } from '../helpers/chart-colours.js';

/** The budget line's grey, `palette.muted`. */
const BUDGET_GREY = '#616061';

type Rgb = [number, number, number];
type Matrix = [Rgb, Rgb, Rgb];

const PROTANOPIA: Matrix = [
  [0.152286, 1.052583, -0.204868],
  [0.114503, 0.786281, 0.099216],
  [-0.003882, -0.048116, 1.051998],
];
const DEUTERANOPIA: Matrix = [
  [0.367322, 0.860646, -0.227968],
  [0.280085, 0.672501, 0.047413],
  [-0.01182, 0.04294, 0.968881],
];
const SIGHTS: [string, Matrix | null][] = [
  ['normal sight', null],
  ['protanopia', PROTANOPIA],
  ['deuteranopia', DEUTERANOPIA],
];

const times = (m: Matrix, v: Rgb): Rgb =>
  m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as Rgb;

/** CIELAB of a `#rrggbb` colour as seen with `sight` (null: normal). */
function lab(hex: string, sight: Matrix | null = null): Rgb {
  const srgb = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as Rgb;
  let linear = srgb.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as Rgb;
  if (sight) linear = times(sight, linear).map((c) => Math.min(1, Math.max(0, c))) as Rgb;
  const xyz = times(
    [
      [0.4124564, 0.3575761, 0.1804375],
      [0.2126729, 0.7151522, 0.072175],
      [0.0193339, 0.119192, 0.9503041],
    ],
    linear,
  );
  const f = [xyz[0] / 0.95047, xyz[1], xyz[2] / 1.08883].map((t) =>
    t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116,
  ) as Rgb;
  return [116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])];
}

const deltaE = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const chroma = (hex: string) => Math.hypot(lab(hex)[1], lab(hex)[2]);

/** The cash chart of six scenarios: the three standard ones and three a planner added. */
function sixScenarios(): Record<string, string> {
  const { series, budget } = sampleCash();
  const added = [
    ['downturn', 'Downturn'],
    ['new-line', 'New line'],
    ['stretch', 'Stretch plan'],
  ].map(([scenario, label], k) => ({
    scenario: scenario!,
    label: label!,
    points: series[0]!.points.map((p) => ({ ...p, cumulative: p.cumulative * (1.1 + k / 10) })),
  }));
  return colours(cashChart([...series, ...added], budget).spec);
}

describe('the cash chart of six scenarios', () => {
  it('draws the budget in grey and the six scenarios each in its own colour', () => {
    const drawn = sixScenarios();
    expect(Object.keys(drawn)).toEqual([
      'Central',
      'Cautious',
      'Ambitious',
      'Downturn',
      'New line',
      'Stretch plan',
      'Budget',
    ]);
    expect(drawn.Budget).toBe(BUDGET_GREY);
    // The README's pictures: Central blue, Cautious teal, Ambitious orange.
    expect([drawn.Central, drawn.Cautious, drawn.Ambitious]).toEqual([
      '#4c78a8',
      '#72b7b2',
      '#f58518',
    ]);
  });

  it('draws no scenario in a grey: each has a chroma of 20 or more (teal, the least, 23)', () => {
    const { Budget: _, ...scenarios } = sixScenarios();
    const grey = Object.entries(scenarios).filter(([, hex]) => chroma(hex) < 20);
    expect(grey).toEqual([]);
  });

  it.each(SIGHTS)('draws no scenario within ΔE 25 of the budget grey, with %s', (_, sight) => {
    const { Budget: budget, ...scenarios } = sixScenarios();
    const near = Object.entries(scenarios).filter(
      ([, hex]) => deltaE(lab(hex, sight), lab(budget!, sight)) < 25,
    );
    expect(near).toEqual([]);
  });

  it.each(SIGHTS)('draws no two scenarios within ΔE 20 of each other, with %s', (_, sight) => {
    const { Budget: _budget, ...scenarios } = sixScenarios();
    const entries = Object.entries(scenarios);
    const close = entries.flatMap(([a, x], i) =>
      entries
        .slice(i + 1)
        .filter(([, y]) => deltaE(lab(x, sight), lab(y, sight)) < 20)
        .map(([b]) => `${a} and ${b}`),
    );
    expect(close).toEqual([]);
  });
});

describe('six scenarios a planner named, none of them the standard three', () => {
  it('are six colours, the standard ones taken after the three of their own', () => {
    const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => ({
      scenario: s,
      label: s.toUpperCase(),
    }));
    expect(scenarioColours(rows).range).toEqual([
      '#228833',
      '#332288',
      '#33bbee',
      '#4c78a8',
      '#72b7b2',
      '#f58518',
    ]);
  });

  it("with Central among them, none takes Central's blue", () => {
    const rows = ['central', 'b', 'c', 'd', 'e', 'f'].map((s) => ({ scenario: s, label: s }));
    expect(scenarioColours(rows).range).toEqual([
      '#4c78a8',
      '#228833',
      '#332288',
      '#33bbee',
      '#72b7b2',
      '#f58518',
    ]);
  });
});
