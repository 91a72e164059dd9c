/**
 * VTK XML files for ParaView (and vtk.js): ImageData `.vti` for 3D voxel fields, PolyData `.vtp`
 * for polylines (root segments with per-segment data; 1D radial profiles as one polyline each) and
 * the `.pvd` collection that makes a time series of them. One writer for every model output.
 *
 * Arrays are written inline in VTK's `binary` format (base64 of a UInt32 byte count followed by
 * the little-endian values), so every number is kept exactly: NaN stays NaN (ParaView shows it as
 * the "NaN colour"), −0 stays −0, and ids written as `Int32` stay integers. The functions return
 * the document text; writing it is the caller's business (`ctx.out.write`).
 */

/** Element types of VTK data arrays; the JavaScript array is converted to it. */
export type VtkType = 'Float64' | 'Float32' | 'Int32' | 'UInt32' | 'Int16' | 'UInt8' | 'Int8';

export interface VtkArray {
  /** Array name (shown in ParaView), with its unit in the name: `psi_cm`, `radius_cm`. */
  readonly name: string;
  readonly data: ArrayLike<number>;
  /** Default Float64. Ids and counts: Int32. */
  readonly type?: VtkType;
  /** Components per tuple (default 1; 3 for vectors). */
  readonly components?: number;
}

const CTORS = {
  Float64: Float64Array,
  Float32: Float32Array,
  Int32: Int32Array,
  UInt32: Uint32Array,
  Int16: Int16Array,
  UInt8: Uint8Array,
  Int8: Int8Array,
} as const;

const INTEGER: ReadonlySet<VtkType> = new Set(['Int32', 'UInt32', 'Int16', 'UInt8', 'Int8']);

function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Base64 of the VTK inline binary block: UInt32 byte count, then the values (little-endian). */
function encodeBinary(a: ArrayLike<number>, type: VtkType, count: number, name: string): string {
  if (a.length < count) throw new Error(`VTK array ${name}: ${a.length} values, expected ${count}`);
  const Ctor = CTORS[type];
  const typed = new Ctor(count);
  for (let i = 0; i < count; i++) {
    const v = a[i];
    if (INTEGER.has(type) && !Number.isInteger(v)) throw new Error(`VTK array ${name} (${type}): value ${v} at ${i} is not an integer`);
    typed[i] = v;
  }
  const bytes = new Uint8Array(4 + typed.byteLength);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, typed.byteLength, true);
  // Typed arrays use the platform's byte order; every platform Node runs on is little-endian, checked here.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('VTK writer: big-endian platform not supported');
  bytes.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), 4);
  return Buffer.from(bytes).toString('base64');
}

function dataArrayXml(a: VtkArray, tuples: number, indent: string): string {
  const type = a.type ?? 'Float64';
  const nc = a.components ?? 1;
  const comp = nc !== 1 ? ` NumberOfComponents="${nc}"` : '';
  return `${indent}<DataArray type="${type}" Name="${xmlAttr(a.name)}"${comp} format="binary">${encodeBinary(a.data, type, tuples * nc, a.name)}</DataArray>\n`;
}

function attributeBlock(tag: 'PointData' | 'CellData', arrays: readonly VtkArray[] | undefined, tuples: number): string {
  if (!arrays || arrays.length === 0) return '';
  const names = new Set<string>();
  for (const a of arrays) {
    if (names.has(a.name)) throw new Error(`VTK ${tag}: array name ${a.name} used twice`);
    names.add(a.name);
  }
  return `      <${tag}>\n${arrays.map((a) => dataArrayXml(a, tuples, '        ')).join('')}      </${tag}>\n`;
}

const HEADER = (type: string) => `<?xml version="1.0"?>\n<VTKFile type="${type}" version="1.0" byte_order="LittleEndian" header_type="UInt32">\n`;

export interface VtkImageData {
  /** Corner of the first voxel (lowest x, y, z), cm. */
  readonly origin_cm: readonly [number, number, number];
  /** Voxel size along x, y, z, cm. */
  readonly spacing_cm: readonly [number, number, number];
  /** Voxels along x, y, z. */
  readonly cells: readonly [number, number, number];
  /**
   * Values per voxel in VTK order: x fastest, then y, then z (index i + nx·(j + ny·k)). Use
   * {@link voxelGridToVtkOrder} for grids stored in another order.
   */
  readonly cellData?: readonly VtkArray[];
}

