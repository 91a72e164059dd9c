import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { formatNumber } from '../summary.js';

/** One line: its own x values (sorted ascending) and y values; units shown on hover. */
export interface Line {
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly unit?: string;
  readonly dash?: boolean;
}

export interface PlotProps {
  readonly title?: string;
  readonly xLabel: string;
  readonly xUnit?: string;
  readonly yLabel: string;
  readonly lines: readonly Line[];
  readonly logY?: boolean;
  readonly height?: number;
  readonly testId?: string;
}

const PALETTE = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#0a7b83', '#d4418e', '#57606a', '#fb8f44', '#2da44e', '#6e7781', '#a40e26'];

/** Tick labels that keep small values apart (uPlot's default rounds 1e-5 to 0). */
const ticks = (_u: uPlot, splits: number[]) => splits.map((v) => (v == null ? '' : formatNumber(v)));

/** Align lines with different x values on one x axis (uPlot's aligned-data form). */
function aligned(lines: readonly Line[], logY: boolean): uPlot.AlignedData {
  const clean = (y: ArrayLike<number>) => Array.from(y, (v) => (Number.isFinite(v) && (!logY || v > 0) ? v : null));
  const sameX = lines.every((l) => l.x === lines[0].x);
  if (lines.length === 0) return [[]];
  if (sameX) return [Array.from(lines[0].x), ...lines.map((l) => clean(l.y))] as uPlot.AlignedData;
  const tables = lines.map((l) => [Array.from(l.x), clean(l.y)] as unknown as uPlot.AlignedData);
  return uPlot.join(tables);
}

/**
 * An interactive line plot (uPlot): drag to zoom (x and y), double-click to reset, hover for the
 * values with their units in the legend.
 */
export function Plot({ title, xLabel, xUnit, yLabel, lines, logY = false, height = 300, testId }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = Math.max(320, el.clientWidth || 600);
    const opts: uPlot.Options = {
      title,
      width,
      height,
      scales: { x: { time: false }, y: logY ? { distr: 3 } : {} },
      cursor: { drag: { x: true, y: true, uni: 20 } },
      series: [
        { label: xLabel, value: (_u, v) => (v == null ? '—' : `${formatNumber(v)}${xUnit ? ` ${xUnit}` : ''}`) },
        ...lines.map((l, i) => ({
          label: l.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          dash: l.dash ? [6, 4] : undefined,
          spanGaps: true,
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${formatNumber(v)}${l.unit ? ` ${l.unit}` : ''}`),
        })),
      ],
      axes: [
        { label: xUnit ? `${xLabel} [${xUnit}]` : xLabel, values: ticks },
        { label: yLabel, size: 78, values: ticks },
      ],
    };
    const plot = new uPlot(opts, aligned(lines, logY), el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [title, xLabel, xUnit, yLabel, lines, logY, height]);
  return <div className="plot-holder" ref={ref} data-testid={testId ?? 'plot'} />;
}
