import { useEffect, useMemo, useState } from 'react';
import type { TableInfo } from '../api.js';
import { formatNumber } from '../summary.js';
import { groups, loadTable, tableLayout, xySlice, type LoadedTable } from '../tables.js';
import { Plot, type Line } from './Plot.js';

const MAX_GROUP_LINES = 12;

function unitOf(t: LoadedTable, j: number): string {
  return t.info.columns[j]?.unit ?? '';
}

/** Pick up to `max` evenly spaced items, always keeping the first and last. */
function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, k) => items[Math.round((k * (items.length - 1)) / (max - 1))]);
}

/**
 * Interactive plot of one result table (or the same table of two runs, overlaid): time series with
 * a choice of columns, or profiles (one line per time) with a choice of quantity.
 */
export function TableExplorer({ table, other, labels, initialY }: { table: TableInfo; other?: TableInfo; labels?: [string, string]; initialY?: string }) {
  const [a, setA] = useState<LoadedTable | null>(null);
  const [b, setB] = useState<LoadedTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [x, setX] = useState<number | null>(null);
  const [ys, setYs] = useState<number[]>([]);
  const [logY, setLogY] = useState(false);
  const [groupIndex, setGroupIndex] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([loadTable(table), other ? loadTable(other) : Promise.resolve(null)]).then(
      ([ta, tb]) => {
        if (!live) return;
        setA(ta);
        setB(tb);
        const layout = tableLayout(ta);
        setX(layout.x);
        // Default y: quantities, not indices (integer columns without a unit such as cell, segment).
        const isIndex = (j: number) => (['', '1'].includes(ta.info.columns[j]?.unit ?? '') && ta.numeric[j]!.every((v) => Number.isNaN(v) || Number.isInteger(v)));
        const numericCols = ta.header.map((_, j) => j).filter((j) => ta.numeric[j] && j !== layout.x && !(layout.mode === 'profile' && j === layout.group) && !isIndex(j));
        const wanted = initialY ? ta.header.indexOf(initialY) : -1;
        setYs(wanted >= 0 ? [wanted] : numericCols.slice(0, other || layout.mode === 'profile' ? 1 : 3));
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [table.path, other?.path]);

  const layout = useMemo(() => (a ? tableLayout(a) : null), [a]);
  const gs = useMemo(() => (a && layout?.mode === 'profile' ? groups(a, layout.group) : []), [a, layout]);

  const lines = useMemo((): Line[] => {
    if (!a || x === null || !layout) return [];
    const out: Line[] = [];
    const [la, lb] = labels ?? ['A', 'B'];
    if (layout.mode === 'series') {
      for (const j of ys) {
        if (!a.numeric[j]) continue;
        out.push({ label: b ? `${a.header[j]} (${la})` : a.header[j], x: a.numeric[x]!, y: a.numeric[j]!, unit: unitOf(a, j) });
        const jb = b ? b.header.indexOf(a.header[j]) : -1;
        const xb = b ? b.header.indexOf(a.header[x]) : -1;
        if (b && jb >= 0 && xb >= 0 && b.numeric[jb] && b.numeric[xb]) {
          const s = xySlice(b, xb, jb);
          out.push({ label: `${a.header[j]} (${lb})`, x: s.x, y: s.y, unit: unitOf(b, jb), dash: true });
        }
      }
      return out;
    }
    const j = ys[0];
    if (j === undefined || !a.numeric[j]) return [];
    if (b) {
      const g = gs[groupIndex ?? gs.length - 1];
      if (!g) return [];
      const sa = xySlice(a, x, j, g.from, g.to);
      out.push({ label: `${a.header[j]} (${la})`, x: sa.x, y: sa.y, unit: unitOf(a, j) });
      const jb = b.header.indexOf(a.header[j]);
      const xb = b.header.indexOf(a.header[x]);
      const gb = groups(b, b.header.indexOf(a.header[layout.group])).find((q) => q.value === g.value);
      if (jb >= 0 && xb >= 0 && gb) {
        const sb = xySlice(b, xb, jb, gb.from, gb.to);
        out.push({ label: `${a.header[j]} (${lb})`, x: sb.x, y: sb.y, unit: unitOf(b, jb), dash: true });
      }
      return out;
    }
    for (const g of spread(gs, MAX_GROUP_LINES)) {
      const s = xySlice(a, x, j, g.from, g.to);
      out.push({ label: `${a.header[layout.group]} = ${formatNumber(g.value)}`, x: s.x, y: s.y, unit: unitOf(a, j) });
    }
    return out;
  }, [a, b, x, ys, layout, gs, groupIndex, labels]);

  if (error) return <p className="error">{error}</p>;
  if (!a || x === null || !layout) return <p className="muted">loading {table.name}…</p>;
  const numericCols = a.header.map((h, j) => ({ h, j })).filter(({ j }) => a.numeric[j]);
  const yUnits = [...new Set(ys.map((j) => unitOf(a, j)).filter(Boolean))];
  const multi = layout.mode === 'series' && !b;
  return (
    <div className="card explorer" data-table={table.name}>
      <div className="toolbar">
        <strong>{table.name}</strong>
        <span className="muted small">{a.rows} rows</span>
        <label>
          x{' '}
          <select value={x} onChange={(e) => setX(Number(e.target.value))}>
            {numericCols.map(({ h, j }) => (
              <option key={j} value={j}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label>
          {multi ? 'y (ctrl-click for more)' : 'y'}{' '}
          <select
            multiple={multi}
            size={multi ? 4 : undefined}
            value={multi ? ys.map(String) : String(ys[0] ?? '')}
            onChange={(e) => setYs(multi ? Array.from(e.target.selectedOptions, (o) => Number(o.value)) : [Number(e.target.value)])}
            data-testid="y-select"
          >
            {numericCols.filter(({ j }) => j !== x).map(({ h, j }) => (
              <option key={j} value={j}>
                {h}
              </option>
            ))}
          </select>
        </label>
        {layout.mode === 'profile' && b && (
          <label>
            {a.header[layout.group]}{' '}
            <select value={groupIndex ?? gs.length - 1} onChange={(e) => setGroupIndex(Number(e.target.value))}>
              {gs.map((g, i) => (
                <option key={i} value={i}>
                  {formatNumber(g.value)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> log y
        </label>
        <span className="muted small">drag to zoom · double-click to reset</span>
      </div>
      <Plot xLabel={a.header[x]} xUnit={unitOf(a, x)} yLabel={yUnits.join(', ') || ys.map((j) => a.header[j]).join(', ')} lines={lines} logY={logY} testId={`plot-${table.name}`} />
    </div>
  );
}
