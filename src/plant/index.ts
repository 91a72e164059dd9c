/** Plant: architecture (CPlantBox XML), xylem water, leaf gas exchange, sieve-tube carbon (004 Secs 2.1–2.3, 000). */
export * from './xml.js';
export * from './xml-params.js';
export * from './growth-law.js';
export * from './segments.js';
export * from './architecture.js';
export * from './xylem.js';
export * from './weather.js';
export * from './leaf.js';
export * from './plant-params.js';
export * from './carbon.js';
export * from './departures.js';
export * from './plant-model.js';
export * from './conductivity.js';
