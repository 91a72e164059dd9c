import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoupledModel, type CoupledConfig } from '../../src/coupling/index.js';
import { rsmlString } from '../../src/io/rsml.js';
import { loadScenarioFile, runScenario } from '../../src/scenarios/run.js';
import { inputErrorMessages } from '../helpers/input-errors.js';

/**
 * The scenario key coupling.psiAveraging (relaxed | reference | none | aitken; default relaxed) of
 * the coupled and root-water-uptake kinds reaches CoupledModel.create: the test stops each run at
 * the model's creation (a spy that records the configuration and throws), so nothing is computed.
 * The model's handling of each value is tested in test/coupling/iteration.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-psi-avg-'));
const STOP = 'stopped at CoupledModel.create';

/** The psiAveraging CoupledModel.create is given when the scenario `yaml` runs. */
async function psiAveragingOf(name: string, yaml: string): Promise<CoupledConfig['psiAveraging'] | 'not created'> {
  let seen: CoupledConfig['psiAveraging'] | 'not created' = 'not created';
  const spy = vi.spyOn(CoupledModel, 'create').mockImplementation((config: CoupledConfig) => {
    seen = config.psiAveraging;
    throw new Error(STOP);
  });
  writeFileSync(join(dir, `${name}.yaml`), yaml);
  await expect(runScenario(loadScenarioFile(join(dir, `${name}.yaml`)), { out: join(dir, name) })).rejects.toThrow(STOP);
  spy.mockRestore();
  return seen;
}

const coupled = (extra: string) => `kind: coupled\nname: t\ndomain: {cells: [1, 3, 10]}\ntime: {start_d: 6, end_d: 6.0138888888888889, step_min: 20}\n${extra}`;
writeFileSync(join(dir, 'root.rsml'), rsmlString({ x: Float64Array.from([0.5, 1.5, 2.5]), y: new Float64Array(3), z: new Float64Array(3).fill(-0.5), parent: Int32Array.from([-1, 0, 1]), nodeTime_d: new Float64Array(3), radius_cm: new Float64Array(2).fill(0.02), type: new Int32Array(2).fill(1), order: new Int32Array(2).fill(1), root: new Int32Array(2) }, { software: 'test' }));
const rwu = (extra: string) => `kind: root-water-uptake\nrootSystem: {file: root.rsml, kr_per_d: 1.728e-4, kx_cm3_per_d: 4.32e-2}\ndomain: {min_cm: [0, -0.5, -1], max_cm: [3, 0.5, 0], cells: [3, 1, 1]}\ntranspiration: {mean_cm3_per_d: 50}\nduration_d: 0.0138888888888889\noutputs: {vtk: false}\n${extra}`;

afterEach(() => vi.restoreAllMocks());

describe('scenario key coupling.psiAveraging', () => {
  it('coupled: aitken and reference reach CoupledModel.create; the default is relaxed', async () => {
    const got = { default: await psiAveragingOf('c-default', coupled('')), aitken: await psiAveragingOf('c-aitken', coupled('coupling: {psiAveraging: aitken}\n')), reference: await psiAveragingOf('c-ref', coupled('coupling: {psiAveraging: reference}\n')) };
    console.log(`coupled: psiAveraging given to CoupledModel.create ${JSON.stringify(got)}`);
    expect(got).toEqual({ default: 'relaxed', aitken: 'aitken', reference: 'reference' });
  });

  it('root-water-uptake, sink: multiscale: aitken reaches CoupledModel.create; the default is relaxed', async () => {
    const got = { default: await psiAveragingOf('r-default', rwu('sink: multiscale\n')), aitken: await psiAveragingOf('r-aitken', rwu('sink: multiscale\ncoupling: {psiAveraging: aitken}\n')) };
    console.log(`root-water-uptake multiscale: psiAveraging given to CoupledModel.create ${JSON.stringify(got)}`);
    expect(got).toEqual({ default: 'relaxed', aitken: 'aitken' });
  });

  it('refuses an unknown value (both kinds) and a non-default value with sink: classic, naming the key', async () => {
    const refused = async (name: string, yaml: string) => {
      writeFileSync(join(dir, `${name}.yaml`), yaml);
      const sync = inputErrorMessages(() => loadScenarioFile(join(dir, `${name}.yaml`)));
      if (sync.length > 0) return sync;
      return runScenario(loadScenarioFile(join(dir, `${name}.yaml`)), { out: join(dir, name) }).then(
        () => [] as string[],
        (e: unknown) => inputErrorMessages(() => {
          throw e;
        }),
      );
    };
    const bad = [await refused('c-bad', coupled('coupling: {psiAveraging: two-point}\n')), await refused('r-bad', rwu('sink: multiscale\ncoupling: {psiAveraging: two-point}\n')), await refused('r-classic', rwu('coupling: {psiAveraging: aitken}\n'))];
    for (const m of bad) console.log(m.join('\n'));
    for (const m of bad.slice(0, 2)) expect(m.some((x) => /coupling\.psiAveraging/.test(x) && /relaxed/.test(x) && /aitken/.test(x))).toBe(true);
    expect(bad[2].some((x) => /coupling\.psiAveraging/.test(x) && /sink: classic/.test(x))).toBe(true);
  });
});
