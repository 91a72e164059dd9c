import type { BalanceEntry, CheckEntry, RunRecord } from '../api.js';
import { formatNumber, unitFromName } from '../summary.js';

export function Badge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{status}</span>;
}

export function Num({ v }: { v: number | null | undefined }) {
  return <td className="num">{v === null || v === undefined ? '—' : formatNumber(v)}</td>;
}

export function BalanceTable({ balance }: { balance: readonly BalanceEntry[] }) {
  if (balance.length === 0) return <p className="muted">This run reports no balance.</p>;
  return (
    <table data-testid="balance">
      <thead>
        <tr>
          <th>balance</th>
          <th>relative error</th>
          <th>tolerance</th>
          <th>result</th>
        </tr>
      </thead>
      <tbody>
        {balance.map((b) => (
          <tr key={b.name}>
            <td>{b.name}</td>
            <Num v={b.relativeError} />
            <Num v={b.tolerance} />
            <td>{b.passed === null ? <span className="badge">not judged</span> : <Badge status={b.passed ? 'pass' : 'fail'} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ChecksTable({ checks }: { checks: readonly CheckEntry[] }) {
  if (checks.length === 0) return <p className="muted">This run states no pass/fail checks.</p>;
  const failed = checks.filter((c) => !c.passed && c.severity !== 'warning').length;
  const warned = checks.filter((c) => !c.passed && c.severity === 'warning').length;
  return (
    <details open={failed + warned > 0}>
      <summary>
        {checks.length - failed - warned} of {checks.length} checks pass{failed ? `, ${failed} fail` : ''}
        {warned ? `, ${warned} warning${warned > 1 ? 's' : ''}` : ''}
      </summary>
      <table data-testid="checks">
        <thead>
          <tr>
            <th>check</th>
            <th>result</th>
            <th>values</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.path}>
              <td>{c.label}</td>
              <td>
                <Badge status={c.passed ? 'pass' : c.severity === 'warning' ? 'warning' : 'fail'} />
              </td>
              <td className="small">{c.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function TotalsTable({ totals }: { totals: Readonly<Record<string, number>> }) {
  const entries = Object.entries(totals);
  if (entries.length === 0) return <p className="muted">This run reports no totals.</p>;
  return (
    <table data-testid="totals">
      <thead>
        <tr>
          <th>quantity</th>
          <th>value</th>
          <th>unit</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <td>
              <code>{k}</code>
            </td>
            <Num v={v} />
            <td>{unitFromName(k)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function maxBalanceError(r: RunRecord): number | null {
  const v = r.balance.map((b) => b.relativeError).filter((x): x is number => x !== null);
  return v.length ? Math.max(...v.map(Math.abs)) : null;
}
