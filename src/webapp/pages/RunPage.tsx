import { useEffect, useState } from 'react';
import type { RunDetail } from '../api.js';
import { BalanceTable, Badge, ChecksTable, TotalsTable } from '../components/bits.js';
import { TableExplorer } from '../components/TableExplorer.js';
import { fileUrl, getJson, reportUrl } from '../http.js';
import { href } from '../route.js';

export function useRun(id: string): { run: RunDetail | null; error: string | null } {
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRun(null);
    setError(null);
    getJson<RunDetail>(`api/run?id=${encodeURIComponent(id)}`).then(setRun, (e: Error) => setError(e.message));
  }, [id]);
  return { run, error };
}

export function shortName(path: string, id: string): string {
  return id === '.' ? path : path.slice(id.length + 1);
}

/** One run: what was run, balances and checks, totals, interactive plots of its tables, its SVG plots, files. */
export function RunPage({ id }: { id: string }) {
  const { run, error } = useRun(id);
  const [showAllTables, setShowAllTables] = useState(false);
  if (error) return <p className="error">Could not open run {id}: {error}</p>;
  if (!run) return <p className="muted">loading {id}…</p>;
  const tables = showAllTables ? run.tables : run.tables.slice(0, 3);
  return (
    <div data-testid="run-page">
      <h1>
        {run.name} <span className="muted">({run.kind})</span>
      </h1>
      <div className={`status-banner ${run.status}`} data-testid="run-status">
        <Badge status={run.status} /> {run.failures.length ? run.failures.join('; ') : run.status === 'passed' ? 'every stated check passes' : 'no tolerances or checks stated'}
      </div>
      <div className="toolbar">
        <a href={reportUrl(id)} target="_blank" rel="noreferrer">
          HTML report
        </a>
        <span className="muted small">
          folder <code>{id}</code> · version {run.version ?? '?'} · commit {run.commit?.slice(0, 10) ?? '?'} · {run.date ? new Date(run.date).toLocaleString() : ''} · {run.wallSeconds?.toFixed(2) ?? '?'} s
        </span>
      </div>
      {run.tasks && (
        <>
          <h2>Tasks</h2>
          <table data-testid="tasks">
            <thead>
              <tr>
                <th>task</th>
                <th>status</th>
                <th>overrides</th>
                <th>error</th>
              </tr>
            </thead>
            <tbody>
              {run.tasks.map((t) => (
                <tr key={t.hash}>
                  <td>{t.id ? <a href={href.run(t.id)}>{t.hash}</a> : t.hash}</td>
                  <td>
                    <Badge status={t.status} />
                  </td>
                  <td className="small">
                    <code>{JSON.stringify(t.overrides)}</code>
                  </td>
                  <td className="small">{t.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {!run.tasks && (
        <>
          <div className="side">
            <div>
              <h2>Balances</h2>
              <BalanceTable balance={run.balance} />
              <h2>Checks</h2>
              <ChecksTable checks={run.checks} />
            </div>
            <div>
              <h2>Totals</h2>
              <TotalsTable totals={run.totals} />
            </div>
          </div>
          <h2>Interactive plots</h2>
          {run.tables.length === 0 && <p className="muted">This run wrote no tables.</p>}
          <div className="plots">
            {tables.map((t) => (
              <TableExplorer key={t.path} table={t} />
            ))}
          </div>
          {run.tables.length > 3 && (
            <button onClick={() => setShowAllTables((v) => !v)}>{showAllTables ? 'fewer tables' : `all ${run.tables.length} tables`}</button>
          )}
        </>
      )}
      {run.plots.length > 0 && <Gallery title={`Plots of the run (${run.plots.length})`} paths={run.plots} id={id} testId="svg-plots" />}
      {run.images.length > 0 && <Gallery title="Maps and figures" paths={run.images} id={id} testId="images" />}
      <h2>Files</h2>
      <details>
        <summary>{run.files.length} files</summary>
        <ul className="small">
          {run.files.map((f) => (
            <li key={f.path}>
              <a href={fileUrl(f.path)} target="_blank" rel="noreferrer">
                {shortName(f.path, id)}
              </a>{' '}
              <span className="muted">({(f.bytes / 1024).toFixed(1)} KiB)</span>
            </li>
          ))}
        </ul>
      </details>
      <details>
        <summary>resolved scenario</summary>
        <pre className="log">{JSON.stringify(run.resolvedScenario, null, 2)}</pre>
      </details>
    </div>
  );
}

function Gallery({ title, paths, id, testId }: { title: string; paths: readonly string[]; id: string; testId: string }) {
  return (
    <>
      <h2>{title}</h2>
      <div className="plots" data-testid={testId}>
        {paths.map((p) => (
          <figure className="card" key={p}>
            <img src={fileUrl(p)} alt={shortName(p, id)} loading="lazy" />
            <figcaption className="muted small">{shortName(p, id)}</figcaption>
          </figure>
        ))}
      </div>
    </>
  );
}
