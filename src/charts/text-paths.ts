/**
 * Replace the SVG's <text> elements with outlines drawn from the same DejaVu Sans fonts.
 * resvg spends most of a chart's render time shaping text (about 0.7 ms per label); outlines
 * are plain paths it fills quickly, and they look the same. Fonts are parsed once per
 * directory. Anything this does not recognise is left as <text> for resvg to draw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import opentype, { type Font, type Glyph } from 'opentype.js';

interface Faces {
  readonly regular: Font;
  readonly bold: Font;
}

const cache = new Map<string, Faces>();

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export function loadFaces(fontDir: string): Faces {
  let faces = cache.get(fontDir);
  if (!faces) {
    faces = {
      regular: opentype.parse(toArrayBuffer(readFileSync(join(fontDir, 'DejaVuSans.ttf')))),
      bold: opentype.parse(toArrayBuffer(readFileSync(join(fontDir, 'DejaVuSans-Bold.ttf')))),
    };
    cache.set(fontDir, faces);
  }
  return faces;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e] ?? m;
  });
}

function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([a-zA-Z:-]+)="([^"]*)"/g)) out.set(m[1]!, m[2]!);
  return out;
}

interface Line {
  readonly text: string;
  readonly x: number | null;
  readonly dy: number;
}

function lines(inner: string): Line[] | null {
  if (!inner.includes('<')) return [{ text: decode(inner), x: null, dy: 0 }];
  const out: Line[] = [];
  const rest = inner.replace(/<tspan([^>]*)>([^<]*)<\/tspan>/g, (_m, a: string, t: string) => {
    const at = attrs(a);
    out.push({
      text: decode(t),
      x: at.has('x') ? Number(at.get('x')) : null,
      dy: Number(at.get('dy') ?? 0),
    });
    return '';
  });
  return rest.trim() === '' ? out : null;
}

/** Hundredths of a CSS pixel: a 50th of a device pixel at the renderer's 2x. */
const H = 100;
const hundredths = (n: number) => String(n / H);

interface GlyphOutline {
  /** Where the outline starts, relative to the pen, in hundredths; null for a blank glyph. */
  readonly start: readonly [number, number] | null;
  /** The rest of the outline in relative commands, from that start. */
  readonly rest: string;
}

/**
 * The outline of one glyph at one size, by face and character: computed once. Coordinates are
 * rounded to hundredths in the glyph's own frame and the commands are relative, so the same
 * string serves wherever the glyph is drawn and nothing drifts. Outlines come from the font at
 * full size, so small digits keep their counters.
 */
const glyphCache = new Map<string, GlyphOutline>();

function glyphOutline(font: Font, key: string, glyph: Glyph, size: number): GlyphOutline {
  let out = glyphCache.get(key);
  if (out) return out;
  const k = (size / font.unitsPerEm) * H;
  const commands = glyph.getPath(0, 0, font.unitsPerEm).commands;
  let start: [number, number] | null = null;
  let [cx, cy] = [0, 0]; // current point
  let [sx, sy] = [0, 0]; // start of the current subpath
  const parts: string[] = [];
  const rel = (x: number, y: number): string =>
    `${hundredths(Math.round(x * k) - cx)} ${hundredths(Math.round(y * k) - cy)}`;
  for (const c of commands) {
    if (c.type === 'Z') {
      parts.push('z');
      [cx, cy] = [sx, sy];
      continue;
    }
    const x = Math.round(c.x * k);
    const y = Math.round(c.y * k);
    if (c.type === 'M' && start === null) start = [x, y];
    else if (c.type === 'M') parts.push(`m${rel(c.x, c.y)}`);
    else if (c.type === 'L') parts.push(`l${rel(c.x, c.y)}`);
    else if (c.type === 'Q') parts.push(`q${rel(c.x1, c.y1)} ${rel(c.x, c.y)}`);
    else if (c.type === 'C') parts.push(`c${rel(c.x1, c.y1)} ${rel(c.x2, c.y2)} ${rel(c.x, c.y)}`);
    [cx, cy] = [x, y];
    if (c.type === 'M') [sx, sy] = [x, y];
  }
  out = { start, rest: parts.join('') };
  glyphCache.set(key, out);
  return out;
}

