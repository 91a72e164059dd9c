/**
 * rhizocarb library entry point: a designed public API, one namespace per module (docs/API.md).
 * Importing it installs the Node reader of the package's data/ for the models (io/paths.ts).
 */
export * as core from './api/core.js';
export * as numerics from './api/numerics.js';
export * as soil from './api/soil.js';
export * as rhizosphere from './api/rhizosphere.js';
export * as plant from './api/plant.js';
export * as profile from './api/profile.js';
export * as learning from './api/learning.js';
export * as pedon from './api/pedon.js';
export * as io from './api/io.js';
export * as scenarios from './api/scenarios.js';
export * as benchmarks from './api/benchmarks.js';
export * as sweeps from './api/sweeps.js';
export { runScenario, loadScenarioFile, validateScenario, resolveScenario, scenarioHash } from './scenarios/index.js';
export { runSweep } from './sweeps/run.js';
export type { RunResult, RunScenarioOptions, ResolvedScenario } from './scenarios/index.js';
