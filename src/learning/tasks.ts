import { growForestTrees, predictEncoded, type Forest, type GrowTask } from './forest.js';
import { tauResample, type TauResampleTask } from './intervals.js';
import type { TreeArrays } from './tree.js';

/**
 * The units of work that worker pools run (engine/pool.ts loads this module in each worker and
 * calls these by name). Pure functions of plain data: typed arrays in SharedArrayBuffers cross
 * threads without copies.
 */
export function growTreesTask(task: GrowTask): TreeArrays[] {
  return growForestTrees(task);
}

export function tauResampleTask(task: TauResampleTask): Float64Array {
  return tauResample(task);
}

export interface PredictCellsTask {
  readonly forest: Forest;
  /** Encoded feature columns of the cells (see encodeColumns). */
  readonly X: Float64Array[];
  readonly n: number;
}

/** Forest mean and tree sd (model scale) for a block of cells. */
export function predictCellsTask(task: PredictCellsTask): { mean: Float64Array; sd: Float64Array } {
  const p = predictEncoded(task.forest, task.X, task.n);
  return { mean: p.mean, sd: p.sd };
}

export { mapTile as mapTileTask } from './map-tile.js';
