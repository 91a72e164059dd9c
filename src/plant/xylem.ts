import { newtonSolve, NewtonWorkspace, type NonlinearSystem, type NewtonResult } from '../numerics/newton.js';
import { solveTree } from '../numerics/linalg/tree.js';
import { ReturnCode } from '../numerics/ode/types.js';
import type { SegmentNetwork } from './segments.js';

/**
 * Xylem water flow on the segment network (004 Eqs 1–3; Meunier et al. 2017, Appl. Math. Model.
 * 47:446, hybrid analytical–numerical solution). Heads in cm of water, total potential ψ + z.
 *
 * On each straight segment with axial conductance k_x (cm³ d⁻¹, flow per unit gradient of head) and
 * radial conductance per length g = p·k_r (cm d⁻¹, perimeter × radial conductivity) towards a
 * constant outer head ψ_o, Eq 1 reads k_x u'' = g u with u = ψ_x − ψ_o (gravity drops out of the
 * second derivative). Its exact solution between the end heads gives the flows leaving the nodes
 * into the segment:
 *   out_p = α ψ_p − β ψ_k − (α − β) ψ_o − k_x v_z,   out_k = α ψ_k − β ψ_p − (α − β) ψ_o + k_x v_z,
 * α = k_x τ coth(τ l), β = k_x τ / sinh(τ l), τ = √(g/k_x), v_z = Δz/l; radial outflow
 * out_p + out_k = (α − β)(ψ_p + ψ_k − 2ψ_o). The solution is exact for any segment length, so a
 * single root in static soil (benchmark M3.1) is reproduced to round-off. Kirchhoff's law at every
 * node gives a linear system on the tree, solved in O(n) by elimination from the tips ({@link solveTree}).
 *
 * Roots exchange with the soil at the root surface through min(K_lat, K_sri) (Eq 3), where K_sri
 * (Eq 4) depends on the direction of the flow: the solver takes per segment one conductance for
 * uptake and one for release and picks by the sign of the local driving force. Leaves exchange with
 * their outer-xylem head ψ_ox through K_lat (Eq 3); ψ_ox is tied to the stomatal demand by the
 * leaf model: E = g(ψ̄_x − ψ_ox) = D(ψ_ox), solved per leaf segment, so the transpiration is a
 * monotone function F(ψ̄_x) of the segment's mean xylem head. The whole problem (linear network +
 * nonlinear leaf sinks + direction switches) is solved by damped Newton ({@link newtonSolve}) whose
 * Jacobian is again a tree matrix: this is 004's "inner fixed point" between stomata and xylem,
 * converged to a residual instead of iterated to a relative change.
 */
export interface XylemInputs {
  /** k_x per segment, cm³ d⁻¹ (cm⁴ per cm head per cm length … flow per unit head gradient). */
  readonly kx_cm3_per_d: Float64Array;
  /** Radial conductance per length p·min(k_lat, K_sri) when water flows into the root (uptake), cm d⁻¹; 0 = no exchange. */
  readonly gUptake_cm_per_d: Float64Array;
  /** The same when water flows out of the root (release), cm d⁻¹. */
  readonly gRelease_cm_per_d: Float64Array;
  /** Outer head ψ_o (soil matric head at the root surface), cm; ignored where g = 0 and for leaf segments. */
  readonly psiOuter_cm: Float64Array;
}

/** Stomatal demand of the leaf segments (their radial conductance g = p·k_lat is in gUptake/gRelease). */
export interface LeafDemand {
  /** Leaf segments with stomatal exchange. */
  readonly segments: Int32Array;
  readonly count: number;
  /**
   * Transpiration demand of leaf i at outer-xylem head ψ_ox and mean xylem head ψ̄_x of its segment, cm³ d⁻¹
   * (≥ 0, non-decreasing in both). The stomatal factor f_w reads one of the two (`PlantLaws.stomatalHead`).
   */
  demand(i: number, psiOx_cm: number, psiXylemMean_cm: number): number;
  /** True when {@link demand} depends on ψ̄_x (f_w read from the xylem head); false or absent: on ψ_ox only. */
  readonly dependsOnXylemHead?: boolean;
  /** An upper bound of {@link demand} for leaf i (its value without water stress), cm³ d⁻¹. */
  demandMax(i: number): number;
}

