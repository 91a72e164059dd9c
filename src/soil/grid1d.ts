/**
 * Cell-centred finite-volume grids in one dimension, planar (vertical columns) or axisymmetric
 * radial (perirhizal cylinders around a root segment). Fluxes are computed once per face and
 * applied with opposite signs to the two cells, so conservation holds by construction.
 *
 * Conventions: faces[0..n] are increasing coordinates (cm); cell i lies between faces i and i+1;
 * `volume[i]` is the cell volume (cm³) and `faceArea[k]` the area of face k (cm²) for the given
 * `length` (planar: cross-section area; radial: root segment length L, so the face area is 2πrL).
 * `distance[k]` is the centre-to-centre distance across interior face k, and the face-to-centre
 * distance at the two boundary faces.
 */
export interface Grid1D {
  readonly geometry: 'planar' | 'radial';
  readonly n: number;
  readonly faces: Float64Array;
  readonly centers: Float64Array;
  readonly volume: Float64Array;
  readonly faceArea: Float64Array;
  readonly distance: Float64Array;
  /** Planar: cross-section area, cm². Radial: segment length, cm. */
  readonly length: number;
}

function build(geometry: 'planar' | 'radial', faces: Float64Array, length: number): Grid1D {
  const n = faces.length - 1;
  if (n < 1) throw new RangeError('grid needs at least one cell (two faces)');
  for (let k = 0; k < n; k++) {
    if (!(faces[k + 1] > faces[k])) throw new RangeError(`grid faces must increase strictly; face ${k + 1} = ${faces[k + 1]} ≤ ${faces[k]}`);
  }
  if (geometry === 'radial' && !(faces[0] > 0)) throw new RangeError(`radial grid must start at r > 0 (root surface), got ${faces[0]}`);
  if (!(length > 0)) throw new RangeError(`grid length/area must be > 0, got ${length}`);
  const centers = new Float64Array(n);
  const volume = new Float64Array(n);
  const faceArea = new Float64Array(n + 1);
  const distance = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    centers[i] = 0.5 * (faces[i] + faces[i + 1]);
    volume[i] = geometry === 'radial' ? Math.PI * (faces[i + 1] ** 2 - faces[i] ** 2) * length : (faces[i + 1] - faces[i]) * length;
  }
  for (let k = 0; k <= n; k++) faceArea[k] = geometry === 'radial' ? 2 * Math.PI * faces[k] * length : length;
  distance[0] = centers[0] - faces[0];
  distance[n] = faces[n] - centers[n - 1];
  for (let k = 1; k < n; k++) distance[k] = centers[k] - centers[k - 1];
  return { geometry, n, faces, centers, volume, faceArea, distance, length };
}

/**
 * Radial grid around a root of radius rIn (cm) out to rOut (cm), n cells, refined towards the
 * root when `spacing` is 'log' (faces log-spaced, as in 004's runs) or uniform when 'linear'.
 */
export function radialGrid(rIn_cm: number, rOut_cm: number, n: number, length_cm: number, spacing: 'log' | 'linear' = 'log'): Grid1D {
  if (!(rOut_cm > rIn_cm && rIn_cm > 0)) throw new RangeError(`radial grid needs 0 < rIn < rOut, got rIn=${rIn_cm}, rOut=${rOut_cm}`);
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`radial grid needs an integer cell count ≥ 1, got ${n}`);
  const faces = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    faces[k] = spacing === 'log' ? rIn_cm * Math.pow(rOut_cm / rIn_cm, k / n) : rIn_cm + ((rOut_cm - rIn_cm) * k) / n;
  }
  faces[n] = rOut_cm;
  return build('radial', faces, length_cm);
}

/** Radial grid from explicit face radii (cm). */
export function radialGridFromFaces(faces_cm: ArrayLike<number>, length_cm: number): Grid1D {
  return build('radial', Float64Array.from(faces_cm), length_cm);
}

/** Planar grid from explicit face coordinates (cm), e.g. elevations z from bottom to top. */
export function planarGrid(faces_cm: ArrayLike<number>, area_cm2 = 1): Grid1D {
  return build('planar', Float64Array.from(faces_cm), area_cm2);
}

/** Uniform planar grid of n cells between z0 and z1 (cm). */
export function uniformPlanarGrid(z0_cm: number, z1_cm: number, n: number, area_cm2 = 1): Grid1D {
  const faces = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) faces[k] = z0_cm + ((z1_cm - z0_cm) * k) / n;
  return build('planar', faces, area_cm2);
}

/** Total volume of the grid, cm³. */
export function gridVolume(g: Grid1D): number {
  let v = 0;
  for (let i = 0; i < g.n; i++) v += g.volume[i];
  return v;
}
