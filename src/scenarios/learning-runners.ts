import { taskModule, type WorkerPool } from '../engine/pool.js';
import type { GrowRunner, GrowTask, TauResampleTask, TauRunner, TreeArrays } from '../learning/index.js';
import { growForestTrees as growInThread, tauResample as tauInThread } from '../learning/index.js';

/** URL of the learning task module (workers import it). */
export const LEARNING_TASKS = taskModule(import.meta.url, '../learning/tasks');

/** Runners that grow trees and τ resamples in a worker pool (results identical to in-thread runs). */
export function poolRunners(pool: WorkerPool): { growRunner: GrowRunner; tauRunner: TauRunner; shared: boolean } {
  if (pool.concurrency === 0) return { growRunner: async (t) => t.map((x) => growInThread(x)), tauRunner: async (t) => t.map(tauInThread), shared: false };
  return {
    growRunner: (tasks: GrowTask[]) => pool.map<GrowTask, TreeArrays[]>({ module: LEARNING_TASKS, name: 'growTreesTask' }, tasks),
    tauRunner: (tasks: TauResampleTask[]) => pool.map<TauResampleTask, Float64Array>({ module: LEARNING_TASKS, name: 'tauResampleTask' }, tasks),
    shared: true,
  };
}