export interface XylemOptions {
  /** Dirichlet head at node 0 (benchmarks' collar), cm; omitted: the network is closed (plant). */
  readonly collarHead_cm?: number;
  /** Converged when every node's flow imbalance is below this, cm³ d⁻¹. */
  readonly flowTolerance_cm3_per_d?: number;
  /** Also converged when a full Newton step changes no head by more than this, cm (default 1e−9). */
  readonly headTolerance_cm?: number;
  readonly maxIterations?: number;
}

export interface XylemResult {
  /** Xylem pressure head per node, cm. */
  readonly psi_cm: Float64Array;
  /** Radial outflow per segment (out of the xylem: to soil for roots, to ψ_ox for leaves), cm³ d⁻¹. */
  readonly radialOut_cm3_per_d: Float64Array;
  /** Outer-xylem head ψ_ox per leaf (in LeafDemand order), cm. */
  readonly psiOx_cm: Float64Array;
  newton: NewtonResult;
  /** Σ radial outflow over all segments (transpiration + root release − uptake), cm³ d⁻¹; 0 for a closed network. */
  netOutflow_cm3_per_d: number;
  /** Flow entering the network at node 0 from outside (collar head problems), cm³ d⁻¹; 0 for a closed network. */
  collarInflow_cm3_per_d: number;
  /** Water balance: |Σ radial outflow − collar inflow| / max(Σ transpiration, ½Σ|exchange|); uptake = transpiration. */
  waterBalanceRelativeError: number;
}

interface ElementCoefficients {
  alpha: number;
  beta: number;
  /** α − β = k_x τ tanh(τl/2), computed directly (no cancellation). */
  amb: number;
}

/** Segments shorter than this act as this length in the xylem, cm. */
export const MIN_SEGMENT_CM = 1e-3;

/** α = k_x τ coth(τl), β = k_x τ/sinh(τl) of the exact segment element; written into `out`. */
export function segmentCoefficients(kx: number, g: number, l: number, out: ElementCoefficients): void {
  if (g <= 0 || kx <= 0) {
    out.alpha = out.beta = kx / l;
    out.amb = 0;
    return;
  }
  const tau = Math.sqrt(g / kx);
  const x = tau * l;
  if (x < 1e-4) {
    // Series: α = (k_x/l)(1 + x²/3), β = (k_x/l)(1 − x²/6) (relative error < 1e−17 at x = 1e−4).
    const c = kx / l;
    out.alpha = c * (1 + (x * x) / 3);
    out.beta = c * (1 - (x * x) / 6);
    out.amb = 0.5 * g * l * (1 - (x * x) / 12);
    return;
  }
  if (x > 350) {
    out.alpha = kx * tau;
    out.beta = 0;
    out.amb = kx * tau;
    return;
  }
  out.beta = (kx * tau) / Math.sinh(x);
  out.amb = kx * tau * Math.tanh(x / 2);
  out.alpha = out.beta + out.amb;
}

