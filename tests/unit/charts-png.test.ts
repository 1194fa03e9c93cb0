import { inflateSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  chartSvg,
  familyChart,
  gapChart,
  scenarioChart,
  svgToPng,
} from '../../src/charts/index.js';
import { adler32Combine, encodePng } from '../../src/charts/png.js';
import { flattenOpacity, hasLayers, svgBands } from '../../src/charts/raster-prep.js';
import { sampleFamily, sampleGap, sampleScenarios } from '../../src/charts/samples.js';
import { outlineText } from '../../src/charts/text-paths.js';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';

function noise(width: number, height: number, seed: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + seed) % 256;
  return rgba;
}

/** The zlib stream inside a PNG's IDAT chunks. */
function idat(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT')
      parts.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  return Buffer.concat(parts);
}

/** Adler-32 the slow, obvious way. */
function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

describe('encodePng', () => {
  it('round-trips pixels through a standard PNG decoder', async () => {
    const rgba = noise(7, 5, 11);
    const decoded = PNG.sync.read(await encodePng([{ pixels: rgba, height: 5 }], 7));
    expect(decoded.width).toBe(7);
    expect(decoded.height).toBe(5);
    expect(Buffer.compare(decoded.data, Buffer.from(rgba))).toBe(0);
  });

  it('joins bands into one valid zlib stream: same pixels, checksum verified by inflate', async () => {
    const top = noise(9, 4, 3);
    const middle = noise(9, 7, 5);
    const bottom = noise(9, 1, 200);
    const png = await encodePng(
      [
        { pixels: top, height: 4 },
        { pixels: middle, height: 7 },
        { pixels: bottom, height: 1 },
      ],
      9,
    );
    // zlib refuses a stream whose Adler-32 does not match ("incorrect data check").
    expect(() => inflateSync(idat(png))).not.toThrow();
    const decoded = PNG.sync.read(png);
    expect(decoded.height).toBe(12);
    expect(Buffer.compare(decoded.data, Buffer.concat([top, middle, bottom]))).toBe(0);
  });

  it('combines Adler-32 checksums the way zlib does', () => {
    const a = noise(300, 40, 1);
    const b = noise(500, 70, 2);
    expect(adler32Combine(adler32(a), adler32(b), b.length)).toBe(adler32(Buffer.concat([a, b])));
    expect(adler32Combine(1, adler32(b), b.length)).toBe(adler32(b));
  });

  it('gives the same image as resvg’s own encoder', async () => {
    const svg = await chartSvg(scenarioChart(sampleScenarios()).spec);
    const image = new Resvg(svg, {
      font: {
        fontFiles: [`${FONT_DIR}/DejaVuSans.ttf`],
        loadSystemFonts: false,
        defaultFontFamily: 'DejaVu Sans',
      },
      background: '#ffffff',
    }).render();
    const ours = PNG.sync.read(
      await encodePng([{ pixels: image.pixels, height: image.height }], image.width),
    );
    const theirs = PNG.sync.read(image.asPng());
    expect(ours.width).toBe(theirs.width);
    expect(Buffer.compare(ours.data, theirs.data)).toBe(0);
  });

  it('names the size mismatch', async () => {
    await expect(encodePng([{ pixels: new Uint8Array(10), height: 2 }], 2)).rejects.toThrow(
      /expected 16 bytes for 2x2, got 10/,
    );
  });
});

