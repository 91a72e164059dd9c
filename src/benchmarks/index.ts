/** Registered benchmark problems (one import line per benchmark module). */
export * from './registry.js';
import './rhizo-comsol.js';
