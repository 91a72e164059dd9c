/** rhizocarb library entry point: the models and numerics, without the CLI. */
export * as core from './core/index.js';
export * as numerics from './numerics/index.js';
export * as soil from './soil/index.js';
export * as rhizosphere from './rhizosphere/index.js';
export * as profile from './profile/index.js';
export * as plant from './plant/index.js';
export * as pedon from './pedon/index.js';
