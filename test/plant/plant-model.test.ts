import { describe, expect, it } from 'vitest';
import { dataPath } from '../../src/io/paths.js';
import { CARBON_PARAMS, HYDRAULIC_PARAMS, LEAF_PARAMS, paramDefaults } from '../../src/plant/plant-params.js';
import { PlantModel, segmentGeometry } from '../../src/plant/plant-model.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import { parsePlantXml } from '../../src/plant/xml-params.js';
import { readTextFile } from '../../src/io/files.js';
import { SOILS } from '../../src/soil/van-genuchten.js';
import { ORGAN_ROOT } from '../../src/plant/segments.js';
import { wheatPlant } from '../helpers/wheat.js';

function wheat(): PlantModel {
  return wheatPlant(10);
}

describe('plant model: wheat of 004 in prescribed soil (one day, 20-min steps)', () => {
  it('carbon closes (assimilation = respiration + growth + exudation + mucilage + Δstorage) ≤ 1e-9 each step and in total; uptake = transpiration ≤ 1e-8 each step', () => {
    const m = wheat();
    const cap = 20000;
    const soil = { psi_cm: new Float64Array(cap).fill(-100), cL_molC_per_cm3_water: new Float64Array(cap).fill(5e-6) };
    const dt = 1 / 72;
    let worstC = 0;
    let worstW = 0;
    let dayMin = 0;
    let nightMax = -Infinity;
    for (let i = 0; i < 72; i++) {
      const w = weatherAt(m.time_d + dt / 2, BASELINE_WEATHER);
      const r = m.step(dt, w, soil);
      expect(r.xylemConverged).toBe(true);
      worstC = Math.max(worstC, r.budget.carbonRelativeError);
      worstW = Math.max(worstW, r.budget.waterRelativeError);
      if (w.par_umol_m2_s > 0) dayMin = Math.min(dayMin, m.psi_cm[0]);
      else nightMax = Math.max(nightMax, m.psi_cm[0]);
      // Coupling outputs: per root segment water release sums to − transpiration (closed plant, no storage).
      const rel = m.waterRelease();
      const release = rel.reduce((a, b) => a + b, 0);
      expect(Math.abs(release + r.budget.transpiration_cm3 / dt) / Math.max(r.budget.transpiration_cm3 / dt, 1e-6)).toBeLessThan(1e-8);
    }
    const c = m.cumulative;
    const storage = m.storage() - m.initialStorage_molC;
    const total = c.assimilation_molC - c.maintenance_molC - c.growthRespiration_molC - c.structuralGrowth_molC - c.exudation_molC - c.mucilage_molC - storage;
    console.log(`one day: worst step carbon ${worstC.toExponential(2)}, total ${(Math.abs(total) / c.assimilation_molC).toExponential(2)}; worst step water ${worstW.toExponential(2)}; collar ψ day min ${dayMin.toFixed(0)} cm, night max ${nightMax.toFixed(0)} cm`);
    expect(worstC).toBeLessThan(1e-9);
    expect(Math.abs(total) / c.assimilation_molC).toBeLessThan(1e-9);
    expect(worstW).toBeLessThan(1e-8);
    expect(Math.abs(c.rootUptake_cm3 - c.transpiration_cm3) / c.transpiration_cm3).toBeLessThan(1e-9);
    // Diurnal xylem head: stomata open by day pull the xylem far below the night value.
    expect(dayMin).toBeLessThan(nightMax - 1000);
  });

  it('segment geometry for coupling: consistent endpoints, lengths and growing tips that are last segments of roots', () => {
    const m = wheat();
    const g = segmentGeometry(m);
    for (let s = 0; s < g.count; s++) {
      const l = Math.hypot(g.x1[s] - g.x0[s], g.y1[s] - g.y0[s], g.z1[s] - g.z0[s]);
      expect(Math.abs(l - g.length_cm[s])).toBeLessThan(1e-12);
      if (g.parentSegment[s] >= 0) {
        const p = g.parentSegment[s];
        expect(g.x1[p]).toBe(g.x0[s]);
        expect(g.z1[p]).toBe(g.z0[s]);
      }
    }
    const soil = { psi_cm: new Float64Array(20000).fill(-100), cL_molC_per_cm3_water: new Float64Array(20000).fill(5e-6) };
    const r = m.step(1 / 72, weatherAt(10.01, BASELINE_WEATHER), soil);
    const g2 = segmentGeometry(m);
    let tips = 0;
    for (let s = 0; s < g2.count; s++) {
      if (!g2.growingTip[s]) {
        expect(r.exudation_molC_per_d[s]).toBe(0);
        continue;
      }
      tips++;
      // A tip of the step: a root segment whose distal node was its organ's tip when the step began
      // (the organ may have laid down new segments since).
      expect(g2.organType[s]).toBe(2);
      const organ = m.arch.organs[g2.organ[s]];
      expect(organ.kind).toBe('root');
      expect(organ.nodes.indexOf(s + 1)).toBeGreaterThan(0);
    }
    expect(tips).toBeGreaterThan(10);
    expect(r.newSegments.every((e) => e.segment < m.arch.net.segmentCount)).toBe(true);
  });
});

describe('plant water solve: the whole-plant water imbalance (Σ root uptake − transpiration)', () => {
  it('warm-started solves in drying soil (day-3.5 wheat, ψ_rsi −450 → −6000 cm, noon): |imbalance| ≤ 1e-10 of transpiration in every solve (the per-node Newton test alone left 3.0e-8)', () => {
    const m = wheatPlant(3.5);
    const cap = 20000;
    const psi = new Float64Array(cap);
    const soil = { psi_cm: psi, cL_molC_per_cm3_water: new Float64Array(cap).fill(5e-6) };
    const w = weatherAt(3.5, BASELINE_WEATHER);
    const net = m.arch.net;
    let worst = 0;
    let solves = 0;
    for (let k = 0; k <= 40; k++) {
      // Soil drying at the root surface, varying along the roots: each solve is warm-started from the last.
      for (let s = 0; s < cap; s++) psi[s] = -450 - 140 * k - 50 * Math.sin(s + k);
      const r = m.solveWater(w, soil);
      expect(r.converged).toBe(true);
      let uptake = 0;
      for (let s = 0; s < net.segmentCount; s++) if (net.organType[s] === ORGAN_ROOT) uptake -= m.radialOut_cm3_per_d[s];
      worst = Math.max(worst, Math.abs(uptake - r.transpiration_cm3_per_d) / r.transpiration_cm3_per_d);
      solves++;
    }
    console.log(`plant water solves in drying soil: worst |Σ uptake − transpiration| / transpiration ${worst.toExponential(2)} over ${solves} solves`);
    expect(worst).toBeLessThan(1e-10);
  });
});
