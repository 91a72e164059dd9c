export * from './van-genuchten.js';
export * from './grid1d.js';
