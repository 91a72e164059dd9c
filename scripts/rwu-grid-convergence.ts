/**
 * Grid convergence of root water uptake, classic vs multiscale sink (C1.2-like; Khare et al. 2022,
 * COUPLING.md "Cost in the reference"). One straight horizontal root (r = 0.02 cm, 4 cm long, along
 * x at the centre of a 1 cm × 1 cm cross-section, loam, h = −100 cm), root conductances of
 * benchmark M3.2a (k_r = 1.728e−4 d⁻¹, k_x = 4.32e−2 cm³ d⁻¹), sinusoidal potential
 * transpiration, collar limit −15000 cm. The cross-section is divided into n × n voxels (n odd: the
 * root runs through voxel centres), 4 voxels along the root, one 1 cm segment per voxel.
 *
 * Reference, computed here independently of both sinks: the axisymmetric 1D Richards model around
 * the root (soil/richards1d.ts, 400 log cells, r_out = √(1/π) cm = same soil volume) whose
 * root-surface flux comes from the exact straight-root element T = C (h_surface − h_collar),
 * C = k_x τ tanh(τL), with the collar at the head that gives T_pot or at the limit: the same problem
 * resolved finely near the root (square cross-section → circle of equal area; gravity across 1 cm
 * and the along-root variation of the soil head neglected).
 *
 * Run: npx tsx scripts/rwu-grid-convergence.ts [days] [mean_cm3_per_d] [n1,n2,…] [step_d] [classic-only]
 * (RWU_PSI_AVERAGING=aitken|reference|relaxed|none sets the coupling's ψ_rsi averaging of the multiscale sink)
 */
import '../src/io/paths.js';
import { ReturnCode } from '../src/numerics/ode/types.js';
import { ClassicRootWaterUptake, type ClassicUptakeOptions } from '../src/plant/root-water-uptake.js';
import { namedSet } from '../src/rhizosphere/parameter-sets.js';
import { MultiscaleRootWaterUptake } from '../src/scenarios/multiscale-uptake.js';
import { radialGrid } from '../src/soil/grid1d.js';
import { Richards1D } from '../src/soil/richards1d.js';
import { SOILS } from '../src/soil/van-genuchten.js';
import { uniformVoxelGrid } from '../src/soil/voxel-grid.js';

const R = 0.02;
const L = 4;
const H0 = -100;
const LIMIT = -15000;
const soil = SOILS.loam;

export interface GridRow {
  readonly n: number;
  readonly voxel_cm: number;
  readonly classic_cm3: number;
  readonly multiscale_cm3: number | null;
  readonly classicError: number;
  readonly multiscaleError: number | null;
  readonly classicSeconds: number;
  readonly multiscaleSeconds: number | null;
}

/** Potential transpiration mean·(1 − cos 2πt), cm³ d⁻¹. */
const tpot = (mean: number, t: number) => mean * (1 - Math.cos(2 * Math.PI * t));

/** Collar-to-root conductance of the straight root with uniform outer head (exact element): T = C (ψ_soil − ψ_collar). */
const KR = 1.728e-4;
const KX = 4.32e-2;
const TAU = Math.sqrt((2 * Math.PI * R * KR) / KX);
const C_ROOT = KX * TAU * Math.tanh(TAU * L);

/**
 * The fine radial reference: cumulative uptake over `days`, cm³. Richards 1D radial (400 log cells),
 * root-surface flux from the exact root element with the head of the innermost cell, collar limit;
 * 1-minute steps (explicit in the interface head), the surface head never below −15000 cm (flux-limited).
 */
export function radialReference(days: number, mean: number, cells = 400): number {
  const rOut = Math.sqrt(1 / Math.PI);
  const grid = radialGrid(R, rOut, cells, L, 'log');
  const area = 2 * Math.PI * R * L;
  let q = 0;
  const s = new Richards1D({ grid, soils: [soil], initialHead_cm: H0, lower: { kind: 'fluxLimitedByHead', flux_cm_per_d: () => -q / area, limitHead_cm: LIMIT }, upper: { kind: 'noFlux' } }, { dtInitial_d: 1e-6 });
  const dt = 1 / 1440;
  for (let i = 0; i < Math.round(days / dt); i++) {
    const t0 = i * dt;
    const T = mean * (1 - (Math.sin(2 * Math.PI * (t0 + dt)) - Math.sin(2 * Math.PI * t0)) / (2 * Math.PI * dt));
    const hs = s.h_cm[0];
    q = Math.min(T, C_ROOT * (hs - LIMIT));
    const rc = s.advanceTo(t0 + dt);
    if (rc !== ReturnCode.Success) throw new Error(`radial reference failed: ${rc}`);
  }
  return -s.balance().lowerInflow_cm3;
}

