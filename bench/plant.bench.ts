import { performance } from 'node:perf_hooks';
import { dataPath } from '../src/io/paths.js';
import { CARBON_PARAMS, HYDRAULIC_PARAMS, LEAF_PARAMS, paramDefaults } from '../src/plant/plant-params.js';
import { PlantModel } from '../src/plant/plant-model.js';
import { SegmentNetwork } from '../src/plant/segments.js';
import { BASELINE_WEATHER, weatherAt } from '../src/plant/weather.js';
import { parsePlantXml } from '../src/plant/xml-params.js';
import { readTextFile } from '../src/io/files.js';
import { XylemSolver } from '../src/plant/xylem.js';
import { SOILS } from '../src/soil/van-genuchten.js';
import { timeIt, type BenchResult, type BenchSuite } from './harness.js';

/** A random branched root network of n nodes (each node attaches to a random earlier one, 1 cm segments). */
function randomNetwork(n: number): SegmentNetwork {
  let seed = 5;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n), parent = new Int32Array(n);
  parent[0] = -1;
  for (let k = 1; k < n; k++) {
    const p = Math.max(0, k - 1 - Math.floor(rnd() * rnd() * 50));
    parent[k] = p;
    const a = 2 * Math.PI * rnd();
    x[k] = x[p] + 0.3 * Math.cos(a);
    y[k] = y[p] + 0.3 * Math.sin(a);
    z[k] = z[p] - 0.9;
  }
  return SegmentNetwork.fromArrays(x, y, z, parent, new Float64Array(n - 1).fill(0.03));
}

/**
 * Plant: (1) the xylem solve per segment for growing random networks (O(n) check: segments/s should not
 * fall with n); (2) whole plant steps (xylem + stomata + sieve tubes + growth) for the wheat at the
 * sizes of days 10, 15 and 20 of potential growth, as steps/s and segment-steps/s, with ratios to day 10.
 */
export const plantSuite: BenchSuite = {
  name: 'plant',
  async run() {
    const out: BenchResult[] = [];
    const solver = new XylemSolver();
    let base = 0;
    for (const n of [1_000, 10_000, 100_000]) {
      const net = randomNetwork(n);
      const ns = n - 1;
      const kx = new Float64Array(ns).fill(0.05), g = new Float64Array(ns).fill(2e-5), psiO = new Float64Array(ns).fill(-300);
      const psi = new Float64Array(n).fill(-300), rad = new Float64Array(ns);
      const t = timeIt(() => {
        psi.fill(-300);
        solver.solve(net, { kx_cm3_per_d: kx, gUptake_cm_per_d: g, gRelease_cm_per_d: g, psiOuter_cm: psiO }, null, psi, rad, { collarHead_cm: -5000 });
      }, 0.3);
      const rate = ns / t;
      if (n === 1_000) base = rate;
      out.push({ name: `xylem solve (tree elimination), ${n} nodes`, value: rate, unit: 'segments/s', ratio: rate / base, baseline: '1000 nodes', note: `${(t * 1e3).toFixed(2)} ms per solve` });
    }
    const plant = parsePlantXml(readTextFile(dataPath('plant/Triticum_aestivum_test_2021_1cm.xml')), dataPath('plant/Triticum_aestivum_test_2021_1cm.xml'));
    let stepBase = 0;
    let segBase = 0;
    for (const day of [10, 15, 20]) {
      const m = new PlantModel({ plant, seed: 1, leaf: paramDefaults(LEAF_PARAMS), hydraulics: paramDefaults(HYDRAULIC_PARAMS), carbon: paramDefaults(CARBON_PARAMS), soil: SOILS.loam, interfaceDistance_cm: 0.01, structuralUntil_d: day });
      const cap = 4 * m.arch.net.nodeCount + 1000;
      const soil = { psi_cm: new Float64Array(cap).fill(-100), cL_molC_per_cm3_water: new Float64Array(cap).fill(5e-6) };
      const dt = 1 / 72;
      const steps = 36; // half a day: night and morning
      const segs = m.arch.net.segmentCount;
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) m.step(dt, weatherAt(m.time_d + dt / 2, BASELINE_WEATHER), soil);
      const sec = (performance.now() - t0) / 1000;
      const rate = steps / sec;
      const segRate = (steps * segs) / sec;
      if (day === 10) {
        stepBase = rate;
        segBase = segRate;
      }
      out.push({ name: `plant step (water+carbon+growth), ${segs} segments (day ${day})`, value: rate, unit: 'steps/s', ratio: rate / stepBase, baseline: 'day-10 plant', note: `${(sec / steps * 1e3).toFixed(1)} ms/step` });
      out.push({ name: `plant step, segment throughput (day ${day})`, value: segRate, unit: 'segment-steps/s', ratio: segRate / segBase, baseline: 'day-10 plant' });
    }
    return out;
  },
};
