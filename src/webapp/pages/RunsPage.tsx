import { useEffect, useMemo, useState } from 'react';
import type { RunRecord } from '../api.js';
import { Badge, maxBalanceError, Num } from '../components/bits.js';
import { getJson } from '../http.js';
import { href } from '../route.js';

/** The run list: filter by text, kind and status; pick two to compare. */
export function RunsPage() {
  const [runs, setRuns] = useState<RunRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const [selected, setSelected] = useState<string[]>([]);

  const load = () => getJson<RunRecord[]>('api/runs').then(setRuns, (e: Error) => setError(e.message));
  useEffect(() => {
    void load();
  }, []);

  const kinds = useMemo(() => [...new Set((runs ?? []).map((r) => r.kind))].sort(), [runs]);
  const shown = useMemo(
    () => (runs ?? []).filter((r) => (!kind || r.kind === kind) && (!status || r.status === status) && (!text || `${r.id} ${r.name} ${r.kind}`.toLowerCase().includes(text.toLowerCase()))),
    [runs, text, kind, status],
  );
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id]));

  if (error) return <p className="error">Could not list runs: {error}</p>;
  if (!runs) return <p className="muted">loading runs…</p>;
  return (
    <div>
      <h1>Runs</h1>
      <div className="toolbar">
        <input type="text" placeholder="filter by name, folder or kind" value={text} onChange={(e) => setText(e.target.value)} data-testid="filter-text" />
        <select value={kind} onChange={(e) => setKind(e.target.value)} data-testid="filter-kind">
          <option value="">all kinds</option>
          {kinds.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status">
          <option value="">any status</option>
          <option value="passed">passed</option>
          <option value="failed">failed</option>
          <option value="unchecked">unchecked</option>
        </select>
        <button onClick={() => void load()}>refresh</button>
        <button className="primary" disabled={selected.length !== 2} onClick={() => (location.hash = href.compare(selected[0], selected[1]))} data-testid="compare">
          compare selected ({selected.length}/2)
        </button>
        <span className="muted small">
          {shown.length} of {runs.length} runs
        </span>
      </div>
      {runs.length === 0 ? (
        <p className="muted">No result folders under the root yet. Launch a run, or start the dashboard with --root on a folder of results.</p>
      ) : (
        <table data-testid="runs">
          <thead>
            <tr>
              <th></th>
              <th>run</th>
              <th>kind</th>
              <th>status</th>
              <th>finished</th>
              <th>wall [s]</th>
              <th>max balance error</th>
              <th>version</th>
              <th>failures</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-run={r.id}>
                <td>
                  <input type="checkbox" checked={selected.includes(r.id)} onChange={() => toggle(r.id)} aria-label={`select ${r.id}`} />
                </td>
                <td>
                  <a href={href.run(r.id)}>{r.name}</a>
                  <div className="muted small">{r.id}</div>
                </td>
                <td>{r.sweep ? `sweep (${r.sweep.tasks} tasks)` : r.kind}</td>
                <td>
                  <Badge status={r.status} />
                </td>
                <td className="small">{r.date ? new Date(r.date).toLocaleString() : '—'}</td>
                <Num v={r.wallSeconds} />
                <Num v={maxBalanceError(r)} />
                <td className="small">{r.version ?? ''}</td>
                <td className="small">{r.failures.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