/** A 3D voxel field as VTK XML ImageData (`.vti`). */
export function vtkImageDataString(g: VtkImageData): string {
  const [nx, ny, nz] = g.cells;
  for (const n of g.cells) if (!(Number.isInteger(n) && n >= 1)) throw new Error(`VTK ImageData: cells ${g.cells.join('×')} must be positive integers`);
  const extent = `0 ${nx} 0 ${ny} 0 ${nz}`;
  let out = HEADER('ImageData');
  out += `  <ImageData WholeExtent="${extent}" Origin="${g.origin_cm.join(' ')}" Spacing="${g.spacing_cm.join(' ')}">\n`;
  out += `    <Piece Extent="${extent}">\n`;
  out += attributeBlock('CellData', g.cellData, nx * ny * nz);
  out += '    </Piece>\n  </ImageData>\n</VTKFile>\n';
  return out;
}

/**
 * Reorder a voxel field stored with z fastest (index k + nz·(j + ny·i), the order of
 * soil/voxel-grid.ts) into VTK's x-fastest order.
 */
export function voxelGridToVtkOrder(values: ArrayLike<number>, nx: number, ny: number, nz: number): Float64Array {
  const out = new Float64Array(nx * ny * nz);
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) for (let k = 0; k < nz; k++) out[i + nx * (j + ny * k)] = values[k + nz * (j + ny * i)];
  return out;
}

export interface VtkPolyData {
  /** Point coordinates, cm. */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly z: ArrayLike<number>;
  readonly pointCount: number;
  /** Point indices of all lines, concatenated. */
  readonly connectivity: ArrayLike<number>;
  /** End (exclusive) of each line in `connectivity`; its length is the number of lines. */
  readonly offsets: ArrayLike<number>;
  /** One value per line (cell). */
  readonly cellData?: readonly VtkArray[];
  /** One value per point. */
  readonly pointData?: readonly VtkArray[];
}

/** Polylines as VTK XML PolyData (`.vtp`). */
export function vtkPolyDataString(p: VtkPolyData): string {
  const nl = p.offsets.length;
  const nconn = nl > 0 ? p.offsets[nl - 1] : 0;
  let prev = 0;
  for (let l = 0; l < nl; l++) {
    if (!(p.offsets[l] >= prev + 1)) throw new Error(`VTK PolyData: line ${l} has no points (offsets must increase)`);
    prev = p.offsets[l];
  }
  for (let i = 0; i < nconn; i++) {
    const c = p.connectivity[i];
    if (!(Number.isInteger(c) && c >= 0 && c < p.pointCount)) throw new Error(`VTK PolyData: connectivity[${i}] = ${c} is not a point index below ${p.pointCount}`);
  }
  const pts = new Float64Array(3 * p.pointCount);
  for (let k = 0; k < p.pointCount; k++) {
    pts[3 * k] = p.x[k];
    pts[3 * k + 1] = p.y[k];
    pts[3 * k + 2] = p.z[k];
  }
  let out = HEADER('PolyData');
  out += '  <PolyData>\n';
  out += `    <Piece NumberOfPoints="${p.pointCount}" NumberOfVerts="0" NumberOfLines="${nl}" NumberOfStrips="0" NumberOfPolys="0">\n`;
  out += attributeBlock('PointData', p.pointData, p.pointCount);
  out += attributeBlock('CellData', p.cellData, nl);
  out += `      <Points>\n${dataArrayXml({ name: 'Points', data: pts, components: 3 }, p.pointCount, '        ')}      </Points>\n`;
  out += `      <Lines>\n${dataArrayXml({ name: 'connectivity', data: p.connectivity, type: 'Int32' }, nconn, '        ')}${dataArrayXml({ name: 'offsets', data: p.offsets, type: 'Int32' }, nl, '        ')}      </Lines>\n`;
  out += '    </Piece>\n  </PolyData>\n</VTKFile>\n';
  return out;
}

