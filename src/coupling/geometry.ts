import type { VoxelGrid } from '../soil/voxel-grid.js';

/**
 * Geometry of the 1D–3D coupling (004 App. B, Eq 26; COUPLING.md "Geometry").
 *
 * * Each below-ground root segment keeps the voxel of its centre at creation, for life
 *   ({@link voxelOfPoint}; periodic axes wrap, so a root system that leaves the box laterally maps
 *   into the periodic grid).
 * * Outer radii of the perirhizal cylinders per voxel (Eq 26): with weights w_k (volume r_k²L_k,
 *   surface r_kL_k or length L_k), t_k = w_k/Σ_j w_j and r_out,k = sqrt(t_k·V_voxel/(π L_k) + r_k²),
 *   so that Σ_k π(r_out,k² − r_k²)L_k = V_voxel exactly.
 */
export type PerirhizalWeights = 'volume' | 'surface' | 'length';

/**
 * Voxel containing point (x, y, z), cm: −1 above the top or below the bottom of the grid; periodic
 * axes wrap, impermeable ones clamp to the edge voxel.
 */
export function voxelOfPoint(grid: VoxelGrid, x: number, y: number, z: number): number {
  const zf = grid.zFaces;
  if (z > zf[zf.length - 1] || z < zf[0]) return -1;
  const i = axisIndex(grid.xFaces, x, grid.periodicX);
  const j = axisIndex(grid.yFaces, y, grid.periodicY);
  const k = axisIndex(zf, z, false);
  return grid.index(i, j, k);
}

function axisIndex(faces: Float64Array, v: number, periodic: boolean): number {
  const n = faces.length - 1;
  const lo = faces[0];
  const hi = faces[n];
  let u = v;
  if (periodic) {
    const L = hi - lo;
    u = lo + ((((v - lo) % L) + L) % L);
  }
  if (u <= lo) return 0;
  if (u >= hi) return n - 1;
  // Binary search: faces[k] ≤ u < faces[k + 1].
  let a = 0;
  let b = n;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (faces[m] <= u) a = m;
    else b = m;
  }
  return a;
}

/**
 * r_out of Eq 26 for every domain: domains d with voxel `voxelOf[d]` (≥ 0), radius `rIn_cm[d]`
 * and length `length_cm[d]` share the voxel volume by the chosen weights. Written into `rOut_cm`.
 */
export function outerRadii(
  voxelOf: ArrayLike<number>,
  rIn_cm: ArrayLike<number>,
  length_cm: ArrayLike<number>,
  voxelVolume_cm3: ArrayLike<number>,
  weights: PerirhizalWeights,
  rOut_cm: Float64Array,
): void {
  const n = voxelOf.length;
  const sum = new Map<number, number>();
  const w = (d: number) => (weights === 'volume' ? rIn_cm[d] * rIn_cm[d] * length_cm[d] : weights === 'surface' ? rIn_cm[d] * length_cm[d] : length_cm[d]);
  for (let d = 0; d < n; d++) sum.set(voxelOf[d], (sum.get(voxelOf[d]) ?? 0) + w(d));
  for (let d = 0; d < n; d++) {
    const t = w(d) / sum.get(voxelOf[d])!;
    rOut_cm[d] = Math.sqrt((t * voxelVolume_cm3[voxelOf[d]]) / (Math.PI * length_cm[d]) + rIn_cm[d] * rIn_cm[d]);
  }
}

/** Volume of a perirhizal cylinder π(r_out² − r_in²)L, cm³. */
export function cylinderVolume(rIn_cm: number, rOut_cm: number, length_cm: number): number {
  return Math.PI * (rOut_cm * rOut_cm - rIn_cm * rIn_cm) * length_cm;
}
