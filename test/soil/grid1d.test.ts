import { describe, expect, it } from 'vitest';
import { gridVolume, radialGrid, uniformPlanarGrid } from '../../src/soil/index.js';

describe('finite-volume grids', () => {
  it('radial log grid: volumes sum to π(r_out² − r_in²)L to 1e-14 relative; faces log-spaced', () => {
    const g = radialGrid(0.02, 0.6, 9, 1);
    const exact = Math.PI * (0.36 - 0.0004);
    const rel = Math.abs(gridVolume(g) - exact) / exact;
    console.log(`radial grid volume relative error ${rel.toExponential(2)}`);
    expect(rel).toBeLessThan(1e-14);
    const ratio = g.faces[1] / g.faces[0];
    for (let k = 1; k < 9; k++) expect(Math.abs(g.faces[k + 1] / g.faces[k] - ratio)).toBeLessThan(1e-12);
    expect(g.faceArea[0]).toBeCloseTo(2 * Math.PI * 0.02, 15);
  });

  it('planar grid: distances and volumes', () => {
    const g = uniformPlanarGrid(-100, 0, 50, 2);
    expect(gridVolume(g)).toBeCloseTo(200, 12);
    expect(g.distance[0]).toBeCloseTo(1, 12);
    expect(g.distance[25]).toBeCloseTo(2, 12);
  });

  it('rejects inverted or empty grids with a clear message', () => {
    expect(() => radialGrid(0.6, 0.02, 9, 1)).toThrow(/0 < rIn < rOut/);
    expect(() => radialGrid(0.02, 0.6, 0, 1)).toThrow(/cell count/);
  });
});
