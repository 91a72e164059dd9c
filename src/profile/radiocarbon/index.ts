/** Radiocarbon: units and conversions, atmospheric curves, one- and multi-pool models, age inversion (001 Eqs 1–5). */
export * from './units.js';
export * from './curves.js';
export * from './one-pool.js';
export * from './multi-pool.js';
export * from './inversion.js';
