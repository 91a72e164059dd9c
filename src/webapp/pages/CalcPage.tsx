import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Plot } from '../components/Plot.js';
import { formatNumber } from '../summary.js';
import type { CalcReply, CalcRequest } from '../worker/protocol.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (done: number, total: number) => void };

/** One Web Worker for all calculators; requests are answered in order of their ids. */
function useWorker() {
  const ref = useRef<{ worker: Worker; next: number; pending: Map<number, Pending> } | null>(null);
  useEffect(() => {
    const worker = new Worker(new URL('../worker/calc.worker.ts', import.meta.url), { type: 'module' });
    const pending = new Map<number, Pending>();
    worker.onmessage = (e: MessageEvent<CalcReply>) => {
      const m = e.data;
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') p.progress?.(m.done, m.total);
      else {
        pending.delete(m.id);
        if (m.type === 'result') p.resolve(m.result);
        else p.reject(new Error(m.message));
      }
    };
    ref.current = { worker, next: 1, pending };
    return () => worker.terminate();
  }, []);
  return <T,>(request: CalcRequest, progress?: (done: number, total: number) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const w = ref.current;
      if (!w) return reject(new Error('worker not ready'));
      const id = w.next++;
      w.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      w.worker.postMessage({ id, request });
    });
}

const ZONES = ['NH1', 'NH2', 'NH3', 'SH12', 'SH3'];
const CURVES = ['Hua2022', 'Hua2013', 'Graven2017', 'ISRaD-annual'];
const EXTENDS = ['none', 'hold-last', 'forecast'];

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="row">
      <label>{label}</label>
      <div>{children}</div>
    </div>
  );
}