/** A laid-out run: its advance width, and each drawn glyph's outline and pen offset. */
interface Run {
  readonly width: number;
  readonly glyphs: readonly {
    readonly offset: number;
    readonly start: readonly [number, number];
    readonly rest: string;
  }[];
}

/**
 * Runs by face, size and text. Chart labels repeat from render to render (months, resource
 * names, figures), and opentype.js's kerning lookup is the slow part of laying one out.
 * Bounded: cleared when full, as a company has a few thousand distinct labels at most.
 */
const runCache = new Map<string, Run>();
const MAX_RUNS = 8192;

/**
 * Glyph by glyph with pair kerning: charts hold only Latin labels and figures, so no further
 * shaping is needed (opentype.js 2.0's own shaper trips on DejaVu's ccmp table). The whole run
 * becomes one path: one element for resvg to parse and fill, where a path per glyph, each
 * with its own transform, costs it several times as much.
 */
function layout(font: Font, face: string, text: string, size: number): Run {
  const key = `${face}|${size}|${text}`;
  const cached = runCache.get(key);
  if (cached) return cached;
  const k = size / font.unitsPerEm;
  const chars = [...text];
  const glyphs = chars.map((c) => font.charToGlyph(c));
  const drawn: Run['glyphs'][number][] = [];
  let pen = 0;
  glyphs.forEach((g, i) => {
    if (i > 0) pen += font.getKerningValue(glyphs[i - 1]!, g) * k;
    const { start, rest } = glyphOutline(font, `${face}|${size}|${chars[i]}`, g, size);
    if (start) drawn.push({ offset: pen, start, rest });
    pen += (g.advanceWidth ?? 0) * k;
  });
  const run = { width: pen, glyphs: drawn };
  if (runCache.size >= MAX_RUNS) runCache.clear();
  runCache.set(key, run);
  return run;
}

/** A run's path data with its pen at (x, y), on the hundredths grid. */
function drawRun(run: Run, x: number, y: number): string {
  const y0 = Math.round(y * H);
  let d = '';
  for (const { offset, start, rest } of run.glyphs) {
    const x0 = Math.round((x + offset) * H);
    d += `M${hundredths(x0 + start[0])} ${hundredths(y0 + start[1])}${rest}`;
  }
  return d;
}

function textToPath(tag: string, inner: string, faces: Faces): string | null {
  const a = attrs(tag);
  const ls = lines(inner);
  if (!ls) return null;
  const size = Number.parseFloat(a.get('font-size') ?? '11');
  if (!Number.isFinite(size)) return null;
  const weight = a.get('font-weight') ?? 'normal';
  const bold = weight === 'bold' || Number(weight) >= 600;
  const font = bold ? faces.bold : faces.regular;
  const anchor = a.get('text-anchor') ?? 'start';
  const x0 = Number(a.get('x') ?? 0);
  let y = Number(a.get('y') ?? 0);
  const parts: string[] = [];
  for (const l of ls) {
    y += l.dy;
    if (!l.text) continue;
    const run = layout(font, bold ? 'b' : 'r', l.text, size);
    const w = run.width;
    const x = (l.x ?? x0) - (anchor === 'middle' ? w / 2 : anchor === 'end' ? w : 0);
    parts.push(drawRun(run, x, y));
  }
  if (parts.every((p) => p === '')) return '';
  const keep = ['transform', 'fill', 'opacity', 'fill-opacity']
    .filter((k) => a.has(k))
    .map((k) => `${k}="${a.get(k)}"`)
    .join(' ');
  return `<path ${keep} d="${parts.join('')}"/>`;
}

/** The same SVG with its text drawn as outlines. */
export function outlineText(svg: string, fontDir: string): string {
  const faces = loadFaces(fontDir);
  return svg.replace(/<text([^>]*)>([\s\S]*?)<\/text>/g, (whole, tag: string, inner: string) => {
    return textToPath(tag, inner, faces) ?? whole;
  });
}
