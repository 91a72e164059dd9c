import { describe, expect, it } from 'vitest';
import { pvdString, voxelGridToVtkOrder, vtkImageDataString, vtkRadialProfilesString, vtkSegmentsString } from '../../src/io/vtk.js';
import { readVtk, xmlDescendants } from '../helpers/vtk-read.js';

describe('VTK XML writer (io/vtk.ts), read back by parsing the XML and decoding the arrays', () => {
  it('ImageData: extent, origin, spacing, a Float64 field with NaN and −0 kept bit for bit, an Int32 id field', () => {
    const nx = 3, ny = 2, nz = 4;
    const zFastest = Float64Array.from({ length: nx * ny * nz }, (_, c) => c + 0.25);
    zFastest[5] = NaN;
    zFastest[6] = -0;
    const vtkOrder = voxelGridToVtkOrder(zFastest, nx, ny, nz);
    const ids = Int32Array.from({ length: nx * ny * nz }, (_, c) => c);
    const text = vtkImageDataString({ origin_cm: [-1.5, -6, -40], spacing_cm: [1, 1, 0.5], cells: [nx, ny, nz], cellData: [{ name: 'psi_cm', data: vtkOrder }, { name: 'voxel', data: ids, type: 'Int32' }] });
    const { root, arrays } = readVtk(text);
    const img = root.children[0];
    expect(root.attributes.type).toBe('ImageData');
    expect(img.attributes.WholeExtent).toBe('0 3 0 2 0 4');
    expect(img.attributes.Origin).toBe('-1.5 -6 -40');
    expect(img.attributes.Spacing).toBe('1 1 0.5');
    const psi = arrays.get('CellData/psi_cm')!;
    expect(psi.values.length).toBe(24);
    // VTK order: x fastest. Voxel (i, j, k) = (2, 1, 3) has z-fastest index 3 + 4·(1 + 2·2) = 23.
    expect(psi.values[2 + 3 * (1 + 2 * 3)]).toBe(23.25);
    let nan = 0;
    let negZero = 0;
    for (const v of psi.values) {
      if (Number.isNaN(v)) nan++;
      if (Object.is(v, -0)) negZero++;
    }
    expect([nan, negZero]).toEqual([1, 1]);
    expect(arrays.get('CellData/voxel')!.type).toBe('Int32');
    expect(arrays.get('CellData/voxel')!.values).toEqual([...ids]);
  });

  it('PolyData segments: points, two-point lines, Int32 ids, per-segment and per-node data', () => {
    const x = [0, 0, 1, 0], y = [0, 0, 0, 1], z = [0, -1, -2, -2];
    const text = vtkSegmentsString({
      x, y, z, nodeCount: 4, from: [0, 1, 1], to: [1, 2, 3], segmentCount: 3,
      cellData: [{ name: 'radius_cm', data: [0.05, 0.02, NaN] }, { name: 'type', data: [1, 2, 2], type: 'Int32' }],
      pointData: [{ name: 'psi_cm', data: [-500, -400, -300, -200] }],
    });
    const { root, arrays } = readVtk(text);
    const piece = xmlDescendants(root, 'Piece')[0];
    expect(piece.attributes.NumberOfPoints).toBe('4');
    expect(piece.attributes.NumberOfLines).toBe('3');
    expect(arrays.get('Points/Points')!.values).toEqual([0, 0, 0, 0, 0, -1, 1, 0, -2, 0, 1, -2]);
    expect(arrays.get('Lines/connectivity')!.values).toEqual([0, 1, 1, 2, 1, 3]);
    expect(arrays.get('Lines/offsets')!.values).toEqual([2, 4, 6]);
    const r = arrays.get('CellData/radius_cm')!.values;
    expect(r.slice(0, 2)).toEqual([0.05, 0.02]);
    expect(Number.isNaN(r[2])).toBe(true);
    expect(arrays.get('CellData/type')!).toMatchObject({ type: 'Int32', values: [1, 2, 2] });
    expect(arrays.get('PointData/psi_cm')!.values).toEqual([-500, -400, -300, -200]);
    expect(() => vtkSegmentsString({ x, y, z, nodeCount: 4, from: [0], to: [7], segmentCount: 1 })).toThrow(/point index/);
    expect(() => vtkSegmentsString({ x, y, z, nodeCount: 4, from: [0], to: [1], segmentCount: 1, cellData: [{ name: 'id', data: [1.5], type: 'Int32' }] })).toThrow(/not an integer/);
  });

  it('radial profiles: one polyline per profile, r_cm and values as point data, profile ids as Int32', () => {
    const text = vtkRadialProfilesString([
      { id: 7, origin_cm: [0, 0, -1], r_cm: [0.03, 0.1, 0.3], values: { theta: [0.3, 0.32, 0.33] } },
      { id: 9, origin_cm: [1, 0, -2], r_cm: [0.05, 0.2], values: { theta: [0.2, NaN] } },
    ]);
    const { arrays } = readVtk(text);
    expect(arrays.get('Lines/offsets')!.values).toEqual([3, 5]);
    expect(arrays.get('CellData/id')!.values).toEqual([7, 9]);
    expect(arrays.get('PointData/r_cm')!.values).toEqual([0.03, 0.1, 0.3, 0.05, 0.2]);
    expect(arrays.get('Points/Points')!.values.slice(9, 12)).toEqual([1.05, 0, -2]);
    expect(Number.isNaN(arrays.get('PointData/theta')!.values[4])).toBe(true);
  });

  it('.pvd collection lists time steps and files', () => {
    const { root } = readVtk(pvdString([{ time: 10, file: 'soil-d10.vti' }, { time: 10.5, file: 'soil-d10.5.vti' }]));
    const ds = xmlDescendants(root, 'DataSet');
    expect(root.attributes.type).toBe('Collection');
    expect(ds.map((d) => [Number(d.attributes.timestep), d.attributes.file])).toEqual([[10, 'soil-d10.vti'], [10.5, 'soil-d10.5.vti']]);
  });
});
