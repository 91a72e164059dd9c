export * from './csr.js';
export * from './precond.js';
export * from './krylov.js';
export * from './two-level.js';
