/**
 * Generates data/plant/wheat_day10_roots.rsml: the root system of the shipped wheat
 * (data/plant/Triticum_aestivum_test_2021_1cm.xml, seed 1) grown structurally by rhizocarb's
 * architecture (src/plant/architecture.ts) to day 10, roots only, written as RSML 1.0
 * (io/rsml.ts) with diameters, root types (CPlantBox subType) and node emergence times.
 * Run: npx tsx scripts/gen-wheat-rsml.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import '../src/io/paths.js';
import { dataPath } from '../src/io/paths.js';
import { rsmlString } from '../src/io/rsml.js';
import { PlantArchitecture, parsePlantXml, ORGAN_ROOT } from '../src/plant/index.js';

const DAYS = 10;
const xmlFile = dataPath('plant/Triticum_aestivum_test_2021_1cm.xml');
const plant = parsePlantXml(readFileSync(xmlFile, 'utf8'), xmlFile);
const arch = new PlantArchitecture(plant, { seed: 1 });
while (arch.time_d < DAYS - 1e-12) arch.growPotential(Math.min(1 / 24, DAYS - arch.time_d));
const net = arch.net;
const map = new Int32Array(net.nodeCount).fill(-1);
map[0] = 0;
const x = [net.x[0]], y = [net.y[0]], z = [net.z[0]], t = [net.nodeCreated_d[0]], parent = [-1];
const radius: number[] = [], type: number[] = [], order: number[] = [], root: number[] = [];
const rootIndex = new Map<number, number>();
for (let k = 1; k < net.nodeCount; k++) {
  const s = k - 1;
  if (net.organType[s] !== ORGAN_ROOT) continue;
  const p = map[net.parent[k]];
  if (p < 0) throw new Error(`root node ${k} hangs on a non-root node`);
  map[k] = x.length;
  x.push(net.x[k]); y.push(net.y[k]); z.push(net.z[k]); t.push(net.nodeCreated_d[k]); parent.push(p);
  radius.push(net.radius_cm[s]);
  type.push(net.subType[s]);
  order.push(0);
  if (!rootIndex.has(net.organ[s])) rootIndex.set(net.organ[s], rootIndex.size);
  root.push(rootIndex.get(net.organ[s])!);
}
const text = rsmlString(
  { x: Float64Array.from(x), y: Float64Array.from(y), z: Float64Array.from(z), parent: Int32Array.from(parent), nodeTime_d: Float64Array.from(t), radius_cm: Float64Array.from(radius), type: Int32Array.from(type), order: Int32Array.from(order), root: Int32Array.from(root) },
  { software: 'rhizocarb scripts/gen-wheat-rsml.ts', description: `wheat (Triticum_aestivum_test_2021_1cm.xml, seed 1) grown structurally to day ${DAYS}; roots only` },
);
writeFileSync('data/plant/wheat_day10_roots.rsml', text);
let zmin = Infinity, xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
for (let k = 0; k < x.length; k++) { zmin = Math.min(zmin, z[k]); xmin = Math.min(xmin, x[k]); xmax = Math.max(xmax, x[k]); ymin = Math.min(ymin, y[k]); ymax = Math.max(ymax, y[k]); }
console.log(`${x.length} nodes, ${rootIndex.size} roots; x ${xmin.toFixed(2)}…${xmax.toFixed(2)}, y ${ymin.toFixed(2)}…${ymax.toFixed(2)}, z ≥ ${zmin.toFixed(2)} cm; ${text.length} bytes`);
