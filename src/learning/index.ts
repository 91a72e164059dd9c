/**
 * Learning (papers 001, 003; LEARNING.md): histogram random forests with OOB error, permutation
 * importance and per-tree predictions; gradient-boosted trees and a linear model on the same
 * features; a CV-RMSE-weighted ensemble; k-fold and stratified split validation; Coulston
 * prediction intervals (001 Eqs 9–10); versioned model documents. Pure: no files, no workers
 * (runners are injected), so it runs in worker threads and browsers. See docs/LEARNING.md.
 */
export * from './binning.js';
export * from './tree.js';
export * from './forest.js';
export * from './gbt.js';
export * from './linear.js';
export * from './metrics.js';
export * from './intervals.js';
export * from './model.js';
export * from './model-file.js';
export * from './tasks.js';
export * from './map-tile.js';
