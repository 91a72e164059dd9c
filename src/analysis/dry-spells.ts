/**
 * The analyses of paper 004 Sec. 2.4 (Figs 7–12) as pure functions over plain data (typed arrays and
 * numbers; no files, no model state), so a coupled run, a scenario or the CLI can compute them from
 * what a run wrote. Definitions follow ../shared/spec/COUPLING.md "Analyses":
 *
 * * scales: macroscale = voxels rooted at the end in any scenario ({@link macroscaleMask}); bulk soil =
 *   voxels rooted at time t (a mask given to {@link depthProfile}); perirhizal_trunc = each 1D model cut at
 *   Δr_analysis = 0.06 cm from the root surface ({@link truncatePerirhizal}); microscale = every 1D cell;
 * * Fig 8: depth profiles, Fig 9: volume distribution vs concentration, Fig 10: relative change against
 *   baseline, Fig 11: SOC hotspot volumes, Fig 12: radial profiles, Fig 7: cumulative plant fluxes.
 *
 * Concentrations are per cm³ of soil unless the name says water; volumes cm³; amounts mol C.
 */

/** Δr_analysis of 004 Sec. 2.4: the perirhizal zone kept within this distance of the root surface, cm. */
export const PERIRHIZAL_TRUNC_CM = 0.06;

/** A perirhizal 1D model: cell faces from the root surface r_in = faces_cm[0] outwards, and its length. */
export interface RadialCells {
  readonly faces_cm: ArrayLike<number>;
  readonly length_cm: number;
}

/** Volume of the annulus between radii a < b over a length L: π (b² − a²) L, cm³. */
export function annulusVolume_cm3(a_cm: number, b_cm: number, length_cm: number): number {
  return Math.PI * (b_cm * b_cm - a_cm * a_cm) * length_cm;
}

/** Cell volumes of a 1D model, cm³. */
export function cellVolumes_cm3(m: RadialCells): Float64Array {
  const n = m.faces_cm.length - 1;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = annulusVolume_cm3(m.faces_cm[i], m.faces_cm[i + 1], m.length_cm);
  return v;
}

/** Value at radius r from cell-centre values (centre = mean of the faces), linear between centres, constant beyond the outer centres. */
export function interpolateAtRadius(m: RadialCells, values: ArrayLike<number>, r_cm: number): number {
  const n = m.faces_cm.length - 1;
  const centre = (i: number) => 0.5 * (m.faces_cm[i] + m.faces_cm[i + 1]);
  if (r_cm <= centre(0)) return values[0];
  for (let i = 0; i < n - 1; i++) {
    const a = centre(i);
    const b = centre(i + 1);
    if (r_cm <= b) return values[i] + ((values[i + 1] - values[i]) * (r_cm - a)) / (b - a);
  }
  return values[n - 1];
}

/**
 * perirhizal_trunc of one 1D model (004 Sec. 2.4): the cells within `cut_cm` of the root surface with their
 * volumes and values, the cell cut by r_in + cut contributing its inner part, with the value interpolated
 * between cell centres ({@link interpolateAtRadius}) at the middle of that part. When the domain is thinner
 * than the cut, every cell is kept whole.
 */
export function truncatePerirhizal(m: RadialCells, values: ArrayLike<number>, cut_cm = PERIRHIZAL_TRUNC_CM): { volumes_cm3: Float64Array; values: Float64Array } {
  const f = m.faces_cm;
  const n = f.length - 1;
  if (values.length !== n) throw new Error(`truncatePerirhizal: ${values.length} values for ${n} cells`);
  const rCut = f[0] + cut_cm;
  const vols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    if (f[i + 1] <= rCut) {
      vols.push(annulusVolume_cm3(f[i], f[i + 1], m.length_cm));
      vals.push(values[i]);
    } else {
      if (rCut > f[i]) {
        vols.push(annulusVolume_cm3(f[i], rCut, m.length_cm));
        vals.push(interpolateAtRadius(m, values, 0.5 * (f[i] + rCut)));
      }
      break;
    }
  }
  return { volumes_cm3: Float64Array.from(vols), values: Float64Array.from(vals) };
}

