/**
 * vega-lite spec → vega → SVG → PNG, all in process. resvg draws the text and encodes the
 * PNG; it draws no text without fonts, so the DejaVu Sans files are handed to it explicitly
 * and system fonts are never scanned.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { type FontAdvances, fontAdvances, isBold, textWidth } from './text-width.js';

/** Where Debian and Ubuntu put fonts-dejavu-core. */
export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;

export interface RenderOptions {
  /** Directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf (the caller may read SOPBOT_FONT_DIR). */
  readonly fontDir?: string;
  /** Pixel ratio of the PNG; 2 keeps text crisp on high-density screens. */
  readonly scale?: number;
}

export interface RenderedChart {
  readonly png: Buffer;
  readonly svg: string;
  /** PNG size in pixels. */
  readonly width: number;
  readonly height: number;
}

const fontCache = new Map<string, readonly string[]>();

/** The font file paths for a directory, checked once per directory. */
function fontFiles(dir: string): readonly string[] {
  const cached = fontCache.get(dir);
  if (cached) return cached;
  const files = FONT_FILES.map((name) => join(dir, name));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `Chart fonts not found: ${missing.join(', ')}. Install fonts-dejavu-core or point SOPBOT_FONT_DIR at a directory holding ${FONT_FILES.join(' and ')}.`,
    );
  }
  fontCache.set(dir, files);
  return files;
}

/** The fonts vega measures text with, and the directory they came from. */
let measuring: { dir: string; regular: FontAdvances; bold: FontAdvances } | null = null;

/**
 * Has vega lay text out at the widths resvg will draw it (src/charts/text-width.ts), with the
 * fonts of `dir`. A label cut to its limit (`item.limit`) is as wide as the limit at most,
 * which is what vega's truncation compares with.
 */
function measureWith(dir: string): void {
  if (measuring?.dir === dir) return;
  const [regular, bold] = fontFiles(dir).map(fontAdvances) as [FontAdvances, FontAdvances];
  measuring = { dir, regular, bold };
  const fonts = measuring;
  (vega as unknown as VegaTextMetrics).textMetrics.width = (item, text) => {
    const line = text == null ? '' : String(text).trim();
    const font = isBold(item.fontWeight) ? fonts.bold : fonts.regular;
    const width = textWidth(font, line, item.fontSize ?? 11);
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

/** vega exports `textMetrics` (from vega-scenegraph), which its typings leave out. */
interface VegaTextMetrics {
  readonly textMetrics: {
    width: (
      item: { fontSize?: number; fontWeight?: unknown; limit?: number },
      text?: unknown,
    ) => number;
  };
}

function refuse(uri: string): Promise<never> {
  return Promise.reject(new Error(`Charts carry their data inline; refusing to load '${uri}'.`));
}

/** A vega loader that never touches the network or the disk. */
const offlineLoader: vega.Loader = {
  load: refuse,
  sanitize: refuse,
  http: refuse,
  file: refuse,
};

/**
 * A chart spec split into its shape (everything but the inline data) and its data. Charts of
 * the same kind differ only in their data most of the time, so the shape is compiled and
 * parsed once (vega-lite compile and vega parse are half the SVG stage) and each render
 * only feeds the data into a new view. The chart's title text is a signal, set per render,
 * so one family's chart and the next share a shape. Render-only details are dropped on the
 * way: a PNG has no tooltips and no ARIA labels, and computing them per mark is wasted work.
 */
interface Split {
  readonly shape: TopLevelSpec;
  readonly data: (readonly unknown[])[];
  readonly signals: Readonly<Record<string, unknown>>;
}

const TITLE_SIGNAL = 'sopbot_title';

function split(spec: TopLevelSpec): Split {
  const data: (readonly unknown[])[] = [];
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'tooltip') continue;
      const values =
        k === 'data' && v && typeof v === 'object' ? (v as { values?: unknown }).values : undefined;
      if (Array.isArray(values)) {
        const { values: _inline, ...rest } = v as { values: unknown };
        out[k] = { ...rest, name: `${INLINE_PREFIX}${data.length}` };
        data.push(values);
      } else out[k] = walk(v);
    }
    return out;
  };
  const shape = walk(spec) as TopLevelSpec & {
    config?: Record<string, unknown>;
    title?: unknown;
    params?: unknown[];
  };
  shape.config = { ...shape.config, aria: false };
  const signals: Record<string, unknown> = {};
  const title = typeof shape.title === 'object' ? (shape.title as { text?: unknown }) : null;
  const text = typeof shape.title === 'string' ? shape.title : title?.text;
  if (typeof text === 'string' || Array.isArray(text)) {
    shape.title = { ...title, text: { expr: TITLE_SIGNAL } };
    shape.params = [...(shape.params ?? []), { name: TITLE_SIGNAL, value: '' }];
    signals[TITLE_SIGNAL] = text;
  }
  return { shape, data, signals };
}