export interface VtkSegments {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly z: ArrayLike<number>;
  readonly nodeCount: number;
  /** Segment s joins node from[s] to node to[s]. */
  readonly from: ArrayLike<number>;
  readonly to: ArrayLike<number>;
  readonly segmentCount: number;
  readonly cellData?: readonly VtkArray[];
  readonly pointData?: readonly VtkArray[];
}

/**
 * A segment network (root system) as PolyData: one two-point line per segment. In ParaView,
 * "Tube" with "Vary radius: by absolute scalar" on `radius_cm` draws the roots at their size.
 */
export function vtkSegmentsString(s: VtkSegments): string {
  const conn = new Int32Array(2 * s.segmentCount);
  const offs = new Int32Array(s.segmentCount);
  for (let i = 0; i < s.segmentCount; i++) {
    conn[2 * i] = s.from[i];
    conn[2 * i + 1] = s.to[i];
    offs[i] = 2 * (i + 1);
  }
  return vtkPolyDataString({ x: s.x, y: s.y, z: s.z, pointCount: s.nodeCount, connectivity: conn, offsets: offs, cellData: s.cellData, pointData: s.pointData });
}

export interface VtkRadialProfile {
  /** Where the profile is drawn: the root segment's centre, cm; the profile runs along +x from there. */
  readonly origin_cm: readonly [number, number, number];
  /** Radial positions of the profile points (cell centres), cm from the root axis. */
  readonly r_cm: ArrayLike<number>;
  /** Values per point, by array name (every profile must have the same names). */
  readonly values: Readonly<Record<string, ArrayLike<number>>>;
  /** Id of the profile (e.g. segment index), written as Int32 cell data `id`. */
  readonly id: number;
}

/** 1D radial profiles as PolyData: one polyline per profile (point data = the profile values, `r_cm` included). */
export function vtkRadialProfilesString(profiles: readonly VtkRadialProfile[]): string {
  let np = 0;
  for (const p of profiles) np += p.r_cm.length;
  const names = profiles.length > 0 ? Object.keys(profiles[0].values) : [];
  const x = new Float64Array(np);
  const y = new Float64Array(np);
  const z = new Float64Array(np);
  const r = new Float64Array(np);
  const conn = new Int32Array(np);
  const offs = new Int32Array(profiles.length);
  const ids = new Int32Array(profiles.length);
  const vals = names.map(() => new Float64Array(np));
  let k = 0;
  profiles.forEach((p, l) => {
    const keys = Object.keys(p.values);
    if (keys.length !== names.length || keys.some((n) => !names.includes(n))) throw new Error(`VTK radial profile ${p.id}: arrays ${keys.join(', ')}, expected ${names.join(', ')}`);
    for (let i = 0; i < p.r_cm.length; i++, k++) {
      x[k] = p.origin_cm[0] + p.r_cm[i];
      y[k] = p.origin_cm[1];
      z[k] = p.origin_cm[2];
      r[k] = p.r_cm[i];
      conn[k] = k;
      names.forEach((n, a) => (vals[a][k] = p.values[n][i]));
    }
    offs[l] = k;
    ids[l] = p.id;
  });
  return vtkPolyDataString({
    x, y, z, pointCount: np, connectivity: conn, offsets: offs,
    cellData: [{ name: 'id', data: ids, type: 'Int32' }],
    pointData: [{ name: 'r_cm', data: r }, ...names.map((n, a) => ({ name: n, data: vals[a] }))],
  });
}

export interface PvdEntry {
  /** Time of the data set (the unit is the caller's; rhizocarb writes days). */
  readonly time: number;
  /** File name relative to the .pvd file. */
  readonly file: string;
  /** Part index when several files make one time (default 0). */
  readonly part?: number;
}

/** A `.pvd` collection: ParaView opens it as a time series. */
export function pvdString(entries: readonly PvdEntry[]): string {
  let out = '<?xml version="1.0"?>\n<VTKFile type="Collection" version="0.1" byte_order="LittleEndian">\n  <Collection>\n';
  for (const e of entries) {
    if (!Number.isFinite(e.time)) throw new Error(`pvd: time ${e.time} of ${e.file} is not finite`);
    out += `    <DataSet timestep="${e.time}" group="" part="${e.part ?? 0}" file="${xmlAttr(e.file)}"/>\n`;
  }
  out += '  </Collection>\n</VTKFile>\n';
  return out;
}