/** Total perirhizal_trunc volume of a set of 1D models, Σ π (min(r_in + cut, r_out)² − r_in²) L, cm³. */
export function truncatedVolume_cm3(models: readonly RadialCells[], cut_cm = PERIRHIZAL_TRUNC_CM): number {
  let v = 0;
  for (const m of models) {
    const r0 = m.faces_cm[0];
    const r1 = m.faces_cm[m.faces_cm.length - 1];
    v += annulusVolume_cm3(r0, Math.min(r0 + cut_cm, r1), m.length_cm);
  }
  return v;
}

/**
 * Volume distribution of a concentration (Fig 9): for each distinct value x (ascending) the volume with a
 * concentration ≤ x (`volumeAtOrBelow_cm3`, the curve of Fig 9) and its complement, the volume with a
 * concentration > x (`volumeAbove_cm3`).
 */
export function volumeDistribution(values: ArrayLike<number>, volumes_cm3: ArrayLike<number>): { value: Float64Array; volumeAtOrBelow_cm3: Float64Array; volumeAbove_cm3: Float64Array; total_cm3: number } {
  if (values.length !== volumes_cm3.length) throw new Error('volumeDistribution: values and volumes differ in length');
  const idx = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (let i = 0; i < volumes_cm3.length; i++) total += volumes_cm3[i];
  const xs: number[] = [];
  const cum: number[] = [];
  let acc = 0;
  for (let j = 0; j < idx.length; j++) {
    acc += volumes_cm3[idx[j]];
    const x = values[idx[j]];
    if (j + 1 < idx.length && values[idx[j + 1]] === x) continue;
    xs.push(x);
    cum.push(acc);
  }
  const below = Float64Array.from(cum);
  return { value: Float64Array.from(xs), volumeAtOrBelow_cm3: below, volumeAbove_cm3: below.map((c) => total - c), total_cm3: total };
}

/** Union of per-scenario "rooted at the end" masks: the macroscale voxels (004 Sec. 2.4). */
export function macroscaleMask(rootedAtEnd: readonly ArrayLike<number | boolean>[]): Uint8Array {
  if (rootedAtEnd.length === 0) throw new Error('macroscaleMask: no scenario');
  const n = rootedAtEnd[0].length;
  const out = new Uint8Array(n);
  for (const m of rootedAtEnd) {
    if (m.length !== n) throw new Error('macroscaleMask: masks differ in length');
    for (let i = 0; i < n; i++) if (m[i]) out[i] = 1;
  }
  return out;
}

/** Σ concentration × volume over the cells of a mask (all cells without a mask), mol. */
export function amountIn(conc: ArrayLike<number>, volumes_cm3: ArrayLike<number> | number, mask?: ArrayLike<number | boolean>): number {
  let s = 0;
  for (let i = 0; i < conc.length; i++) if (!mask || mask[i]) s += conc[i] * (typeof volumes_cm3 === 'number' ? volumes_cm3 : volumes_cm3[i]);
  return s;
}

/**
 * Carbon pools of one voxel or cell (concentrations; dissolved ones per cm³ water, the rest per cm³ soil,
 * as in 004 App. D). Microbes are copiotrophs (C) and oligotrophs (O), active (a) and dormant (d).
 */
export interface PoolFields {
  readonly theta: ArrayLike<number>;
  readonly cLl_molC_per_cm3_water: ArrayLike<number>;
  readonly cHl_molC_per_cm3_water: ArrayLike<number>;
  readonly cLs_molC_per_cm3: ArrayLike<number>;
  readonly cOa_molC_per_cm3: ArrayLike<number>;
  readonly cOd_molC_per_cm3: ArrayLike<number>;
  readonly cCa_molC_per_cm3: ArrayLike<number>;
  readonly cCd_molC_per_cm3: ArrayLike<number>;
  readonly co2_molC_per_cm3: ArrayLike<number>;
}

