export * from './van-genuchten.js';
