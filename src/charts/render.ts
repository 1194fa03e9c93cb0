/**
 * vega-lite spec → vega → SVG → PNG, all in process. resvg draws no text without fonts,
 * so the DejaVu Sans files are handed to it explicitly and system fonts are never scanned.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { encodePng } from './png.js';
import { outlineText } from './text-paths.js';

/** Where Debian and Ubuntu put fonts-dejavu-core. */
export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;

export interface RenderOptions {
  /** Directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf (the caller may read SOPBOT_FONT_DIR). */
  readonly fontDir?: string;
  /** Pixel ratio of the PNG; 2 keeps text crisp on high-density screens. */
  readonly scale?: number;
  /** Draw text as glyph outlines before rasterising (default true; faster, same look). */
  readonly outlineText?: boolean;
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

/** vega-lite → vega → SVG, with the offline loader. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), {
    renderer: 'none',
    loader: offlineLoader,
    logLevel: vega.Error,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG with resvg and the DejaVu fonts; `scale` is the pixel ratio (default 2). */
export function svgToPng(
  svg: string,
  opts: RenderOptions = {},
): { png: Buffer; width: number; height: number } {
  const dir = opts.fontDir ?? DEFAULT_FONT_DIR;
  const files = fontFiles(dir);
  // Text as outlines: resvg fills paths far faster than it shapes text, and looks the same.
  const image = new Resvg(opts.outlineText === false ? svg : outlineText(svg, dir), {
    font: {
      fontFiles: [...files],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    background: '#ffffff',
  }).render();
  // The background is opaque, so resvg's premultiplied pixels equal straight RGBA.
  return {
    png: encodePng(image.pixels, image.width, image.height),
    width: image.width,
    height: image.height,
  };
}

export async function renderChart(
  spec: TopLevelSpec,
  opts: RenderOptions = {},
): Promise<RenderedChart> {
  fontFiles(opts.fontDir ?? DEFAULT_FONT_DIR);
  const svg = await chartSvg(spec);
  return { svg, ...svgToPng(svg, opts) };
}
