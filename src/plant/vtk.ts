/**
 * VTK XML PolyData (.vtp, ASCII) of a segment network for ParaView: one line cell per segment,
 * cell data per segment (radius, organ type, age, fluxes …) and point data per node (xylem head,
 * sucrose …). Returns a string; writing it is the caller's business (no I/O here). In ParaView,
 * "Tube" with "Vary radius: by absolute scalar" on `radius_cm` draws the roots at their size.
 */
export interface VtkArray {
  readonly name: string;
  readonly data: ArrayLike<number>;
}

export interface VtkPolyLines {
  /** Node coordinates, cm. */
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

function fmt(v: number): string {
  return Number.isFinite(v) ? String(v) : '0';
}

function dataArray(a: VtkArray, n: number): string {
  const vals: string[] = [];
  for (let i = 0; i < n; i++) vals.push(fmt(a.data[i]));
  return `        <DataArray type="Float64" Name="${a.name}" format="ascii">\n          ${vals.join(' ')}\n        </DataArray>\n`;
}

/** The network as a VTK XML PolyData document. */
export function vtkPolyDataString(p: VtkPolyLines): string {
  const pts: string[] = [];
  for (let k = 0; k < p.nodeCount; k++) pts.push(`${fmt(p.x[k])} ${fmt(p.y[k])} ${fmt(p.z[k])}`);
  const conn: string[] = [];
  const offs: string[] = [];
  for (let s = 0; s < p.segmentCount; s++) {
    conn.push(`${p.from[s]} ${p.to[s]}`);
    offs.push(String(2 * (s + 1)));
  }
  let out = '<?xml version="1.0"?>\n<VTKFile type="PolyData" version="0.1" byte_order="LittleEndian">\n  <PolyData>\n';
  out += `    <Piece NumberOfPoints="${p.nodeCount}" NumberOfVerts="0" NumberOfLines="${p.segmentCount}" NumberOfStrips="0" NumberOfPolys="0">\n`;
  out += `      <Points>\n        <DataArray type="Float64" NumberOfComponents="3" format="ascii">\n          ${pts.join(' ')}\n        </DataArray>\n      </Points>\n`;
  out += `      <Lines>\n        <DataArray type="Int32" Name="connectivity" format="ascii">\n          ${conn.join(' ')}\n        </DataArray>\n`;
  out += `        <DataArray type="Int32" Name="offsets" format="ascii">\n          ${offs.join(' ')}\n        </DataArray>\n      </Lines>\n`;
  if (p.cellData && p.cellData.length > 0) {
    out += '      <CellData>\n';
    for (const a of p.cellData) out += dataArray(a, p.segmentCount);
    out += '      </CellData>\n';
  }
  if (p.pointData && p.pointData.length > 0) {
    out += '      <PointData>\n';
    for (const a of p.pointData) out += dataArray(a, p.nodeCount);
    out += '      </PointData>\n';
  }
  out += '    </Piece>\n  </PolyData>\n</VTKFile>\n';
  return out;
}
