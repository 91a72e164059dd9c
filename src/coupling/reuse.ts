import type { PerirhizalBatch, PerirhizalState } from '../rhizosphere/perirhizal.js';

/**
 * Re-use of 1D solves between fixed-point iterates (option `skip1D`, docs/COUPLING.md "Cost"):
 * a domain whose exchange inputs (per-cell water and solute sources, inner water flux, exudation,
 * mucilage) changed by at most `tolerance` relative to its content since its last solve in the
 * sub-step keeps that solve's result instead of being solved again from the start of the sub-step
 * (the inner water flux is compared with the domain's own flux instead: the plant-side water balance).
 * The skipped domain keeps the inputs it was solved with, and the coupling books exactly those
 * (so the exchange stays conservative). With tolerance 0 only bitwise-identical inputs are skipped,
 * which gives bitwise the same result as re-solving (the 1D solve is deterministic).
 */
export class OneDReuse {
  private nd = 0;
  private nc = 0;
  private readonly tol: number;
  /** Correction tolerance (option `correct1D`; 0 = off): see {@link select}. */
  private readonly corrTol: number;
  /** The carbon inputs of this iterate for the corrected domains (per cell: C_L, C_H sources). */
  private newL = new Float64Array(0);
  private newH = new Float64Array(0);
  /** Domain slices (cells) of the solve results and the state layout (set by {@link begin}). */
  private lIdx = 0;
  private hIdx = 0;
  /** Inputs of each domain's last solve. */
  private srcW = new Float64Array(0);
  private srcL = new Float64Array(0);
  private srcH = new Float64Array(0);
  private up = new Float64Array(0);
  private ex = new Float64Array(0);
  private mu = new Float64Array(0);
  /** Water and dissolved carbon (C_L + C_H) of each domain at the start of the sub-step (the scales of the change). */
  private w0 = new Float64Array(0);
  private c0 = new Float64Array(0);
  private result: PerirhizalState | undefined;
  /** Owned state buffers, reused across iterates and sub-steps while the batch shape holds (no per-iterate allocation): the merge scratch and the free result buffers. */
  private scratch: PerirhizalState | undefined;
  private readonly free: PerirhizalState[] = [];
  /** Per domain: 1 = keep the last result this iterate. */
  private skip = new Uint8Array(0);
  private mask = new Uint8Array(0);
  private solveList = new Int32Array(0);
  /** Domains solved in the last iterate (an iterate that solved none and did not converge is followed by a full one). */
  private lastSolved = -1;

  /** The tolerances this instance was made with (the coupling keeps one instance while they hold). */
  get tolerances(): { skip: number; correct: number } {
    return { skip: this.tol, correct: this.corrTol };
  }

  constructor(tolerance: number, correctTolerance = 0) {
    this.tol = tolerance;
    this.corrTol = correctTolerance;
  }

  /** Start of a sub-step: b holds the start-of-sub-step state (before any iterate). */
  begin(b: PerirhizalBatch, waterIdx: number, lIdx: number, hIdx: number): void {
    const nd = b.nDomains;
    const nc = b.nCells;
    if (this.srcW.length < nd * nc || this.up.length < nd) {
      const m = Math.max(nd, 2 * this.up.length);
      this.srcW = new Float64Array(m * nc);
      this.srcL = new Float64Array(m * nc);
      this.srcH = new Float64Array(m * nc);
      this.newL = new Float64Array(m * nc);
      this.newH = new Float64Array(m * nc);
      this.up = new Float64Array(m);
      this.ex = new Float64Array(m);
      this.mu = new Float64Array(m);
      this.w0 = new Float64Array(m);
      this.c0 = new Float64Array(m);
      this.skip = new Uint8Array(m);
      this.solveList = new Int32Array(m);
    }
    this.nd = nd;
    this.nc = nc;
    this.lIdx = lIdx;
    this.hIdx = hIdx;
    if (this.result && this.free.length < 2) this.free.push(this.result);
    this.result = undefined;
    this.lastSolved = -1;
    for (let d = 0; d < nd; d++) {
      const g = b.grids[d];
      let w = 0;
      let c = 0;
      for (let i = 0; i < nc; i++) {
        const o = b.offset(d, i);
        w += g.volume[i] * b.state[o + waterIdx];
        c += g.volume[i] * (b.state[o + lIdx] + b.state[o + hIdx]);
      }
      this.w0[d] = w;
      this.c0[d] = c;
    }
  }

