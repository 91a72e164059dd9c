import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberColumn, stringColumn } from '../../src/core/csv.js';
import { readCsvFile } from '../../src/io/files.js';
import { InputError, InputErrors } from '../../src/core/errors.js';
import { loadScenario, runScenarioFile } from '../../src/scenarios/run.js';

/**
 * The shipped pedon examples run end to end (scenario → model → files) and show the behaviours of
 * ZONES.md / paper 002, each asserted on its example, with the numbers printed.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'rhizocarb-pedon-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Profiles {
  year: Float64Array;
  top: Float64Array;
  bottom: Float64Array;
  pool: string[];
  stock: Float64Array;
  d14: Float64Array;
}

const runs = new Map<string, { summary: Record<string, unknown>; profiles: Profiles; series: { year: Float64Array; zb: Float64Array } }>();

async function runExample(name: string) {
  const out = join(tmp, name);
  const summary = await runScenarioFile(join(root, 'examples', `${name}.yaml`), out);
  const t = readCsvFile(join(out, 'profiles.csv'));
  const errs: InputError[] = [];
  expect(t.header).toEqual(['year', 'layer_top_cm', 'layer_bottom_cm', 'pool', 'stock_gC_per_m2', 'delta14c_permil']);
  const profiles = { year: numberColumn(t, 'year', errs), top: numberColumn(t, 'layer_top_cm', errs), bottom: numberColumn(t, 'layer_bottom_cm', errs), pool: stringColumn(t, 'pool'), stock: numberColumn(t, 'stock_gC_per_m2', errs), d14: numberColumn(t, 'delta14c_permil', errs) };
  const ts = readCsvFile(join(out, 'timeseries.csv'));
  const series = { year: numberColumn(ts, 'year', errs), zb: numberColumn(ts, 'z_b_cm', errs) };
  expect(errs).toEqual([]);
  for (const f of ['profiles.parquet', 'profile-ages.csv', 'timeseries.parquet', 'columns.csv', 'plots/soc-heatmap.svg', 'plots/delta14c-heatmap.svg', 'plots/boundary.svg', 'plots/co2-by-zone.svg', 'summary.json']) expect(existsSync(join(out, f)), f).toBe(true);
  const b = summary.balance as unknown as { carbon: { relativeError: number }; c14: { relativeError: number } };
  expect(b.carbon.relativeError).toBeLessThan(1e-10);
  expect(b.c14.relativeError).toBeLessThan(1e-10);
  runs.set(name, { summary, profiles, series });
}

/** SOC (g C m⁻²) in [a, b] cm at `year`. */
function soc(p: Profiles, year: number, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < p.year.length; i++) if (p.pool[i] === 'SOC' && Math.abs(p.year[i] - year) < 1e-6 && p.top[i] >= a - 1e-9 && p.bottom[i] <= b + 1e-9) s += p.stock[i];
  return s;
}
const years = (p: Profiles) => [...new Set(p.year)].sort((x, y) => x - y);

