// Worker entry when rhizocarb runs from its TypeScript sources (tsx, vitest): Node 20 workers do
// not inherit the tsx loader, so it is registered here before the TypeScript worker is imported.
// The built package uses dist/engine/worker.js directly.
import { register } from 'tsx/esm/api';

register();
const { default: runTask } = await import('./worker.ts');
export default runTask;