/** The pool amounts of Figs 10 and the notebooks' tables, mol C (solutes = dissolved θ(C_L^l + C_H^l); sorbed C_L^s apart). */
export interface PoolAmounts {
  solutes_molC: number;
  sorbed_molC: number;
  microbes_molC: number;
  activeMicrobes_molC: number;
  copiotrophs_molC: number;
  co2_molC: number;
}

/** Pool amounts over the cells of a mask (e.g. the macroscale voxels). */
export function poolAmounts(p: PoolFields, volumes_cm3: ArrayLike<number> | number, mask?: ArrayLike<number | boolean>): PoolAmounts {
  const out: PoolAmounts = { solutes_molC: 0, sorbed_molC: 0, microbes_molC: 0, activeMicrobes_molC: 0, copiotrophs_molC: 0, co2_molC: 0 };
  for (let i = 0; i < p.theta.length; i++) {
    if (mask && !mask[i]) continue;
    const v = typeof volumes_cm3 === 'number' ? volumes_cm3 : volumes_cm3[i];
    out.solutes_molC += p.theta[i] * (p.cLl_molC_per_cm3_water[i] + p.cHl_molC_per_cm3_water[i]) * v;
    out.sorbed_molC += p.cLs_molC_per_cm3[i] * v;
    out.microbes_molC += (p.cOa_molC_per_cm3[i] + p.cOd_molC_per_cm3[i] + p.cCa_molC_per_cm3[i] + p.cCd_molC_per_cm3[i]) * v;
    out.activeMicrobes_molC += (p.cOa_molC_per_cm3[i] + p.cCa_molC_per_cm3[i]) * v;
    out.copiotrophs_molC += (p.cCa_molC_per_cm3[i] + p.cCd_molC_per_cm3[i]) * v;
    out.co2_molC += p.co2_molC_per_cm3[i] * v;
  }
  return out;
}

/** Relative change against baseline (Fig 10), (x − x_b)/x_b element by element; NaN where the baseline is 0. */
export function relativeChange(x: ArrayLike<number>, baseline: ArrayLike<number>): Float64Array {
  if (x.length !== baseline.length) throw new Error('relativeChange: series differ in length (align the time steps first)');
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = baseline[i] === 0 ? NaN : (x[i] - baseline[i]) / baseline[i];
  return out;
}

/** 004 Sec. 2.4.5: SOC_init of the three parameter sets (rows 5, 44, 61 of the 99 TraiRhizo sets), mol C cm⁻³. */
export const SOC_INIT_MOLC_PER_CM3 = { highCO2: 2.6156e-4, highMB: 2.9414e-4, lowMUptake: 2.8331e-4 } as const;
/** Hotspot classes of Fig 11: SOC ≥ f·SOC_expected. */
export const SOC_HOTSPOT_FACTORS = [0.65, 0.83, 1.16] as const;
const M_C = 12.011;

/** SOC_expected = ρ_b (0.0288 k_clay + 13.674)/(1000 M_C), k_clay in g kg⁻¹ (004: 178), mol C cm⁻³ soil. */
export function socExpected_molC_per_cm3(rhoB_g_per_cm3: number, clay_g_per_kg = 178): number {
  return (rhoB_g_per_cm3 * (0.0288 * clay_g_per_kg + 13.674)) / (1000 * M_C);
}

/** SOC_slow = 0.0112 ρ_b / M_C − SOC_init (the carbon the kinetics do not carry), mol C cm⁻³ soil. */
export function socSlow_molC_per_cm3(rhoB_g_per_cm3: number, socInit_molC_per_cm3: number): number {
  return (0.0112 * rhoB_g_per_cm3) / M_C - socInit_molC_per_cm3;
}

/** SOC per cell = θ(C_L^l + C_H^l) + C_L^s + microbes + SOC_slow, mol C cm⁻³ soil (004 Sec. 2.4.5). */
export function socPerCell(p: Omit<PoolFields, 'co2_molC_per_cm3'>, socSlow_molC_per_cm3: number): Float64Array {
  const n = p.theta.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = p.theta[i] * (p.cLl_molC_per_cm3_water[i] + p.cHl_molC_per_cm3_water[i]) + p.cLs_molC_per_cm3[i]
      + p.cOa_molC_per_cm3[i] + p.cOd_molC_per_cm3[i] + p.cCa_molC_per_cm3[i] + p.cCd_molC_per_cm3[i] + socSlow_molC_per_cm3;
  }
  return out;
}

