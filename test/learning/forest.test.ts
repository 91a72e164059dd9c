import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fitBins,
  fitModel,
  modelFromDocument,
  modelToDocument,
  oobPredictions,
  permutationImportance,
  predictBoosted,
  predictForest,
  predictLinear,
  predictModel,
  regressionMetrics,
  stratifiedSplit,
  kFoldAssignment,
  trainBoosted,
  trainForestSync,
  trainLinear,
  numericCode,
  type TrainingData,
} from '../../src/learning/index.js';
import { SeededRng } from '../../src/numerics/random.js';

function friedman(n: number, seed: number, noise = 1): TrainingData {
  const rng = new SeededRng(seed);
  const cols = Array.from({ length: 10 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.uniform();
    y[i] = 10 * Math.sin(Math.PI * cols[0][i] * cols[1][i]) + 20 * (cols[2][i] - 0.5) ** 2 + 10 * cols[3][i] + 5 * cols[4][i] + noise * rng.normal();
  }
  return { features: cols.map((_, j) => ({ name: `x${j}`, kind: 'numeric' as const })), columns: cols, y };
}

describe('histogram random forest', () => {
  it('bins: code(x) ≤ b exactly when x ≤ threshold b, at most 256 bins', () => {
    const rng = new SeededRng(1);
    const x = Float64Array.from({ length: 5000 }, () => rng.normal());
    const [b] = fitBins([{ name: 'x', kind: 'numeric' }], [x]);
    expect(b.thresholds.length).toBeLessThanOrEqual(255);
    expect(b.thresholds.length).toBeGreaterThan(200);
    let bad = 0;
    for (const v of x) {
      const c = numericCode(b.thresholds, v);
      if (c > 0 && !(v > b.thresholds[c - 1])) bad++;
      if (c < b.thresholds.length && !(v <= b.thresholds[c])) bad++;
    }
    expect(bad).toBe(0);
  });

  it('recovers a noiseless step function exactly (numeric and categorical steps)', () => {
    // x on a grid of 1e-3 (3 rows per value): bootstrap gaps near the edges stay far below 0.01.
    const n = 3000;
    const rng = new SeededRng(5);
    const x = Float64Array.from({ length: n }, (_, i) => ((i % 1000) + 0.5) / 1000);
    const cat = Float64Array.from({ length: n }, () => 1 + rng.below(6));
    const noise = Float64Array.from({ length: n }, () => rng.uniform());
    const step = (xi: number, c: number) => (xi < 0.3 ? 1 : xi < 0.7 ? 4 : 2) + (c === 2 || c === 5 ? 10 : 0);
    const y = Float64Array.from(x, (xi, i) => step(xi, cat[i]));
    const data: TrainingData = { features: [{ name: 'x', kind: 'numeric' }, { name: 'c', kind: 'categorical' }, { name: 'noise', kind: 'numeric' }], columns: [x, cat, noise], y };
    const { forest } = trainForestSync(data, { trees: 50, seed: 3, mtry: 3, minNodeSize: 1 });
    const m = 1000;
    const tx = Float64Array.from({ length: m }, (_, i) => (i + 0.5) / m);
    const tc = Float64Array.from({ length: m }, (_, i) => 1 + (i % 6));
    const tn = Float64Array.from({ length: m }, () => rng.uniform());
    const p = predictForest(forest, [tx, tc, tn]);
    let maxErr = 0;
    let wrong = 0;
    for (let i = 0; i < m; i++) {
      const e = Math.abs(p.mean[i] - step(tx[i], tc[i]));
      // Cells within one training gap of a step may fall on either side of the learned edge.
      const nearEdge = Math.abs(tx[i] - 0.3) < 0.01 || Math.abs(tx[i] - 0.7) < 0.01;
      if (!nearEdge) maxErr = Math.max(maxErr, e);
      if (e > 1e-9) wrong++;
    }
    console.log(`step function: max |error| away from the two edges ${maxErr.toExponential(2)}; ${wrong}/${m} test points off (all within 0.01 of an edge)`);
    expect(maxErr).toBeLessThan(1e-12);
    expect(wrong).toBeLessThan(0.03 * m);
  });

  it('OOB error ≈ held-out error on synthetic data (Friedman #1, n = 3000)', () => {
    const train = friedman(3000, 11);
    const test = friedman(3000, 12);
    const t = trainForestSync(train, { trees: 150, seed: 7 });
    const oob = regressionMetrics(train.y, oobPredictions(t.forest, t.binned).mean);
    const held = regressionMetrics(test.y, predictForest(t.forest, test.columns).mean);
    console.log(`OOB RMSE ${oob.rmse.toFixed(4)} (R² ${oob.r2.toFixed(4)}), held-out RMSE ${held.rmse.toFixed(4)} (R² ${held.r2.toFixed(4)}), ratio ${(oob.rmse / held.rmse).toFixed(4)}`);
    expect(Math.abs(oob.rmse / held.rmse - 1)).toBeLessThan(0.05);
    const imp = permutationImportance(t.forest, t.binned, train.y, 1);
    console.log(`permutation importance x0..x9: ${Array.from(imp, (v) => v.toFixed(2)).join(', ')}`);
    // x0..x4 carry the signal, x5..x9 are noise.
    expect(Math.min(...imp.slice(0, 5))).toBeGreaterThan(5 * Math.max(...imp.slice(5)));
  });

  it('same seed → identical forest; different seed → different forest; per-tree predictions average to the mean', () => {
    const d = friedman(800, 2);
    const a = trainForestSync(d, { trees: 20, seed: 9 }).forest;
    const b = trainForestSync(d, { trees: 20, seed: 9 }).forest;
    const c = trainForestSync(d, { trees: 20, seed: 10 }).forest;
    expect(Array.from(a.trees.value)).toEqual(Array.from(b.trees.value));
    expect(Array.from(a.trees.value)).not.toEqual(Array.from(c.trees.value));
    const p = predictForest(a, d.columns.map((col) => col.subarray(0, 50)), { perTree: true });
    let maxd = 0;
    for (let i = 0; i < 50; i++) {
      let s = 0;
      for (let t = 0; t < 20; t++) s += p.perTree![t * 50 + i];
      maxd = Math.max(maxd, Math.abs(s / 20 - p.mean[i]));
    }
    expect(maxd).toBeLessThan(1e-12);
  });

  it('gradient-boosted trees and the linear model learn Friedman #1 (test R² printed)', () => {
    const train = friedman(3000, 21);
    const test = friedman(2000, 22);
    const g = regressionMetrics(test.y, predictBoosted(trainBoosted(train, { rounds: 200, learningRate: 0.1 }), test.columns));
    const l = regressionMetrics(test.y, predictLinear(trainLinear(train), test.columns));
    console.log(`test R²: boosted trees ${g.r2.toFixed(4)}, linear model ${l.r2.toFixed(4)} (the sin and square terms are nonlinear)`);
    expect(g.r2).toBeGreaterThan(0.85);
    expect(l.r2).toBeGreaterThan(0.65);
    expect(l.r2).toBeLessThan(0.8);
  });

  it('k-fold assignment balances folds; stratified split keeps 80 % of each quantile group', () => {
    const f = kFoldAssignment(103, 10, 1);
    const sizes = Array.from({ length: 10 }, (_, k) => f.filter((v) => v === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const y = Float64Array.from({ length: 200 }, (_, i) => i);
    const s = stratifiedSplit(y, 0.8, 3);
    for (let g = 0; g < 5; g++) expect(s.slice(g * 40, (g + 1) * 40).reduce((a, b) => a + b, 0)).toBe(32);
  });
});

describe('model files', () => {
  it('round-trip: a saved and reloaded model predicts identically; other versions fail clearly', async () => {
    const d = friedman(300, 4);
    const model = await fitModel(d, { name: 'y', unit: 'u', transform: 'none' }, { forest: { trees: 30 }, intervals: { resamples: 5 }, ensemble: true, ensembleFolds: 3 });
    const doc = JSON.parse(JSON.stringify(modelToDocument(model)));
    const back = modelFromDocument(doc, 'm.json');
    const a = predictModel(model, d.columns);
    const b = predictModel(back, d.columns);
    expect(Array.from(b.prediction)).toEqual(Array.from(a.prediction));
    expect(Array.from(b.upper)).toEqual(Array.from(a.upper));
    expect(Array.from(b.ensemble!)).toEqual(Array.from(a.ensemble!));
    expect(() => modelFromDocument({ ...doc, formatVersion: 2 }, 'new.json')).toThrow(/new.json: model format version 2 is newer than this rhizocarb reads \(supported: 1; upgrade rhizocarb\)/);
    expect(() => modelFromDocument({ ...doc, formatVersion: 0 }, 'old.json')).toThrow(/old.json: model format version 0 is no longer supported/);
    expect(() => modelFromDocument({ hello: 1 }, 'x.json')).toThrow(/not a rhizocarb model file/);
  });

  it('a committed version-1 model file still loads and predicts what it predicted when saved', () => {
    const doc = JSON.parse(readFileSync(new URL('../fixtures/learning/model-v1.json', import.meta.url), 'utf8'));
    const m = modelFromDocument(doc, 'model-v1.json');
    const cols = doc.meta.check.columns as number[][];
    const p = predictModel(m, cols.map((c) => Float64Array.from(c)));
    expect(Array.from(p.prediction)).toEqual(doc.meta.check.prediction);
  });
});
