/**
 * Anderson acceleration of a fixed-point iteration x ← G(x) (Anderson 1965; Walker & Ni 2011, SIAM J.
 * Numer. Anal. 49:1715), depth m, no damping (β = 1): with residuals f_k = G(x_k) − x_k and the
 * differences ΔF, ΔG of the last m residuals and G values,
 *   γ = argmin ‖f_k − ΔF γ‖_W,   x_{k+1} = G(x_k) − ΔG γ,
 * in a weighted norm (each component divided by its scale, e.g. max(|ψ|, 1 cm)). A fixed point of G
 * is a fixed point of the accelerated sequence, so the converged state is the same as without; only
 * the path changes. The small least-squares problem is solved by modified Gram–Schmidt QR; columns
 * that are (nearly) dependent on the others are dropped, oldest first.
 */
export class AndersonAcceleration {
  private readonly m: number;
  private fPrev: Float64Array | null = null;
  private gPrev: Float64Array | null = null;
  private dF: Float64Array[] = [];
  private dG: Float64Array[] = [];
  /** History columns used in the last update (0 = plain fixed point). */
  lastDepth = 0;

  constructor(depth = 3) {
    this.m = depth;
  }

  reset(): void {
    this.fPrev = this.gPrev = null;
    this.dF = [];
    this.dG = [];
    this.lastDepth = 0;
  }

  /** Next iterate from x_k (the input of the last evaluation) and G(x_k), written to `out`. */
  update(x: ArrayLike<number>, gx: ArrayLike<number>, scale: ArrayLike<number>, out: Float64Array): void {
    const n = out.length;
    const f = new Float64Array(n);
    const g = Float64Array.from({ length: n }, (_, i) => gx[i]);
    for (let i = 0; i < n; i++) f[i] = (gx[i] - x[i]) / Math.max(Math.abs(scale[i]), 1e-300);
    if (this.fPrev && this.gPrev) {
      const df = new Float64Array(n);
      const dg = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        df[i] = f[i] - this.fPrev[i];
        dg[i] = g[i] - this.gPrev[i];
      }
      this.dF.push(df);
      this.dG.push(dg);
      if (this.dF.length > this.m) {
        this.dF.shift();
        this.dG.shift();
      }
    }
    this.fPrev = f;
    this.gPrev = g;
    out.set(g);
    this.lastDepth = 0;
    // Least squares by MGS QR of ΔF (newest columns kept when dropping).
    const cols = this.dF.length;
    if (cols === 0) return;
    const Q: Float64Array[] = [];
    const R: number[][] = [];
    const keep: number[] = [];
    for (let j = cols - 1; j >= 0; j--) {
      const v = this.dF[j].slice();
      const norm0 = Math.sqrt(dot(v, v));
      if (!(norm0 > 0)) continue;
      const r: number[] = [];
      for (let q = 0; q < Q.length; q++) {
        const c = dot(Q[q], v);
        r.push(c);
        for (let i = 0; i < n; i++) v[i] -= c * Q[q][i];
      }
      const nv = Math.sqrt(dot(v, v));
      if (nv < 1e-8 * norm0) continue; // (nearly) dependent on newer columns: drop
      for (let i = 0; i < n; i++) v[i] /= nv;
      r.push(nv);
      Q.push(v);
      R.push(r);
      keep.push(j);
    }
    const k = Q.length;
    if (k === 0) return;
    // γ = R⁻¹ Qᵀ f (R upper triangular in the order of Q: R[q] holds column q's coefficients on Q[0..q]).
    const b = Q.map((q) => dot(q, f));
    const gamma = new Float64Array(k);
    for (let q = k - 1; q >= 0; q--) {
      let s = b[q];
      for (let p = q + 1; p < k; p++) s -= R[p][q] * gamma[p];
      gamma[q] = s / R[q][q];
    }
    for (let q = 0; q < k; q++) {
      const dg = this.dG[keep[q]];
      for (let i = 0; i < n; i++) out[i] -= gamma[q] * dg[i];
    }
    this.lastDepth = k;
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
