/**
 * Profile carbon accounting (papers 001 and 003): radiocarbon conversions, curves and models, age
 * inversion; I_root / I_bulk / I_loss by layer with Monte Carlo; SOC density, β depth functions;
 * the equal-area spline; readers for ISRaD-style and tidy layer tables. See docs/PROFILE.md.
 */
export * from './radiocarbon/index.js';
export * from './warnings.js';
export * from './stats.js';
export * from './params.js';
export * from './spline.js';
export * from './harmonise.js';
export * from './depth.js';
export * from './inputs.js';
export * from './layers.js';
export * from './ages.js';
export * from './depth-run.js';
export * from './budget.js';
export * from './plausibility.js';
