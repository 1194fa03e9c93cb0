/**
 * What a chart shows a reader, as one string: its printed words (title, the summary posted
 * with it) and its spec with the inline data cut down to what the marks draw. A field the
 * encodings never name (a tooltip's load, the KPIs a row carries along) is left out, and each
 * number is rounded to three significant figures, the precision the charts print figures at
 * ("$85.7M", "95.9%"): two runs whose charts differ only in hidden fields or float noise show
 * the same thing, and post-charts posts it once (its fingerprint is a hash of this).
 */
import type { ChartResult } from './types.js';

/** Encoding channels that draw nothing in a PNG. */
const UNDRAWN = new Set(['tooltip', 'href', 'description']);

/**
 * Walks a spec outside its inline data: each field an expression reads (`datum.x` in a string)
 * goes to `onRead`, and each object's entry to `onEntry`, which says whether it took the entry
 * (true) or the walk goes on into it (false).
 */
function walkSpec(
  spec: unknown,
  onRead: (field: string) => void,
  onEntry: (key: string, value: unknown, walk: (node: unknown) => void) => boolean,
): void {
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const m of node.matchAll(/datum\.([A-Za-z_$][\w$]*)/g)) onRead(m[1]!);
      return;
    }
    if (Array.isArray(node)) {
      for (const x of node) walk(x);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'data' || onEntry(k, v, walk)) continue;
      walk(v);
    }
  };
  walk(spec);
}

/** The data fields a spec draws: named by an encoding or a sort, or read in an expression. */
function drawnFields(spec: unknown): Set<string> {
  const fields = new Set<string>();
  walkSpec(
    spec,
    (f) => fields.add(f),
    (k, v) => {
      if (UNDRAWN.has(k)) return true;
      if (k !== 'field' || typeof v !== 'string') return false;
      fields.add(v);
      return true;
    },
  );
  return fields;
}

/** A number at three significant figures; anything else as it is. */
const rounded = (v: unknown): unknown =>
  typeof v === 'number' && Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(3)) : v;

/**
 * Replaces every inline `data.values` by its rows cut down to `fields`, numbers passed through
 * `num` (rounded, or kept as they are).
 */
function cutData(
  node: unknown,
  fields: ReadonlySet<string>,
  num: (v: unknown) => unknown = rounded,
): unknown {
  if (Array.isArray(node)) return node.map((x) => cutData(x, fields, num));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (UNDRAWN.has(k)) continue;
    const values =
      k === 'data' && v && typeof v === 'object' ? (v as { values?: unknown }).values : undefined;
    out[k] = Array.isArray(values)
      ? {
          ...(v as object),
          values: values.map((row) =>
            row && typeof row === 'object'
              ? Object.fromEntries(
                  Object.entries(row)
                    .filter(([f]) => fields.has(f))
                    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                    .map(([f, x]) => [f, num(x)]),
                )
              : num(row),
          ),
        }
      : cutData(v, fields, num);
  }
  return out;
}

/**
 * The chart as a reader sees it, for telling whether a chart shows anything new: equal for
 * two charts that draw and print the same figures at the precision they are shown at.
 */
export function shownContent(chart: Pick<ChartResult, 'spec' | 'title' | 'summary'>): string {
  return JSON.stringify({
    title: chart.title,
    summary: chart.summary,
    spec: cutData(chart.spec, drawnFields(chart.spec)),
  });
}

/**
 * How far a drawn position may move and be no change: 0.2% of its field's range, under a pixel
 * of the charts' plots (300 px high at most).
 */
export const UNSEEN_SHARE = 0.002;

/** Channels that place a mark: a quantitative number there is a position, not a printed figure. */
const POSITIONAL = new Set(['x', 'y', 'x2', 'y2']);

/**
 * The fields that only place marks (a quantitative x or y), each with whether its scale starts
 * at zero (Vega-Lite's default): a field printed as well (a text, a sort, an expression) is not
 * one of them.
 */
function positionFields(spec: unknown): Map<string, { readonly zero: boolean }> {
  const placed = new Map<string, { zero: boolean }>();
  const printed = new Set<string>();
  walkSpec(
    spec,
    (f) => printed.add(f),
    (k, v, walk) => {
      if (k === 'encoding' && v && typeof v === 'object') {
        for (const [channel, def] of Object.entries(v)) {
          const d = def as { field?: unknown; type?: unknown; scale?: { zero?: unknown } } | null;
          if (
            POSITIONAL.has(channel) &&
            d &&
            typeof d.field === 'string' &&
            d.type === 'quantitative'
          ) {
            const zero = d.scale?.zero !== false && (placed.get(d.field)?.zero ?? true);
            placed.set(d.field, { zero });
            const { field: _field, ...rest } = d;
            walk(rest);
          } else walk(def);
        }
        return true;
      }
      if (k !== 'field' || typeof v !== 'string') return false;
      printed.add(v);
      return true;
    },
  );
  for (const f of printed) placed.delete(f);
  return placed;
}

