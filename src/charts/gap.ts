/**
 * The gap chart: load against capacity for every resource and month, as a heat map of
 * utilisation. Overloads are red (dark red when even the overtime allowed cannot cover
 * them), months above 90% amber. With many resources only the most loaded are drawn, and
 * the subtitle says so. Suppliers' months inside the lead time (orders already placed) carry
 * a square, months whose need is under the minimum order a triangle; a warehouse's row is
 * its stock at month end against storage capacity, labelled "(stock)". The summary gives
 * each of the three one line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { MAX_RANGE_MONTHS } from '../core/explain/grammar.js';
import { compareCodes, escInMarks, oneUnit } from '../core/text.js';
import { clip, formatNumber, formatPercent } from './format.js';
import { CHART_WIDTH, palette, specHead } from './theme.js';
import type { ChartResult, GapPoint, RoughCut } from './types.js';

export const GAP_MAX_RESOURCES = 12;

export type GapStatus = 'beyond overtime' | 'over capacity' | 'above 90%' | 'below 90%';

/**
 * How far past a bound a load may sit and still be within it: the solver's rounding. A crew
 * sized to its work comes back a few 1e-8 hours over its capacity (6,341.0557069 against
 * 6,341.0557068 in the demo), which is no overload; one millionth of the bound is far above
 * that noise and far below any overtime a plan really uses.
 */
const within = (load: number, bound: number) => load <= bound + 1e-6 * Math.max(1, bound);

export function gapStatus(p: GapPoint): GapStatus {
  if (p.capacity <= 0) return p.load > 0 ? 'beyond overtime' : 'below 90%';
  if (!within(p.load, p.capacity + p.overtimeLimit)) return 'beyond overtime';
  if (!within(p.load, p.capacity)) return 'over capacity';
  if (p.load > 0.9 * p.capacity) return 'above 90%';
  return 'below 90%';
}

const util = (p: GapPoint) =>
  p.capacity > 0 ? p.load / p.capacity : p.load > 0 ? Number.POSITIVE_INFINITY : 0;

/**
 * A utilisation in whole percent as the chart and its summary write it, never against its
 * colour: over capacity reads above 100 (100.4% is 101, not 100 beside the amber 100s), above
 * 90% reads 91 to 100 (90.3% is 91: the subtitle numbers the cells above 90%). Elsewhere the
 * nearest whole number.
 */
function shownUtilisation(utilisation: number, status: GapStatus): number {
  const whole = Math.round(utilisation * 100);
  if (status === 'over capacity' || status === 'beyond overtime') return Math.max(101, whole);
  if (status === 'above 90%') return Math.min(100, Math.max(91, whole));
  return whole;
}

/**
 * How far over, in the resource's unit when known: "12 hours over", and an overload that
 * rounds to 0 "less than 1 hour over", never "0 over". `text` writes the unit (typed, so
 * `esc` in mrkdwn; as typed in alt text).
 */
const overBy = (units: number, unit: string | undefined, text: Named): string => {
  const one = Math.round(units) <= 1;
  const u = unit ? ` ${text(one ? oneUnit(unit) : unit)}` : '';
  return `${Math.round(units) >= 1 ? formatNumber(units) : 'less than 1'}${u} over`;
};

/** "at 101%" (shownUtilisation), or "with no capacity". */
const atShown = (p: GapPoint): string =>
  p.capacity > 0
    ? `at ${formatPercent(shownUtilisation(util(p), gapStatus(p)) / 100, 0)}`
    : 'with no capacity';

/** `x` with the fewest decimals, at most `digits`, that write it as rounded to `digits`. */
function fewestDecimals(x: number, digits: number): string {
  const rounded = Number(x.toFixed(digits));
  let d = 0;
  while (d < digits && Number(x.toFixed(d)) !== rounded) d++;
  return formatNumber(rounded, d);
}

/**
 * "100.4 of 100": a load and its bound, as whole numbers unless those would give another
 * status or percentage than the one printed beside them (100.4 of 100 is over capacity at 101%,
 * not "100 of 100"; 90.3 of 100 is above 90% at 91%, not "90 of 100"; 954.6 of 1,000 is 95%,
 * not "955 of 1,000"), then with as many decimals as that takes (at most 6).
 */
function loadOfBound(p: GapPoint): string {
  const status = gapStatus(p);
  const shown = shownUtilisation(util(p), status);
  let digits = 0;
  for (; digits < 6; digits++) {
    const printed = {
      ...p,
      load: Number(p.load.toFixed(digits)),
      capacity: Number(p.capacity.toFixed(digits)),
    };
    const same = gapStatus(printed) === status;
    if (same && shownUtilisation(util(printed), status) === shown) break;
  }
  return `${fewestDecimals(p.load, digits)} of ${fewestDecimals(p.capacity, digits)}`;
}

