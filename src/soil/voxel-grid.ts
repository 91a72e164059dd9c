import { InputError } from '../core/errors.js';
import { csrFromEntries, type CsrMatrix } from '../numerics/sparse/csr.js';

/**
 * Structured (rectilinear) box grid of soil voxels for the 3D Richards and transport solvers
 * (004 App. B1, C1). Axis z is the elevation, cm, increasing upwards; x and y are horizontal.
 * Voxel (i, j, k) has index k + nz·(j + ny·i): each vertical column is contiguous, so the
 * gravity-dominated vertical couplings sit next to the diagonal and ILU(0) factors them exactly
 * (a line preconditioner for free); lateral couplings are the far entries. Lateral sides are
 * periodic or impermeable; the top (k = nz − 1) and bottom (k = 0) take water boundary conditions.
 *
 * Connections are stored as a face list (structure of arrays): face f joins voxel `faceA[f]` to
 * its +axis neighbour `faceB[f]`, with area, centre distance and gravity component (1 for
 * vertical faces). Fluxes are computed once per face and added to a, subtracted from b, so every
 * solver on this grid conserves mass by construction.
 */
export interface VoxelGridSpec {
  /** Face coordinates along x, y, z, cm (strictly increasing; z = elevation). */
  readonly xFaces_cm: ArrayLike<number>;
  readonly yFaces_cm: ArrayLike<number>;
  readonly zFaces_cm: ArrayLike<number>;
  readonly periodicX?: boolean;
  readonly periodicY?: boolean;
}

export class VoxelGrid {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** Number of voxels. */
  readonly n: number;
  readonly periodicX: boolean;
  readonly periodicY: boolean;
  readonly xFaces: Float64Array;
  readonly yFaces: Float64Array;
  readonly zFaces: Float64Array;
  /** Voxel volume, cm³. */
  readonly volume: Float64Array;
  /** Elevation of each voxel centre, cm. */
  readonly zCenter: Float64Array;
  readonly faceA: Int32Array;
  readonly faceB: Int32Array;
  readonly faceArea: Float64Array;
  readonly faceDistance: Float64Array;
  /** 1 for vertical faces (b above a), 0 for horizontal ones. */
  readonly faceGravity: Uint8Array;
  /** Voxels of the bottom and top layers, with their boundary face areas (cm²) and centre-to-face distances (cm). */
  readonly bottomCells: Int32Array;
  readonly topCells: Int32Array;
  readonly bottomArea: Float64Array;
  readonly topArea: Float64Array;
  readonly bottomDistance: number;
  readonly topDistance: number;

  constructor(spec: VoxelGridSpec) {
    const errs: InputError[] = [];
    const axis = (name: string, v: ArrayLike<number>): Float64Array => {
      const a = Float64Array.from(v);
      if (a.length < 2) errs.push(new InputError({ keyPath: name, value: a.length, expected: 'at least two face coordinates (one voxel)' }));
      for (let k = 1; k < a.length; k++) {
        if (!(a[k] > a[k - 1])) {
          errs.push(new InputError({ keyPath: `${name}[${k}]`, value: a[k], expected: `a coordinate > ${a[k - 1]} cm (faces must increase)` }));
          break;
        }
      }
      return a;
    };
    this.xFaces = axis('xFaces_cm', spec.xFaces_cm);
    this.yFaces = axis('yFaces_cm', spec.yFaces_cm);
    this.zFaces = axis('zFaces_cm', spec.zFaces_cm);
    if (errs.length) throw errs[0];
    this.nx = this.xFaces.length - 1;
    this.ny = this.yFaces.length - 1;
    this.nz = this.zFaces.length - 1;
    this.n = this.nx * this.ny * this.nz;
    this.periodicX = spec.periodicX ?? false;
    this.periodicY = spec.periodicY ?? false;
    const { nx, ny, nz } = this;
    const dx = (i: number) => this.xFaces[i + 1] - this.xFaces[i];
    const dy = (j: number) => this.yFaces[j + 1] - this.yFaces[j];
    const dz = (k: number) => this.zFaces[k + 1] - this.zFaces[k];
    this.volume = new Float64Array(this.n);
    this.zCenter = new Float64Array(this.n);
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const c = this.index(i, j, k);
          this.volume[c] = dx(i) * dy(j) * dz(k);
          this.zCenter[c] = 0.5 * (this.zFaces[k] + this.zFaces[k + 1]);
        }
    const A: number[] = [];
    const B: number[] = [];
    const area: number[] = [];
    const dist: number[] = [];
    const grav: number[] = [];
    const add = (a: number, b: number, ar: number, d: number, g: number) => {
      if (a === b) return; // a periodic axis of one voxel has no face
      A.push(a);
      B.push(b);
      area.push(ar);
      dist.push(d);
      grav.push(g);
    };
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const c = this.index(i, j, k);
          if (i + 1 < nx) add(c, this.index(i + 1, j, k), dy(j) * dz(k), 0.5 * (dx(i) + dx(i + 1)), 0);
          else if (this.periodicX) add(c, this.index(0, j, k), dy(j) * dz(k), 0.5 * (dx(i) + dx(0)), 0);
          if (j + 1 < ny) add(c, this.index(i, j + 1, k), dx(i) * dz(k), 0.5 * (dy(j) + dy(j + 1)), 0);
          else if (this.periodicY) add(c, this.index(i, 0, k), dx(i) * dz(k), 0.5 * (dy(j) + dy(0)), 0);
          if (k + 1 < nz) add(c, this.index(i, j, k + 1), dx(i) * dy(j), 0.5 * (dz(k) + dz(k + 1)), 1);
        }
    this.faceA = Int32Array.from(A);
    this.faceB = Int32Array.from(B);
    this.faceArea = Float64Array.from(area);
    this.faceDistance = Float64Array.from(dist);
    this.faceGravity = Uint8Array.from(grav);
    const layer = nx * ny;
    this.bottomCells = new Int32Array(layer);
    this.topCells = new Int32Array(layer);
    this.bottomArea = new Float64Array(layer);
    this.topArea = new Float64Array(layer);
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const m = i + nx * j;
        this.bottomCells[m] = this.index(i, j, 0);
        this.topCells[m] = this.index(i, j, nz - 1);
        this.bottomArea[m] = dx(i) * dy(j);
        this.topArea[m] = dx(i) * dy(j);
      }
    this.bottomDistance = 0.5 * dz(0);
    this.topDistance = 0.5 * dz(nz - 1);
  }

  index(i: number, j: number, k: number): number {
    return k + this.nz * (j + this.ny * i);
  }

  /** Number of faces between voxels (including periodic ones). */
  get faceCount(): number {
    return this.faceA.length;
  }

  /** Total volume, cm³. */
  totalVolume(): number {
    let v = 0;
    for (let c = 0; c < this.n; c++) v += this.volume[c];
    return v;
  }
}

