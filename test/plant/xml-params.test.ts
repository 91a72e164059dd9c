import { describe, expect, it } from 'vitest';
import { inputErrorMessages } from '../helpers/input-errors.js';
import { dataPath } from '../../src/io/paths.js';
import { parsePlantXml } from '../../src/plant/xml-params.js';
import { readTextFile } from '../../src/io/files.js';


describe('CPlantBox XML parameter files', () => {
  it('reads the shipped wheat file: 3 root types, a stem, a leaf; PLANT.md values; unused parameters as warnings', () => {
    const p = parsePlantXml(readTextFile(dataPath('plant/Triticum_aestivum_test_2021_1cm.xml')), dataPath('plant/Triticum_aestivum_test_2021_1cm.xml'));
    const tap = p.organs.find((o) => o.organType === 'root' && o.subType === 1)!;
    expect([tap.r_cm_per_d.mean, tap.a_cm.mean, tap.lmax_cm.mean, tap.lb_cm.mean, tap.la_cm.mean, tap.ln_cm.mean, tap.theta_rad.mean]).toEqual([2.4, 0.05, 60, 0.8, 12, 0.4, 0.4]);
    const l1 = p.organs.find((o) => o.organType === 'root' && o.subType === 2)!;
    expect([l1.r_cm_per_d.mean, l1.a_cm.mean, l1.lmax_cm.mean]).toEqual([1, 0.02, 10]);
    const l2 = p.organs.find((o) => o.organType === 'root' && o.subType === 3)!;
    expect([l2.r_cm_per_d.mean, l2.a_cm.mean, l2.lmax_cm.mean]).toEqual([0.6, 0.02, 4]);
    expect([p.seed.maxBasal, p.seed.firstBasal_d, p.seed.basalDelay_d, p.seed.delayDefinition]).toEqual([15, 1, 3, 1]);
    const leaf = p.organs.find((o) => o.organType === 'leaf')!;
    expect([leaf.bladeWidth_cm, leaf.sheathWidth_cm]).toEqual([0.9, 0.35]);
    expect(p.warnings.some((w) => w.includes('Width_petiole'))).toBe(false);
    expect(p.warnings.some((w) => w.includes('shapeType'))).toBe(true);
  });

  it('bad files: every problem named with file, line, key path, value and expectation', () => {
    const bad = `<plant>
  <organ type="root" subType="1">
    <parameter name="r" value="fast"/>
    <parameter name="a" value="-0.1"/>
    <parameter name="tropismT" value="3"/>
    <parameter name="successor" type="7"/>
  </organ>
</plant>`;
    const m = inputErrorMessages(() => parsePlantXml(bad, 'bad.xml'));
    console.log(m.join('\n'));
    expect(m.some((s) => s.startsWith('bad.xml:3:5 root[subType=1].r: got "fast", expected a finite number'))).toBe(true);
    expect(m.some((s) => s.includes('bad.xml:4:5 root[subType=1].a: got "-0.1", expected a value in (0, 10] cm'))).toBe(true);
    expect(m.some((s) => s.includes('root[subType=1].tropismT: got "3"') && s.includes('not supported'))).toBe(true);
    expect(m.some((s) => s.includes('root[subType=1].lmax') && s.includes('required'))).toBe(true);
    expect(m.some((s) => s.includes('successor') && s.includes('root subType 7'))).toBe(true);
    const malformed = inputErrorMessages(() => parsePlantXml('<plant>\n  <organ type="root" subType="1">\n</plant>', 'm.xml'));
    expect(malformed[0]).toMatch(/^m\.xml:3:1 .*expected <\/organ>/);
    expect(inputErrorMessages(() => readTextFile('/nonexistent/plant.xml', 'a readable CPlantBox XML parameter file'))[0]).toMatch(/^\/nonexistent\/plant\.xml expected a readable CPlantBox XML parameter file/);
    expect(inputErrorMessages(() => parsePlantXml('<plant><organ type="root" subType="2"><parameter name="lmax" value="3"/></organ></plant>', 'n.xml')).some((s) => s.includes('tap root'))).toBe(true);
  });
});
