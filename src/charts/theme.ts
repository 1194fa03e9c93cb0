/**
 * The one look every chart shares: DejaVu Sans (the font the renderer loads), sizes that
 * stay readable when Slack shows an 800 px wide image, light gridlines and a small palette
 * whose meanings (overload red, warning amber) are the same in every chart.
 */
import type { Config } from 'vega-lite';

export const FONT_FAMILY = 'DejaVu Sans';

/** Width of a full chart in CSS pixels before the renderer's zoom. */
export const CHART_WIDTH = 800;

export const palette = {
  ink: '#1d1c1d',
  muted: '#616061',
  grid: '#e8e8e8',
  ok: '#4c78a8',
  okLight: '#9ecae9',
  warn: '#f2a33a',
  over: '#d62728',
  severe: '#7f0e12',
  good: '#2e8b57',
  history: '#3b3b3b',
  baseline: '#4c78a8',
  consensus: '#e45756',
  band80: '#9ecae9',
  band95: '#d6e8f5',
  capacity: '#1d1c1d',
  overtime: '#8c8c8c',
  /** The review chart's OTIF line. */
  otif: '#b279a2',
  /**
   * Scenarios in order: central, cautious, ambitious, then any other (MAX_SCENARIOS is 6).
   * The first three are Tableau 10's (as the README's pictures show them); the other three are
   * Paul Tol's colour-blind-safe qualitative schemes' green ('bright'), indigo ('muted') and
   * cyan ('vibrant'), https://personal.sron.nl/~pault/. None is grey, so the budget's `muted`
   * grey stays the only grey line, and the six stay apart with protanopia and deuteranopia
   * too (tests/unit/charts-palette.test.ts). Tableau 10's light grey, brown and purple were
   * here: the grey read as the budget's, and teal against it or against the purple ran
   * together for red-green colour-blind readers.
   */
  categories: ['#4c78a8', '#72b7b2', '#f58518', '#228833', '#332288', '#33bbee'],
} as const;

/** The scenarios whose colour is fixed: the first three of `palette.categories`, in order. */
const STANDARD_SCENARIOS = ['central', 'cautious', 'ambitious'] as const;

/**
 * The colour scale of a chart's scenarios: each drawn in the same colour on every chart.
 * Central, cautious and ambitious keep theirs, whichever of them the chart shows; any other
 * (a what-if, a scenario a planner added) takes the next colour after them, in order of
 * appearance, and past the last, a standard scenario's colour that the chart does not show,
 * so up to six scenarios on a chart are six colours. Keyed by label, as the charts' encodings
 * are.
 */
export function scenarioColours(rows: readonly { scenario: string; label: string }[]): {
  domain: string[];
  range: string[];
} {
  const standard = STANDARD_SCENARIOS as readonly string[];
  const shown = new Set(rows.map((r) => r.scenario));
  const spare = [
    ...palette.categories.slice(standard.length),
    ...palette.categories.slice(0, standard.length).filter((_, i) => !shown.has(standard[i]!)),
  ];
  let extra = 0;
  const range = rows.map((r) => {
    const fixed = standard.indexOf(r.scenario);
    return fixed >= 0 ? palette.categories[fixed]! : spare[extra++ % spare.length]!;
  });
  return { domain: rows.map((r) => r.label), range };
}

export const chartTheme: Config = {
  font: FONT_FAMILY,
  background: '#ffffff',
  padding: 16,
  view: { stroke: null },
  title: {
    font: FONT_FAMILY,
    fontSize: 18,
    fontWeight: 'bold',
    color: palette.ink,
    anchor: 'start',
    offset: 14,
    subtitleFont: FONT_FAMILY,
    subtitleFontSize: 13,
    subtitleColor: palette.muted,
    subtitlePadding: 6,
  },
  axis: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    labelColor: '#3d3d3d',
    titleColor: '#3d3d3d',
    gridColor: palette.grid,
    domainColor: '#9a9a9a',
    tickColor: '#9a9a9a',
    labelOverlap: true,
  },
  legend: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    labelColor: '#3d3d3d',
    titleColor: '#3d3d3d',
    orient: 'top',
    symbolSize: 120,
    labelLimit: 360,
  },
  header: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 13,
    labelFontWeight: 'bold',
    labelColor: palette.ink,
    labelAnchor: 'start',
    labelPadding: 4,
    titleFontSize: 13,
  },
  text: { font: FONT_FAMILY, fontSize: 11, color: palette.ink },
  range: { category: [...palette.categories] },
  concat: { spacing: 28 },
  facet: { spacing: 20 },
};

/**
 * What every chart's spec opens with: the Vega-Lite schema, the shared theme, and its title
 * with a subtitle that says how to read it.
 */
export function specHead(title: string, subtitle: string | string[]) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartTheme,
    title: { text: title, subtitle },
  };
}