  /**
   * Decide which domains to solve this iterate, given the inputs now set in b (for every domain).
   * Skipped domains get their last inputs back in b. Returns the domains to solve (all on the first
   * iterate of a sub-step) and fills `skip`.
   */
  select(b: PerirhizalBatch, dt: number): Int32Array {
    const { nd, nc } = this;
    const skip = this.skip;
    const pairs = this.pairs(b);
    // After an iterate that solved nothing (and did not converge: else there is no next one), solve all.
    const full = this.lastSolved === 0;
    let n = 0;
    for (let d = 0; d < nd; d++) {
      skip[d] = 0;
      if (this.result && !full) {
        const g = b.grids[d];
        const a0 = g.faceArea[0];
        // Root water uptake: relative to the domain's own uptake, so that Σ over kept domains of the plant's
        // uptake minus the realised one (the plant part of the water balance) stays ≤ tolerance × transpiration.
        const upOk = Math.abs(b.waterUptake_cm_per_d[d] - this.up[d]) <= this.tol * Math.abs(this.up[d]);
        let dW = 0;
        let dC = (Math.abs(b.exudation_molC_per_cm2_d[d] - this.ex[d]) + Math.abs(b.mucilage_molC_per_cm2_d[d] - this.mu[d])) * a0;
        for (let i = 0; i < nc; i++) {
          const j = d * nc + i;
          dW += Math.abs(b.sourceWater_per_d[j] - this.srcW[j]) * g.volume[i];
          dC += (Math.abs(b.sourceL_molC_per_cm3_d[j] - this.srcL[j]) + Math.abs(b.sourceH_molC_per_cm3_d[j] - this.srcH[j])) * g.volume[i];
        }
        const waterOk = upOk && dW * dt <= this.tol * this.w0[d];
        if (waterOk && dC * dt <= this.tol * this.c0[d]) skip[d] = 1;
        else if (waterOk && dC * dt <= this.corrTol * this.c0[d] && b.exudation_molC_per_cm2_d[d] === this.ex[d] && b.mucilage_molC_per_cm2_d[d] === this.mu[d] && this.correctable(b, d, dt)) skip[d] = 2;
      }
      if (skip[d] === 2) {
        // Corrected: keeps this iterate's carbon inputs (booked), the water inputs of its last solve.
        for (let j = d * nc; j < (d + 1) * nc; j++) {
          this.newL[j] = b.sourceL_molC_per_cm3_d[j];
          this.newH[j] = b.sourceH_molC_per_cm3_d[j];
        }
        copyInputs(pairs.slice(0, 4), d, true);
      } else if (skip[d]) copyInputs(pairs, d, true);
      // A kept domain gets back the inputs its result was computed with.
      else this.solveList[n++] = d;
    }
    return this.solveList.subarray(0, n);
  }

  /** The corrected result of domain d stays non-negative in C_L and C_H (the source difference × dt added to its last solve). */
  private correctable(b: PerirhizalBatch, d: number, dt: number): boolean {
    const y = this.result!.state;
    for (let i = 0; i < this.nc; i++) {
      const j = d * this.nc + i;
      const o = b.offset(d, i);
      if (y[o + this.lIdx] + (b.sourceL_molC_per_cm3_d[j] - this.srcL[j]) * dt < 0) return false;
      if (y[o + this.hIdx] + (b.sourceH_molC_per_cm3_d[j] - this.srcH[j]) * dt < 0) return false;
    }
    return true;
  }

  /** The batch's input arrays paired with their saved copies, and entries per domain. */
  private pairs(b: PerirhizalBatch): InputPair[] {
    const nc = this.nc;
    return [
      [b.waterUptake_cm_per_d, this.up, 1], [b.exudation_molC_per_cm2_d, this.ex, 1], [b.mucilage_molC_per_cm2_d, this.mu, 1],
      [b.sourceWater_per_d, this.srcW, nc], [b.sourceL_molC_per_cm3_d, this.srcL, nc], [b.sourceH_molC_per_cm3_d, this.srcH, nc],
    ];
  }

  /** True when domain d keeps its last result this iterate, as it is or corrected (after {@link select}). */
  skipped(d: number): boolean {
    return this.skip[d] !== 0;
  }

