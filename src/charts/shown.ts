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

/** The data fields a spec draws: named by an encoding or a sort, or read in an expression. */
function drawnFields(spec: unknown): Set<string> {
  const fields = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const m of node.matchAll(/datum\.([A-Za-z_$][\w$]*)/g)) fields.add(m[1]!);
      return;
    }
    if (Array.isArray(node)) {
      for (const x of node) walk(x);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (UNDRAWN.has(k) || k === 'data') continue;
      if (k === 'field' && typeof v === 'string') fields.add(v);
      else walk(v);
    }
  };
  walk(spec);
  return fields;
}

/** A number at three significant figures; anything else as it is. */
const rounded = (v: unknown): unknown =>
  typeof v === 'number' && Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(3)) : v;

/** Replaces every inline `data.values` by its rows cut down to `fields`, numbers rounded. */
function cutData(node: unknown, fields: ReadonlySet<string>): unknown {
  if (Array.isArray(node)) return node.map((x) => cutData(x, fields));
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
                    .map(([f, x]) => [f, rounded(x)]),
                )
              : rounded(row),
          ),
        }
      : cutData(v, fields);
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
