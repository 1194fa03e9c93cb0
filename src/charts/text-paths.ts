/**
 * Replace the SVG's <text> elements with outlines drawn from the same DejaVu Sans fonts.
 * resvg spends most of a chart's render time shaping text (about 0.7 ms per label); outlines
 * are plain paths it fills quickly, and they look the same. Fonts are parsed once per
 * directory. Anything this does not recognise is left as <text> for resvg to draw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import opentype, { type Font } from 'opentype.js';

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

/**
 * Outline of one glyph at the origin, at size OUTLINE_SIZE (scaled down when drawn), by face
 * and character: computed once. Outlines taken at small sizes lose their counters (a 9 with
 * its hole filled), so they are always taken large.
 */
const OUTLINE_SIZE = 1000;
const glyphCache = new Map<string, string>();

/**
 * Glyph by glyph with pair kerning: charts hold only Latin labels and figures, so no further
 * shaping is needed (opentype.js 2.0's own shaper trips on DejaVu's ccmp table).
 */
function layout(
  font: Font,
  face: string,
  text: string,
  size: number,
): { width: number; draw: (x: number, y: number) => string } {
  const scale = size / font.unitsPerEm;
  const chars = [...text];
  const glyphs = chars.map((c) => font.charToGlyph(c));
  const offsets: number[] = [];
  let pen = 0;
  glyphs.forEach((g, i) => {
    if (i > 0) pen += font.getKerningValue(glyphs[i - 1]!, g) * scale;
    offsets.push(pen);
    pen += (g.advanceWidth ?? 0) * scale;
  });
  const outline = (i: number): string => {
    const key = `${face}|${chars[i]}`;
    let d = glyphCache.get(key);
    if (d === undefined) {
      d = glyphs[i]!.getPath(0, 0, OUTLINE_SIZE).toPathData({
        decimalPlaces: 1,
        optimize: false,
        flipY: false,
      });
      glyphCache.set(key, d);
    }
    return d;
  };
  return {
    width: pen,
    draw: (x, y) =>
      glyphs
        .map((_, i) => {
          const d = outline(i);
          return d
            ? `<path transform="translate(${(x + offsets[i]!).toFixed(2)},${y.toFixed(2)}) scale(${(size / OUTLINE_SIZE).toFixed(5)})" d="${d}"/>`
            : '';
        })
        .join(''),
  };
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
    parts.push(run.draw(x, y));
  }
  const keep = ['transform', 'fill', 'opacity', 'fill-opacity']
    .filter((k) => a.has(k))
    .map((k) => `${k}="${a.get(k)}"`)
    .join(' ');
  return `<g ${keep}>${parts.join('')}</g>`;
}

/** The same SVG with its text drawn as outlines. */
export function outlineText(svg: string, fontDir: string): string {
  const faces = loadFaces(fontDir);
  return svg.replace(/<text([^>]*)>([\s\S]*?)<\/text>/g, (whole, tag: string, inner: string) => {
    return textToPath(tag, inner, faces) ?? whole;
  });
}