  /**
   * Put the kept results of the skipped domains into b (which holds the start-of-sub-step state and
   * this iterate's inputs), so that advancing only the solved domains completes the iterate.
   */
  restoreSkipped(b: PerirhizalBatch, dt: number): void {
    const prev = this.result;
    if (!prev) return;
    const now = (this.scratch = b.saveStateInto(this.scratch));
    const merged = mergeDomainsInto(now, prev, this.skip, this.nd);
    // Corrected domains: their last solve plus the change of the carbon sources × dt in each cell (amounts
    // per cm³ soil; booked in the domain's source account, so the 1D models get exactly what the 3D books).
    const { nc } = this;
    const y = merged.state as Float64Array;
    const cum = merged.cumSourceCarbon as Float64Array;
    const sL = merged.sourceL as Float64Array;
    const sH = merged.sourceH as Float64Array;
    for (let d = 0; d < this.nd; d++) {
      if (this.skip[d] !== 2) continue;
      const g = b.grids[d];
      for (let i = 0; i < nc; i++) {
        const j = d * nc + i;
        const o = b.offset(d, i);
        const dL = (this.newL[j] - this.srcL[j]) * dt;
        const dH = (this.newH[j] - this.srcH[j]) * dt;
        y[o + this.lIdx] += dL;
        y[o + this.hIdx] += dH;
        cum[d] += (dL + dH) * g.volume[i];
        sL[j] = this.newL[j];
        sH[j] = this.newH[j];
      }
    }
    b.restoreState(merged);
  }

  /**
   * After the solve: remember the inputs of the solved domains and the batch result (for the corrected
   * domains the uncorrected result of their last solve: a correction always starts from a solve).
   */
  record(b: PerirhizalBatch, solved: ArrayLike<number>): void {
    const pairs = this.pairs(b);
    for (let q = 0; q < solved.length; q++) copyInputs(pairs, solved[q], false);
    // Into a free buffer (never the current result: a merge reads it).
    const now = b.saveStateInto(this.free.pop());
    let corrected = false;
    for (let d = 0; d < this.nd && !corrected; d++) corrected = this.skip[d] === 2;
    const old = this.result;
    if (corrected && old) {
      const mask = this.mask.length >= this.nd ? this.mask : (this.mask = new Uint8Array(this.skip.length));
      for (let d = 0; d < this.nd; d++) mask[d] = this.skip[d] === 2 ? 1 : 0;
      this.result = mergeDomainsInto(now, old, mask, this.nd);
    } else this.result = now;
    if (old && this.free.length < 2) this.free.push(old);
    this.lastSolved = solved.length;
  }
}

type InputPair = [batch: Float64Array, saved: Float64Array, perDomain: number];

/** Copy domain d's inputs: saved → batch (toBatch) or batch → saved. */
function copyInputs(pairs: readonly InputPair[], d: number, toBatch: boolean): void {
  for (const [a, s, per] of pairs) {
    const from = toBatch ? s : a;
    const to = toBatch ? a : s;
    for (let j = d * per; j < (d + 1) * per; j++) to[j] = from[j];
  }
}

/**
 * `base` with the per-domain parts of `from` for the domains with take[d] = 1: every typed array of
 * the state laid out per domain (length a multiple of nDomains, same length in both; the geometry is
 * the same in both) is merged slice by slice; scalars come from `base`, except the running minimum
 * of the carbon pools (the smaller). Generic over the fields, so that per-domain fields a later
 * version of the 1D state adds (step sizes, Jacobian data) follow their domain.
 */
export function mergeDomains(base: PerirhizalState, from: PerirhizalState, take: Uint8Array, nd: number): PerirhizalState {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(base)) {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) out[key] = (value as unknown as Float64Array).slice();
  }
  return mergeDomainsInto(out as unknown as PerirhizalState, from, take, nd);
}

/** {@link mergeDomains} in place: `base` (owned by the caller) gets the slices of `from` for take[d] = 1; returns base. */
export function mergeDomainsInto(base: PerirhizalState, from: PerirhizalState, take: Uint8Array, nd: number): PerirhizalState {
  const rec = base as unknown as Record<string, unknown>;
  for (const key in rec) {
    const value = rec[key];
    const other = (from as unknown as Record<string, unknown>)[key];
    if (!ArrayBuffer.isView(value) || !ArrayBuffer.isView(other) || value instanceof DataView || other instanceof DataView) continue;
    const a = value as unknown as Float64Array;
    const o = other as unknown as Float64Array;
    if (a.length !== o.length || nd === 0 || a.length % nd !== 0) continue;
    const per = a.length / nd;
    if (per === 1) {
      for (let d = 0; d < nd; d++) if (take[d]) a[d] = o[d];
    } else for (let d = 0; d < nd; d++) if (take[d]) a.set(o.subarray(d * per, (d + 1) * per), d * per);
  }
  (rec as { minCarbonPool: number }).minCarbonPool = Math.min(base.minCarbonPool, from.minCarbonPool);
  return base;
}