/** Volume with SOC ≥ f·SOC_expected for each hotspot factor f (Fig 11 at one time), cm³. */
export function hotspotVolumes_cm3(soc: ArrayLike<number>, volumes_cm3: ArrayLike<number>, socExpected: number, factors: readonly number[] = SOC_HOTSPOT_FACTORS): number[] {
  return factors.map((f) => {
    let v = 0;
    for (let i = 0; i < soc.length; i++) if (soc[i] >= f * socExpected) v += volumes_cm3[i];
    return v;
  });
}

/** One 1 cm layer of a depth profile (Fig 8). */
export interface LayerStats {
  zTop_cm: number;
  zBottom_cm: number;
  /** Volume-weighted mean over the cells of the layer in the mask; NaN when none. */
  mean: number;
  min: number;
  max: number;
  cells: number;
}

/**
 * Depth profile (Fig 8): per layer of `layer_cm` from `zTop_cm` down to `zBottom_cm`, mean (volume-weighted),
 * min and max of the values of the cells (voxels) whose centre lies in the layer and which are in the mask
 * (bulk soil = rooted at that time).
 */
export function depthProfile(values: ArrayLike<number>, zCentre_cm: ArrayLike<number>, opts: { mask?: ArrayLike<number | boolean>; volumes_cm3?: ArrayLike<number>; zTop_cm?: number; zBottom_cm: number; layer_cm?: number }): LayerStats[] {
  const top = opts.zTop_cm ?? 0;
  const dz = opts.layer_cm ?? 1;
  const nl = Math.round((top - opts.zBottom_cm) / dz);
  const rows: LayerStats[] = Array.from({ length: nl }, (_, k) => ({ zTop_cm: top - k * dz, zBottom_cm: top - (k + 1) * dz, mean: 0, min: Infinity, max: -Infinity, cells: 0 }));
  const w = new Float64Array(nl);
  for (let i = 0; i < values.length; i++) {
    if (opts.mask && !opts.mask[i]) continue;
    const k = Math.floor((top - zCentre_cm[i]) / dz);
    if (k < 0 || k >= nl) continue;
    const v = opts.volumes_cm3 ? opts.volumes_cm3[i] : 1;
    const r = rows[k];
    r.mean += values[i] * v;
    w[k] += v;
    r.min = Math.min(r.min, values[i]);
    r.max = Math.max(r.max, values[i]);
    r.cells++;
  }
  for (let k = 0; k < nl; k++) {
    const r = rows[k];
    if (r.cells === 0) {
      r.mean = NaN;
      r.min = NaN;
      r.max = NaN;
    } else r.mean /= w[k];
  }
  return rows;
}

/**
 * Radial profile (Fig 12): volume-weighted mean of a value over the cells of many 1D models whose centre lies
 * at a distance from the root surface in [edges[k], edges[k+1]) cm; NaN for empty bins.
 */
export function radialProfile(models: readonly { cells: RadialCells; values: ArrayLike<number> }[], edges_cm: ArrayLike<number>): { distance_cm: Float64Array; mean: Float64Array; volume_cm3: Float64Array } {
  const nb = edges_cm.length - 1;
  const sum = new Float64Array(nb);
  const vol = new Float64Array(nb);
  for (const { cells, values } of models) {
    const f = cells.faces_cm;
    for (let i = 0; i + 1 < f.length; i++) {
      const d = 0.5 * (f[i] + f[i + 1]) - f[0];
      let k = -1;
      for (let b = 0; b < nb; b++) if (d >= edges_cm[b] && d < edges_cm[b + 1]) k = b;
      if (k < 0) continue;
      const v = annulusVolume_cm3(f[i], f[i + 1], cells.length_cm);
      sum[k] += values[i] * v;
      vol[k] += v;
    }
  }
  const mid = new Float64Array(nb);
  for (let b = 0; b < nb; b++) mid[b] = 0.5 * (edges_cm[b] + edges_cm[b + 1]);
  return { distance_cm: mid, mean: sum.map((s, b) => (vol[b] > 0 ? s / vol[b] : NaN)), volume_cm3: vol };
}

