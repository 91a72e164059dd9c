export * from './types.js';
export * from './fd-jacobian.js';
export * from './rodas4.js';
export * from './rk4.js';
