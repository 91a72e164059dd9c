export * from './van-genuchten.js';
export * from './grid1d.js';
export * from './darcy.js';
export * from './mol-transport.js';
