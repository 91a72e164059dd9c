/**
 * 3D → 1D split of a voxel's net inter-voxel inflow among the cells of its perirhizal models
 * (004 Eqs B8, C9–C10; COUPLING.md "3D → 1D split", trap 4). One level: the weights are taken over
 * every radial cell of every domain of the voxel, so a domain's share is the sum of its cells'
 * (for water and for solute losses this is exactly the domain-level rule of the reference; for
 * solute gains, ∝ 1/m per cell, it spreads inflow towards the poorest cells directly).
 *
 * Water, with potential water contents θ_pot,i (start-of-sub-step content plus the root flux):
 *   gain Q > 0: a_i = (θ_s − θ_pot,i)⁺ V_i,   loss Q < 0: a_i = (θ_pot,i − θ_wilt)⁺ V_i,
 *   q_i = Q·a_i/Σa, with |Q| capped at Σa (so no cell goes above θ_s or below θ_wilt).
 * Solutes (C_L^l, C_H^l), with contents m_i ≥ 0 (mol):
 *   loss: q_i = Q·m_i/Σm with |Q| capped at Σm (no cell gives more than it holds);
 *   gain: q_i = Q·(1/max(m_i, floor))/Σ(1/max(m_j, floor)).
 * Every split returns the amount actually distributed (Σq_i, equal to Q unless capped), so the
 * caller books the cap. Property-tested: never overdraws, preserves the sum.
 */

/** Result written by the split functions: the total distributed (Σ out) and whether a cap applied. */
export interface SplitResult {
  total: number;
  capped: boolean;
}

/**
 * Split a water amount Q (cm³ over the sub-step; + gain) over cells with volumes V (cm³) and
 * potential water contents θ_pot; `out[i]` gets cm³. θ_wilt = θ(−15000 cm) in the reference (trap 2).
 */
export function splitWater(Q_cm3: number, volume_cm3: ArrayLike<number>, thetaPot: ArrayLike<number>, thetaS: number, thetaWilt: number, out: Float64Array, res: SplitResult): SplitResult {
  const n = volume_cm3.length;
  let A = 0;
  for (let i = 0; i < n; i++) {
    const a = Q_cm3 >= 0 ? Math.max(thetaS - thetaPot[i], 0) * volume_cm3[i] : Math.max(thetaPot[i] - thetaWilt, 0) * volume_cm3[i];
    out[i] = a;
    A += a;
  }
  return distribute(Q_cm3, A, n, out, res);
}

/** Split a solute amount Q (mol over the sub-step; + gain) over cells holding m (mol); `out[i]` gets mol. */
export function splitSolute(Q_mol: number, content_mol: ArrayLike<number>, floor_mol: number, out: Float64Array, res: SplitResult): SplitResult {
  const n = content_mol.length;
  let A = 0;
  for (let i = 0; i < n; i++) {
    const m = Math.max(content_mol[i], 0);
    const a = Q_mol >= 0 ? 1 / Math.max(m, floor_mol) : m;
    out[i] = a;
    A += a;
  }
  if (Q_mol >= 0) {
    // Gains are not capped: Σa > 0 always.
    for (let i = 0; i < n; i++) out[i] = (Q_mol * out[i]) / A;
    res.total = Q_mol;
    res.capped = false;
    return res;
  }
  return distribute(Q_mol, A, n, out, res);
}

/** out[i] holds weights a_i (the cell's room); distribute Q by them with |Q| ≤ Σa. */
function distribute(Q: number, A: number, n: number, out: Float64Array, res: SplitResult): SplitResult {
  if (Q === 0 || !(A > 0)) {
    out.fill(0, 0, n);
    res.total = 0;
    res.capped = Q !== 0;
    return res;
  }
  const mag = Math.min(Math.abs(Q), A);
  const sign = Q > 0 ? 1 : -1;
  const f = mag / A;
  let total = 0;
  for (let i = 0; i < n; i++) {
    // a_i·f ≤ a_i since f ≤ 1: no cell beyond its room.
    out[i] = sign * out[i] * f;
    total += out[i];
  }
  res.total = total;
  res.capped = mag < Math.abs(Q);
  return res;
}
