/** Registered benchmark problems (one import line per benchmark module). */
export * from './registry.js';
import './rhizo-comsol.js';
import './m3-1.js';
import './m3-2.js';
