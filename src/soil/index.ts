export * from './van-genuchten.js';
export * from './grid1d.js';
export * from './darcy.js';
export * from './hydraulics-kernel.js';
export * from './boundary.js';
export * from './richards1d.js';