const isRow = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === 'object' && !Array.isArray(x);

/**
 * Two charts' data rows draw the same picture: the same rows, fields and words, each printed
 * number the same at three significant figures, and each position within UNSEEN_SHARE of its
 * field's range (over both charts' rows, and zero when its scale starts there).
 */
function sameRows(
  a: readonly unknown[],
  b: readonly unknown[],
  placed: ReadonlyMap<string, { readonly zero: boolean }>,
): boolean {
  if (a.length !== b.length) return false;
  const slack = new Map<string, number>();
  for (const [field, { zero }] of placed) {
    const xs = [...a, ...b].flatMap((r) =>
      isRow(r) && typeof r[field] === 'number' && Number.isFinite(r[field]) ? [r[field]] : [],
    );
    if (xs.length === 0) continue;
    const hi = Math.max(...xs, ...(zero ? [0] : []));
    const lo = Math.min(...xs, ...(zero ? [0] : []));
    slack.set(field, (hi - lo) * UNSEEN_SHARE);
  }
  return a.every((ra, i) => {
    const rb = b[i];
    if (!isRow(ra) || !isRow(rb)) return sameShown(ra, rb, placed);
    const keys = Object.keys(ra);
    if (keys.length !== Object.keys(rb).length) return false;
    return keys.every((k) => {
      if (!(k in rb)) return false;
      const x = ra[k];
      const y = rb[k];
      if (rounded(x) === rounded(y)) return true;
      const within = slack.get(k);
      return (
        within !== undefined &&
        typeof x === 'number' &&
        typeof y === 'number' &&
        Math.abs(x - y) <= within
      );
    });
  });
}

/** Two cut specs (cutData, numbers kept) are the same but for positions moved unseen. */
function sameShown(
  a: unknown,
  b: unknown,
  placed: ReadonlyMap<string, { readonly zero: boolean }>,
): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameShown(x, b[i], placed));
  }
  if (isRow(a) && isRow(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => {
      if (!(k in b)) return false;
      const va = (a[k] as { values?: unknown } | null)?.values;
      const vb = (b[k] as { values?: unknown } | null)?.values;
      if (k === 'data' && Array.isArray(va) && Array.isArray(vb)) {
        const { values: _a, ...restA } = a[k] as object & { values: unknown };
        const { values: _b, ...restB } = b[k] as object & { values: unknown };
        return sameRows(va, vb, placed) && sameShown(restA, restB, placed);
      }
      return sameShown(a[k], b[k], placed);
    });
  }
  return rounded(a) === rounded(b);
}

/**
 * What a chart showed when it was posted, as kept with its picture (chart_fingerprints.shown):
 * its title, its summary and its spec cut down to the data fields it draws, numbers as they
 * were (`looksSame` compares it with a new chart). Plain JSON, so what is stored reads back the
 * same.
 */
export interface ShownForm {
  readonly title: string;
  readonly summary: string;
  readonly spec: unknown;
}

/** Drops what JSON cannot hold (an undefined field, NaN as null), as a stored form reads back. */
const asJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x ?? null));

/** The chart as it is kept once posted: `ShownForm`. */
export function shownForm(chart: ShownForm): ShownForm {
  const keep = (v: unknown) => v;
  return {
    title: chart.title,
    summary: chart.summary,
    spec: asJson(cutData(chart.spec, drawnFields(chart.spec), keep)),
  };
}

/**
 * Whether a reader would see no change from chart `before` (the one on screen, as posted: its
 * `shownForm`, or a chart) to `after`: the same title, summary and printed figures, and every
 * mark placed within a pixel, which `shownContent`'s rounding alone cannot promise (a point near
 * a rounding step moves $1 and crosses it). The data fields nothing draws are left out, as there.
 */
export function looksSame(before: ShownForm, after: ShownForm): boolean {
  if (before.title !== after.title || before.summary !== after.summary) return false;
  // A stored form cut again is itself (its undrawn fields are gone, its drawn ones named).
  return sameShown(shownForm(before).spec, shownForm(after).spec, positionFields(after.spec));
}
