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
