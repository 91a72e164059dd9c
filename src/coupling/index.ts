/**
 * Multiscale coupling of 004 (App. B, C, E, F; ../shared/spec/COUPLING.md; docs/COUPLING.md):
 * a root side, one 1D perirhizal model per below-ground root segment and the 3D reactive soil in
 * one conserving fixed-point loop.
 *
 * ## Public API (what scenario kinds call)
 *
 * ```ts
 * import { CoupledModel, PlantRootSide, StaticRootSystem } from '../coupling/index.js';
 * const model = CoupledModel.create({
 *   grid,                       // VoxelGrid (e.g. paperDomainGrid(): 3 × 12 × 40, periodic x, y)
 *   soil, params,               // VanGenuchtenMualem, BiokineticParams (a TraiRhizo set)
 *   initialHead_cm,             // number or Float64Array per voxel (hydrostaticHeads(grid, −100))
 *   root: new PlantRootSide(plant, (t) => weatherAt(t, regime))   // growing plant, carbon on
 *      // or new StaticRootSystem({ x_cm, y_cm, z_cm, parent, radius_cm, kr_per_d, kx_cm3_per_d,
 *      //        potentialTranspiration_cm3_per_d: (t) => …, collarLimit_cm })  // water only
 *      // or new PrescribedUptake(net, (segment, t) => cm³/d)   // prescribed root flux, no xylem (C1.1)
 *   soilWater: 'static' | 'dynamic',   // static = 004 outside spells (plant transpires, soil keeps water)
 *   // options: weights ('volume' | 'surface' | 'length'), cells (9), minIterates (4), maxIterates (100),
 *   // targetIterates (10), tolerances (DEFAULT_TOLERANCES), acceleration ('none' | 'aitken'),
 *   // psiAveraging ('relaxed' | 'reference' | 'none'), rtol1D (DEFAULT_RTOL_1D = 1e−6), waterLimitation,
 *   // skip1D (DEFAULT_SKIP_1D = 1e−10 | 'off': re-use 1D solves whose inputs did not change),
 *   // correct1D (DEFAULT_CORRECT_1D = 2e−9 | 'off': last solve + source change for small carbon-input changes),
 *   // stepPlans1D (default true: carry the 1D step sizes between iterates)
 * });
 * const code = model.advance(1 / 72);      // ReturnCode; one outer step (sub-steps, retries inside)
 * model.diagnostics();                     // StepDiagnostics of that step: balances, iterates per
 *                                          // sub-step, sub-steps, retries, mismatch, caps, timings
 *                                          // by part {plant, oneD, threeD, exchange} (ms), transpiration
 * model.cumulativeBalance();               // since creation
 * model.voxelFields();                     // θ, ψ and the 8 pools per voxel (+ rooted mask)
 * model.radialProfile(segment);            // one 1D model: faces, centres, θ, ψ, pools
 * model.segmentsWithModels();              // segments that have a 1D model (domain order)
 * model.segmentUptake_cm3_per_d();         // realised uptake per segment over the last step (after Eq B12)
 * model.setSoilWater('dynamic');           // switch at a spell start (with resetHydrostatic)
 * model.poolTotals(0.06);                  // macroscale, bulkSoil, perirhizalTrunc, microscale
 * model.resetHydrostatic(-450);            // spell start/end; returns the water added (cm³)
 * const s = model.saveState(); model.restoreState(s);  // plain data (typed arrays), with the root side (plant or static)
 * ```
 *
 * Step contract of every model joined here: `advance(dt_d): ReturnCode` (a duration; failures are
 * return codes, the state stays restorable), `saveState()` / `restoreState(s)` with plain-data
 * states: {@link PerirhizalBatch}, Richards3D / Richards1D (`advanceTo(t)` for absolute times),
 * Transport3D, {@link MacroscaleSoil}, {@link CoupledModel}; the plant's
 * `advance(dt_d, { weather, soil })` returns a ReturnCode and keeps its result in `lastStep`;
 * `PlantModel.saveState()` / `PlantRootSide.saveState()` are plain data too (checkpoints).
 */
export { CoupledModel, DEFAULT_CORRECT_1D, DEFAULT_RTOL_1D, DEFAULT_SKIP_1D, DEFAULT_TOLERANCES, type CoupledConfig, type CoupledState, type CouplingTolerances, type ScaleTotals, type StepDiagnostics } from './coupled-model.js';
export { PlantRootSide, PrescribedUptake, StaticRootSystem, type RootSide, type RootWaterResult, type StaticRootSystemSpec } from './root-side.js';
export { MacroscaleSoil, type MacroscaleSoilOptions, type MacroscaleState } from './macroscale.js';
export { outerRadii, voxelOfPoint, cylinderVolume, type PerirhizalWeights } from './geometry.js';
export { splitSolute, splitWater, type SplitResult } from './splits.js';
export { repartitionVoxel, type RepartitionDomain, type RepartitionLimits } from './repartition.js';
export { AitkenRelaxation } from './aitken.js';
