/**
 * Text widths from the font resvg draws with. Without a canvas, vega guesses every text's
 * width as 0.8 × font size per character, about a third wider than DejaVu Sans: it laid out
 * room for text that is not there (a subtitle guessed 915 px wide left a third of the cash
 * chart empty on the right, legends spread past their plot), cut labels that would have fit,
 * and hid month labels that did not collide. vega lets a renderer without a canvas give its
 * own measure (`textMetrics.width`, as vl-convert does); this one reads each character's
 * advance width from the TrueType files: the `cmap` (format 4, the Basic Multilingual Plane)
 * and `hmtx` tables. Kerning is left out, so a width is never under what is drawn.
 */
import { readFileSync } from 'node:fs';

export interface FontAdvances {
  /** Advance width of a code point in em (the missing glyph's for one the font lacks). */
  advance(codePoint: number): number;
}

function table(buf: Buffer, tag: string): number {
  const count = buf.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const rec = 12 + 16 * i;
    if (buf.toString('latin1', rec, rec + 4) === tag) return buf.readUInt32BE(rec + 8);
  }
  throw new Error(`font file has no '${tag}' table`);
}

/** The advance widths of a TrueType font file. */
export function fontAdvances(path: string): FontAdvances {
  const buf = readFileSync(path);
  const unitsPerEm = buf.readUInt16BE(table(buf, 'head') + 18);
  const metrics = buf.readUInt16BE(table(buf, 'hhea') + 34);
  const hmtx = table(buf, 'hmtx');
  const glyphAdvance = (glyph: number) =>
    buf.readUInt16BE(hmtx + 4 * Math.min(glyph, metrics - 1)) / unitsPerEm;
  // The Windows Unicode BMP subtable (platform 3, encoding 1), format 4.
  const cmap = table(buf, 'cmap');
  let sub = -1;
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    if (buf.readUInt16BE(rec) === 3 && buf.readUInt16BE(rec + 2) === 1)
      sub = cmap + buf.readUInt32BE(rec + 4);
  }
  if (sub < 0 || buf.readUInt16BE(sub) !== 4) throw new Error('font file has no Unicode cmap');
  const segments = buf.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  const glyphOf = (code: number): number => {
    for (let s = 0; s < segments; s++) {
      if (code > buf.readUInt16BE(ends + 2 * s)) continue;
      const start = buf.readUInt16BE(starts + 2 * s);
      if (code < start) return 0;
      const delta = buf.readUInt16BE(deltas + 2 * s);
      const at = rangeOffsets + 2 * s;
      const offset = buf.readUInt16BE(at);
      if (offset === 0) return (code + delta) & 0xffff;
      const glyph = buf.readUInt16BE(at + offset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    advance(code) {
      let w = cache.get(code);
      if (w === undefined) {
        w = glyphAdvance(code > 0xffff ? 0 : glyphOf(code));
        cache.set(code, w);
      }
      return w;
    },
  };
}

/** Width in pixels of one line of text at `fontSize`. */
export function textWidth(font: FontAdvances, text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += font.advance(ch.codePointAt(0) ?? 0);
  return em * fontSize;
}

/** Whether a vega font weight draws with the bold face. */
export function isBold(weight: unknown): boolean {
  return weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600);
}
