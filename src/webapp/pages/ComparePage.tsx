import type { ReactNode } from 'react';
import type { RunDetail } from '../api.js';
import { Badge, Num } from '../components/bits.js';
import { TableExplorer } from '../components/TableExplorer.js';
import { fileUrl } from '../http.js';
import { href } from '../route.js';
import { formatNumber, unitFromName } from '../summary.js';
import { shortName, useRun } from './RunPage.js';

function Row({ label, a, b, unit }: { label: ReactNode; a: number | null | undefined; b: number | null | undefined; unit?: string }) {
  const both = typeof a === 'number' && typeof b === 'number';
  return (
    <tr>
      <td>{label}</td>
      <Num v={a} />
      <Num v={b} />
      <Num v={both ? b! - a! : null} />
      <td className="num">{both && a !== 0 ? formatNumber(b! / a!) : '—'}</td>
      <td>{unit ?? ''}</td>
    </tr>
  );
}

/** Two runs side by side: their numbers with differences, the same tables overlaid, their plots next to each other. */
export function ComparePage({ a, b }: { a: string; b: string }) {
  const ra = useRun(a);
  const rb = useRun(b);
  if (ra.error || rb.error) return <p className="error">{ra.error ?? rb.error}</p>;
  if (!ra.run || !rb.run) return <p className="muted">loading…</p>;
  const A: RunDetail = ra.run;
  const B: RunDetail = rb.run;
  const labels: [string, string] = [A.id === B.id ? 'A' : A.name === B.name ? A.id : A.name, A.id === B.id ? 'B' : A.name === B.name ? B.id : B.name];
  const balanceNames = [...new Set([...A.balance, ...B.balance].map((x) => x.name))];
  const totalNames = [...new Set([...Object.keys(A.totals), ...Object.keys(B.totals)])];
  const common = A.tables.map((t) => ({ ta: t, tb: B.tables.find((u) => u.name === t.name) })).filter((x) => x.tb);
  const commonPlots = A.plots.map((p) => ({ pa: p, pb: B.plots.find((q) => shortName(q, B.id) === shortName(p, A.id)) })).filter((x) => x.pb);
  return (
    <div data-testid="compare-page">
      <h1>
        Compare <a href={href.run(A.id)}>{labels[0]}</a> and <a href={href.run(B.id)}>{labels[1]}</a>
      </h1>
      <table data-testid="compare-numbers">
        <thead>
          <tr>
            <th></th>
            <th>{labels[0]}</th>
            <th>{labels[1]}</th>
            <th>difference (B − A)</th>
            <th>ratio B / A</th>
            <th>unit</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>kind / status</td>
            <td>
              {A.kind} <Badge status={A.status} />
            </td>
            <td>
              {B.kind} <Badge status={B.status} />
            </td>
            <td colSpan={3}></td>
          </tr>
          <Row label="wall time" a={A.wallSeconds} b={B.wallSeconds} unit="s" />
          {balanceNames.map((n) => (
            <Row key={n} label={`${n} balance relative error`} a={A.balance.find((x) => x.name === n)?.relativeError} b={B.balance.find((x) => x.name === n)?.relativeError} />
          ))}
          {totalNames.map((n) => (
            <Row key={n} label={<code>{n}</code>} a={A.totals[n]} b={B.totals[n]} unit={unitFromName(n)} />
          ))}
        </tbody>
      </table>
      <h2>Tables overlaid ({common.length} in both runs)</h2>
      {common.length === 0 && <p className="muted">The two runs have no table in common.</p>}
      <div className="plots">
        {common.slice(0, 4).map(({ ta, tb }) => (
          <TableExplorer key={ta.path + tb!.path} table={ta} other={tb} labels={labels} />
        ))}
      </div>
      {commonPlots.length > 0 && (
        <>
          <h2>Plots side by side</h2>
          {commonPlots.map(({ pa, pb }) => (
            <div className="side" key={pa}>
              <figure className="card">
                <img src={fileUrl(pa)} alt={`${labels[0]} ${shortName(pa, A.id)}`} loading="lazy" />
                <figcaption className="small muted">
                  {labels[0]}: {shortName(pa, A.id)}
                </figcaption>
              </figure>
              <figure className="card">
                <img src={fileUrl(pb!)} alt={`${labels[1]} ${shortName(pb!, B.id)}`} loading="lazy" />
                <figcaption className="small muted">
                  {labels[1]}: {shortName(pb!, B.id)}
                </figcaption>
              </figure>
            </div>
          ))}
        </>
      )}
    </div>
  );
}
