import { encodePngRgba } from './png.js';
import { svgToPng } from './plot.js';
import type { Grid } from './raster.js';

/**
 * Map quick-looks (LEARNING.md: "a PNG quick-look with colour bar, units and a coastline-free but
 * readable layout"): the raster (downsampled) as an embedded PNG inside an SVG with title, a frame
 * with longitude/latitude ticks, a colour bar with ticks and the unit, then rendered to PNG by
 * resvg. Colour limits are the 2nd and 98th percentiles of the shown values (symmetric about 0 for
 * diverging maps), stated under the bar; NoData is light grey.
 */
export interface MapFigure {
  /** Values (h × w, row-major), NaN = NoData. */
  readonly values: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  /** The grid the values cover (for axis ticks); its size may differ from width × height. */
  readonly grid: Grid;
  readonly title: string;
  readonly unit: string;
  readonly palette?: 'viridis' | 'diverging';
  readonly range?: readonly [number, number];
}

const VIRIDIS = ['#440154', '#482878', '#3e4a89', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const RDBU = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'];

function hex(c: string): [number, number, number] {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
}

function colour(stops: readonly string[], t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = hex(stops[i]);
  const b = hex(stops[i + 1]);
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))];
}

function niceTicks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) out.push(Math.abs(v) < 1e-12 * span ? 0 : v);
  return out;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The figure as SVG text. */
export function mapFigureSvg(f: MapFigure): string {
  const finite = Float64Array.from(f.values).filter((v) => Number.isFinite(v)).sort();
  let [lo, hi] = f.range ?? [percentile(finite, 0.02), percentile(finite, 0.98)];
  if (f.palette === 'diverging' && !f.range) {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    lo = -m;
    hi = m;
  }
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1) * 1e-6;
  const stops = f.palette === 'diverging' ? RDBU : VIRIDIS;
  const { width: w, height: h } = f;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const v = f.values[i];
    const c = Number.isFinite(v) ? colour(stops, (v - lo) / (hi - lo)) : [230, 230, 230];
    rgba.set([c[0], c[1], c[2], 255], i * 4);
  }
  const img = Buffer.from(encodePngRgba(rgba, w, h)).toString('base64');
  const ml = 50;
  const mt = 40;
  const barX = ml + w + 30;
  // wide enough for the unit under the colour bar (≈ 0.62 em per character at 11 px)
  const W = barX + Math.max(110, Math.ceil(0.62 * 11 * f.unit.length) + 12);
  const H = mt + h + 45;
  const g = f.grid;
  const x0 = g.originX;
  const x1 = g.originX + g.width * g.resX;
  const y0 = g.originY;
  const y1 = g.originY + g.height * g.resY;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${ml}" y="24" font-size="15" font-weight="bold">${esc(f.title)}</text>`);
  parts.push(`<image x="${ml}" y="${mt}" width="${w}" height="${h}" preserveAspectRatio="none" href="data:image/png;base64,${img}"/>`);
  parts.push(`<rect x="${ml}" y="${mt}" width="${w}" height="${h}" fill="none" stroke="#333" stroke-width="1"/>`);
  for (const v of niceTicks(Math.min(x0, x1), Math.max(x0, x1), 6)) {
    const px = ml + ((v - x0) / (x1 - x0)) * w;
    parts.push(`<line x1="${px}" y1="${mt + h}" x2="${px}" y2="${mt + h + 4}" stroke="#333"/><text x="${px}" y="${mt + h + 16}" font-size="10" text-anchor="middle">${fmt(v)}°</text>`);
  }
  for (const v of niceTicks(Math.min(y0, y1), Math.max(y0, y1), 4)) {
    const py = mt + ((v - y0) / (y1 - y0)) * h;
    parts.push(`<line x1="${ml - 4}" y1="${py}" x2="${ml}" y2="${py}" stroke="#333"/><text x="${ml - 6}" y="${py + 3}" font-size="10" text-anchor="end">${fmt(v)}°</text>`);
  }
  parts.push(`<text x="${ml + w / 2}" y="${mt + h + 32}" font-size="11" text-anchor="middle">longitude · latitude (EPSG:${g.epsg || '?'}); grey = no data</text>`);
  const barH = Math.max(80, h - 20);
  parts.push('<defs><linearGradient id="cb" x1="0" y1="1" x2="0" y2="0">');
  stops.forEach((c, i) => parts.push(`<stop offset="${i / (stops.length - 1)}" stop-color="${c}"/>`));
  parts.push('</linearGradient></defs>');
  parts.push(`<rect x="${barX}" y="${mt}" width="16" height="${barH}" fill="url(#cb)" stroke="#333" stroke-width="0.5"/>`);
  for (const v of niceTicks(lo, hi, 5)) {
    const py = mt + barH - ((v - lo) / (hi - lo)) * barH;
    parts.push(`<line x1="${barX + 16}" y1="${py}" x2="${barX + 20}" y2="${py}" stroke="#333"/><text x="${barX + 23}" y="${py + 3}" font-size="10">${fmt(v)}</text>`);
  }
  parts.push(`<text x="${barX}" y="${mt + barH + 16}" font-size="11">${esc(f.unit)}</text>`);
  parts.push(`<text x="${barX}" y="${mt + barH + 29}" font-size="9" fill="#555">limits: 2–98 %</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** The figure as PNG bytes (resvg, at the SVG's own size: the map is already at screen resolution). */
export async function mapFigurePng(f: MapFigure): Promise<Uint8Array> {
  const svg = mapFigureSvg(f);
  return svgToPng(svg, { width: Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]) });
}

/**
 * A downsampled copy of a raster filled tile by tile (nearest cell per preview pixel), so figures
 * of large maps need memory for the preview only. At most `maxWidth` pixels across.
 */
export class Preview {
  readonly width: number;
  readonly height: number;
  readonly step: number;
  readonly values: Float32Array;
  constructor(
    readonly grid: Grid,
    maxWidth = 1080,
  ) {
    this.step = Math.max(1, Math.ceil(grid.width / maxWidth));
    this.width = Math.ceil(grid.width / this.step);
    this.height = Math.ceil(grid.height / this.step);
    this.values = new Float32Array(this.width * this.height).fill(NaN);
  }
  /** Add a window (x0, y0, w, h) of the full grid. */
  add(x0: number, y0: number, w: number, h: number, v: ArrayLike<number>): void {
    const s = this.step;
    for (let y = Math.ceil(y0 / s) * s; y < y0 + h; y += s) {
      for (let x = Math.ceil(x0 / s) * s; x < x0 + w; x += s) this.values[(y / s) * this.width + x / s] = v[(y - y0) * w + (x - x0)];
    }
  }
}
