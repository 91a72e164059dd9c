/** Public API, namespace `sweeps`: sweeps over scenarios (local and Redis engines), the result store, the run catalogue (docs/SWEEPS.md). Listed in docs/API.md (a test compares). */
export { runSweep, openEngine } from '../sweeps/run.js';
export { loadSweepFile, sweepFromObject, expandSweep, taskHash, sweepSchema, SWEEP_CONFIRM_TASKS, SWEEP_MAX_TASKS } from '../scenarios/sweep.js';
export { FolderStore, openStore } from '../sweeps/store.js';
export { LocalEngine } from '../sweeps/local.js';
export { runWorker } from '../sweeps/worker.js';
export { CATALOGUE_FILE, catalogueFileFor, recordRun, syncCatalogue, withCatalogue, queryRows } from '../sweeps/catalogue.js';
export type { RunSweepOptions, SweepRunResult, SweepProgress, SweepTaskState } from '../sweeps/run.js';
export type { Sweep, SweepTaskSpec, LoadSweepOptions } from '../scenarios/sweep.js';
export type { ResultStore, TaskFailure } from '../sweeps/store.js';
export type { SweepEngine, EngineContext } from '../sweeps/engine.js';
export type { SweepTaskArgs, SweepTaskResult } from '../sweeps/task.js';
export type { CatalogueRow } from '../sweeps/catalogue.js';