export function gapChart(
  points: readonly GapPoint[],
  opts: {
    maxResources?: number;
    /** The run's rough-cut overloads: what the plan had to close, said before the plan. */
    roughCut?: RoughCut;
  } = {},
): ChartResult {
  const max = opts.maxResources ?? GAP_MAX_RESOURCES;
  const peakBy = new Map<string, number>();
  for (const p of points) peakBy.set(p.resource, Math.max(peakBy.get(p.resource) ?? 0, util(p)));
  const ranked = [...peakBy.entries()].sort((a, b) => b[1] - a[1] || compareCodes(a[0], b[0]));
  const shown = ranked.slice(0, max).map(([r]) => r);
  const rank = new Map(shown.map((r, i) => [r, i]));
  const values = points
    .filter((p) => rank.has(p.resource))
    .map((p) => {
      const u = util(p);
      const status = gapStatus(p);
      return {
        resource: p.storage ? `${p.resource} (stock)` : p.resource,
        rank: rank.get(p.resource)!,
        period: p.period,
        load: Math.round(p.load),
        capacity: Math.round(p.capacity),
        utilisation: Number.isFinite(u) ? u : 9.99,
        label: Number.isFinite(u) ? `${shownUtilisation(u, status)}` : '∞',
        status,
        fixedOrder: p.fixedOrder === true,
        belowMinimumOrder: p.belowMinimumOrder === true,
      };
    });
  const markers = MARKERS.filter((m) => values.some((v) => v[m.flag]));
  const overloads = points
    .filter((p) => !within(p.load, p.capacity))
    .sort((a, b) => util(b) - util(a) || b.load - b.capacity - (a.load - a.capacity));
  const near = points.filter((p) => gapStatus(p) === 'above 90%').length;
  const months = new Set(points.map((p) => p.period)).size;
  const title = 'Capacity check: load against capacity';
  const subtitle =
    ranked.length > shown.length
      ? [
          "The central plan's utilisation % per resource and month; numbers where above 90%.",
          `The ${shown.length} most loaded of ${ranked.length} resources.`,
        ]
      : [
          "The central plan's utilisation % per resource and month; numbers where above 90%.",
          ranked.length === 1 ? '1 resource.' : `All ${ranked.length} resources.`,
        ];
  if (points.some((p) => p.storage && rank.has(p.resource)))
    subtitle.push('A warehouse (stock) row is its stock at month end against storage capacity.');
  const cellWidth = Math.max(
    18,
    Math.min(48, Math.floor((CHART_WIDTH - 120) / Math.max(1, months))),
  );
  const spec = {
    ...specHead(title, subtitle),
    data: { values },
    width: cellWidth * Math.max(1, months),
    height: { step: 24 },
    encoding: {
      // A one-pixel gap between cells comes from the band padding rather than a white stroke
      // round every cell: the same picture, and stroking 300 rectangles was a quarter of the
      // render.
      x: {
        field: 'period',
        type: 'ordinal',
        title: null,
        // Every month named: labels at −45° a cell apart do not touch (their boxes, which
        // vega's overlap check compares, do), and a column without its month is misread.
        axis: { labelAngle: -45, labelOverlap: false },
        scale: { paddingInner: 1 / cellWidth, paddingOuter: 0 },
      },
      y: {
        field: 'resource',
        type: 'nominal',
        title: null,
        // Most loaded first. The order travels in the data, not in the spec, so every run's
        // chart shares one compiled shape (src/charts/render.ts).
        sort: { field: 'rank', op: 'min', order: 'ascending' },
        scale: { paddingInner: 1 / 24, paddingOuter: 0 },
      },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['below 90%', 'above 90%', 'over capacity', 'beyond overtime'],
              range: [palette.okLight, palette.warn, palette.over, palette.severe],
            },
          },
          tooltip: [
            { field: 'resource' },
            { field: 'period' },
            { field: 'load', format: ',.0f' },
            { field: 'capacity', format: ',.0f' },
            { field: 'utilisation', format: '.0%' },
          ],
        },
      },
      {
        // Only the cells that need attention carry a number: it keeps the picture quiet and
        // halves the text resvg has to shape, which is most of the render time.
        transform: [{ filter: "datum.status !== 'below 90%'" }],
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'label' },
          color: {
            condition: {
              test: "datum.status === 'over capacity' || datum.status === 'beyond overtime'",
              value: '#ffffff',
            },
            value: palette.ink,
          },
        },
      },
      // Supplier marks in the cell's top corners, with a legend of the kinds present.
      ...markers.map((m) => ({
        transform: [{ filter: `datum.${m.flag}` }],
        mark: {
          type: 'point',
          filled: true,
          size: 40,
          color: palette.ink,
          stroke: '#ffffff',
          strokeWidth: 0.75,
          opacity: 1,
          xOffset: m.side * (cellWidth / 2 - 6),
          yOffset: -5,
        },
        encoding: {
          shape: {
            datum: m.label,
            type: 'nominal',
            title: null,
            scale: { domain: markers.map((x) => x.label), range: markers.map((x) => x.shape) },
            legend: { orient: 'bottom', direction: 'horizontal', symbolSize: 60 },
          },
        },
      })),
    ],
  } as TopLevelSpec;

  // The summary is a file's comment, mrkdwn: a resource's code, typed in an import, is escaped
  // there (`escInMarks`: "<!channel>" stays text). The alt text is plain text, as typed.
  const worstOf = (named: Named) =>
    overloads
      .slice(0, 3)
      .map(
        (p) =>
          `${named(p.resource)} in ${p.period} ${atShown(p)} (${overBy(p.load - p.capacity, p.unit, named)}${within(p.load, p.capacity + p.overtimeLimit) ? '' : ', beyond overtime'})`,
      );
  const worst = worstOf(escInMarks);
  const peak = points.find((p) => p.resource === ranked[0]?.[0] && util(p) === ranked[0][1]);
  const summary = !points.length
    ? 'No capacity data for this run.'
    : overloads.length
      ? `*In the plan, ${overloads.length} overload${overloads.length === 1 ? '' : 's'}* (resource-months over regular capacity): ${worst.join('; ')}${overloads.length > 3 ? `; +${overloads.length - 3} more` : ''}. ${near} more above 90%.`
      : `*In the plan, no overloads*: every resource stays within capacity${peak ? `; the peak is ${escInMarks(peak.resource)} ${atShown(peak)}` : ''}. ${near} resource-month${near === 1 ? '' : 's'} above 90%.`;
  // Where the resource-months counted and not named are read: `/sop explain` gives one
  // resource's load, capacity and overload at consensus month by month. Named after the first
  // one left out, over the chart's months; kept whole, the summary cut before it if need be.
  const roughMore = opts.roughCut !== undefined && opts.roughCut.total > 3;
  // With no overload, the peak named is the first of the months above 90%.
  const unnamedNear = overloads.length ? near : Math.max(0, near - 1);
  const example =
    overloads[3]?.resource ??
    (unnamedNear > 0
      ? points.filter((p) => gapStatus(p) === 'above 90%').sort((a, b) => util(b) - util(a))[0]
          ?.resource
      : undefined) ??
    (roughMore ? opts.roughCut?.gaps[3]?.resource : undefined);
  const pointer =
    example === undefined
      ? ''
      : ` ${explainPointer(
          example,
          points.map((p) => p.period),
        )}`;
  const rough = opts.roughCut === undefined ? [] : [roughCutLine(opts.roughCut)];
  const notes = supplyNotes(points, escInMarks);
  const plainWorst = worstOf(asTyped);
  const plainNotes = supplyNotes(points, asTyped);
  const altText = `Heat map of utilisation for ${shown.length} resource${shown.length === 1 ? '' : 's'} over ${months} month${months === 1 ? '' : 's'}. ${overloads.length === 1 ? '1 resource-month is' : `${overloads.length} resource-months are`} over capacity${plainWorst.length ? `, worst: ${plainWorst.join('; ')}` : ''}. ${near} ${near === 1 ? 'is' : 'are'} above 90%.${plainNotes.length ? ` ${plainNotes.join(' ')}` : ''}`;
  return {
    spec,
    title,
    altText: clip(altText, 1000),
    summary: [
      ...rough,
      `${clip(summary, 600 - pointer.length)}${pointer}`,
      ...notes.map((n) => clip(n, 300)),
    ].join('\n'),
  };
}