/** Reusable workspace for {@link solveXylem} on networks up to `capacity` nodes. */
export class XylemSolver implements NonlinearSystem {
  n = 0;
  private capacity = 0;
  private diag = new Float64Array(0);
  private lower = new Float64Array(0);
  private upper = new Float64Array(0);
  private pivots = new Float64Array(0);
  private yScratch = new Float64Array(0);
  private segLen = new Float64Array(0);
  private segVz = new Float64Array(0);
  /** Element coefficients per segment for uptake (U) and release (R) conductances, cached per solve: α and α − β. */
  private aU = new Float64Array(0);
  private dU = new Float64Array(0);
  private aR = new Float64Array(0);
  private dR = new Float64Array(0);
  /** Per segment: leaf index or −1. */
  private leafOf = new Int32Array(0);
  private leafF = new Float64Array(0);
  private leafDF = new Float64Array(0);
  private ws = new NewtonWorkspace(0);
  private net!: SegmentNetwork;
  private inputs!: XylemInputs;
  private leaves: LeafDemand | null = null;
  private collar: number | undefined;
  psiOx = new Float64Array(0);
  /** Kirchhoff sum at node 0 at the last residual evaluation: flow leaving the collar into the network, cm³ d⁻¹. */
  private collarOutflow = 0;
  /** Heads before a polishing Newton step (kept if it does not reduce the imbalance). */
  private polishScratch = new Float64Array(0);
  private readonly coef: ElementCoefficients = { alpha: 0, beta: 0, amb: 0 };

  private ensure(n: number, nLeaves: number): void {
    if (n > this.capacity) {
      const c = Math.max(n, this.capacity * 2, 64);
      this.capacity = c;
      this.diag = new Float64Array(c);
      this.lower = new Float64Array(c);
      this.upper = new Float64Array(c);
      this.pivots = new Float64Array(c);
      this.yScratch = new Float64Array(c);
      this.segLen = new Float64Array(c);
      this.segVz = new Float64Array(c);
      this.aU = new Float64Array(c);
      this.dU = new Float64Array(c);
      this.aR = new Float64Array(c);
      this.dR = new Float64Array(c);
      this.leafOf = new Int32Array(c);
      this.ws = new NewtonWorkspace(c);
      this.polishScratch = new Float64Array(c);
    }
    if (this.psiOx.length < nLeaves) {
      const c = Math.max(nLeaves, this.psiOx.length * 2, 16);
      const old = this.psiOx;
      this.psiOx = new Float64Array(c).fill(NaN);
      this.psiOx.set(old);
      this.leafF = new Float64Array(c);
      this.leafDF = new Float64Array(c);
    }
  }

  /**
   * Transpiration F(ψ̄) of leaf i and dF/dψ̄; solves G(ψ̄ − ψ_ox) = D(ψ_ox, ψ̄) for ψ_ox (monotone, bracketed).
   * Differentiating the implicit equation: F' = G(D_ox + D_x)/(G + D_ox) with D_ox = ∂D/∂ψ_ox, D_x = ∂D/∂ψ̄
   * (D_x = 0 when f_w reads ψ_ox; D_ox = 0 when it reads the xylem head, then F = D(ψ̄)).
   */
  private leafFlow(i: number, s: number, psiMean: number): void {
    const L = this.leaves!;
    const G = 2 * this.dU[s]; // segment-total radial conductance, cm² d⁻¹
    if (!(G > 0)) {
      this.leafF[i] = 0;
      this.leafDF[i] = 0;
      this.psiOx[i] = psiMean;
      return;
    }
    const h = (p: number) => G * (psiMean - p) - L.demand(i, p, psiMean);
    let hi = psiMean;
    let fhi = h(hi);
    if (fhi >= 0) {
      this.leafF[i] = 0;
      this.leafDF[i] = 0;
      this.psiOx[i] = psiMean;
      return;
    }
    let lo = psiMean - (L.demandMax(i) / G) * 1.0001 - 1e-9;
    let flo = h(lo);
    // Regula falsi (Illinois) on the bracket; warm start is the previous ψ_ox when inside.
    let x = this.psiOx[i];
    if (!(x > lo && x < hi)) x = lo - (flo * (hi - lo)) / (fhi - flo);
    let side = 0;
    for (let it = 0; it < 100; it++) {
      const fx = h(x);
      if (Math.abs(fx) <= 1e-13 * (1 + L.demandMax(i)) || hi - lo < 1e-10) break;
      if (fx > 0) {
        lo = x;
        flo = fx;
        if (side === 1) fhi /= 2;
        side = 1;
      } else {
        hi = x;
        fhi = fx;
        if (side === -1) flo /= 2;
        side = -1;
      }
      x = lo - (flo * (hi - lo)) / (fhi - flo);
      if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    }
    this.psiOx[i] = x;
    const E = G * (psiMean - x);
    const d = Math.max(1e-3, 1e-6 * Math.abs(x));
    const dOx = Math.max(0, (L.demand(i, x + d, psiMean) - L.demand(i, x - d, psiMean)) / (2 * d));
    let dX = 0;
    if (L.dependsOnXylemHead) {
      const dm = Math.max(1e-3, 1e-6 * Math.abs(psiMean));
      dX = Math.max(0, (L.demand(i, x, psiMean + dm) - L.demand(i, x, psiMean - dm)) / (2 * dm));
    }
    this.leafF[i] = E;
    this.leafDF[i] = dOx + dX > 0 ? (G * (dOx + dX)) / (G + dOx) : 0;
  }

