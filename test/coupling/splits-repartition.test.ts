import { describe, expect, it } from 'vitest';
import { cylinderVolume, outerRadii, repartitionVoxel, splitSolute, splitWater, type RepartitionDomain } from '../../src/coupling/index.js';
import { SeededRng } from '../../src/numerics/random.js';
import { NV, V } from '../../src/rhizosphere/index.js';
import { radialGrid } from '../../src/soil/grid1d.js';

const thetaS = 0.43;
const thetaWilt = 0.0959; // θ(−15000 cm) of loam, rounded (any value in (θ_r, θ_s) serves the property)

describe('3D → 1D splits (property tests over random seeded states)', () => {
  it('water: no cell above θ_s or below θ_wilt, Σ = Q unless capped (then Σ = all the room), 5000 states', () => {
    const rng = new SeededRng(8);
    const res = { total: 0, capped: false };
    let worstSum = 0;
    let caps = 0;
    let overdrawn = 0;
    for (let trial = 0; trial < 5000; trial++) {
      const n = 1 + Math.floor(rng.uniform() * 40);
      const vol = Float64Array.from({ length: n }, () => 1e-4 + rng.uniform());
      const th = Float64Array.from({ length: n }, () => thetaWilt + (thetaS - thetaWilt) * rng.uniform() ** 3);
      let room = 0, avail = 0;
      for (let i = 0; i < n; i++) {
        room += (thetaS - th[i]) * vol[i];
        avail += (th[i] - thetaWilt) * vol[i];
      }
      const Q = (rng.uniform() - 0.5) * 2.4 * (rng.uniform() < 0.5 ? room : avail);
      const out = new Float64Array(n);
      splitWater(Q, vol, th, thetaS, thetaWilt, out, res);
      let s = 0;
      for (let i = 0; i < n; i++) {
        s += out[i];
        const after = th[i] + out[i] / vol[i];
        if (after > thetaS * (1 + 1e-14) || after < thetaWilt * (1 - 1e-14)) overdrawn++;
      }
      expect(Math.abs(s - res.total)).toBeLessThanOrEqual(1e-14 * Math.max(Math.abs(Q), 1e-30) + 1e-300);
      if (res.capped) {
        caps++;
        expect(Math.abs(Math.abs(s) - (Q > 0 ? room : avail))).toBeLessThanOrEqual(1e-13 * Math.abs(Q));
      } else worstSum = Math.max(worstSum, Math.abs(s - Q) / Math.abs(Q));
    }
    console.log(`water splits: worst |Σq − Q|/|Q| uncapped ${worstSum.toExponential(2)}; ${caps} of 5000 capped at the room; cells overdrawn ${overdrawn}`);
    expect(overdrawn).toBe(0);
    expect(worstSum).toBeLessThan(1e-14);
  });

  it('solutes: a loss never takes more than a cell holds; gains go preferentially to poor cells; Σ = Q unless capped, 5000 states', () => {
    const rng = new SeededRng(9);
    const res = { total: 0, capped: false };
    let worstSum = 0;
    let overdrawn = 0;
    for (let trial = 0; trial < 5000; trial++) {
      const n = 1 + Math.floor(rng.uniform() * 40);
      const m = Float64Array.from({ length: n }, () => (rng.uniform() < 0.1 ? 0 : 1e-9 * rng.uniform() ** 4));
      const total = m.reduce((a, b) => a + b, 0);
      const Q = (rng.uniform() - 0.6) * 2.5 * Math.max(total, 1e-12);
      const out = new Float64Array(n);
      splitSolute(Q, m, 1e-14, out, res);
      let s = 0;
      for (let i = 0; i < n; i++) {
        s += out[i];
        if (m[i] + out[i] < -1e-15 * Math.max(m[i], 1e-300)) overdrawn++;
      }
      if (!res.capped) worstSum = Math.max(worstSum, Math.abs(s - Q) / Math.abs(Q));
      else expect(Math.abs(s + total)).toBeLessThanOrEqual(1e-14 * total);
      if (Q > 0 && n > 1) {
        // The poorest cell gets at least as much as the richest.
        let lo = 0, hi = 0;
        for (let i = 0; i < n; i++) {
          if (m[i] < m[lo]) lo = i;
          if (m[i] > m[hi]) hi = i;
        }
        expect(out[lo]).toBeGreaterThanOrEqual(out[hi]);
      }
    }
    console.log(`solute splits: worst |Σq − Q|/|Q| uncapped ${worstSum.toExponential(2)}; cells overdrawn ${overdrawn}`);
    expect(overdrawn).toBe(0);
    expect(worstSum).toBeLessThan(1e-14);
  });
});