describe('pedon examples (ZONES.md behaviours)', () => {
  beforeAll(async () => {
    for (const n of ['pedon-grassland', 'pedon-to-woodland', 'pedon-to-cropland', 'pedon-deep-roots', 'pedon-closed-loop']) await runExample(n);
  }, 120_000);

  it('pedon-grassland: the spin-up is a steady state (relative change per century ≤ 1e-9; SOC 1850 = 1950 to 1e-12) and bomb carbon enters the topsoil', () => {
    const r = runs.get('pedon-grassland')!;
    const spin = r.summary.spinUp as { relativeChangePerCentury: number; iterations: number; zb_cm: number };
    const p = r.profiles;
    const s1850 = soc(p, 1850, 0, 200);
    const s1950 = soc(p, 1950, 0, 200);
    const d14 = (y: number) => {
      let c = 0, w = 0;
      for (let i = 0; i < p.year.length; i++) if (p.pool[i] === 'SOC' && p.year[i] === y && p.bottom[i] <= 20) {
        c += p.stock[i];
        w += p.stock[i] * p.d14[i];
      }
      return w / c;
    };
    console.log(`grassland spin-up: ${spin.iterations} fixed-point iterations, relative change per century ${spin.relativeChangePerCentury.toExponential(2)}; SOC 0–200 cm ${(s1850 / 100).toFixed(2)} Mg C ha⁻¹ (1950: |Δ|/SOC ${(Math.abs(s1950 - s1850) / s1850).toExponential(1)}); z_b ${spin.zb_cm.toFixed(1)} cm; Δ14C 0–20 cm ${d14(1950).toFixed(1)} ‰ (1950) → ${d14(2019).toFixed(1)} ‰ (2019)`);
    expect(spin.relativeChangePerCentury).toBeLessThan(1e-9);
    expect(Math.abs(s1950 - s1850) / s1850).toBeLessThan(1e-12);
    expect(d14(2019)).toBeGreaterThan(d14(1950) + 50);
  });

  it('pedon-to-woodland: SOC moves upwards — the share of the first metre held in the top 20 cm (Jobbágy & Jackson 2000) rises after 1900 and stays higher', () => {
    const p = runs.get('pedon-to-woodland')!.profiles;
    const share = (y: number) => soc(p, y, 0, 20) / soc(p, y, 0, 100);
    const after = years(p).filter((y) => y > 1900);
    const meanDepth = (y: number) => {
      let s = 0, w = 0;
      for (let i = 0; i < p.year.length; i++) if (p.pool[i] === 'SOC' && p.year[i] === y) {
        s += p.stock[i];
        w += p.stock[i] * 0.5 * (p.top[i] + p.bottom[i]);
      }
      return w / s;
    };
    console.log(`grassland → woodland: top-20 cm share of 0–100 cm SOC ${share(1900).toFixed(4)} (1900) → ${share(1950).toFixed(4)} (1950) → ${share(2019).toFixed(4)} (2019); 0–20 cm ${(soc(p, 1900, 0, 20) / 100).toFixed(2)} → ${(soc(p, 1950, 0, 20) / 100).toFixed(2)} → ${(soc(p, 2019, 0, 20) / 100).toFixed(2)} Mg C ha⁻¹; 20–100 cm ${(soc(p, 1900, 20, 100) / 100).toFixed(2)} → ${(soc(p, 2019, 20, 100) / 100).toFixed(2)}; SOC-weighted mean depth 0–200 cm ${meanDepth(1900).toFixed(2)} → ${meanDepth(2019).toFixed(2)} cm`);
    for (const y of after) expect(share(y)).toBeGreaterThan(share(1900));
    expect(share(2019) - share(1900)).toBeGreaterThan(0.01);
    expect(soc(p, 1950, 0, 20)).toBeGreaterThan(soc(p, 1900, 0, 20));
    expect(soc(p, 2019, 20, 100)).toBeLessThan(soc(p, 1900, 20, 100));
  });

  it('pedon-to-cropland: topsoil (0–30 cm) SOC falls every decade after conversion, by > 20 % by 2019', () => {
    const p = runs.get('pedon-to-cropland')!.profiles;
    const after = years(p).filter((y) => y >= 1900);
    const top = after.map((y) => soc(p, y, 0, 30));
    console.log(`grassland → cropland: 0–30 cm SOC ${after.filter((_, k) => k % 4 === 0).map((y) => `${y}: ${(soc(p, y, 0, 30) / 100).toFixed(2)}`).join(', ')} Mg C ha⁻¹ (−${(100 * (1 - top[top.length - 1] / top[0])).toFixed(1)} %)`);
    for (let k = 1; k < top.length; k++) expect(top[k]).toBeLessThan(top[k - 1]);
    expect(top[top.length - 1]).toBeLessThan(0.8 * top[0]);
  });

  it('pedon-deep-roots: a deeper-rooting crop deepens z_b by > 30 cm and, over decades, raises the SOC below the old boundary every 5 years', () => {
    const r = runs.get('pedon-deep-roots')!;
    const p = r.profiles;
    const s = r.series;
    const k1950 = s.year.findIndex((y) => y >= 1950);
    const zb0 = s.zb[k1950];
    const zb1 = s.zb[s.zb.length - 1];
    const z0 = Math.ceil(zb0 / 2) * 2; // the first layer boundary below the initial z_b
    const after = years(p).filter((y) => y >= 1950);
    const sub = after.map((y) => soc(p, y, z0, 200));
    console.log(`deep roots: z_b ${zb0.toFixed(1)} cm (1950) → ${s.zb[s.year.findIndex((y) => y >= 1980)].toFixed(1)} (1980) → ${zb1.toFixed(1)} cm (2019); SOC ${z0}–200 cm ${after.filter((_, k) => k % 2 === 0).map((y, k) => `${y}: ${(sub[2 * k] / 100).toFixed(2)}`).join(', ')} Mg C ha⁻¹ (+${(100 * (sub[sub.length - 1] / sub[0] - 1)).toFixed(1)} %)`);
    expect(zb1 - zb0).toBeGreaterThan(30);
    for (let k = 1; k < sub.length; k++) expect(sub[k]).toBeGreaterThan(sub[k - 1]);
    expect(sub[sub.length - 1]).toBeGreaterThan(1.03 * sub[0]);
  });

  it('pedon-closed-loop: the 001 chain recovers I_bulk within 5 % in every standard layer above 100 cm; ignoring the leak makes turnover look I_root/I_bulk = 4× faster (within 5 %)', () => {
    const s = runs.get('pedon-closed-loop')!.summary;
    const c = s.closedLoop as { layers: { top_cm: number; bottom_cm: number; trueIBulk: number; recoveredIBulk: number; relativeError: number | null }[]; turnoverBias: number; expectedBias: number; pass: boolean };
    console.log(`closed loop: ${c.layers.map((l) => `${l.top_cm}–${l.bottom_cm} cm ${l.trueIBulk.toFixed(4)} → ${l.recoveredIBulk.toFixed(4)} (${l.relativeError === null ? 'no direct input' : (100 * l.relativeError).toFixed(2) + ' %'})`).join('; ')}; turnover bias ${c.turnoverBias.toFixed(3)} vs I_root/I_bulk ${c.expectedBias.toFixed(3)}`);
    const above = c.layers.filter((l) => l.bottom_cm <= 100);
    expect(above).toHaveLength(5);
    for (const l of above) expect(Math.abs(l.relativeError!)).toBeLessThan(0.05);
    expect(Math.abs(c.turnoverBias / c.expectedBias - 1)).toBeLessThan(0.05);
    expect(c.expectedBias).toBeCloseTo(4, 10);
    expect(c.pass).toBe(true);
    expect(s.status).toBe('ok');
  });
});