function setup(n: number, mean: number): ClassicUptakeOptions {
  const grid = uniformVoxelGrid([0, L, 4], [-0.5, 0.5, n], [-0.5, 0.5, n]);
  const nodes = 5;
  return {
    roots: { x: Float64Array.from({ length: nodes }, (_, i) => i), y: new Float64Array(nodes), z: new Float64Array(nodes), parent: Int32Array.from({ length: nodes }, (_, i) => i - 1), radius_cm: new Float64Array(nodes - 1).fill(R), type: new Int32Array(nodes - 1).fill(1), nodeTime_d: new Float64Array(nodes) },
    observationTime_d: 0, kr_per_d: KR, kx_cm3_per_d: KX, grid, soil, initialHead_cm: new Float64Array(grid.n).fill(H0), transpirationMean_cm3_per_d: mean, collarLimit_cm: LIMIT,
  };
}

/** Cumulative uptake of both sinks per grid, against the radial reference. */
export function gridStudy(ns: readonly number[], days: number, mean: number, step_d = 1 / 72, withMultiscale = true, psiAveraging?: 'reference' | 'relaxed' | 'none' | 'aitken'): { reference_cm3: number; rows: GridRow[] } {
  const reference = radialReference(days, mean);
  const steps = Math.round(days / step_d);
  const rows: GridRow[] = [];
  for (const n of ns) {
    let t0 = performance.now();
    const c = new ClassicRootWaterUptake(setup(n, mean));
    let classic = 0;
    for (let i = 0; i < steps; i++) {
      const r = c.advance(step_d);
      if (r.soil !== ReturnCode.Success) throw new Error(`classic n=${n}: ${r.soil}`);
      classic += r.actual_cm3;
    }
    const classicSeconds = (performance.now() - t0) / 1000;
    let multi: number | null = null;
    let multiSeconds: number | null = null;
    if (withMultiscale) {
      t0 = performance.now();
      const m = new MultiscaleRootWaterUptake(setup(n, mean), namedSet('highCO2'), psiAveraging ? { psiAveraging } : {});
      multi = 0;
      for (let i = 0; i < steps; i++) {
        const r = m.advance(step_d);
        if (r.soil !== ReturnCode.Success) throw new Error(`multiscale n=${n}: ${r.soil}`);
        multi += r.actual_cm3;
      }
      multiSeconds = (performance.now() - t0) / 1000;
    }
    rows.push({ n, voxel_cm: 1 / n, classic_cm3: classic, multiscale_cm3: multi, classicError: classic / reference - 1, multiscaleError: multi === null ? null : multi / reference - 1, classicSeconds, multiscaleSeconds: multiSeconds });
  }
  return { reference_cm3: reference, rows };
}

if (process.argv[1]?.endsWith('rwu-grid-convergence.ts')) {
  const days = Number(process.argv[2] ?? 4);
  const mean = Number(process.argv[3] ?? 0.2);
  const ns = (process.argv[4] ?? '1,3,5,7,9').split(',').map(Number);
  const avg = process.env.RWU_PSI_AVERAGING as 'reference' | 'relaxed' | 'none' | 'aitken' | undefined;
  const { reference_cm3, rows } = gridStudy(ns, days, mean, Number(process.argv[5] ?? 1 / 72), process.argv[6] !== 'classic-only', avg);
  if (avg) console.log(`multiscale sink with psiAveraging: ${avg}`);
  console.log(`reference (radial 1D, 400 cells): ${reference_cm3.toFixed(5)} cm³ over ${days} d, mean T_pot ${mean} cm³ d⁻¹ (potential ${(mean * days).toFixed(3)} cm³)`);
  console.log('| voxel size (cm) | voxels across | classic (cm³) | classic error | multiscale (cm³) | multiscale error | classic s | multiscale s |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.voxel_cm.toFixed(3)} | ${r.n} × ${r.n} | ${r.classic_cm3.toFixed(5)} | ${(100 * r.classicError).toFixed(1)} % | ${r.multiscale_cm3?.toFixed(5)} | ${r.multiscaleError === null ? '' : (100 * r.multiscaleError).toFixed(1) + ' %'} | ${r.classicSeconds.toFixed(1)} | ${r.multiscaleSeconds?.toFixed(1)} |`);
}
