import type { VanGenuchtenMualem } from './van-genuchten.js';

/**
 * Hydraulic state of many cells at once, for the implicit Richards solvers: θ(h), C(h) = dθ/dh,
 * K(h) and dK/dh of van Genuchten–Mualem (004 Eqs 7–11, RHIZOSPHERE.md), written into typed
 * arrays (structure of arrays). Nothing is allocated.
 *
 * With b = 1 + (α|h|)ⁿ one has S_e = b^(−m) and 1 − S_e^(1/m) = (α|h|)ⁿ/b, so
 *   K = K_s·S_e^l·f²,  f = 1 − ((α|h|)ⁿ/b)^m (evaluated without cancellation, wet or dry),
 *   dK/dh = α n m /(α|h|·b) · [l·K·(α|h|)ⁿ + 2 K_s S_e^l f (1 − f)],
 * both for h < 0; for h ≥ 0: θ = θ_s, C = 0, K = K_s, dK/dh = 0.
 *
 * Optional regularisation near saturation (`kReg`, from {@link regularizationTable}): for
 * h_reg < h < 0, K is linear between K(h_reg) and K_s. θ and C stay exact.
 */
export function evalHydraulics(
  count: number,
  h_cm: Float64Array,
  soils: readonly VanGenuchtenMualem[],
  soilOfCell: Int32Array | null,
  theta: Float64Array,
  C_per_cm: Float64Array,
  K_cm_per_d: Float64Array,
  dKdh_per_d: Float64Array,
  kReg: Float64Array | null = null,
): void {
  for (let i = 0; i < count; i++) {
    const p = soils[soilOfCell ? soilOfCell[i] : 0];
    const h = h_cm[i];
    if (h >= 0) {
      theta[i] = p.thetaS;
      C_per_cm[i] = 0;
      K_cm_per_d[i] = p.Ks_cm_per_d;
      dKdh_per_d[i] = 0;
      continue;
    }
    const n = p.n;
    const m = 1 - 1 / n;
    const ah = -p.alpha_per_cm * h;
    const ahn = Math.pow(ah, n);
    const b = 1 + ahn;
    const Se = Math.pow(b, -m);
    const dTheta = p.thetaS - p.thetaR;
    theta[i] = p.thetaR + dTheta * Se;
    C_per_cm[i] = (dTheta * p.alpha_per_cm * n * m * (ahn / ah) * Se) / b;
    if (kReg) {
      const j = 3 * (soilOfCell ? soilOfCell[i] : 0);
      if (h > kReg[j]) {
        K_cm_per_d[i] = kReg[j + 1] + kReg[j + 2] * (h - kReg[j]);
        dKdh_per_d[i] = kReg[j + 2];
        continue;
      }
    }
    const f = mualemFactor(ahn, b, m);
    const Sel = p.l === 0.5 ? Math.sqrt(Se) : Math.pow(Se, p.l);
    const K = p.Ks_cm_per_d * Sel * f * f;
    K_cm_per_d[i] = K;
    dKdh_per_d[i] = ((p.alpha_per_cm * n * m) / (ah * b)) * (p.l * K * ahn + 2 * p.Ks_cm_per_d * Sel * f * (1 - f));
  }
}

/**
 * Per soil [h_reg, K(h_reg), (K_s − K(h_reg))/(−h_reg)] for {@link evalHydraulics}; null when
 * h_reg = 0 (no regularisation).
 */
export function regularizationTable(soils: readonly VanGenuchtenMualem[], hReg_cm: number): Float64Array | null {
  if (!(hReg_cm < 0)) return null;
  const t = new Float64Array(3 * soils.length);
  const one = [new Float64Array(1), new Float64Array(1), new Float64Array(1), new Float64Array(1)];
  soils.forEach((p, j) => {
    evalHydraulics(1, Float64Array.of(hReg_cm), [p], null, one[0], one[1], one[2], one[3]);
    const K = one[2][0];
    t[3 * j] = hReg_cm;
    t[3 * j + 1] = K;
    t[3 * j + 2] = (p.Ks_cm_per_d - K) / -hReg_cm;
  });
  return t;
}

/**
 * f = 1 − (1 − S_e^(1/m))^m = 1 − ((α|h|)ⁿ/b)^m without cancellation: direct power when wet
 * ((α|h|)ⁿ < 1, where 1 − 1/b would lose digits), expm1/log1p when dry (where 1 − g would).
 */
function mualemFactor(ahn: number, b: number, m: number): number {
  return ahn < 1 ? 1 - Math.pow(ahn / b, m) : -Math.expm1(m * Math.log1p(-1 / b));
}

