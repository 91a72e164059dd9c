import * as vega from 'vega';
import * as vl from 'vega-lite';

/** One line (series) of a chart. */
export interface Series {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface LineChart {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly series: readonly Series[];
  readonly yScale?: 'linear' | 'log' | 'symlog';
  readonly xScale?: 'linear' | 'log';
  /** Draw points too (for sparse data such as radial profiles). */
  readonly points?: boolean;
  /** Colour the series along a sequential scheme (for series ordered in time, e.g. profiles by day). */
  readonly sequentialColors?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Maximum points per series drawn (longer series are thinned evenly; the data files keep all). */
const MAX_POINTS = 2000;

/** Render a line chart to a standalone SVG string (vega-lite → vega, no browser or canvas needed). */
export async function lineChartSvg(chart: LineChart): Promise<string> {
  const values: { x: number; y: number; series: string }[] = [];
  for (const s of chart.series) {
    const n = s.x.length;
    const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
    for (let i = 0; i < n; i += stride) {
      const y = s.y[i];
      if (!Number.isFinite(y) || (chart.yScale === 'log' && y <= 0)) continue;
      values.push({ x: s.x[i], y, series: s.name });
    }
    if ((n - 1) % stride !== 0 && n > 0) {
      const y = s.y[n - 1];
      if (Number.isFinite(y) && !(chart.yScale === 'log' && y <= 0)) values.push({ x: s.x[n - 1], y, series: s.name });
    }
  }
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 560,
    height: chart.height ?? 300,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: chart.points ?? false, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: chart.xTitle, scale: chart.xScale === 'log' ? { type: 'log' } : { type: 'linear', zero: false } },
      y: { field: 'y', type: 'quantitative', title: chart.yTitle, scale: chart.yScale === 'log' ? { type: 'log' } : { type: chart.yScale ?? 'linear', zero: false } },
      color: chart.sequentialColors
        ? { field: 'series', type: 'ordinal', title: null, sort: chart.series.map((s) => s.name), scale: { scheme: 'viridis' } }
        : { field: 'series', type: 'nominal', title: null, sort: chart.series.map((s) => s.name) },
    },
  };
  return renderSvg(spec);
}

/** A heat map of rectangular cells (e.g. a quantity over time × depth), with optional overlay lines. */
export interface HeatMap {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly colorTitle: string;
  /** Cell i spans [x0[i], x1[i]] × [y0[i], y1[i]] with `value[i]` (non-finite cells are left out). */
  readonly cells: { readonly x0: ArrayLike<number>; readonly x1: ArrayLike<number>; readonly y0: ArrayLike<number>; readonly y1: ArrayLike<number>; readonly value: ArrayLike<number> };
  /** Lines drawn over the cells (solid, dashed, … by series). */
  readonly lines?: readonly Series[];
  readonly colorScale?: 'linear' | 'log' | 'symlog';
  /** A vega colour scheme (default viridis); a diverging one such as "redblue" suits signed values. */
  readonly scheme?: string;
  /** Draw y increasing downwards (depth). */
  readonly reverseY?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Render a heat map to a standalone SVG string (vega-lite rect layer + line layer). */
export async function heatmapSvg(map: HeatMap): Promise<string> {
  const c = map.cells;
  const cells: { x0: number; x1: number; y0: number; y1: number; v: number }[] = [];
  for (let i = 0; i < c.value.length; i++) {
    const v = c.value[i];
    if (!Number.isFinite(v) || (map.colorScale === 'log' && v <= 0)) continue;
    cells.push({ x0: c.x0[i], x1: c.x1[i], y0: c.y0[i], y1: c.y1[i], v });
  }
  const lineValues: { x: number; y: number; series: string }[] = [];
  for (const s of map.lines ?? []) {
    const stride = Math.max(1, Math.ceil(s.x.length / MAX_POINTS));
    for (let i = 0; i < s.x.length; i += stride) if (Number.isFinite(s.y[i])) lineValues.push({ x: s.x[i], y: s.y[i], series: s.name });
  }
  const yScale = { zero: false, reverse: map.reverseY ?? false, nice: false };
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: map.title,
    width: map.width ?? 560,
    height: map.height ?? 320,
    background: 'white',
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: map.xTitle, scale: { zero: false, nice: false } },
          x2: { field: 'x1' },
          y: { field: 'y0', type: 'quantitative', title: map.yTitle, scale: yScale },
          y2: { field: 'y1' },
          color: { field: 'v', type: 'quantitative', title: map.colorTitle, scale: { type: map.colorScale ?? 'linear', scheme: (map.scheme ?? 'viridis') as 'viridis' } },
        },
      },
      ...(lineValues.length > 0
        ? [
            {
              data: { values: lineValues },
              mark: { type: 'line' as const, color: 'white', strokeWidth: 2 },
              encoding: {
                x: { field: 'x', type: 'quantitative' as const },
                y: { field: 'y', type: 'quantitative' as const, scale: yScale },
                strokeDash: { field: 'series', type: 'nominal' as const, title: null },
              },
            },
          ]
        : []),
    ],
  };
  return renderSvg(spec);
}

/** Compile a vega-lite spec and render it headless to SVG. */
async function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Observed against predicted (validation plot) with the 1:1 line; log axes where the target is logged. */
export interface ScatterChart {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly log?: boolean;
  readonly width?: number;
  readonly height?: number;
}

export async function scatterChartSvg(c: ScatterChart): Promise<string> {
  const values: { x: number; y: number }[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < c.x.length; i++) {
    const x = c.x[i];
    const y = c.y[i];
    if (!Number.isFinite(x) || !Number.isFinite(y) || (c.log && (x <= 0 || y <= 0))) continue;
    values.push({ x, y });
    lo = Math.min(lo, x, y);
    hi = Math.max(hi, x, y);
  }
  const scale = c.log ? { type: 'log' as const, domain: [lo, hi] } : { type: 'linear' as const, domain: [lo, hi], zero: false };
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.title,
    width: c.width ?? 360,
    height: c.height ?? 360,
    background: 'white',
    layer: [
      { data: { values }, mark: { type: 'point', filled: true, opacity: 0.6, size: 24 }, encoding: { x: { field: 'x', type: 'quantitative', title: c.xTitle, scale }, y: { field: 'y', type: 'quantitative', title: c.yTitle, scale } } },
      { data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] }, mark: { type: 'line', color: '#888', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale } } },
    ],
  };
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export interface PngOptions {
  /** Output width in pixels (height follows the aspect ratio); default: the SVG's own width × 2 (crisp on high-density screens). */
  readonly width?: number;
  /** Background colour (default white: vega's SVGs are transparent outside the plot). */
  readonly background?: string;
}

/**
 * Render an SVG (e.g. from {@link lineChartSvg}) to PNG bytes with resvg (Rust, shipped as an
 * npm binary; text in the system's fonts, DejaVu Sans preferred).
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const widthMatch = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  const width = options.width ?? (widthMatch ? Math.round(2 * Number(widthMatch[1])) : 1200);
  const r = new Resvg(svg, {
    background: options.background ?? 'white',
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(r.render().asPng());
}
