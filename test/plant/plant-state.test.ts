import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../src/io/checkpoint.js';
import { BASELINE_WEATHER, weatherAt } from '../../src/plant/weather.js';
import type { PlantModel } from '../../src/plant/plant-model.js';
import { wheatPlant } from '../helpers/wheat.js';

/** Steps of 20 min in a prescribed soil; returns the step budgets and per-segment releases, as bytes. */
function run(m: PlantModel, steps: number): string {
  const dt = 1 / 72;
  const cap = 1 << 14;
  const soil = { psi_cm: new Float64Array(cap).fill(-150), cL_molC_per_cm3_water: new Float64Array(cap).fill(5e-6) };
  const out: unknown[] = [];
  for (let k = 0; k < steps; k++) {
    const r = m.step(dt, weatherAt(m.time_d + dt / 2, BASELINE_WEATHER), soil);
    const ns = m.arch.net.segmentCount;
    out.push(r.budget, Array.from(r.exudation_molC_per_d.subarray(0, ns)), Array.from(r.mucilage_molC_per_d.subarray(0, ns)), r.newSegments.length);
  }
  return encodeState(out).json;
}

describe('plant state (PlantModel.saveState / restoreState)', () => {
  it('a plant restored from its encoded state (checkpoint format) into a fresh model steps bit for bit as the original, through growth and new organs', () => {
    const a = wheatPlant(6);
    run(a, 30); // into the morning: assimilation, sucrose, growth
    const enc = encodeState(a.saveState());
    const segs0 = a.arch.net.segmentCount;
    const organs0 = a.arch.organs.length;
    const refSteps = run(a, 72);
    const ref = encodeState(a.saveState());

    const b = wheatPlant(6);
    b.restoreState(decodeState(enc.json, enc.bin) as ReturnType<PlantModel['saveState']>);
    const steps = run(b, 72);
    const end = encodeState(b.saveState());
    console.log(`plant state: ${enc.json.length} B JSON + ${enc.bin.length} B arrays at day ${(6 + 30 / 72).toFixed(3)}; segments ${segs0} → ${a.arch.net.segmentCount}, organs ${organs0} → ${a.arch.organs.length} over the 72 steps after the restore`);
    expect(a.arch.net.segmentCount).toBeGreaterThan(segs0);
    expect(a.arch.organs.length).toBeGreaterThan(organs0);
    expect(steps).toBe(refSteps);
    expect(end.json).toBe(ref.json);
    expect(Buffer.from(end.bin).equals(Buffer.from(ref.bin))).toBe(true);
  }, 60_000);
});
