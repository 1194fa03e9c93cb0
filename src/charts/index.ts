/** Chart builders (pure: data in, vega-lite spec and words out) and the PNG renderer. */
export { accuracyChart } from './accuracy.js';
export { cashChart } from './cash.js';
export { FAMILY_HISTORY_MONTHS, familyChart } from './family.js';
export * from './format.js';
export { GAP_MAX_RESOURCES, type GapStatus, gapChart, gapStatus } from './gap.js';
export {
  chartSvg,
  DEFAULT_FONT_DIR,
  type RenderedChart,
  type RenderOptions,
  renderChart,
  svgToPng,
} from './render.js';
export { type ReviewTrendPoint, reviewTrendChart } from './review.js';
export { scenarioChart } from './scenarios.js';
export { looksSame, type ShownForm, shownContent, shownForm } from './shown.js';
export { CHART_WIDTH, chartTheme, FONT_FAMILY, palette, scenarioColours } from './theme.js';
export type * from './types.js';