describe('Eq 26 and the re-partition on growth (App. E)', () => {
  it('outer radii: Σ V_1D = V_voxel to 1e-12 for volume, surface and length weights', () => {
    const rng = new SeededRng(3);
    for (const w of ['volume', 'surface', 'length'] as const) {
      const n = 30;
      const vox = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * 4));
      const r = Float64Array.from({ length: n }, () => 0.01 + 0.05 * rng.uniform());
      const L = Float64Array.from({ length: n }, () => 0.05 + rng.uniform());
      const out = new Float64Array(n);
      outerRadii(vox, r, L, [1, 1, 2, 0.5], w, out);
      const sum = [0, 0, 0, 0];
      for (let d = 0; d < n; d++) sum[vox[d]] += cylinderVolume(r[d], out[d], L[d]);
      const err = Math.max(...sum.map((s, k) => (s === 0 ? 0 : Math.abs(s - [1, 1, 2, 0.5][k]) / [1, 1, 2, 0.5][k])));
      console.log(`Eq 26 ${w} weights: worst |Σ V_1D − V_voxel|/V_voxel ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-12);
    }
  });

  it('re-partition conserves the voxel content of water and of every carbon pool to ≤ 1e-12 relative (200 random voxels: shrink, grow, new); radial gradients of shrunk domains kept', () => {
    const rng = new SeededRng(12);
    let worst = 0;
    let worstGrad = 0;
    let checked = 0;
    for (let trial = 0; trial < 200; trial++) {
      const nOld = 1 + Math.floor(rng.uniform() * 5);
      const nNew = Math.floor(rng.uniform() * 3);
      const rIn = Array.from({ length: nOld + nNew }, () => 0.01 + 0.04 * rng.uniform());
      const L0 = Array.from({ length: nOld }, () => 0.1 + 0.9 * rng.uniform());
      const L1 = [...L0.map((l) => (rng.uniform() < 0.5 ? l : l * (1 + rng.uniform()))), ...Array.from({ length: nNew }, () => 0.1 + 0.9 * rng.uniform())];
      const rOld = new Float64Array(nOld);
      outerRadii(new Int32Array(nOld), Float64Array.from(rIn.slice(0, nOld)), Float64Array.from(L0), [1], 'volume', rOld);
      const rNew = new Float64Array(nOld + nNew);
      outerRadii(new Int32Array(nOld + nNew), Float64Array.from(rIn), Float64Array.from(L1), [1], 'volume', rNew);
      const content = new Float64Array(NV);
      const doms: RepartitionDomain[] = [];
      for (let d = 0; d < nOld + nNew; d++) {
        const newGrid = radialGrid(rIn[d], rNew[d], 9, L1[d]);
        if (d >= nOld) {
          doms.push({ newGrid });
          continue;
        }
        const oldGrid = radialGrid(rIn[d], rOld[d], 9, L0[d]);
        const cells = new Float64Array(9 * NV);
        for (let i = 0; i < 9; i++) {
          cells[i * NV + V.theta] = 0.15 + 0.25 * rng.uniform();
          for (let v = 1; v < NV; v++) cells[i * NV + v] = 1e-6 * rng.uniform() * (1 + (9 - i));
          for (let v = 0; v < NV; v++) content[v] += oldGrid.volume[i] * cells[i * NV + v];
        }
        doms.push({ oldGrid, oldCells: cells, newGrid });
      }
      const out = repartitionVoxel(doms, content, { thetaS, thetaWilt });
      for (let v = 0; v < NV; v++) {
        let s = 0;
        out.forEach((c, d) => {
          for (let i = 0; i < 9; i++) s += doms[d].newGrid.volume[i] * c[i * NV + v];
        });
        worst = Math.max(worst, Math.abs(s - content[v]) / content[v]);
      }
      out.forEach((c) => {
        for (let i = 0; i < 9; i++) {
          expect(c[i * NV + V.theta]).toBeLessThanOrEqual(thetaS + 1e-15);
          for (let v = 1; v < NV; v++) expect(c[i * NV + v]).toBeGreaterThanOrEqual(0);
        }
      });
      // A domain whose volume shrank keeps the differences of its interpolated profile: the two innermost cells.
      for (let d = 0; d < nOld; d++) {
        const og = doms[d].oldGrid!;
        const ng = doms[d].newGrid;
        let vo = 0, vn = 0;
        for (let i = 0; i < 9; i++) {
          vo += og.volume[i];
          vn += ng.volume[i];
        }
        if (!(vn < vo) || !(ng.centers[1] < og.centers[8])) continue;
        const o = doms[d].oldCells!;
        const interp = (r: number) => {
          let i = 0;
          while (i < 7 && og.centers[i + 1] < r) i++;
          const w = Math.min(Math.max((r - og.centers[i]) / (og.centers[i + 1] - og.centers[i]), 0), 1);
          return (1 - w) * o[i * NV + V.L] + w * o[(i + 1) * NV + V.L];
        };
        // The constant shift is used when it keeps every cell ≥ 0 (otherwise the profile is scaled).
        let sI = 0;
        let minI = Infinity;
        for (let i = 0; i < 9; i++) sI += ng.volume[i] * interp(ng.centers[i]);
        let keep = 0;
        for (let i = 0; i < 9; i++) keep += og.volume[i] * o[i * NV + V.L];
        const shift = ((keep * vn) / vo - sI) / vn;
        for (let i = 0; i < 9; i++) minI = Math.min(minI, interp(ng.centers[i]) + shift);
        if (minI < 0) continue;
        checked++;
        const want = interp(ng.centers[1]) - interp(ng.centers[0]);
        const got = out[d][1 * NV + V.L] - out[d][V.L];
        if (Math.abs(want) > 1e-12) worstGrad = Math.max(worstGrad, Math.abs(got - want) / Math.abs(want));
      }
    }
    console.log(`re-partition: worst relative change of a voxel pool ${worst.toExponential(2)}; worst change of a kept C_L difference ${worstGrad.toExponential(2)} (${checked} shrunk domains with a non-negative shifted profile)`);
    expect(checked).toBeGreaterThan(10);
    expect(worst).toBeLessThan(1e-12);
    expect(worstGrad).toBeLessThan(1e-9);
  });
});
