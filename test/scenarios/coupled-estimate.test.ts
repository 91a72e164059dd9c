import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlantArchitecture } from '../../src/plant/architecture.js';
import { parsePlantXml } from '../../src/plant/index.js';
import { ORGAN_ROOT } from '../../src/plant/segments.js';
import { coupledWorkFraction, meanWheatRootSegments, SPELL_STEP_WORK_FACTOR, wheatRootSegments } from '../../src/scenarios/coupled.js';

/**
 * The coupled kind's work estimate and per-run work fraction: the wheat's root segment curve against
 * the plant model itself, its mean by hand, and the fraction of a two-step run by hand.
 */
describe('coupled work estimate', () => {
  it('the segment table is the shipped wheat under potential growth (counted again to day 10)', () => {
    const f = 'data/plant/Triticum_aestivum_test_2021_1cm.xml';
    const a = new PlantArchitecture(parsePlantXml(readFileSync(f, 'utf8'), f), { seed: 1 });
    const t0 = process.cpuUsage();
    for (const d of [3.5, 5, 10]) {
      while (a.time_d < d - 1e-12) a.growPotential(Math.min(1 / 72, d - a.time_d));
      let roots = 0;
      for (let k = 1; k < a.net.nodeCount; k++) if (a.net.organType[k] === ORGAN_ROOT) roots++;
      console.log(`wheat day ${d}: ${roots} root segments (table ${wheatRootSegments(d)})`);
      // day 3.5 lies between the knots 3 (26) and 4 (37): the table interpolates 31.5, the plant has 32
      expect(Math.abs(wheatRootSegments(d) - roots)).toBeLessThanOrEqual(d === 3.5 ? 0.5 : 0);
    }
    const u = process.cpuUsage(t0);
    console.log(`grown in ${((u.user + u.system) / 1e6).toFixed(2)} core-s`);
  });

  it('mean over days 10 → 25 is the trapezoid over the daily counts (5,420.23 by hand; the old 55 × mean age: 962)', () => {
    expect(Math.abs(meanWheatRootSegments(10, 25) - 5420.233333333334)).toBeLessThan(1e-9);
    expect(meanWheatRootSegments(10, 11)).toBe(661); // (550 + 772) / 2
    expect(wheatRootSegments(32)).toBe(25044 + (2 * (25044 - 20570)) / 2); // last slope beyond day 30
  });

  it('work fraction: the remaining steps scaled by the growth curve, spell steps × 20', () => {
    // step 1 of 2 done at day 10 with 550 models, no voxels: done 600·550, rest 600·550·772/550 → 330000/793200
    expect(Math.abs(coupledWorkFraction(330000, 1, 2, 10, 1, 0, 550) - 0.41603630862329805)).toBeLessThan(1e-15);
    expect(SPELL_STEP_WORK_FACTOR).toBe(20);
    expect(Math.abs(coupledWorkFraction(330000, 1, 2, 10, 1, 0, 550, () => true) - 0.03439649781113196)).toBeLessThan(1e-15);
    expect(coupledWorkFraction(5, 2, 2, 10, 1, 0, 550)).toBe(1);
  });
});
