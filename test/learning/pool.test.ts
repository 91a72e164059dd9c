import { describe, expect, it } from 'vitest';
import { WorkerPool, taskModule } from '../../src/engine/pool.js';
import { trainForest, type TrainingData } from '../../src/learning/index.js';
import { poolRunners } from '../../src/scenarios/learning-runners.js';
import { SeededRng } from '../../src/numerics/random.js';

function friedman(n: number, seed: number): TrainingData {
  const rng = new SeededRng(seed);
  const cols = Array.from({ length: 6 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.uniform();
    y[i] = 10 * Math.sin(Math.PI * cols[0][i] * cols[1][i]) + 20 * (cols[2][i] - 0.5) ** 2 + 10 * cols[3][i] + 5 * cols[4][i] + rng.normal();
  }
  return { features: cols.map((_, j) => ({ name: `x${j}`, kind: 'numeric' as const })), columns: cols, y };
}

describe('worker pool (engine)', () => {
  it('same seed → identical forest in this thread, with 1 and with 2 workers', async () => {
    const data = friedman(2000, 3);
    const params = { trees: 24, seed: 11 };
    const ref = await trainForest(data, params);
    const fingerprints: string[] = [];
    for (const workers of [1, 2]) {
      const pool = new WorkerPool({ concurrency: workers });
      try {
        const r = poolRunners(pool);
        const f = await trainForest(data, params, { runner: r.growRunner, shared: r.shared, chunk: 5 });
        expect(Array.from(f.forest.trees.value)).toEqual(Array.from(ref.forest.trees.value));
        expect(Array.from(f.forest.trees.left)).toEqual(Array.from(ref.forest.trees.left));
        expect(Array.from(f.forest.trees.feature)).toEqual(Array.from(ref.forest.trees.feature));
        fingerprints.push(`${workers} worker(s): ${f.forest.trees.value.length} nodes, Σ leaf values ${f.forest.trees.value.reduce((a, b) => a + b, 0)}`);
      } finally {
        await pool.close();
      }
    }
    console.log(`in-thread ${ref.forest.trees.value.length} nodes; ${fingerprints.join('; ')}`);
  });

  it('captures per-task errors, reports progress, and cancels by AbortSignal', async () => {
    const pool = new WorkerPool({ concurrency: 2 });
    const mod = taskModule(import.meta.url, '../fixtures/pool-tasks');
    try {
      const seen: number[] = [];
      const out = await pool.runAll<number, number>({ module: mod, name: 'squareOrFail' }, [1, 2, -1, 4], { onProgress: (d) => seen.push(d) });
      expect(out.map((o) => (o.ok ? o.value : o.error.message))).toEqual([1, 4, 'negative input -1', 16]);
      expect(seen).toEqual([1, 2, 3, 4]);
      const ac = new AbortController();
      const started = pool.runAll<number, number>({ module: mod, name: 'sleep' }, [200, 200, 200, 200, 200, 200], { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await expect(started).rejects.toThrow(/abort/i);
    } finally {
      await pool.close();
    }
  });
});
