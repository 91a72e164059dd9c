import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/core/errors.js';
import { dataPath } from '../../src/io/paths.js';
import { parseRsml, readRsmlFile } from '../../src/io/rsml.js';
import { PlantArchitecture, parsePlantXml, ORGAN_ROOT } from '../../src/plant/index.js';

const doc = (body: string, unit = 'cm') => `<?xml version="1.0"?><rsml><metadata><version>1</version><unit>${unit}</unit></metadata><scene><plant>${body}</plant></scene></rsml>`;
const pts = (p: number[][]) => `<geometry><polyline>${p.map(([x, y, z]) => `<point x="${x}" y="${y}" z="${z}"/>`).join('')}</polyline></geometry>`;
const fn = (name: string, v: number[]) => `<function name="${name}" domain="polyline">${v.map((s) => `<sample>${s}</sample>`).join('')}</function>`;

describe('RSML reader (io/rsml.ts)', () => {
  it('reads the shipped wheat root system; its length, segments and roots equal the architecture it was written from', () => {
    const rs = readRsmlFile(dataPath('plant/wheat_day10_roots.rsml'));
    const xmlFile = dataPath('plant/Triticum_aestivum_test_2021_1cm.xml');
    const arch = new PlantArchitecture(parsePlantXml(readFileSync(xmlFile, 'utf8'), xmlFile), { seed: 1 });
    while (arch.time_d < 10 - 1e-12) arch.growPotential(Math.min(1 / 24, 10 - arch.time_d));
    let refLen = 0;
    let refSegs = 0;
    for (let s = 0; s < arch.net.segmentCount; s++) if (arch.net.organType[s] === ORGAN_ROOT) {
      refLen += arch.net.segmentLength(s);
      refSegs++;
    }
    let len = 0;
    for (let k = 1; k < rs.x.length; k++) len += Math.hypot(rs.x[k] - rs.x[rs.parent[k]], rs.y[k] - rs.y[rs.parent[k]], rs.z[k] - rs.z[rs.parent[k]]);
    console.log(`wheat RSML: ${rs.x.length} nodes, ${rs.rootCount} roots, length ${len.toFixed(6)} cm vs architecture ${refLen.toFixed(6)} cm (relative difference ${(Math.abs(len - refLen) / refLen).toExponential(2)})`);
    expect(rs.x.length - 1).toBe(refSegs);
    expect(Math.abs(len - refLen) / refLen).toBeLessThan(1e-12);
    expect(rs.hasDiameters && rs.hasTimes).toBe(true);
    expect(rs.typeSource).toBe('type');
    expect(new Set(rs.type)).toEqual(new Set([1, 2, 3].filter((t) => rs.type.includes(t))));
    for (let k = 1; k < rs.x.length; k++) expect(rs.parent[k]).toBeLessThan(k);
    expect(Math.min(...rs.radius_cm)).toBeGreaterThan(0);
    expect(Math.max(...rs.nodeTime_d)).toBeLessThanOrEqual(10);
  });

  it('units, parent-node, merged branching points, branching order as type, ages converted to times', () => {
    const text = doc(`<root ID="1">${pts([[0, 0, 0], [0, 0, -10], [0, 0, -20]])}<functions>${fn('diameter', [1, 1, 0.8])}${fn('age', [5, 3, 1])}</functions>
      <root ID="2"><properties><parent-node value="1"/></properties>${pts([[0, 0, -10], [10, 0, -10]])}<functions>${fn('diameter', [0.4, 0.4])}${fn('age', [2, 0])}</functions></root></root>`, 'mm');
    const rs = parseRsml(text, 't.rsml');
    expect(Array.from(rs.z)).toEqual([0, -1, -2, -1]);
    expect(Array.from(rs.x)).toEqual([0, 0, 0, 1]);
    expect(Array.from(rs.parent)).toEqual([-1, 0, 1, 1]);
    Array.from(rs.radius_cm).forEach((r, s) => expect(r).toBeCloseTo([0.05, 0.04, 0.02][s], 15));
    expect(Array.from(rs.type)).toEqual([1, 1, 2]);
    expect(rs.typeSource).toBe('order');
    expect(Array.from(rs.nodeTime_d)).toEqual([0, 2, 4, 5]);
  });

  it('refuses DTDs and entity declarations, wrong units, bad points and parent-node out of range, naming the file', () => {
    const bad = (text: string, re: RegExp) => {
      let err: unknown;
      try {
        parseRsml(text, 'bad.rsml');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/bad\.rsml/);
      expect((err as Error).message).toMatch(re);
    };
    bad(`<?xml version="1.0"?><!DOCTYPE rsml [<!ENTITY x "aaaa">]>${doc(`<root>${pts([[0, 0, 0], [0, 0, -1]])}</root>`)}`, /no DTD or entity/);
    bad(doc(`<root>${pts([[0, 0, 0], [0, 0, -1]])}</root>`, 'pixel'), /metadata\.unit/);
    bad(doc(`<root><geometry><polyline><point x="0" y="a" z="0"/></polyline></geometry></root>`), /finite number/);
    bad(doc(`<root>${pts([[0, 0, 0], [0, 0, -1]])}<root><properties><parent-node value="5"/></properties>${pts([[0, 0, 0], [1, 0, 0]])}</root></root>`), /parent-node/);
    bad(doc(`<root>${pts([[0, 0, 0], [0, 0, -1]])}<functions>${fn('diameter', [1])}</functions></root>`), /one finite <sample> per polyline point/);
    bad('<notrsml/>', /an <rsml> document/);
  });
});
