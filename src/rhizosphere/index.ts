export * from './parameters.js';
export * from './parameter-sets.js';
export * from './kinetics.js';
export * from './perirhizal.js';
export * from './forcing.js';
export * from './constraints.js';
export * from './well-mixed.js';