  residual(x: Float64Array, r: Float64Array): void {
    const n = this.n;
    const par = this.net.parent;
    const inp = this.inputs;
    const { aU, dU, aR, dR, segVz, leafOf } = this;
    r.fill(0, 0, n);
    // Element flows written with head differences, out_p = α(ψ_p − ψ_k) + (α − β)(ψ_k − ψ_o) − k_x v_z,
    // so that strongly coupled nodes (short segments) do not lose the flow to cancellation.
    for (let k = 1; k < n; k++) {
      const s = k - 1;
      const p = par[k];
      const grav = inp.kx_cm3_per_d[s] * segVz[s];
      const li = leafOf[s];
      const dpk = x[p] - x[k];
      if (li >= 0) {
        this.leafFlow(li, s, 0.5 * (x[p] + x[k]));
        const c = aU[s] - 0.5 * dU[s]; // (α + β)/2
        const E = this.leafF[li];
        r[p] += c * dpk + 0.5 * E - grav;
        r[k] += -c * dpk + 0.5 * E + grav;
      } else {
        const psiO = inp.psiOuter_cm[s];
        const up = 0.5 * (x[p] + x[k]) < psiO;
        const a = up ? aU[s] : aR[s];
        const d = up ? dU[s] : dR[s];
        r[p] += a * dpk + d * (x[k] - psiO) - grav;
        r[k] += -a * dpk + d * (x[p] - psiO) + grav;
      }
    }
    this.collarOutflow = r[0];
    if (this.collar !== undefined) r[0] = x[0] - this.collar;
  }

  /** Σ of the node residuals r (after {@link residual}): the network's water imbalance, cm³ d⁻¹ (axial flows cancel). */
  private imbalance(r: Float64Array): number {
    let s = this.collar === undefined ? r[0] : 0;
    for (let k = 1; k < this.n; k++) s += r[k];
    return s;
  }

  solveJacobian(x: Float64Array, r: Float64Array, dx: Float64Array): boolean {
    const n = this.n;
    const par = this.net.parent;
    const inp = this.inputs;
    const { diag, lower, upper, aU, dU, aR, dR, leafOf } = this;
    diag.fill(0, 0, n);
    for (let k = 1; k < n; k++) {
      const s = k - 1;
      const p = par[k];
      const li = leafOf[s];
      let app: number;
      let apk: number;
      if (li >= 0) {
        const c = aU[s] - 0.5 * dU[s];
        const q = 0.25 * this.leafDF[li];
        app = c + q;
        apk = -c + q;
      } else {
        const up = 0.5 * (x[p] + x[k]) < inp.psiOuter_cm[s];
        app = up ? aU[s] : aR[s];
        apk = -(app - (up ? dU[s] : dR[s]));
      }
      diag[p] += app;
      diag[k] += app;
      lower[k] = apk;
      upper[k] = apk;
    }
    return solveTree(n, par, diag, lower, upper, r, dx, this.pivots, this.yScratch, this.collar !== undefined ? r[0] : undefined);
  }

