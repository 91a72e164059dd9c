import { describe, expect, it } from 'vitest';
import { dataPath } from '../../src/io/paths.js';
import { describeSkipped, readTrainingTable } from '../../src/io/training-table.js';
import { validateModel, type FeatureSpec } from '../../src/learning/index.js';

const FEATURES = ['mat_degC', 'map_mm', 'elevation_m', 'soil_order', 'biome4'];
const specs: FeatureSpec[] = FEATURES.map((name) => ({ name, kind: name === 'soil_order' || name === 'biome4' ? 'categorical' : 'numeric' }));

/**
 * 10-fold CV on the shipped ForC plots (forest-only, 10′ covariates: see docs/LEARNING.md), with
 * the Coulston 95 % intervals (τ̂ from resamples of each fold's training part) checked on the
 * held-out folds. Small forests here to keep the test short; docs/LEARNING.md lists the numbers
 * with 500 trees and repeats (`rhizocarb learn cv … --repeats 5`).
 */
describe('ForC I_root and f_BNPP: 10-fold CV with 95 % interval coverage', () => {
  for (const [target, log] of [['I_root', true], ['f_BNPP', false]] as const) {
    it(`${target}${log ? ' (log)' : ''}`, async () => {
      const t = readTrainingTable(dataPath('mapping/training/forc_plots_Iroot_fBNPP.csv'), { target, features: FEATURES, categorical: ['soil_order', 'biome4'], log });
      const v = await validateModel({ features: specs, columns: t.columns, y: t.y }, { name: target, transform: log ? 'log' : 'none' }, {
        scheme: 'kfold', folds: 10, trainFraction: 0.8, repeats: 2, seed: 1, forest: { trees: 100 }, intervals: { resamples: 20 },
      });
      const m = v.metrics;
      console.log(`${target}${log ? ' (ln)' : ''}: ${describeSkipped(t.y.length, t.skipped)}; 10-fold CV × 2: R² ${m.r2.toFixed(3)}, RMSE ${m.rmse.toPrecision(4)}, MAE ${m.mae.toPrecision(4)}, bias ${m.bias.toPrecision(3)}; 95 % coverage ${(100 * v.coverage['0.95']).toFixed(1)} % (per repeat ${v.perRepeat.map((r) => (100 * r.coverage['0.95']).toFixed(1)).join(', ')} %)`);
      expect(t.y.length).toBeGreaterThan(270);
      expect(m.r2).toBeGreaterThan(0.2);
      // 283 held-out sites: one binomial standard error of a 95 % coverage is 1.3 points.
      expect(v.coverage['0.95']).toBeGreaterThan(0.9);
      expect(v.coverage['0.95']).toBeLessThan(0.99);
    });
  }
});
