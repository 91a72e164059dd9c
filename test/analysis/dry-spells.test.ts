import { describe, expect, it } from 'vitest';
import {
  amountIn, annulusVolume_cm3, cellVolumes_cm3, cumulative, depthProfile, hotspotVolumes_cm3, indexAtTime, macroscaleMask, poolAmounts, poolTableRow,
  radialProfile, relativeChange, socExpected_molC_per_cm3, socPerCell, socSlow_molC_per_cm3, SOC_INIT_MOLC_PER_CM3, truncatedVolume_cm3, truncatePerirhizal,
  volumeDistribution,
} from '../../src/analysis/index.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('dry-spells analyses (004 Sec. 2.4) against hand-computed and analytic cases', () => {
  // r_in 0.05, faces 0.05, 0.07, 0.10, 0.15, 0.25 cm; L 1 cm; values linear in the centre radius.
  const m = { faces_cm: [0.05, 0.07, 0.1, 0.15, 0.25], length_cm: 1 };
  const centres = [0.06, 0.085, 0.125, 0.2];
  const lin = centres.map((r) => 3 + 10 * r);

  it('perirhizal_trunc at 0.06 cm: full cells + the cut part, interpolated value; volume π((r_in + 0.06)² − r_in²) L', () => {
    const t = truncatePerirhizal(m, lin);
    // r_cut = 0.11: cells [0.05, 0.07], [0.07, 0.10] whole, [0.10, 0.11] from the third cell.
    expect(t.volumes_cm3.length).toBe(3);
    expect(rel(t.volumes_cm3[2], Math.PI * (0.11 ** 2 - 0.1 ** 2))).toBeLessThan(1e-14);
    const total = t.volumes_cm3.reduce((a, b) => a + b, 0);
    const err = rel(total, Math.PI * (0.11 ** 2 - 0.05 ** 2));
    console.log(`perirhizal_trunc volume vs analytic annulus: relative error ${err.toExponential(1)}`);
    expect(err).toBeLessThan(1e-14);
    // The cut part's value is the linear field at its middle, r = 0.105 (between centres 0.085 and 0.125).
    expect(Math.abs(t.values[2] - (3 + 10 * 0.105))).toBeLessThan(1e-14);
    expect(Array.from(t.values.subarray(0, 2))).toEqual(lin.slice(0, 2));
    // A domain thinner than the cut is kept whole.
    const thin = { faces_cm: [0.02, 0.03, 0.05], length_cm: 2 };
    const tt = truncatePerirhizal(thin, [1, 2]);
    expect(Array.from(tt.volumes_cm3)).toEqual(Array.from(cellVolumes_cm3(thin)));
    expect(rel(truncatedVolume_cm3([m, thin]), Math.PI * (0.11 ** 2 - 0.05 ** 2) + annulusVolume_cm3(0.02, 0.05, 2))).toBeLessThan(1e-14);
  });

  it('volume distribution (Fig 9): volume ≤ x and its complement, ties merged', () => {
    const d = volumeDistribution([3, 1, 2, 1], [1, 2, 4, 8]);
    expect(Array.from(d.value)).toEqual([1, 2, 3]);
    expect(Array.from(d.volumeAtOrBelow_cm3)).toEqual([10, 14, 15]);
    expect(Array.from(d.volumeAbove_cm3)).toEqual([5, 1, 0]);
    expect(d.total_cm3).toBe(15);
  });

  it('SOC (Fig 11): SOC_expected, SOC_slow by hand; hotspot classes ≥ 0.65/0.83/1.16 SOC_expected', () => {
    const rhoB = 2.65 * (1 - 0.43);
    const exp = socExpected_molC_per_cm3(rhoB);
    const hand = (1.5105 * (0.0288 * 178 + 13.674)) / 12011; // = 1.5105 × 18.8004 / 12011
    console.log(`SOC_expected ${exp.toExponential(6)} mol C cm⁻³ (hand ${hand.toExponential(6)}); SOC_slow highMB ${socSlow_molC_per_cm3(rhoB, SOC_INIT_MOLC_PER_CM3.highMB).toExponential(4)}`);
    expect(rel(exp, hand)).toBeLessThan(1e-12);
    expect(rel(socSlow_molC_per_cm3(rhoB, 2.9414e-4), (0.0112 * 1.5105) / 12.011 - 2.9414e-4)).toBeLessThan(1e-12);
    const z = [0, 0, 0];
    const pools = { theta: [0.5, 0.25, 0.4], cLl_molC_per_cm3_water: [2e-4, 0, 0], cHl_molC_per_cm3_water: [2e-4, 4e-4, 0], cLs_molC_per_cm3: [1e-4, 0, 0], cOa_molC_per_cm3: [1e-4, 0, 0], cOd_molC_per_cm3: z, cCa_molC_per_cm3: [0, 1e-4, 0], cCd_molC_per_cm3: z };
    const soc = socPerCell(pools, 1e-3);
    expect(Array.from(soc).map((x) => +x.toExponential(10))).toEqual([1e-3 + 2e-4 + 1e-4 + 1e-4, 1e-3 + 1e-4 + 1e-4, 1e-3].map((x) => +x.toExponential(10)));
    // soc/exp with exp = 1e-3/0.7: 1.4·0.7 = 0.98, 1.2·0.7 = 0.84, 0.7 → classes 0.65: all, 0.83: first two, 1.16: none.
    expect(hotspotVolumes_cm3(soc, [1, 2, 4], 1e-3 / 0.7)).toEqual([7, 3, 0]);
  });

  it('macroscale mask, pool amounts, relative change (Fig 10) and pool table rows by hand', () => {
    expect(Array.from(macroscaleMask([[1, 0, 0, 0], [0, 0, 1, 0], [true, false, false, false]]))).toEqual([1, 0, 1, 0]);
    const one = [1, 1];
    const p = { theta: [0.5, 0.25], cLl_molC_per_cm3_water: [2, 4], cHl_molC_per_cm3_water: [2, 0], cLs_molC_per_cm3: [1, 3], cOa_molC_per_cm3: [1, 0], cOd_molC_per_cm3: [0, 2], cCa_molC_per_cm3: [3, 0], cCd_molC_per_cm3: [0, 5], co2_molC_per_cm3: [7, 1] };
    const a = poolAmounts(p, 2, [1, 1]);
    expect(a).toEqual({ solutes_molC: 2 * (0.5 * 4 + 0.25 * 4), sorbed_molC: 8, microbes_molC: 2 * (4 + 7), activeMicrobes_molC: 8, copiotrophs_molC: 16, co2_molC: 16 });
    expect(poolAmounts(p, [1, 10], [0, 1]).co2_molC).toBe(10);
    expect(amountIn([1, 2, 3], one.concat(1), [1, 0, 1])).toBe(4);
    const r = relativeChange([2, 3, 1], [1, 4, 0]);
    expect(r[0]).toBe(1);
    expect(r[1]).toBe(-0.25);
    expect(Number.isNaN(r[2])).toBe(true);
    const row = poolTableRow('lateDry/highMB', 25, a, { ...a, co2_molC: 6 });
    expect(row.pools_mmolC.co2_molC).toBe(16000);
    expect(row.minusInitial_mmolC.co2_molC).toBe(10000);
    expect(row.minusInitial_mmolC.microbes_molC).toBe(0);
  });

  it('depth profile (Fig 8): 1 cm layers of rooted voxels, volume-weighted mean, min, max; empty layers NaN', () => {
    const z = [-0.5, -0.5, -1.5, -1.5, -2.5];
    const v = [1, 3, 5, 7, 9];
    const rows = depthProfile(v, z, { mask: [1, 1, 1, 0, 0], zBottom_cm: -3 });
    expect(rows.map((r) => [r.zTop_cm, r.zBottom_cm, r.cells])).toEqual([[0, -1, 2], [-1, -2, 1], [-2, -3, 0]]);
    expect([rows[0].mean, rows[0].min, rows[0].max]).toEqual([2, 1, 3]);
    expect(rows[1].mean).toBe(5);
    expect(Number.isNaN(rows[2].mean)).toBe(true);
    const w = depthProfile(v, z, { volumes_cm3: [1, 3, 1, 1, 1], zBottom_cm: -1 });
    expect(w[0].mean).toBe((1 + 9) / 4);
  });

  it('radial profile (Fig 12): a field uniform per bin comes back exactly; volume per bin is the annulus volume', () => {
    // Two identical models; values 1 in cells with centre within 0.05 cm of the surface, 2 beyond.
    const vals = centres.map((r) => (r - 0.05 < 0.05 ? 1 : 2));
    const p = radialProfile([{ cells: m, values: vals }, { cells: m, values: vals }], [0, 0.05, 0.3]);
    expect(Array.from(p.mean)).toEqual([1, 2]);
    expect(rel(p.volume_cm3[0], 2 * Math.PI * (0.1 ** 2 - 0.05 ** 2))).toBeLessThan(1e-14);
    expect(rel(p.volume_cm3[1], 2 * Math.PI * (0.25 ** 2 - 0.1 ** 2))).toBeLessThan(1e-14);
  });

  it('cumulative fluxes (Fig 7) and the row of a day', () => {
    expect(Array.from(cumulative([1, 2, 3], 0.5))).toEqual([0.5, 1.5, 3]);
    expect(Array.from(cumulative([1, 2], [1, 2]))).toEqual([1, 5]);
    expect(indexAtTime([10, 18, 18.0138, 25], 18)).toBe(1);
    expect(indexAtTime([10, 11], 5)).toBe(-1);
  });
});
