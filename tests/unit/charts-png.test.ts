import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { chartSvg, scenarioChart } from '../../src/charts/index.js';
import { encodePng } from '../../src/charts/png.js';
import { sampleScenarios } from '../../src/charts/samples.js';

describe('encodePng', () => {
  it('round-trips pixels through a standard PNG decoder', () => {
    const width = 7;
    const height = 5;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + 11) % 256;
    const decoded = PNG.sync.read(encodePng(rgba, width, height));
    expect(decoded.width).toBe(width);
    expect(decoded.height).toBe(height);
    expect(Buffer.compare(decoded.data, Buffer.from(rgba))).toBe(0);
  });

  it('gives the same image as resvg’s own encoder', async () => {
    const svg = await chartSvg(scenarioChart(sampleScenarios()).spec);
    const image = new Resvg(svg, {
      font: {
        fontFiles: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
        loadSystemFonts: false,
        defaultFontFamily: 'DejaVu Sans',
      },
      background: '#ffffff',
    }).render();
    const ours = PNG.sync.read(encodePng(image.pixels, image.width, image.height));
    const theirs = PNG.sync.read(image.asPng());
    expect(ours.width).toBe(theirs.width);
    expect(Buffer.compare(ours.data, theirs.data)).toBe(0);
  });

  it('names the size mismatch', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/expected 16 bytes for 2x2, got 10/);
  });
});
