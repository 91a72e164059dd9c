/**
 * Distance of `spell-step.ts --save` end states to a reference one (issue 9, fixed-point distance):
 *
 *   npx tsx scripts/spell-distance.ts ref.json a.json [b.json …]
 *
 * Per file: max over voxels |Δ| / max |field_ref| for θ, ψ and the 8 carbon pools of the voxel fields,
 * and over all 1D cells of all domains for θ and each pool (the `prof` profiles, same order as
 * CoupledModel.radialProfile: θ then the pools cell by cell), plus the collar ψ and the transpiration
 * relative to the reference. Prints a Markdown table.
 */
import { readFileSync } from 'node:fs';
import { relMaxDifference as rel } from '../test/helpers/coupled-difference.js';

type Saved = { theta: number[]; psi: number[]; pools: Record<string, number[]>; prof: Record<string, number[]>; collar: number; transpiration: number };
const load = (f: string): Saved => JSON.parse(readFileSync(f, 'utf8'));
const [refFile, ...files] = process.argv.slice(2);
const ref = load(refFile);
const pools = Object.keys(ref.pools);
const nc = ref.theta.length > 0 ? (Object.values(ref.prof)[0].length / (1 + pools.length)) : 0;
/** The 1D values of variable j (0 = θ, 1… the pools) over every domain and cell. */
const oneD = (s: Saved, j: number) => Object.keys(ref.prof).flatMap((seg) => (s.prof[seg] ?? []).slice(j * nc, (j + 1) * nc));
const cols = ['θ', 'ψ', ...pools, '1D θ', ...pools.map((p) => `1D ${p}`), 'collar ψ', 'transpiration'];
console.log(`| variant | ${cols.join(' | ')} |`);
console.log(`|---|${cols.map(() => '---').join('|')}|`);
for (const f of files) {
  const s = load(f);
  const v = [rel(ref.theta, s.theta), rel(ref.psi, s.psi), ...pools.map((p) => rel(ref.pools[p], s.pools[p])), ...[0, ...pools.map((_, j) => j + 1)].map((j) => rel(oneD(ref, j), oneD(s, j))), Math.abs(s.collar - ref.collar) / Math.abs(ref.collar), Math.abs(s.transpiration - ref.transpiration) / Math.abs(ref.transpiration)];
  console.log(`| ${f} | ${v.map((x) => x.toExponential(1)).join(' | ')} |`);
}