describe('rasterising in bands', () => {
  it('puts together the same picture as rendering it whole', async () => {
    // The same geometry shifted by a band's offset rounds a little differently in single
    // precision, so a few dozen anti-aliased edge pixels may differ by a few levels; a band
    // off by one row or one pixel would differ in tens of thousands.
    for (const spec of [gapChart(sampleGap(20, 24)).spec, familyChart(sampleFamily()).spec]) {
      const svg = await chartSvg(spec);
      const whole = PNG.sync.read((await svgToPng(svg, { bands: 1 })).png);
      for (const bands of [2, 3]) {
        const cut = PNG.sync.read((await svgToPng(svg, { bands })).png);
        expect([cut.width, cut.height]).toEqual([whole.width, whole.height]);
        let differ = 0;
        let worst = 0;
        for (let i = 0; i < whole.data.length; i++) {
          const d = Math.abs(whole.data[i]! - cut.data[i]!);
          if (d > 0) differ++;
          worst = Math.max(worst, d);
        }
        expect(differ).toBeLessThan(whole.data.length / 10_000); // under 0.01%
        expect(worst).toBeLessThan(64);
      }
    }
  });

  it('cuts on whole pixels and covers the height exactly once', () => {
    const svg = outlineText(
      '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="779" height="482" viewBox="0 0 779 482"><rect width="779" height="482" fill="#ffffff"/></svg>',
      FONT_DIR,
    );
    const bands = svgBands(svg, 2, 3);
    const boxes = bands.map((b) => /viewBox="0 (\d+) 779 (\d+)"/.exec(b)!.slice(1).map(Number));
    expect(boxes).toEqual([
      [0, 161],
      [161, 160],
      [321, 161],
    ]);
    for (const [b, [, h]] of bands.map((b, i) => [b, boxes[i]!] as const))
      expect(b).toContain(` height="${h}"`);
  });

  it('keeps whole what it cannot cut safely', () => {
    const offset =
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="10 0 800 600"></svg>';
    const small =
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="200" viewBox="0 0 800 200"></svg>';
    const big =
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600"></svg>';
    expect(svgBands(offset, 2, 2)).toEqual([offset]);
    expect(svgBands(small, 2, 2)).toEqual([small]);
    expect(svgBands(big, 1.5, 2)).toEqual([big]);
    expect(svgBands(big, 2, 2)).toHaveLength(2);
    expect(svgBands(big, 2, 1)).toEqual([big]);
  });

  it('never cuts a picture that has layers, which resvg cannot place outside its canvas', () => {
    const clipped =
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600"><g clip-path="url(#c)"><path d="M0,0h9v9h-9Z"/></g></svg>';
    expect(hasLayers(clipped)).toBe(true);
    expect(svgBands(clipped, 2, 2)).toEqual([clipped]);
  });

  it('renders every chart in bands without tripping resvg (hidden labels outside a band)', async () => {
    // resvg 2.6 aborted the process on the gap chart cut in 3: an axis label vega hid with
    // opacity 0 lay wholly outside the top band.
    for (const spec of [
      gapChart(sampleGap(20, 24)).spec,
      familyChart(sampleFamily()).spec,
      scenarioChart(sampleScenarios()).spec,
    ]) {
      const svg = await chartSvg(spec);
      for (const bands of [2, 3, 4]) {
        const out = await svgToPng(svg, { bands });
        expect(PNG.sync.read(out.png).height).toBe(out.height);
      }
    }
  });
});

describe('flattenOpacity', () => {
  it('drops what cannot be seen and folds opacity into the one paint it applies to', () => {
    expect(flattenOpacity('<g><path d="M0,0h1" fill="#000" opacity="0"/></g>')).toBe('<g></g>');
    expect(flattenOpacity('<path d="M0,0" fill="#123456" opacity="1"/>')).toBe(
      '<path d="M0,0" fill="#123456"/>',
    );
    expect(flattenOpacity('<path d="M0,0" fill="#123456" opacity="0.9"/>')).toBe(
      '<path d="M0,0" fill="#123456" fill-opacity="0.9"/>',
    );
    expect(flattenOpacity('<path d="M0,0" fill="#123456" fill-opacity="0.5" opacity="0.9"/>')).toBe(
      '<path d="M0,0" fill="#123456" fill-opacity="0.45"/>',
    );
    expect(flattenOpacity('<line x2="5" stroke="#000" opacity="0.5"/>')).toBe(
      '<line x2="5" stroke="#000" stroke-opacity="0.5"/>',
    );
    expect(flattenOpacity('<path d="M0,0" fill="none" stroke="#000" opacity="0.5"/>')).toBe(
      '<path d="M0,0" fill="none" stroke="#000" stroke-opacity="0.5"/>',
    );
  });

  it('leaves an element with both fill and stroke to a layer, which alone is exact', () => {
    const both = '<path d="M0,0" fill="#e45756" stroke="#ffffff" opacity="0.7"/>';
    expect(flattenOpacity(both)).toBe(both);
    expect(hasLayers(flattenOpacity(both))).toBe(true);
  });

  it('leaves the four charts without layers, so all of them can be cut into bands', async () => {
    for (const spec of [
      gapChart(sampleGap(20, 24)).spec,
      familyChart(sampleFamily()).spec,
      scenarioChart(sampleScenarios()).spec,
    ]) {
      const svg = flattenOpacity(outlineText(await chartSvg(spec), FONT_DIR));
      expect(hasLayers(svg)).toBe(false);
    }
  });
});
