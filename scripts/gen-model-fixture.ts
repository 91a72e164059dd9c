/**
 * Writes test/fixtures/learning/model-v1.json: a small model in format version 1 with the
 * predictions it made when written. The test checks that later code still loads it and predicts
 * the same (a compatibility fixture; regenerate only when the format version changes, and keep
 * the old file as model-v<N>.json).
 */
import { writeFileSync } from 'node:fs';
import { fitModel, modelToDocument, predictModel } from '../src/learning/index.js';
import { SeededRng } from '../src/numerics/random.js';

const rng = new SeededRng(99);
const n = 120;
const x = Float64Array.from({ length: n }, () => rng.uniform() * 30);
const c = Float64Array.from({ length: n }, () => 1 + rng.below(4));
const y = Float64Array.from(x, (v, i) => Math.exp(0.05 * v + (c[i] === 3 ? 0.5 : 0) + 0.1 * rng.normal()));
const model = await fitModel({ features: [{ name: 'mat_degC', unit: 'degC', kind: 'numeric' }, { name: 'biome4', kind: 'categorical' }], columns: [x, c], y }, { name: 'I_root', unit: 'Mg C ha-1 yr-1', transform: 'log' }, { forest: { trees: 8, seed: 5 }, intervals: { resamples: 4, seed: 5 } });
const check = { columns: [[0, 5, 12.5, 29], [1, 3, 2, 9]] };
const p = predictModel(model, check.columns.map((a) => Float64Array.from(a)));
const doc = modelToDocument(model, { fixture: 'format version 1 compatibility', check: { ...check, prediction: Array.from(p.prediction) } });
writeFileSync(new URL('../test/fixtures/learning/model-v1.json', import.meta.url), JSON.stringify(doc, null, 1) + '\n');
