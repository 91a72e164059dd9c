/**
 * Aitken dynamic relaxation of a fixed-point iteration x ← G(x) (Irons & Tuck 1969; Küttler & Wall
 * 2008, Comput. Mech. 43:61): with residuals r_k = G(x_k) − x_k,
 *   ω_k = −ω_{k−1} · r_{k−1}·(r_k − r_{k−1}) / |r_k − r_{k−1}|²,   x_{k+1} = x_k + ω_k r_k,
 * in a scaled inner product (each component divided by its scale) so that water (cm³) and carbon
 * (mol) weigh alike. A fixed point of G is a fixed point of the relaxed map for any ω ≠ 0, so the
 * converged state is the same as without relaxation; only the path changes.
 */
export class AitkenRelaxation {
  private omega = 1;
  private rPrev: Float64Array | null = null;
  /** Relaxation factor used last. */
  lastOmega = 1;

  reset(): void {
    this.omega = 1;
    this.rPrev = null;
  }

  /** Next iterate from x_k (input) and G(x_k); `scale` per component (> 0 where meaningful). Returns a new array. */
  update(x: Float64Array, gx: Float64Array, scale: Float64Array): Float64Array {
    const n = x.length;
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = gx[i] - x[i];
    if (this.rPrev) {
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        const w = 1 / Math.max(Math.abs(scale[i]), 1e-300);
        const dr = (r[i] - this.rPrev[i]) * w;
        num += this.rPrev[i] * w * dr;
        den += dr * dr;
      }
      if (den > 0) this.omega = Math.min(Math.max(-this.omega * (num / den), 0.05), 2);
    }
    this.lastOmega = this.omega;
    this.rPrev = r;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = x[i] + this.omega * r[i];
    return out;
  }
}
