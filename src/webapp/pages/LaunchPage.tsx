import { useEffect, useRef, useState } from 'react';
import type { FieldError, JobInfo, KindInfo, ValidateResponse } from '../api.js';
import { Badge } from '../components/bits.js';
import { SchemaForm } from '../components/SchemaForm.js';
import { getJson, postJson } from '../http.js';
import { href } from '../route.js';

type Json = Record<string, unknown>;

/** Follow a job's server-sent events until it ends. */
function useJob(id: string | null): JobInfo | null {
  const [job, setJob] = useState<JobInfo | null>(null);
  useEffect(() => {
    if (!id) return;
    const es = new EventSource(`api/job/events?id=${encodeURIComponent(id)}`);
    es.onmessage = (e) => {
      const j = JSON.parse(e.data as string) as JobInfo;
      setJob(j);
      if (j.state === 'done' || j.state === 'failed' || j.state === 'cancelled') es.close();
    };
    return () => es.close();
  }, [id]);
  return job;
}

function JobPanel({ id }: { id: string }) {
  const job = useJob(id);
  if (!job) return <p className="muted">starting…</p>;
  const p = job.progress;
  const pct = p && p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : job.state === 'done' ? 100 : 0;
  const active = job.state === 'queued' || job.state === 'running';
  return (
    <div className="card" data-testid="job" data-state={job.state}>
      <div className="toolbar">
        <strong>{job.name}</strong> <Badge status={job.state} />
        {job.runStatus === 'failed' && <Badge status="failed" />}
        {active && (
          <button onClick={() => void postJson(`api/job/cancel?id=${encodeURIComponent(job.id)}`, {})} data-testid="cancel">
            cancel
          </button>
        )}
        {job.runId && (
          <a href={href.run(job.runId)} data-testid="open-run">
            open the run
          </a>
        )}
      </div>
      <div className="progress" aria-label="progress">
        <div style={{ width: `${pct}%` }} />
      </div>
      <div className="small muted" data-testid="progress-text">
        {p ? `${p.label}: ${p.done}/${p.total} (${pct.toFixed(0)} %) ${Object.entries(p.info).map(([k, v]) => `${k} ${v}`).join(' · ')}` : job.state}
      </div>
      {job.failedChecks.length > 0 && <pre className="log error" data-testid="failed-checks">{`the run failed ${job.failedChecks.length} check(s); its outputs are kept for inspection:\n${job.failedChecks.join('\n')}`}</pre>}
      {job.error && <pre className="log error">{job.error}</pre>}
      {job.log.length > 0 && <pre className="log">{job.log.join('\n')}</pre>}
    </div>
  );
}

/** Launch a scenario from a form generated from its kind's JSON Schema; follow its progress; cancel it. */
export function LaunchPage() {
  const [kinds, setKinds] = useState<KindInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState('');
  const [value, setValue] = useState<Json>({});
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [checked, setChecked] = useState<'idle' | 'checking' | 'ok' | 'invalid'>('idle');
  const [jobIds, setJobIds] = useState<string[]>([]);
  const seq = useRef(0);

  useEffect(() => {
    getJson<KindInfo[]>('api/kinds').then(
      (k) => {
        setKinds(k);
        const first = k.find((x) => x.kind === 'single-root') ?? k[0];
        if (first) choose(first, 0);
      },
      (e: Error) => setError(e.message),
    );
    getJson<JobInfo[]>('api/jobs').then((j) => setJobIds(j.map((x) => x.id)), () => {});
  }, []);

  const choose = (k: KindInfo, example: number) => {
    setKind(k.kind);
    const ex = k.examples[example];
    setValue(ex ? structuredClone(ex.scenario) : { kind: k.kind });
    setName('');
  };

  // Validate on the server (same checks as `rhizocarb run`), debounced.
  useEffect(() => {
    if (!kind) return;
    const n = ++seq.current;
    setChecked('checking');
    const t = setTimeout(() => {
      postJson<ValidateResponse>('api/validate', { scenario: value }).then(
        (r) => {
          if (n !== seq.current) return;
          setErrors(r.errors);
          setChecked(r.ok ? 'ok' : 'invalid');
        },
        (e: Error) => n === seq.current && (setErrors([{ keyPath: '', message: e.message }]), setChecked('invalid')),
      );
    }, 250);
    return () => clearTimeout(t);
  }, [value, kind]);

  const launch = async () => {
    const r = await postJson<JobInfo & { errors?: FieldError[] }>('api/launch', { scenario: value, ...(name ? { name } : {}) });
    if (r.errors) {
      setErrors(r.errors);
      setChecked('invalid');
      return;
    }
    setJobIds((ids) => [r.id, ...ids]);
  };

  if (error) return <p className="error">{error}</p>;
  if (!kinds) return <p className="muted">loading scenario kinds…</p>;
  const info = kinds.find((k) => k.kind === kind);
  return (
    <div data-testid="launch-page">
      <h1>Launch a run</h1>
      <div className="toolbar">
        <label>
          kind{' '}
          <select value={kind} onChange={(e) => choose(kinds.find((k) => k.kind === e.target.value)!, 0)} data-testid="kind">
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.kind}
              </option>
            ))}
          </select>
        </label>
        {info && info.examples.length > 0 && (
          <label>
            start from{' '}
            <select onChange={(e) => choose(info, Number(e.target.value))} data-testid="example">
              {info.examples.map((x, i) => (
                <option key={x.name} value={i}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          run name <input type="text" value={name} placeholder={(value.name as string) ?? kind} onChange={(e) => setName(e.target.value)} data-testid="run-name" />
        </label>
      </div>
      {info && <p className="muted">{info.description}</p>}
      <div className="side">
        <div>{info && <SchemaForm schema={info.schema} value={value} onChange={setValue} errors={errors} />}</div>
        <div>
          <div className="toolbar">
            <button className="primary" disabled={checked !== 'ok'} onClick={() => void launch()} data-testid="launch">
              launch
            </button>
            <span data-testid="validation" data-state={checked} className={checked === 'invalid' ? 'error' : 'muted'}>
              {checked === 'ok' ? 'valid scenario' : checked === 'checking' ? 'checking…' : checked === 'invalid' ? `${errors.length} problem${errors.length === 1 ? '' : 's'}` : ''}
            </span>
          </div>
          {errors.length > 0 && (
            <ul className="field-error" data-testid="all-errors">
              {errors.map((e, i) => (
                <li key={i}>
                  <code>{e.keyPath || '(scenario)'}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
          <h2>Runs launched here</h2>
          {jobIds.length === 0 && <p className="muted">none yet</p>}
          {jobIds.map((id) => (
            <JobPanel key={id} id={id} />
          ))}
        </div>
      </div>
    </div>
  );
}