/**
 * "To read any resource month by month: `/sop explain LINE-9 2027-01..2027-12`": the question that
 * reads one resource over the chart's months (at most the range `/sop explain` takes).
 */
function explainPointer(resource: string, periods: readonly string[]): string {
  const months = [...new Set(periods)].sort().slice(0, MAX_RANGE_MONTHS);
  const first = months[0] ?? '';
  const last = months.at(-1) ?? first;
  const when = first === last ? first : `${first}..${last}`;
  // Marks broken as elsewhere in the comment (a code's `_x_` is no italics in every client);
  // a command typed from a copy reads without the breaks (src/slack/command-text.ts).
  return `To read any resource month by month: \`/sop explain ${escInMarks(resource)} ${when}\`.`;
}

/** How a resource's code is written: escaped for mrkdwn (`escInMarks`), or as typed (`asTyped`). */
type Named = (code: string) => string;
const asTyped: Named = (code) => code;

/**
 * The rough-cut check in one line (mrkdwn, its codes escaped): how many resource-months consensus demand would overload
 * if each month's demand were made in that month, how many overtime cannot cover, and the
 * largest (those beyond overtime first). These are the gaps the plan closes by building
 * ahead, overtime, hiring or subcontracting; the plan's own loads follow.
 */
function roughCutLine({ gaps, total: n, beyondOvertime: beyond }: RoughCut): string {
  const head = '*Rough-cut at consensus demand*, each month made in its month:';
  if (n === 0) return `${head} no resource-month over capacity.`;
  const ranked = [...gaps].sort(
    (a, b) =>
      Number(a.coveredByOvertime) - Number(b.coveredByOvertime) ||
      b.relative - a.relative ||
      b.units - a.units,
  );
  const worst = ranked
    .slice(0, 3)
    .map(
      (g) =>
        `${escInMarks(g.resource)} in ${g.period} ${Number.isFinite(g.relative) ? `at ${formatPercent(shownUtilisation(1 + g.relative, 'over capacity') / 100, 0)}` : 'with no capacity'} (${overBy(g.units, g.unit, escInMarks)}${g.coveredByOvertime ? '' : ', beyond overtime'})`,
    );
  return clip(
    `${head} ${n} resource-month${n === 1 ? '' : 's'} over capacity, ${beyond} beyond the overtime allowed; largest: ${worst.join('; ')}${n > 3 ? `; +${n - 3} more` : ''}. The plan closes them by building ahead, overtime, hiring or subcontracting.`,
    700,
  );
}