/** Uniform box grid: `n` voxels of equal size per axis between the given bounds (cm). */
export function uniformVoxelGrid(
  x: readonly [number, number, number],
  y: readonly [number, number, number],
  z: readonly [number, number, number],
  periodic: { x?: boolean; y?: boolean } = {},
): VoxelGrid {
  const faces = ([lo, hi, n]: readonly [number, number, number]) => Array.from({ length: n + 1 }, (_, k) => lo + ((hi - lo) * k) / n);
  return new VoxelGrid({ xFaces_cm: faces(x), yFaces_cm: faces(y), zFaces_cm: faces(z), periodicX: periodic.x, periodicY: periodic.y });
}

/**
 * The 3D soil domain of 004's runs (RHIZOSPHERE.md): x ∈ [−1.5, 1.5], y ∈ [−6, 6], z ∈ [−40, 0] cm,
 * 3 × 12 × 40 voxels of 1 cm³, periodic in x and y (no-flux top and bottom are the solvers'
 * boundary conditions).
 */
export function paperDomainGrid(): VoxelGrid {
  return uniformVoxelGrid([-1.5, 1.5, 3], [-6, 6, 12], [-40, 0, 40], { x: true, y: true });
}

/**
 * Hydrostatic heads (h + z constant, no flow) whose voxel mean is `meanHead_cm`, cm (004's initial
 * state: mean ψ = −100 cm).
 */
export function hydrostaticHeads(grid: VoxelGrid, meanHead_cm: number): Float64Array {
  let zMean = 0;
  const V = grid.totalVolume();
  for (let c = 0; c < grid.n; c++) zMean += (grid.zCenter[c] * grid.volume[c]) / V;
  return Float64Array.from(grid.zCenter, (z) => meanHead_cm - (z - zMean));
}

/**
 * A CSR matrix with the pattern of the voxel couplings (diagonal + both entries of every face) and,
 * per face, the positions of entries (a, b) and (b, a) in its values, for assembly without search.
 */
export function faceCouplingMatrix(grid: VoxelGrid): { matrix: CsrMatrix; posAB: Int32Array; posBA: Int32Array } {
  const nf = grid.faceCount;
  const rows = new Int32Array(2 * nf);
  const cols = new Int32Array(2 * nf);
  for (let f = 0; f < nf; f++) {
    rows[2 * f] = grid.faceA[f];
    cols[2 * f] = grid.faceB[f];
    rows[2 * f + 1] = grid.faceB[f];
    cols[2 * f + 1] = grid.faceA[f];
  }
  const matrix = csrFromEntries(grid.n, rows, cols);
  const posAB = new Int32Array(nf);
  const posBA = new Int32Array(nf);
  for (let f = 0; f < nf; f++) {
    posAB[f] = matrix.position(grid.faceA[f], grid.faceB[f]);
    posBA[f] = matrix.position(grid.faceB[f], grid.faceA[f]);
  }
  return { matrix, posAB, posBA };
}
