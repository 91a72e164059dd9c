export * from './tridiagonal.js';
export * from './banded.js';
export * from './sparsity.js';
export * from './tree.js';
export * from './low-rank.js';
export * from './dense.js';
export * from './block-tridiagonal.js';
