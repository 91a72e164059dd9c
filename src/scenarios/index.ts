export * from './load.js';
export * from './registry.js';
export * from './run.js';
