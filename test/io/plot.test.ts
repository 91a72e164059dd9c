import { describe, expect, it } from 'vitest';
import { lineChartSvg, svgToPng } from '../../src/io/plot.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

describe('plots', () => {
  it('svgToPng renders a line chart to a PNG of the requested width (resvg), with ink on the canvas', async () => {
    const svg = await lineChartSvg({ title: 'test', xTitle: 'x', yTitle: 'y', series: [{ name: 'a', x: [0, 1, 2], y: [1, 3, 2] }] });
    const png = await svgToPng(svg, { width: 800 });
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const { width, height } = pngSize(png);
    expect(width).toBe(800);
    expect(height).toBeGreaterThan(300);
    const { Resvg } = await import('@resvg/resvg-js');
    const px = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true } }).render().pixels;
    let ink = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) ink++;
    console.log(`svgToPng: ${width}×${height} px, ${png.length} bytes; ${ink} dark pixels at 1×`);
    expect(ink).toBeGreaterThan(500);
  });
});
