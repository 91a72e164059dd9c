import { NV, V } from '../rhizosphere/kinetics.js';
import type { Grid1D } from '../soil/grid1d.js';

/**
 * Re-partition of a voxel's perirhizal domains on root growth (004 App. E as coded; COUPLING.md
 * "Root growth: re-partition"). The 3D voxel is the reference: its content of water and of every
 * carbon pool is shared among the voxel's domains after the change, exactly.
 *
 * * Existing domain whose volume shrinks: keeps total × V_new/V_old; existing domain that grows
 *   keeps its total and takes the leftover concentration × its added volume.
 * * Leftover = voxel content − what the existing domains keep; it fills the added volume (grown
 *   parts and new domains) at one concentration per pool; new domains start uniform at it.
 * * Profiles: the old cell values (amounts per cm³ soil) are interpolated linearly in r at the new
 *   cell centres (constant beyond the old range) and shifted by one constant so that Σ value·V =
 *   the domain's new total: differences between cells (the radial gradient) are kept. When the
 *   shift would make a carbon pool negative the profile is scaled instead. Water is clamped to
 *   [θ_wilt, θ_s] and the excess pushed into cells with room.
 */
export interface RepartitionDomain {
  /** Grid and cell amounts (nCells·9, per cm³ soil) before; undefined for a new domain. */
  readonly oldGrid?: Grid1D;
  readonly oldCells?: Float64Array;
  /** Grid after. */
  readonly newGrid: Grid1D;
}

export interface RepartitionLimits {
  readonly thetaS: number;
  readonly thetaWilt: number;
}

/**
 * New cell amounts for every domain of one voxel (same order as `domains`). `voxelContent[v]` is
 * the voxel's total of variable v (cm³ water for θ, mol C for the pools), Σ of the new grids'
 * volumes must equal the voxel volume.
 */
export function repartitionVoxel(domains: readonly RepartitionDomain[], voxelContent: ArrayLike<number>, limits: RepartitionLimits): Float64Array[] {
  const nd = domains.length;
  const target = domains.map(() => new Float64Array(NV));
  const leftover = Float64Array.from({ length: NV }, (_, v) => voxelContent[v]);
  const added = new Float64Array(nd);
  let addedVolume = 0;
  for (let k = 0; k < nd; k++) {
    const d = domains[k];
    const vNew = gridVolume(d.newGrid);
    if (!d.oldGrid || !d.oldCells) {
      added[k] = vNew;
      addedVolume += vNew;
      continue;
    }
    const vOld = gridVolume(d.oldGrid);
    const keep = vNew < vOld ? vNew / vOld : 1;
    for (let v = 0; v < NV; v++) {
      const t = total(d.oldGrid, d.oldCells, v) * keep;
      target[k][v] = t;
      leftover[v] -= t;
    }
    if (vNew > vOld) {
      added[k] = vNew - vOld;
      addedVolume += vNew - vOld;
    }
  }
  if (addedVolume > 0) {
    for (let k = 0; k < nd; k++) for (let v = 0; v < NV; v++) target[k][v] += (leftover[v] * added[k]) / addedVolume;
  }
  return domains.map((d, k) => fillProfile(d, target[k], limits));
}

function gridVolume(g: Grid1D): number {
  let s = 0;
  for (let i = 0; i < g.n; i++) s += g.volume[i];
  return s;
}

function total(g: Grid1D, cells: Float64Array, v: number): number {
  let s = 0;
  for (let i = 0; i < g.n; i++) s += g.volume[i] * cells[i * NV + v];
  return s;
}

/** Cells on the new grid with the old profile's shape and the given totals. */
function fillProfile(d: RepartitionDomain, target: Float64Array, limits: RepartitionLimits): Float64Array {
  const g = d.newGrid;
  const n = g.n;
  const out = new Float64Array(n * NV);
  const vol = gridVolume(g);
  for (let v = 0; v < NV; v++) {
    // Interpolated old profile (uniform for a new domain).
    for (let i = 0; i < n; i++) out[i * NV + v] = d.oldGrid && d.oldCells ? interpolate(d.oldGrid, d.oldCells, v, g.centers[i]) : 0;
    let s = 0;
    for (let i = 0; i < n; i++) s += g.volume[i] * out[i * NV + v];
    const shift = (target[v] - s) / vol;
    let min = Infinity;
    for (let i = 0; i < n; i++) min = Math.min(min, out[i * NV + v] + shift);
    if (v !== V.theta && min < 0 && s > 0 && target[v] >= 0) {
      const f = target[v] / s;
      for (let i = 0; i < n; i++) out[i * NV + v] *= f;
    } else for (let i = 0; i < n; i++) out[i * NV + v] += shift;
  }
  clampWater(g, out, limits);
  return out;
}

function interpolate(g: Grid1D, cells: Float64Array, v: number, r: number): number {
  const c = g.centers;
  const n = g.n;
  if (r <= c[0]) return cells[v];
  if (r >= c[n - 1]) return cells[(n - 1) * NV + v];
  let i = 0;
  while (i < n - 2 && c[i + 1] < r) i++;
  const w = (r - c[i]) / (c[i + 1] - c[i]);
  return (1 - w) * cells[i * NV + v] + w * cells[(i + 1) * NV + v];
}

/** θ within [θ_wilt, θ_s] where the total allows; excess or deficit moved to cells with room, total kept. */
function clampWater(g: Grid1D, out: Float64Array, { thetaS, thetaWilt }: RepartitionLimits): void {
  const n = g.n;
  for (let pass = 0; pass < 4; pass++) {
    let excess = 0;
    for (let i = 0; i < n; i++) {
      const o = i * NV + V.theta;
      if (out[o] > thetaS) {
        excess += (out[o] - thetaS) * g.volume[i];
        out[o] = thetaS;
      } else if (out[o] < thetaWilt) {
        excess -= (thetaWilt - out[o]) * g.volume[i];
        out[o] = thetaWilt;
      }
    }
    if (excess === 0) return;
    let room = 0;
    for (let i = 0; i < n; i++) {
      const o = i * NV + V.theta;
      room += (excess > 0 ? thetaS - out[o] : out[o] - thetaWilt) * g.volume[i];
    }
    if (!(room > 0)) {
      // No cell has room: keep the total (a domain over-full or too dry as a whole).
      for (let i = 0; i < n; i++) out[i * NV + V.theta] += excess / (g.volume[i] * n);
      return;
    }
    const f = Math.min(1, Math.abs(excess) / room);
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const o = i * NV + V.theta;
      const r = (excess > 0 ? thetaS - out[o] : out[o] - thetaWilt) * f;
      out[o] += excess > 0 ? r : -r;
      moved += r * g.volume[i];
    }
    if (Math.abs(moved - Math.abs(excess)) <= 1e-15 * Math.abs(excess)) return;
  }
}
