/**
 * vega's SVG made ready for resvg: opacity folded away where it can be, and the picture cut
 * into horizontal bands that are rasterised in parallel.
 *
 * resvg draws an element with `opacity`, `clip-path`, `mask` or `filter` through a layer of
 * its own, and resvg 2.6 panics (aborting the process, not throwing) when such a layer lies
 * wholly outside the canvas. vega hides overlapping axis labels with opacity 0, and a band
 * is a small canvas, so: invisible elements are dropped, a single-paint element's opacity
 * becomes its fill or stroke opacity (the same pixels, no layer), and a picture that still
 * has a layer after that is rendered whole.
 */
import { availableParallelism } from 'node:os';

/** Rasterise in this many horizontal bands at once, one per core (libuv runs them). */
const BANDS = Math.max(1, Math.min(4, availableParallelism()));
/** Below this many CSS pixels a band costs more in set-up than it saves. */
const MIN_BAND = 120;

const LEAF = /<(path|line|rect|circle|ellipse|polygon|polyline)\b([^>]*?)\s*\/>/g;
const attr = (attrs: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1];
const painted = (v: string | undefined) => v !== undefined && v !== 'none' && v !== 'transparent';

/** Fold `opacity` into the one paint it applies to; drop what cannot be seen. */
export function flattenOpacity(svg: string): string {
  return svg.replace(LEAF, (whole, tag: string, attrs: string) => {
    const m = /\sopacity="([^"]*)"/.exec(attrs);
    if (!m) return whole;
    const opacity = Number(m[1]);
    if (!Number.isFinite(opacity)) return whole;
    if (opacity <= 0) return '';
    const rest = attrs.replace(m[0], '');
    if (opacity >= 1) return `<${tag}${rest}/>`;
    const fill = attr(rest, 'fill');
    const stroke = painted(attr(rest, 'stroke'));
    // An absent fill is black on a shape (inherited in general): only a line is sure to have none.
    const filled = tag !== 'line' && (fill === undefined || painted(fill));
    if (filled === stroke) return whole; // both paints (or neither): only a layer is exact
    const name = filled ? 'fill-opacity' : 'stroke-opacity';
    const own = attr(rest, name);
    const value = String(Number((opacity * (own === undefined ? 1 : Number(own))).toFixed(4)));
    return own === undefined
      ? `<${tag}${rest} ${name}="${value}"/>`
      : `<${tag}${rest.replace(`${name}="${own}"`, `${name}="${value}"`)}/>`;
  });
}

/** Whether resvg would draw part of the picture through a layer (see the module comment). */
export function hasLayers(svg: string): boolean {
  return /\s(?:opacity|clip-path|mask|filter)="/.test(svg);
}

/**
 * The same SVG cut into horizontal bands, by rewriting the root's height and viewBox. Band
 * edges fall on whole device pixels (whole CSS pixels at an integer scale), so the bands put
 * together are the picture rendered whole but for a few anti-aliased edge pixels, which
 * round a little differently in single precision (tests/unit/charts-png.test.ts bounds
 * them). Anything unexpected (no numeric size, an offset viewBox, a layer) keeps it whole.
 */
export function svgBands(svg: string, scale: number, bands = BANDS): string[] {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root || bands < 2 || !Number.isInteger(scale) || hasLayers(svg)) return [svg];
  const w = Number(attr(root, 'width'));
  const h = Number(attr(root, 'height'));
  if (!Number.isInteger(w) || !Number.isInteger(h) || attr(root, 'viewBox') !== `0 0 ${w} ${h}`)
    return [svg];
  const n = Math.min(bands, Math.floor(h / MIN_BAND));
  if (n < 2) return [svg];
  const body = svg.slice(root.length);
  const edges = Array.from({ length: n + 1 }, (_, k) => Math.round((k * h) / n));
  return edges.slice(1).map((y1, k) => {
    const y0 = edges[k]!;
    const head = root
      .replace(/\sheight="[^"]*"/, ` height="${y1 - y0}"`)
      .replace(/\sviewBox="[^"]*"/, ` viewBox="0 ${y0} ${w} ${y1 - y0}"`);
    return head + body;
  });
}
