import { describe, expect, it } from 'vitest';
import { mapFigureSvg } from '../../src/io/map-figure.js';

describe('map quick-looks', () => {
  it('the unit under the colour bar fits in the figure: rendered on a canvas 300 px wider, no ink right of the figure (resvg)', async () => {
    const w = 72;
    const h = 150; // tall enough that the unit line (below an 80-px minimum colour bar) lies inside the figure
    const values = Float64Array.from({ length: w * h }, (_, i) => (i % w) / w);
    const grid = { width: w, height: h, originX: -180, originY: 90, resX: 5, resY: -1.2, epsg: 4326, geoKeys: {} };
    const { Resvg } = await import('@resvg/resvg-js');
    for (const unit of ['1', 'Mg C ha-1 yr-1', '1 (95 % half-width / prediction)']) {
      const svg = mapFigureSvg({ values, width: w, height: h, grid, title: 't', unit });
      const [, W, H] = /width="(\d+)" height="(\d+)" viewBox/.exec(svg)!.map(Number);
      const wide = svg.replace(`width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"`, `width="${W + 300}" height="${H}" viewBox="0 0 ${W + 300} ${H}"`);
      const img = new Resvg(wide, { background: 'white', font: { loadSystemFonts: true } }).render();
      const px = img.pixels; // a getter that copies the buffer: read once
      let edgeInk = 0;
      for (let y = 0; y < img.height; y++)
        for (let x = W; x < img.width; x++) {
          const i = 4 * (y * img.width + x);
          if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) edgeInk++;
        }
      console.log(`map figure, unit "${unit}": ${img.width}×${img.height} px (figure width ${W}), ${edgeInk} dark pixels right of the figure`);
      expect(edgeInk).toBe(0);
    }
  });
});
