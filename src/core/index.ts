export * from './errors.js';
export * from './params.js';
export * from './units.js';
export * from './data.js';
export * from './csv.js';
export * from './xml.js';
