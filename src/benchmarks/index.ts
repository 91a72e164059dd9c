/** Registered benchmark problems (one import line per benchmark module). */
export * from './registry.js';
import './m2-1.js';
import './m2-2.js';
import './c1-1.js';
import './m2-1-3d.js';
import './m3-1.js';
import './m3-2.js';
import './rhizo-comsol.js';