  /**
   * Solve for the xylem heads. `psi_cm` holds the initial guess on entry (e.g. the last step's
   * solution) and the solution on return; `radialOut` receives the radial outflow per segment.
   */
  solve(net: SegmentNetwork, inputs: XylemInputs, leaves: LeafDemand | null, psi_cm: Float64Array, radialOut: Float64Array, options: XylemOptions = {}): XylemResult {
    const n = net.nodeCount;
    this.ensure(n, leaves?.count ?? 0);
    this.n = n;
    this.net = net;
    this.inputs = inputs;
    this.leaves = leaves;
    this.collar = options.collarHead_cm;
    this.leafOf.fill(-1, 0, n);
    for (let k = 1; k < n; k++) {
      const s = k - 1;
      const p = net.parent[k];
      // Segments shorter than MIN_SEGMENT_CM (a tip segment just started) act as that length: their
      // axial resistance stays negligible and the element stays well conditioned.
      const l = Math.max(net.segmentLength(s), MIN_SEGMENT_CM);
      this.segLen[s] = l;
      this.segVz[s] = (net.z[k] - net.z[p]) / l;
      const kx = inputs.kx_cm3_per_d[s];
      segmentCoefficients(kx, inputs.gUptake_cm_per_d[s], l, this.coef);
      this.aU[s] = this.coef.alpha;
      this.dU[s] = this.coef.amb;
      if (inputs.gRelease_cm_per_d[s] === inputs.gUptake_cm_per_d[s]) {
        this.aR[s] = this.coef.alpha;
        this.dR[s] = this.coef.amb;
      } else {
        segmentCoefficients(kx, inputs.gRelease_cm_per_d[s], l, this.coef);
        this.aR[s] = this.coef.alpha;
        this.dR[s] = this.coef.amb;
      }
    }
    if (leaves) for (let i = 0; i < leaves.count; i++) this.leafOf[leaves.segments[i]] = i;
    const x = psi_cm.subarray(0, n);
    // The flow imbalance cannot go below the round-off of the largest element flows (α·|ψ|): floor the tolerance there.
    let maxAlpha = 0;
    let maxPsi = 1000;
    for (let s = 0; s < n - 1; s++) maxAlpha = Math.max(maxAlpha, this.aU[s], this.aR[s]);
    for (let k = 0; k < n; k++) maxPsi = Math.max(maxPsi, Math.abs(x[k]));
    const tol = Math.max(options.flowTolerance_cm3_per_d ?? 1e-10, 1e-15 * maxAlpha * maxPsi);
    // newtonSolve expects work arrays of exactly n entries: views into the capacity-sized buffers.
    const ws = { r: this.ws.r.subarray(0, n), dx: this.ws.dx.subarray(0, n), xTrial: this.ws.xTrial.subarray(0, n), rTrial: this.ws.rTrial.subarray(0, n) } as NewtonWorkspace;
    // Converged when the flow imbalance is below the tolerance or when a full Newton step moves no head by
    // more than 1e−9 cm (the imbalance then sits at the round-off of the largest axial flows).
    const newton = newtonSolve(this, x, { residualScale: tol, updateAtol: options.headTolerance_cm ?? 1e-9, maxIterations: options.maxIterations ?? 50, maxBacktracks: 12 }, ws);
    // Final consistent evaluation: element flows at the converged heads.
    this.residual(x, ws.r);
    // The test above is per node, and the round-off floor of α·|ψ| can be far above the flow tolerance: the
    // plant's water imbalance (Σ of the node residuals = Σ radial − collar supply) then reaches ~n × tol
    // (1e−9 of transpiration in the dry spells, issue 9). Up to two more Newton steps, kept while they
    // reduce it, bring it to round-off (quadratic convergence).
    const flowTol = options.flowTolerance_cm3_per_d ?? 1e-10;
    let imbalance = this.imbalance(ws.r);
    for (let extra = 0; extra < 2 && newton.retcode === ReturnCode.Success && Math.abs(imbalance) > flowTol; extra++) {
      const keep = this.polishScratch.subarray(0, n);
      keep.set(x);
      newtonSolve(this, x, { residualScale: 1e-6 * flowTol, maxIterations: 1, maxBacktracks: 0 }, ws);
      this.residual(x, ws.r);
      const next = this.imbalance(ws.r);
      if (!(Math.abs(next) < Math.abs(imbalance))) {
        x.set(keep);
        this.residual(x, ws.r);
        break;
      }
      imbalance = next;
      newton.iterations++;
    }
    let net_ = 0;
    let transp = 0;
    let absExchange = 0;
    for (let k = 1; k < n; k++) {
      const s = k - 1;
      const p = net.parent[k];
      const li = this.leafOf[s];
      let q: number;
      if (li >= 0) {
        q = this.leafF[li];
        transp += q;
      } else {
        const psiO = inputs.psiOuter_cm[s];
        const up = 0.5 * (x[p] + x[k]) < psiO;
        q = (up ? this.dU[s] : this.dR[s]) * (x[p] - psiO + (x[k] - psiO));
      }
      radialOut[s] = q;
      net_ += q;
      absExchange += Math.abs(q);
    }
    // Closed network: Σ radial outflow must vanish (uptake = transpiration). With a collar head the
    // external collar supply (the Kirchhoff sum at node 0) must equal Σ radial outflow.
    const mismatch = this.collar === undefined ? net_ : net_ - this.collarOutflow;
    const waterBalanceRelativeError = Math.abs(mismatch) / Math.max(transp, absExchange / 2, 1e-300);
    return {
      psi_cm: psi_cm,
      radialOut_cm3_per_d: radialOut,
      psiOx_cm: this.psiOx,
      newton,
      netOutflow_cm3_per_d: net_,
      collarInflow_cm3_per_d: this.collar === undefined ? 0 : this.collarOutflow,
      waterBalanceRelativeError,
    };
  }

