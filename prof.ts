import { PerirhizalBatch, namedSet } from './src/rhizosphere/index.js';
import { SOILS } from './src/soil/index.js';
const cells = Number(process.argv[2] ?? 9);
const b = new PerirhizalBatch([{ rIn_cm: 0.02, rOut_cm: 0.6, length_cm: 1 }], -100, { soil: SOILS.loam, params: namedSet('highCO2'), cells });
const t0 = performance.now();
for (let k = 0; k < 144; k++) {
  const day = (k / 72) % 1;
  const s = day > 0.25 && day < 0.75 ? Math.sin(Math.PI * (day - 0.25) / 0.5) : 0;
  b.exudation_molC_per_cm2_d[0] = 1.5e-4 * s; b.waterUptake_cm_per_d[0] = 0.05;
  b.advance(1 / 72);
}
const w = (performance.now() - t0) / 1000;
console.log(cells, 'wall', w.toFixed(2), 'steps', b.stats.steps, 'us/step', (w / b.stats.steps * 1e6).toFixed(0), 'rhs/step', (b.stats.rhsEvaluations / b.stats.steps).toFixed(1));