/** Running total of step rates (Fig 7: cumulative growth, exudation, mucilage): Σ_{j≤i} rate_j·dt_j. */
export function cumulative(rates: ArrayLike<number>, dt: ArrayLike<number> | number): Float64Array {
  const out = new Float64Array(rates.length);
  let s = 0;
  for (let i = 0; i < rates.length; i++) {
    s += rates[i] * (typeof dt === 'number' ? dt : dt[i]);
    out[i] = s;
  }
  return out;
}

/** Index of the last time ≤ t (+1e−9), e.g. the row of day 18 or 25 for the pool tables; −1 if none. */
export function indexAtTime(time_d: ArrayLike<number>, t_d: number): number {
  let k = -1;
  for (let i = 0; i < time_d.length; i++) if (time_d[i] <= t_d + 1e-9) k = i;
  return k;
}

/** A row of the day-18/25 carbon-pool tables, mmol C (the notebooks' unit); `minusInitial` with the initial stocks subtracted. */
export interface PoolTableRow {
  scenario: string;
  day: number;
  pools_mmolC: Record<keyof PoolAmounts, number>;
  minusInitial_mmolC: Record<keyof PoolAmounts, number>;
}

/** Pool table rows from amounts at a day and at the start (both mol C): both forms, since 004 does not say whether initial stocks are subtracted. */
export function poolTableRow(scenario: string, day: number, atDay: PoolAmounts, initial: PoolAmounts): PoolTableRow {
  const keys = Object.keys(atDay) as (keyof PoolAmounts)[];
  return {
    scenario, day,
    pools_mmolC: Object.fromEntries(keys.map((k) => [k, 1e3 * atDay[k]])) as Record<keyof PoolAmounts, number>,
    minusInitial_mmolC: Object.fromEntries(keys.map((k) => [k, 1e3 * (atDay[k] - initial[k])])) as Record<keyof PoolAmounts, number>,
  };
}

/**
 * The plant time series Fig 7 is drawn from, by column name of the plant kind's time series: step-end time (d),
 * mean xylem head (cm) and the rates over each step (mol C d⁻¹).
 */
export const PLANT_SERIES_COLUMNS = ['time_d', 'psiXylemMean_cm', 'structuralGrowth_molC_per_d', 'growthRespiration_molC_per_d', 'maintenanceRespiration_molC_per_d', 'exudation_molC_per_d', 'mucilage_molC_per_d'] as const;
export type PlantSeries = Readonly<Record<(typeof PLANT_SERIES_COLUMNS)[number], ArrayLike<number>>>;

/** Step lengths from step-end times; the first step is t₁ − start (default: as long as the second step). */
export function stepLengths_d(time_d: ArrayLike<number>, start_d?: number): Float64Array {
  const n = time_d.length;
  const dt = new Float64Array(n);
  for (let i = 1; i < n; i++) dt[i] = time_d[i] - time_d[i - 1];
  if (n > 0) dt[0] = start_d !== undefined ? time_d[0] - start_d : n > 1 ? dt[1] : NaN;
  return dt;
}

/** Fig 7 of one run: mean ψ_x and the cumulative structural growth, growth respiration, total respiration, exudation and mucilage, mol C. */
export function plantCumulative(s: PlantSeries, start_d?: number): { time_d: Float64Array; psiXylemMean_cm: Float64Array; growth_molC: Float64Array; growthRespiration_molC: Float64Array; respiration_molC: Float64Array; exudation_molC: Float64Array; mucilage_molC: Float64Array } {
  const dt = stepLengths_d(s.time_d, start_d);
  const resp = Float64Array.from(s.growthRespiration_molC_per_d, (g, i) => g + s.maintenanceRespiration_molC_per_d[i]);
  return {
    time_d: Float64Array.from(s.time_d),
    psiXylemMean_cm: Float64Array.from(s.psiXylemMean_cm),
    growth_molC: cumulative(s.structuralGrowth_molC_per_d, dt),
    growthRespiration_molC: cumulative(s.growthRespiration_molC_per_d, dt),
    respiration_molC: cumulative(resp, dt),
    exudation_molC: cumulative(s.exudation_molC_per_d, dt),
    mucilage_molC: cumulative(s.mucilage_molC_per_d, dt),
  };
}