const MARKERS = [
  {
    flag: 'fixedOrder',
    label: 'order already placed (lead time)',
    shape: 'square',
    side: -1,
  },
  {
    flag: 'belowMinimumOrder',
    label: 'need under the minimum order',
    shape: 'triangle-down',
    side: 1,
  },
] as const;

/** "SUP in 2027-01, 2027-02; WH in 2027-03" with at most `max` months in all. */
function monthsByResource(points: readonly GapPoint[], named: Named, max = 6): string {
  const by = new Map<string, string[]>();
  for (const p of points) by.set(p.resource, [...(by.get(p.resource) ?? []), p.period]);
  const parts: string[] = [];
  let listed = 0;
  for (const [resource, periods] of by) {
    const room = max - listed;
    if (room <= 0) break;
    const shown = periods.slice(0, room);
    listed += shown.length;
    parts.push(`${named(resource)} in ${shown.join(', ')}`);
  }
  const more = points.length - listed;
  return `${parts.join('; ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

/**
 * One line each: orders fixed inside a lead time, needs under a minimum order, warehouses;
 * each resource's code written by `named`.
 */
function supplyNotes(points: readonly GapPoint[], named: Named): string[] {
  const notes: string[] = [];
  const fixed = points.filter((p) => p.fixedOrder);
  if (fixed.length)
    notes.push(
      `Orders already placed (inside the supplier's lead time): ${monthsByResource(fixed, named)}; too late to order more, only overtime or other sources can add.`,
    );
  const under = points.filter((p) => p.belowMinimumOrder);
  if (under.length)
    notes.push(
      `Need under the minimum order: ${monthsByResource(under, named)}; each order is 0 or at least the minimum, so orders are bunched.`,
    );
  const peaks = new Map<string, GapPoint>();
  for (const p of points)
    if (p.storage) {
      const best = peaks.get(p.resource);
      if (!best || util(p) > util(best)) peaks.set(p.resource, p);
    }
  if (peaks.size)
    notes.push(
      `Warehouse stock against storage capacity: ${[...peaks.values()]
        .slice(0, 4)
        .map((p) => `${named(p.resource)} peaks ${atShown(p)} in ${p.period} (${loadOfBound(p)})`)
        .join('; ')}${peaks.size > 4 ? ` (+${peaks.size - 4} more)` : ''}.`,
    );
  return notes;
}
