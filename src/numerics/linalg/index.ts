export * from './tridiagonal.js';
export * from './banded.js';
export * from './sparsity.js';