  /** Warm start of the leaf solves (ψ_ox per leaf segment) as plain data: the only state that outlives a solve. */
  saveState(): { psiOx: Float64Array } {
    return { psiOx: this.psiOx.slice() };
  }

  restoreState(s: { psiOx: Float64Array }): void {
    const c = s.psiOx.length;
    this.psiOx = s.psiOx.slice();
    this.leafF = new Float64Array(c);
    this.leafDF = new Float64Array(c);
  }

  /** Transpiration of leaf i at the last solve, cm³ d⁻¹. */
  leafTranspiration(i: number): number {
    return this.leafF[i];
  }
}

/**
 * Exact head at distance ξ from the proximal node inside a segment (the element solution), cm:
 * ψ(ξ) = ψ_o + [u_p sinh(τ(l − ξ)) + u_k sinh(τ ξ)] / sinh(τ l), u = ψ − ψ_o; linear when g = 0.
 */
export function headAlongSegment(psiP_cm: number, psiK_cm: number, psiOuter_cm: number, kx: number, g: number, l: number, xi: number): number {
  const tau = g > 0 && kx > 0 ? Math.sqrt(g / kx) : 0;
  if (tau * l < 1e-6) return psiP_cm + ((psiK_cm - psiP_cm) * xi) / l;
  const up = psiP_cm - psiOuter_cm;
  const uk = psiK_cm - psiOuter_cm;
  return psiOuter_cm + (up * Math.sinh(tau * (l - xi)) + uk * Math.sinh(tau * xi)) / Math.sinh(tau * l);
}
