import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { chartSvg, DEFAULT_FONT_DIR, gapChart, svgToPng } from '../../src/charts/index.js';
import { sampleGap } from '../../src/charts/samples.js';
import { outlineText } from '../../src/charts/text-paths.js';

function dark(png: Buffer): { count: number; data: Buffer; width: number } {
  const img = PNG.sync.read(png);
  let count = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]! < 110) count++;
  }
  return { count, data: img.data, width: img.width };
}

describe('text drawn as outlines', () => {
  const label = (x: number, y: number, s: string, weight = 'normal', anchor = 'start') =>
    `<text text-anchor="${anchor}" transform="translate(${x},${y})" font-family="DejaVu Sans" font-size="12px" font-weight="${weight}" fill="#1d1c1d">${s}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="90"><rect width="320" height="90" fill="#ffffff"/>${label(10, 20, '90 96 99 &amp; 2027-09')}${label(310, 45, 'Rita · promotion', 'bold', 'end')}${label(160, 75, 'LINE-14 at 118%', 'normal', 'middle')}</svg>`;

  it('replaces every <text> with one path holding all its glyphs', () => {
    const out = outlineText(svg, DEFAULT_FONT_DIR);
    expect(out).not.toContain('<text');
    expect((out.match(/<path /g) ?? []).length).toBe(3);
    // One closed outline or more per visible glyph: 16 + 13 + 12 of them, and counters.
    expect((out.match(/[Mm]/g) ?? []).length).toBeGreaterThan(41);
    expect(out).toContain('transform="translate(310,45)"');
  });

  it('looks like the text resvg draws itself: same ink, same places (counters of 9 included)', async () => {
    const shaped = dark((await svgToPng(svg, { outlineText: false })).png);
    const outlined = dark((await svgToPng(svg)).png);
    expect(shaped.count).toBeGreaterThan(1000);
    expect(Math.abs(outlined.count - shaped.count) / shaped.count).toBeLessThan(0.06);
    let differ = 0;
    for (let i = 0; i < shaped.data.length; i += 4) {
      if (Math.abs(shaped.data[i]! - outlined.data[i]!) > 96) differ++;
    }
    expect(differ / shaped.count).toBeLessThan(0.1);
  });

  it('keeps the counters of small digits open (a 9 at 10 px is not a blob)', async () => {
    const nines = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="30"><rect width="200" height="30" fill="#ffffff"/><text text-anchor="start" transform="translate(4,20)" font-family="DejaVu Sans" font-size="10px" fill="#000000">9999999999 6666 0000</text></svg>`;
    const shaped = dark((await svgToPng(nines, { outlineText: false, scale: 4 })).png);
    const outlined = dark((await svgToPng(nines, { scale: 4 })).png);
    expect(Math.abs(outlined.count - shaped.count) / shaped.count).toBeLessThan(0.06);
  });

  it('renders a whole chart the same way either path', async () => {
    const chart = await chartSvg(gapChart(sampleGap(8, 6)).spec);
    const a = dark((await svgToPng(chart, { outlineText: false })).png);
    const b = dark((await svgToPng(chart)).png);
    expect(Math.abs(a.count - b.count) / a.count).toBeLessThan(0.06);
  });
});