const INLINE_PREFIX = 'sopbot_inline_';
/** Compiled shapes, most recently used last. Builders make a handful of shapes per company. */
const runtimes = new Map<string, vega.Runtime>();
const MAX_RUNTIMES = 64;

/** Forget every compiled shape (tests compare a cached render with a fresh one). */
export function clearShapeCache(): void {
  runtimes.clear();
}

/** How many shapes are compiled and kept (tests check a shape is compiled once). */
export function shapeCacheSize(): number {
  return runtimes.size;
}

function runtimeFor(shape: TopLevelSpec): vega.Runtime {
  const key = JSON.stringify(shape);
  let runtime = runtimes.get(key);
  if (runtime) runtimes.delete(key);
  else runtime = vega.parse(compile(shape).spec);
  runtimes.set(key, runtime);
  if (runtimes.size > MAX_RUNTIMES) runtimes.delete(runtimes.keys().next().value as string);
  return runtime;
}

/**
 * vega-lite → vega → SVG, with the offline loader, its text laid out in the DejaVu Sans of
 * `opts.fontDir` (the font the PNG is drawn with).
 */
export async function chartSvg(
  spec: TopLevelSpec,
  opts: Pick<RenderOptions, 'fontDir'> = {},
): Promise<string> {
  measureWith(opts.fontDir ?? DEFAULT_FONT_DIR);
  const { shape, data, signals } = split(spec);
  // A fresh view per render. A kept view fed new data would save its construction, but vega
  // then keeps the old order of axis items, so label-overlap hiding can differ from a fresh
  // render (tried; the shape test in tests/unit/charts-render.test.ts catches it).
  const view = new vega.View(runtimeFor(shape), {
    renderer: 'none',
    loader: offlineLoader,
    logLevel: vega.Error,
  });
  // vega writes derived fields into the tuples it is given: hand it copies, not the caller's.
  data.forEach((values, i) => {
    view.data(
      `${INLINE_PREFIX}${i}`,
      values.map((v) => (v && typeof v === 'object' ? { ...v } : v)),
    );
  });
  for (const [name, value] of Object.entries(signals)) view.signal(name, value);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * SVG → PNG with resvg and the DejaVu fonts; `scale` is the pixel ratio (default 2). resvg
 * draws on libuv's thread pool, so the event loop stays free meanwhile.
 */
export async function svgToPng(
  svg: string,
  opts: RenderOptions = {},
): Promise<{ png: Buffer; width: number; height: number }> {
  const files = fontFiles(opts.fontDir ?? DEFAULT_FONT_DIR);
  const image = await renderAsync(svg, {
    font: {
      fontFiles: [...files],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    background: '#ffffff',
  });
  return { png: image.asPng(), width: image.width, height: image.height };
}

export async function renderChart(
  spec: TopLevelSpec,
  opts: RenderOptions = {},
): Promise<RenderedChart> {
  const svg = await chartSvg(spec, opts.fontDir ? { fontDir: opts.fontDir } : {});
  return { svg, ...(await svgToPng(svg, opts)) };
}
