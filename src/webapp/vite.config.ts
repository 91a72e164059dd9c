import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * The dashboard's browser app, built into the package at `npm run build` (dist/dashboard/), served
 * by `rhizocarb serve`. Everything is bundled (React, uPlot, the models and their shipped data for
 * the calculators): the page loads nothing from the network but its own server.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
