/** Clamp of the per-segment relaxation factor of psiAveraging 'secant'. */
export const SECANT_OMEGA_MIN = 0.02;
export const SECANT_OMEGA_MAX = 2;
/** Sign changes of a component's residual after which its proposals are kept inside its bracket. */
export const SECANT_BRACKET_FLIPS = 3;

/**
 * Per-component secant relaxation of a fixed-point iteration x ← G(x) with residual r = G(x) − x
 * (psiAveraging 'secant' of the coupled model: one component per perirhizal domain, x = the root-surface
 * head ψ_rsi given to the plant, G(x) = the 1D model's innermost head after its solve). Each component:
 *   x_{k+1} = x_k + ω_k r_k,   ω_k = −(x_k − x_{k−1})/(r_k − r_{k−1}) clamped to [ω_min, ω_max] (kept when ≤ 0),
 * the secant (quasi-Newton) step on r, which a fixed point of G leaves unchanged.
 *
 * Safeguard: in the coupled model r falls with x (a wetter root surface gives more uptake, so a drier 1D
 * result), so the root is bracketed by the largest input seen with r > 0 (lo) and the smallest with r < 0
 * (hi). Near the switch between uptake and release (K_sri jumps from K(ψ)/Δr to K_s/Δr) a tiny domain's
 * G is nearly a step and the secant cycles (seen: a 4-cycle over 100 iterates in the earlyDry night,
 * issue 9). Once a component's residual has changed sign {@link SECANT_BRACKET_FLIPS} times, a proposal
 * outside its bracket is replaced by the Illinois regula-falsi point inside it (Dowell & Jarratt 1971),
 * which converges for any continuous decreasing r. A bracket made inconsistent by the other components
 * (lo ≥ hi: the root moved) keeps only its newest end.
 */
export class PerDomainSecant {
  private readonly x: Float64Array;
  private readonly r: Float64Array;
  private readonly w: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly rLo: Float64Array;
  private readonly rHi: Float64Array;
  private readonly flips: Int32Array;
  private readonly side: Int8Array;
  private updates = 0;
  /** Proposals replaced by the bracket's regula-falsi point (diagnostic). */
  bracketed = 0;

  /** `bracketAfterFlips`: sign changes before the safeguard acts (Infinity: the plain secant, for comparisons). */
  constructor(n: number, private readonly bracketAfterFlips: number = SECANT_BRACKET_FLIPS) {
    this.x = new Float64Array(n);
    this.r = new Float64Array(n);
    this.w = new Float64Array(n).fill(1);
    this.lo = new Float64Array(n).fill(Number.NaN);
    this.hi = new Float64Array(n).fill(Number.NaN);
    this.rLo = new Float64Array(n);
    this.rHi = new Float64Array(n);
    this.flips = new Int32Array(n);
    this.side = new Int8Array(n);
  }

  /** Forget component d's history (relaxation 1, no bracket): its input is set from outside (flux mode of Eq B12). */
  resetComponent(d: number): void {
    this.w[d] = 1;
    this.lo[d] = Number.NaN;
    this.hi[d] = Number.NaN;
    this.flips[d] = 0;
    this.side[d] = 0;
  }

  /**
   * Next inputs from the last inputs `x` (overwritten with the next ones) and their results `gx`.
   * The first call is the plain fixed-point step x ← G(x) (ω = 1).
   */
  update(x: Float64Array, gx: Float64Array, n: number = x.length): void {
    const first = this.updates === 0;
    this.updates++;
    for (let d = 0; d < n; d++) {
      const xd = x[d];
      const r = gx[d] - xd;
      if (!first) {
        const dx = xd - this.x[d];
        const dr = r - this.r[d];
        if (Math.abs(dx) > 1e-12 * Math.max(Math.abs(xd), 1) && dr !== 0) {
          const w = -dx / dr;
          if (w > 0) this.w[d] = Math.min(Math.max(w, SECANT_OMEGA_MIN), SECANT_OMEGA_MAX);
        }
        if (r * this.r[d] < 0) this.flips[d]++;
      }
      this.x[d] = xd;
      this.r[d] = r;
      if (r > 0 && !(xd <= this.lo[d])) {
        this.lo[d] = xd;
        this.rLo[d] = r;
        if (this.side[d] === 1) this.rHi[d] *= 0.5; // Illinois: the same end moved twice, halve the other's weight
        this.side[d] = 1;
      } else if (r < 0 && !(xd >= this.hi[d])) {
        this.hi[d] = xd;
        this.rHi[d] = r;
        if (this.side[d] === -1) this.rLo[d] *= 0.5;
        this.side[d] = -1;
      }
      if (this.lo[d] >= this.hi[d]) {
        if (r > 0) this.hi[d] = Number.NaN;
        else this.lo[d] = Number.NaN;
      }
      let next = xd + this.w[d] * r;
      const lo = this.lo[d];
      const hi = this.hi[d];
      if (this.flips[d] >= this.bracketAfterFlips && lo < hi && !(next > lo && next < hi)) {
        next = lo + ((hi - lo) * this.rLo[d]) / (this.rLo[d] - this.rHi[d]);
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        this.bracketed++;
      }
      x[d] = next;
    }
  }
}
