import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../src/core/errors.js';
import { parseCsv } from '../../src/core/csv.js';
import { registerExtraCommands } from '../../src/cli/commands/index.js';
import { runScenarioFile } from '../../src/scenarios/run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'rhizocarb-learn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FORC = 'data/mapping/training/forc_plots_Iroot_fBNPP.csv';
const FEAT = ['--features', 'mat_degC,map_mm,elevation_m,soil_order,biome4', '--categorical', 'soil_order,biome4'];

/** The commander program in-process (stdout/stderr captured; input errors → code 2 as main.ts). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerExtraCommands(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => ((stdout += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((stderr += c), true)) as typeof process.stderr.write;
  const cwd = process.cwd();
  process.chdir(root);
  try {
    await program.parseAsync(['node', 'rhizocarb', ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (e instanceof InputError || e instanceof InputErrors) return { code: 2, stdout, stderr: stderr + `error: ${e.message}\n` };
    throw e;
  } finally {
    process.chdir(cwd);
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe('rhizocarb learn and map (CLI, end to end on the shipped data)', () => {
  it('learn extract reproduces the shipped covariate columns of all 501 ForC plots', async () => {
    const sites = join(tmp, 'sites.csv');
    const src = parseCsv(readFileSync(join(root, FORC), 'utf8'));
    const keep = ['sites.sitename', 'plot.name', 'lat', 'lon', 'I_root'];
    writeFileSync(sites, [keep.join(','), ...src.rows.map((r) => keep.map((k) => `"${r[src.header.indexOf(k)].replace(/"/g, '""')}"`).join(','))].join('\n') + '\n');
    const r = await cli('learn', 'extract', sites, '--rasters', 'data/mapping/rasters', '--out', join(tmp, 'extracted.csv'));
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const got = parseCsv(readFileSync(join(tmp, 'extracted.csv'), 'utf8'));
    let diff = 0;
    for (const c of ['mat_degC', 'map_mm', 'elevation_m', 'soil_order', 'biome4']) {
      const a = src.header.indexOf(c);
      const b = got.header.indexOf(c);
      src.rows.forEach((row, i) => {
        const x = row[a] === '' ? NaN : Number(row[a]);
        const y = got.rows[i][b] === '' ? NaN : Number(got.rows[i][b]);
        if (!(Number.isNaN(x) && Number.isNaN(y)) && !(Math.abs(x - y) < 1e-9)) diff++;
      });
    }
    console.log(`learn extract: ${r.stdout.trim()}; cells differing from the shipped table: ${diff}`);
    expect(diff).toBe(0);
  });

  it('learn train → predict → cv --json; skipped rows counted; bad input exits 2 naming file and field', async () => {
    const model = join(tmp, 'iroot.json');
    const t = await cli('learn', 'train', FORC, '--target', 'I_root', '--log', '--unit', 'Mg C ha-1 yr-1', ...FEAT, '--trees', '60', '--interval-resamples', '8', '--workers', '2', '--out', model);
    expect(t.code).toBe(0);
    expect(t.stderr).toMatch(/283 rows used; skipped 218 \(missing I_root 217, missing mat_degC 1\)/);
    expect(t.stdout).toMatch(/OOB R² 0\.\d+, OOB RMSE 0\.\d+ \(ln I_root\)/);
    console.log(`learn train: ${t.stdout.trim().split('\n').slice(0, 3).join(' | ')}`);
    const p = await cli('learn', 'predict', model, FORC, '--out', join(tmp, 'pred.csv'));
    expect(p.code).toBe(0);
    const pred = parseCsv(readFileSync(join(tmp, 'pred.csv'), 'utf8'));
    expect(pred.header.slice(-4)).toEqual(['prediction', 'lower', 'upper', 'relative_uncertainty']);
    const ip = pred.header.indexOf('prediction');
    const lo = pred.header.indexOf('lower');
    const hi = pred.header.indexOf('upper');
    const filled = pred.rows.filter((r) => r[ip] !== '');
    expect(filled.length).toBe(490);
    expect(filled.every((r) => Number(r[lo]) < Number(r[ip]) && Number(r[ip]) < Number(r[hi]))).toBe(true);
    expect(p.stdout).toMatch(/490 rows predicted; skipped 11 \(missing mat_degC 11\)/);
    const c = await cli('learn', 'cv', FORC, '--target', 'I_root', '--log', ...FEAT, '--folds', '5', '--trees', '40', '--interval-resamples', '5', '--json', '-q');
    expect(c.code).toBe(0);
    const j = JSON.parse(c.stdout);
    expect(Object.keys(j)).toEqual(['r2', 'rmse', 'mae', 'bias', 'coverage95']);
    console.log(`learn cv --json (5 folds, small forests): ${c.stdout.trim()}`);
    const bad = await cli('learn', 'train', FORC, '--target', 'I_root', '--features', 'mat_degC,nope', '--out', join(tmp, 'x.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/forc_plots_Iroot_fBNPP\.csv nope: expected column "nope"/);
    expect(existsSync(join(tmp, 'x.json'))).toBe(false);
    const doc = JSON.parse(readFileSync(model, 'utf8'));
    writeFileSync(join(tmp, 'future.json'), JSON.stringify({ ...doc, formatVersion: 9 }));
    const fut = await cli('learn', 'predict', join(tmp, 'future.json'), FORC, '--out', join(tmp, 'p2.csv'));
    expect(fut.code).toBe(2);
    expect(fut.stderr).toMatch(/model format version 9 is newer than this rhizocarb reads/);
    // map on a window of the stack, with the real CLI entry (child process).
    const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/cli/main.ts'), 'map', model, '--rasters', 'data/mapping/rasters', '--out', join(tmp, 'map'), '--window', '1200,200,300,200', '--tile', '128', '--workers', '2'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/cells predicted/);
    for (const f of ['mean', 'lower', 'upper', 'relunc']) expect(existsSync(join(tmp, 'map', 'maps', `I_root_${f}.tif`))).toBe(true);
    expect(existsSync(join(tmp, 'map', 'maps', 'I_root_mean.png'))).toBe(true);
    console.log(`map: ${r.stdout.trim()}`);
  });

  it('scenario kind mapping (001 pipeline, cropped): I_loss per layer sums to the 0–200 cm I_loss in every cell', async () => {
    const f = join(tmp, 'iloss.yaml');
    writeFileSync(f, `kind: mapping\nname: iloss-test\npipeline: iloss\nrasters: ${join(root, 'data/mapping/rasters')}\nforest: { trees: 30 }\nintervals: { method: oob }\nvalidation: { folds: 3, trees: 20, resamples: 3, learners: false }\nmonteCarlo: { draws: 60 }\nmaps: { tile: 64, workers: 2, window: [1200, 150, 128, 64] }\n`);
    const s = (await runScenarioFile(f, join(tmp, 'iloss-out'))) as Record<string, any>;
    const models = s.models;
    console.log(`mapping scenario: I_root CV R² ${models.iroot.cv.r2.toFixed(3)} (coverage ${(100 * models.iroot.cv.coverage95).toFixed(1)} %), f_BNPP R² ${models.fbnpp.cv.r2.toFixed(3)}, I_bulk ${models.ibulk.rows} layers R² ${models.ibulk.cv.r2.toFixed(3)}; ${s.map.predictedCells} cells, ${s.map.files.length} files`);
    expect(models.ibulk.rows).toBeGreaterThan(2000);
    // Implausible ISRaD stocks are dropped visibly: counted in the skip reasons, listed in the
    // output and the summary, and a warning-level check.
    const screen = s.stockScreen;
    expect(screen.dropped).toBeGreaterThan(0);
    expect(screen.rows).toHaveLength(screen.dropped);
    expect(models.ibulk.skipped['implausible stock (training/dropped-stocks.csv)']).toBe(screen.dropped);
    expect(readFileSync(join(tmp, 'iloss-out', 'training', 'dropped-stocks.csv'), 'utf8').trim().split('\n').length).toBeGreaterThan(screen.dropped);
    expect(s.checks.find((c: { name: string }) => c.name === 'plausibility.trainingStocks')).toMatchObject({ passed: false, severity: 'warning', value: screen.dropped });
    console.log(`stock screen: ${screen.dropped} layers dropped (${JSON.stringify(screen.byReason)})`);
    const { openRaster } = await import('../../src/io/raster.js');
    const read = async (n: string) => {
      const r = await openRaster(join(tmp, 'iloss-out', 'maps', `${n}.tif`));
      const v = await r.readWindow(0, 0, 128, 64);
      await r.close();
      return v;
    };
    const total = await read('iloss_total_mean');
    const layers = await Promise.all(['0-20cm', '20-40cm', '40-60cm', '60-80cm', '80-100cm', '100-150cm', '150-200cm'].map((l) => read(`iloss_${l}_mean`)));
    let worst = 0;
    let cells = 0;
    for (let i = 0; i < total.length; i++) {
      if (Number.isNaN(total[i])) continue;
      cells++;
      const sum = layers.reduce((a, v) => a + v[i], 0);
      worst = Math.max(worst, Math.abs(sum - total[i]) / Math.max(1e-6, Math.abs(total[i]) + layers.reduce((a, v) => a + Math.abs(v[i]), 0)));
    }
    console.log(`Σ_layers I_loss − I_loss(0–200 cm): worst relative difference ${worst.toExponential(2)} over ${cells} cells (Float32 storage)`);
    expect(cells).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(1e-5);
    const consistency = (s.checks as { name: string; passed: boolean; message: string }[]).find((c) => c.name === 'consistency.ilossLayers')!;
    console.log(`check ${consistency.name}: ${consistency.message}`);
    expect(consistency.passed).toBe(true);
    expect(s.status).toBe('ok');
    expect(existsSync(join(tmp, 'iloss-out', 'validation', 'iroot-observed-vs-predicted.png'))).toBe(true);
    expect(existsSync(join(tmp, 'iloss-out', 'maps', 'ilossfraction_total_mean.png'))).toBe(true);
    expect(existsSync(join(tmp, 'iloss-out', 'maps', 'ilossfraction_total_median.png'))).toBe(true);
    for (const q of ['lower', 'upper']) expect(existsSync(join(tmp, 'iloss-out', 'maps', `iloss_total_${q}.tif`))).toBe(true);
  });
});