describe('pedon scenario input errors (file, key, value, expectation; nothing run)', () => {
  const write = (name: string, text: string) => {
    const f = join(tmp, name);
    writeFileSync(f, text);
    return f;
  };
  const base = 'kind: pedon\ntime: { start: 1850, end: 2019 }\nlandUse: grassland\n';
  const message = (f: string): string => {
    try {
      loadScenario(f);
    } catch (e) {
      if (e instanceof InputError || e instanceof InputErrors) return e.message;
      throw e;
    }
    return '';
  };
  it('root-input fractions that do not sum to 1, a transition outside the run, an end past the curve, an unknown preset, a rate outside its registry range', () => {
    expect(message(write('a.yaml', base.replace('landUse: grassland', 'landUse: { preset: grassland, rootLitterFraction: 0.9 }')))).toMatch(/a\.yaml.*landUse\.rootLitterFraction: got 1\.2, expected rootLitterFraction \+ rhizodepositFraction \+ rhizoMaocFraction = 1/);
    expect(message(write('b.yaml', base + 'transitions:\n  - { year: 2050, landUse: cropland }\n'))).toMatch(/b\.yaml:5.*transitions\.0\.year: got 2050, expected a year after time\.start \(1850\) and before time\.end \(2019\)/);
    expect(message(write('c.yaml', base.replace('end: 2019', 'end: 2030')))).toMatch(/time\.end: got 2030, expected a year ≤ 2019\.375, the end of Hua2022/);
    expect(message(write('d.yaml', base.replace('landUse: grassland', 'landUse: prairie')))).toMatch(/d\.yaml.*landUse/);
    expect(message(write('e.yaml', base + 'zones: { mmzi: { cue: 1.5 } }\n'))).toMatch(/e\.yaml.*zones\.mmzi\.cue/);
    expect(message(write('f.yaml', base + 'closedLoop: { samplingYear: 2010, horizons_cm: [0, 15, 30] }\n'))).toMatch(/closedLoop\.horizons_cm\.1: got 15, expected increasing layer boundaries of the model grid/);
  });

  it('the leak can come from a single-root run (cumulative microbial CO₂ / plant C release); a missing file is refused', () => {
    const summary = write('rhizo-summary.json', JSON.stringify({ totals: { co2_molC: 3e-6, exudedC_molC: 3e-6, mucilageC_molC: 1e-6 } }));
    const ok = loadScenario(write('g.yaml', base.replace('landUse: grassland', `landUse: { preset: grassland, leak: { rhizosphereSummary: ${JSON.stringify(summary)} } }`)));
    expect(ok.kind.kind).toBe('pedon');
    expect(message(write('h.yaml', base.replace('landUse: grassland', 'landUse: { preset: grassland, leak: { rhizosphereSummary: nope.json } }')))).toMatch(/leak\.rhizosphereSummary: got "nope\.json", expected the summary\.json of a single-root run/);
  });
});