function Select({ value, set, options, testId }: { value: string; set: (v: string) => void; options: string[]; testId?: string }) {
  return (
    <select value={value} onChange={(e) => set(e.target.value)} data-testid={testId}>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
}

function CurveInputs({ zone, setZone, curve, setCurve, ext, setExt, prefix }: { zone: string; setZone: (v: string) => void; curve: string; setCurve: (v: string) => void; ext: string; setExt: (v: string) => void; prefix: string }) {
  return (
    <>
      <Row label="zone">
        <Select value={zone} set={setZone} options={ZONES} testId={`${prefix}-zone`} />
      </Row>
      <Row label="bomb curve">
        <Select value={curve} set={setCurve} options={CURVES} />
      </Row>
      <Row label="past the curve end">
        <Select value={ext} set={setExt} options={EXTENDS} />
      </Row>
    </>
  );
}

interface ForwardResult {
  delta14c: number;
  fractionModern: number;
  atmosphereDelta14c: number;
  curve: string;
  zone: string;
  citation: string;
  years: number[];
  soil: number[];
  atmosphere: number[];
}

function ForwardCalc({ run }: { run: ReturnType<typeof useWorker> }) {
  const [tau, setTau] = useState('30');
  const [year, setYear] = useState('2010');
  const [zone, setZone] = useState('NH1');
  const [curve, setCurve] = useState('Hua2022');
  const [ext, setExt] = useState('none');
  const [res, setRes] = useState<ForwardResult | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const go = () => {
    setErr(null);
    run<ForwardResult>({ type: 'forward', turnoverYears: Number(tau), year: Number(year), zone, curve, extend: ext }).then(setRes, (e: Error) => (setErr(e.message), setRes(null)));
  };
  return (
    <div className="card" data-testid="calc-forward">
      <h3>Radiocarbon forward model (one pool, 001 Eqs 1–5)</h3>
      <Row label="turnover time τ [yr]">
        <input type="text" value={tau} onChange={(e) => setTau(e.target.value)} data-testid="forward-tau" />
      </Row>
      <Row label="sampling year">
        <input type="text" value={year} onChange={(e) => setYear(e.target.value)} data-testid="forward-year" />
      </Row>
      <CurveInputs zone={zone} setZone={setZone} curve={curve} setCurve={setCurve} ext={ext} setExt={setExt} prefix="forward" />
      <button className="primary" onClick={go} data-testid="forward-run">
        compute
      </button>
      {err && <p className="error">{err}</p>}
      {res && (
        <>
          <p className="result" data-testid="forward-result" data-value={String(res.delta14c)}>
            Δ14C = {res.delta14c.toFixed(2)} ‰ (F14C {res.fractionModern.toFixed(4)}); atmosphere {res.atmosphereDelta14c.toFixed(1)} ‰
          </p>
          <p className="muted small">{res.citation}</p>
          <Plot xLabel="year" xUnit="AD" yLabel="Δ14C [‰]" height={220} lines={[{ label: `soil, τ = ${tau} yr`, x: res.years, y: res.soil, unit: '‰' }, { label: `atmosphere (${res.zone})`, x: res.years, y: res.atmosphere, unit: '‰', dash: true }]} />
        </>
      )}
    </div>
  );
}

interface AgeResult {
  roots: { turnoverYears: number; branch: string; interval?: [number, number]; intervalClamped?: boolean }[];
  ambiguous: boolean;
  status: string;
  maxDelta14c: number;
  turnoverAtMaxYears: number;
}

function AgeCalc({ run }: { run: ReturnType<typeof useWorker> }) {
  const [d, setD] = useState('100');
  const [year, setYear] = useState('2010');
  const [sigma, setSigma] = useState('5');
  const [zone, setZone] = useState('NH1');
  const [curve, setCurve] = useState('Hua2022');
  const [ext, setExt] = useState('none');
  const [res, setRes] = useState<AgeResult | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const go = () => {
    setErr(null);
    run<AgeResult>({ type: 'age', delta14c: Number(d), year: Number(year), zone, curve, extend: ext, sigma: sigma.trim() ? Number(sigma) : null }).then(setRes, (e: Error) => (setErr(e.message), setRes(null)));
  };
  return (
    <div className="card" data-testid="calc-age">
      <h3>Radiocarbon age: turnover times that fit a measurement</h3>
      <Row label="measured Δ14C [‰]">
        <input type="text" value={d} onChange={(e) => setD(e.target.value)} data-testid="age-d" />
      </Row>
      <Row label="sampling year">
        <input type="text" value={year} onChange={(e) => setYear(e.target.value)} />
      </Row>
      <Row label="σ [‰] (optional)">
        <input type="text" value={sigma} onChange={(e) => setSigma(e.target.value)} />
      </Row>
      <CurveInputs zone={zone} setZone={setZone} curve={curve} setCurve={setCurve} ext={ext} setExt={setExt} prefix="age" />
      <button className="primary" onClick={go} data-testid="age-run">
        invert
      </button>
      {err && <p className="error">{err}</p>}
      {res && (
        <div data-testid="age-result" data-roots={JSON.stringify(res.roots.map((r) => r.turnoverYears))}>
          <p className="result">
            {res.roots.length === 0
              ? `no turnover time fits (${res.status}; highest reachable ${res.maxDelta14c.toFixed(1)} ‰ at τ ≈ ${res.turnoverAtMaxYears.toFixed(1)} yr)`
              : `${res.ambiguous ? `AMBIGUOUS: ${res.roots.length} turnover times fit` : 'one turnover time fits'}`}
          </p>
          <ul>
            {res.roots.map((r, i) => (
              <li key={i}>
                τ = {r.turnoverYears.toPrecision(5)} yr ({r.branch} branch){r.interval ? `, ±σ: ${r.interval[0].toPrecision(4)}–${r.interval[1].toPrecision(4)} yr${r.intervalClamped ? ' (reaches a turning point)' : ''}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

interface SplineResult {
  means: number[];
  coverage: number[];
  depths: number[];
  rejected: boolean;
  warnings: string[];
  horizons: number[][];
  curveDepths: number[];
  curveValues: number[];
}

function SplineCalc({ run }: { run: ReturnType<typeof useWorker> }) {
  const [text, setText] = useState('0,10,2.1\n10,25,1.4\n25,50,0.8\n50,90,0.4');
  const [depths, setDepths] = useState('0,20,40,60,80,100');
  const [lambda, setLambda] = useState('0.1');
  const [mode, setMode] = useState<'exact' | 'mpspline2'>('exact');
  const [res, setRes] = useState<SplineResult | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const go = () => {
    setErr(null);
    run<SplineResult>({ type: 'spline', horizons: text, depths: depths.split(',').map(Number), lambda: Number(lambda), mode }).then(setRes, (e: Error) => (setErr(e.message), setRes(null)));
  };
  // Horizon means and the layer means as step lines over depth (x = depth).
  const steps = (tops: number[], bottoms: number[], values: number[]) => {
    const x: number[] = [];
    const y: number[] = [];
    tops.forEach((t, i) => {
      x.push(t, bottoms[i] - 1e-9);
      y.push(values[i], values[i]);
    });
    return { x, y };
  };
  return (
    <div className="card" data-testid="calc-spline">
      <h3>Equal-area spline to standard layers (003)</h3>
      <Row label="horizons (top,bottom,value per line; cm)">
        <textarea rows={5} cols={30} value={text} onChange={(e) => setText(e.target.value)} data-testid="spline-input" />
      </Row>
      <Row label="layer boundaries [cm]">
        <input type="text" value={depths} onChange={(e) => setDepths(e.target.value)} />
      </Row>
      <Row label="λ">
        <input type="text" value={lambda} onChange={(e) => setLambda(e.target.value)} />
      </Row>
      <Row label="mode">
        <Select value={mode} set={(v) => setMode(v as 'exact' | 'mpspline2')} options={['exact', 'mpspline2']} />
      </Row>
      <button className="primary" onClick={go} data-testid="spline-run">
        spline
      </button>
      {err && <p className="error">{err}</p>}
      {res && (
        <>
          <table data-testid="spline-result">
            <thead>
              <tr>
                <th>layer [cm]</th>
                <th>mean</th>
                <th>coverage</th>
              </tr>
            </thead>
            <tbody>
              {res.means.map((m, i) => (
                <tr key={i}>
                  <td>
                    {res.depths[i]}–{res.depths[i + 1]}
                  </td>
                  <td className="num">{Number.isFinite(m) ? formatNumber(m) : 'NA'}</td>
                  <td className="num">{formatNumber(res.coverage[i])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {res.warnings.map((w, i) => (
            <p className="muted small" key={i}>
              warning: {w}
            </p>
          ))}
          <Plot
            xLabel="depth"
            xUnit="cm"
            yLabel="value"
            height={220}
            lines={[
              { label: 'spline', x: res.curveDepths, y: res.curveValues },
              { label: 'horizons', ...steps(res.horizons.map((h) => h[0]), res.horizons.map((h) => h[1]), res.horizons.map((h) => h[2])), dash: true },
              { label: 'layer means', ...steps(res.depths.slice(0, -1), res.depths.slice(1), res.means) },
            ]}
          />
        </>
      )}
    </div>
  );
}

interface SingleRootResult {
  time: number[];
  pools: Record<string, number[]>;
  steps: number;
  balance: { water: number; carbon: number };
  totals: Record<string, number>;
}

function SingleRootCalc({ run }: { run: ReturnType<typeof useWorker> }) {
  const [days, setDays] = useState('0.5');
  const [set, setSet] = useState('highCO2');
  const [soil, setSoil] = useState('loam');
  const [exud, setExud] = useState('0.15');
  const [uptake, setUptake] = useState('0.15');
  const [muc, setMuc] = useState('0.012');
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [res, setRes] = useState<SingleRootResult | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const go = () => {
    setErr(null);
    setBusy(true);
    run<SingleRootResult>(
      { type: 'single-root', days: Number(days), couplingStep_min: 20, parameterSet: set, soil, head_cm: -100, uptakePeak_cm_per_d: Number(uptake), exudationPeak_mmolC_per_cm2_d: Number(exud), mucilage_mmolC_per_cm2_d: Number(muc) },
      (d, t) => setProgress([d, t]),
    ).then(
      (r) => (setRes(r), setBusy(false)),
      (e: Error) => (setErr(e.message), setRes(null), setBusy(false)),
    );
  };
  return (
    <div className="card" data-testid="calc-single-root">
      <h3>Short single-root run (TraiRhizo, 004 App. D)</h3>
      <p className="muted small">One 1 cm root segment (r = 0.02 cm, r_out = 0.6 cm, 9 log cells), initial head −100 cm, 20-min coupling steps; diurnal uptake and exudation 6–18 h, mucilage pulses 20–24 h.</p>
      <Row label="days (≤ 2)">
        <input type="text" value={days} onChange={(e) => setDays(e.target.value)} data-testid="sr-days" />
      </Row>
      <Row label="parameter set">
        <Select value={set} set={setSet} options={['highCO2', 'highMB', 'lowMUptake']} />
      </Row>
      <Row label="soil">
        <Select value={soil} set={setSoil} options={['loam', 'sand', 'clay']} />
      </Row>
      <Row label="uptake peak [cm³ cm⁻² d⁻¹]">
        <input type="text" value={uptake} onChange={(e) => setUptake(e.target.value)} />
      </Row>
      <Row label="exudation peak [mmol C cm⁻² d⁻¹]">
        <input type="text" value={exud} onChange={(e) => setExud(e.target.value)} />
      </Row>
      <Row label="mucilage pulse [mmol C cm⁻² d⁻¹]">
        <input type="text" value={muc} onChange={(e) => setMuc(e.target.value)} />
      </Row>
      <button className="primary" onClick={go} disabled={busy} data-testid="sr-run">
        run in the browser
      </button>
      {busy && progress && (
        <div className="progress">
          <div style={{ width: `${(100 * progress[0]) / progress[1]}%` }} />
        </div>
      )}
      {err && <p className="error">{err}</p>}
      {res && (
        <>
          <p className="result" data-testid="sr-result" data-co2={String(res.totals.co2_molC)} data-carbon-error={String(res.balance.carbon)}>
            CO₂ {formatNumber(res.totals.co2_molC)} mol C; balance errors: water {formatNumber(res.balance.water)}, carbon {formatNumber(res.balance.carbon)} ({res.steps} solver steps)
          </p>
          <Plot xLabel="time" xUnit="d" yLabel="mol C" logY height={240} lines={Object.entries(res.pools).map(([k, v]) => ({ label: k, x: res.time, y: v, unit: 'mol C' }))} />
        </>
      )}
    </div>
  );
}

/** The models themselves, running in a Web Worker in this page: nothing is sent to the server. */
export function CalcPage() {
  const run = useWorker();
  return (
    <div data-testid="calc-page">
      <h1>Calculators</h1>
      <p className="muted">These run rhizocarb's TypeScript models in your browser (a Web Worker); they need no server.</p>
      <div className="calc">
        <ForwardCalc run={run} />
        <AgeCalc run={run} />
        <SplineCalc run={run} />
        <SingleRootCalc run={run} />
      </div>
    </div>
  );
}
