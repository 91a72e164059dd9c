/** Interfaces layer: files, tables and plots. Models never import this. */
export * from './atomic.js';
export * from './table.js';
export * from './plot.js';
export * from './files.js';
export * from './paths.js';
export * from './vtk.js';