/** The 8 carbon pools of the coupled model's voxel fields and radial profiles (per cm³ soil). */
export const POOL_NAMES = ['CL_dissolved', 'CH_dissolved', 'CL_sorbed', 'CO_active', 'CO_dormant', 'CC_active', 'CC_dormant', 'CO2'] as const;
export type PoolName = (typeof POOL_NAMES)[number];

/**
 * The soil of one run at one time, as plain data (what the coupled model's `voxelFields()` and
 * `radialProfile(segment)` give, plus geometry): pools per cm³ soil (dissolved ones already × θ).
 */
export interface SoilSnapshot {
  readonly time_d: number;
  readonly voxels: { readonly zCentre_cm: ArrayLike<number>; readonly volume_cm3: ArrayLike<number>; readonly rooted: ArrayLike<number>; readonly pools: Readonly<Record<PoolName, ArrayLike<number>>> };
  readonly perirhizal: readonly { readonly cells: RadialCells; readonly pools: Readonly<Record<PoolName, ArrayLike<number>>> }[];
}

/** Pool fields of per-soil pools (θ = 1: the dissolved pools are already per cm³ soil). */
export function perSoilPoolFields(pools: Readonly<Record<PoolName, ArrayLike<number>>>): PoolFields {
  return {
    theta: new Float64Array(pools.CL_dissolved.length).fill(1),
    cLl_molC_per_cm3_water: pools.CL_dissolved, cHl_molC_per_cm3_water: pools.CH_dissolved, cLs_molC_per_cm3: pools.CL_sorbed,
    cOa_molC_per_cm3: pools.CO_active, cOd_molC_per_cm3: pools.CO_dormant, cCa_molC_per_cm3: pools.CC_active, cCd_molC_per_cm3: pools.CC_dormant,
    co2_molC_per_cm3: pools.CO2,
  };
}

/** Every perirhizal model of a snapshot truncated at `cut_cm`, one pool: all pieces' volumes and values. */
export function truncatedPieces(s: SoilSnapshot, pool: PoolName, cut_cm = PERIRHIZAL_TRUNC_CM): { volumes_cm3: Float64Array; values: Float64Array } {
  const vols: number[] = [];
  const vals: number[] = [];
  for (const m of s.perirhizal) {
    const t = truncatePerirhizal(m.cells, m.pools[pool], cut_cm);
    vols.push(...t.volumes_cm3);
    vals.push(...t.values);
  }
  return { volumes_cm3: Float64Array.from(vols), values: Float64Array.from(vals) };
}

/**
 * SOC hotspot volumes of a snapshot (Fig 11) over perirhizal_trunc: SOC per piece from the truncated pools
 * ({@link socPerCell} with per-soil pools) + SOC_slow, volume in each class ≥ f·SOC_expected, cm³.
 */
export function snapshotHotspotVolumes_cm3(s: SoilSnapshot, socSlow: number, socExpected: number, cut_cm = PERIRHIZAL_TRUNC_CM): number[] {
  const piece = (p: PoolName) => truncatedPieces(s, p, cut_cm);
  const cl = piece('CL_dissolved');
  const pools = { CL_dissolved: cl.values, CH_dissolved: piece('CH_dissolved').values, CL_sorbed: piece('CL_sorbed').values, CO_active: piece('CO_active').values, CO_dormant: piece('CO_dormant').values, CC_active: piece('CC_active').values, CC_dormant: piece('CC_dormant').values, CO2: piece('CO2').values };
  return hotspotVolumes_cm3(socPerCell(perSoilPoolFields(pools), socSlow), cl.volumes_cm3, socExpected);
}
