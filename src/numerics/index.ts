/** Numerics: no soil, plant or carbon knowledge lives here. */
export * from './linalg/index.js';
export * from './ode/index.js';
export * from './newton.js';
export * from './roots1d.js';
export * from './sparse/index.js';
export * from './random.js';
export * from './interpolate.js';
export * from './draw-summary.js';
