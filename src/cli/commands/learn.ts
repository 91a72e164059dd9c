import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { isMissing } from '../../core/csv.js';
import { WorkerPool } from '../../engine/pool.js';
import { checkOutputFile, writeFileAtomic } from '../../io/atomic.js';
import { extractPoints, openStack } from '../../io/raster.js';
import { tableToCsv } from '../../io/table.js';
import { describeSkipped, readTrainingTable, tableFromCsv } from '../../io/training-table.js';
import { requireColumns } from '../../core/csv.js';
import { readCsvFile } from '../../io/files.js';
import { fitModel, predictModel, validateModel, type FeatureSpec, type TargetSpec, type TauMethod } from '../../learning/index.js';
import { poolRunners } from '../../scenarios/learning-runners.js';
import { readModelFile, writeModelFile } from '../../scenarios/mapping/model-io.js';
import { terminalProgress } from '../progress.js';
import { addOutputOptions, cliOutput, parseDecimal, type OutputOptions } from '../conventions.js';

/** `rhizocarb learn train|predict|cv|extract` (001, 003; docs/LEARNING.md). */
const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);

function int(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = parseDecimal(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InputError({ keyPath: name, value: v, expected: `a whole number from ${min} to ${max}` });
    return n;
  };
}

function num(name: string, lo: number, hi: number) {
  return (v: string): number => {
    const n = parseDecimal(v);
    if (!(n >= lo && n <= hi)) throw new InputError({ keyPath: name, value: v, expected: `a number in [${lo}, ${hi}]` });
    return n;
  };
}

interface ModelOpts {
  target: string;
  features: string[];
  categorical?: string[];
  log?: boolean;
  unit?: string;
  trees: number;
  mtry?: number;
  minNodeSize: number;
  seed: number;
  intervalResamples: number;
  tauMethod: TauMethod;
  workers?: number;
}

function addModelOptions(c: Command, intervalDefault: number): Command {
  return c
    .requiredOption('--target <column>', 'target column (e.g. I_root)')
    .requiredOption('--features <a,b,c>', 'feature columns', list)
    .option('--categorical <a,b>', 'features that are classes (numeric codes), split natively', list)
    .option('--log', 'model ln(target) (001: "Data are log-transformed"); rows with target ≤ 0 are skipped and counted')
    .option('--unit <unit>', 'unit of the target, stored in the model', '')
    .option('--trees <n>', 'trees per forest', int('--trees', 1, 100_000), 500)
    .option('--mtry <n>', 'features tried per split (default ⌈p/3⌉)', int('--mtry', 1, 100_000))
    .option('--min-node-size <n>', 'nodes with at most this many in-bag rows are not split', int('--min-node-size', 1, 1e9), 5)
    .option('--seed <n>', 'random seed', int('--seed', 0, 2 ** 32 - 1), 1)
    .option('--interval-resamples <n>', `Coulston resamples B for τ̂ (001: 500)`, int('--interval-resamples', 1, 100_000), intervalDefault)
    .option('--tau-method <m>', 'resample (001, Coulston) or oob (one forest, out-of-bag τ)', (v: string) => {
      if (v !== 'resample' && v !== 'oob') throw new InputError({ keyPath: '--tau-method', value: v, expected: '"resample" or "oob"' });
      return v;
    }, 'resample')
    .option('--workers <n>', 'worker threads (default: cores; 0 = none)', int('--workers', 0, 256));
}

/** Option combinations the parsers of single options cannot see: the target among the features, mtry above the feature count. */
function checkModelOptions(o: ModelOpts): void {
  if (o.features.includes(o.target)) throw new InputError({ keyPath: '--features', value: o.features.join(','), expected: `feature columns other than the target --target ${JSON.stringify(o.target)} (a model of y on y predicts nothing)` });
  const dup = o.features.find((f, i) => o.features.indexOf(f) !== i);
  if (dup !== undefined) throw new InputError({ keyPath: '--features', value: o.features.join(','), expected: `each feature once (${JSON.stringify(dup)} is given twice)` });
  if (o.mtry !== undefined && o.mtry > o.features.length) throw new InputError({ keyPath: '--mtry', value: o.mtry, expected: `at most the number of features (${o.features.length})` });
}

function featureSpecs(o: ModelOpts): FeatureSpec[] {
  return o.features.map((name) => ({ name, kind: o.categorical?.includes(name) ? 'categorical' : 'numeric' }));
}

function targetSpec(o: ModelOpts): TargetSpec {
  return { name: o.target, unit: o.unit || undefined, transform: o.log ? 'log' : 'none' };
}


export function registerLearnCommands(program: Command): void {
  const learn = program.command('learn').description('random forests with Coulston prediction intervals (001, 003): train, predict, cross-validate, extract covariates');

  addOutputOptions(addModelOptions(
    learn.command('train').description('train a forest (and τ̂ for 95 % intervals) on a table; writes a versioned model file').argument('<table.csv>', 'training table'),
    500,
  ))
    .requiredOption('--out <model.json>', 'model file (written atomically)')
    .option('--ensemble', 'also train gradient-boosted trees and a linear model, weighted by 10-fold CV RMSE')
    .action(async (file: string, o: ModelOpts & OutputOptions & { out: string; ensemble?: boolean }) => {
      const io = cliOutput(o);
      const err = io.info;
      const outFile = checkOutputFile(o.out, { label: '--out', inputs: [file] });
      checkModelOptions(o);
      const t = readTrainingTable(file, { target: o.target, features: o.features, categorical: o.categorical, log: o.log });
      if (t.y.length < 10) throw new InputError({ file, keyPath: o.target, value: `${t.y.length} complete rows`, expected: 'at least 10 rows with target and all features', detail: describeSkipped(t.y.length, t.skipped) });
      err(`${file}: ${describeSkipped(t.y.length, t.skipped)}`);
      const pool = new WorkerPool({ concurrency: o.workers });
      try {
        const r = poolRunners(pool);
        const model = await fitModel({ features: featureSpecs(o), columns: t.columns, y: t.y }, targetSpec(o), {
          forest: { trees: o.trees, mtry: o.mtry, minNodeSize: o.minNodeSize, seed: o.seed },
          intervals: { method: o.tauMethod, resamples: o.intervalResamples, seed: o.seed },
          ensemble: o.ensemble,
          growRunner: r.growRunner,
          tauRunner: r.tauRunner,
          shared: r.shared,
        });
        const withSkips = { ...model, training: { ...model.training, skipped: t.skipped } };
        writeModelFile(outFile, withSkips, { trainingTable: file });
        const scale = o.log ? ` (ln ${o.target})` : '';
        const lines = [
          `wrote ${o.out}: ${o.trees} trees, mtry ${model.forest.params.mtry}, ${t.y.length} rows, ${model.training.seconds.toFixed(2)} s`,
          `OOB R² ${model.training.oob.r2.toFixed(4)}, OOB RMSE ${model.training.oob.rmse.toPrecision(4)}${scale}`,
          `τ̂95 ${model.tau.tau['0.95'].toFixed(3)} (${model.tau.method}, ${model.tau.resamples} resamples, ${model.tau.pooled} τ values)`,
          `permutation importance (OOB MSE increase): ${Object.entries(model.training.importance).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(', ')}`,
        ];
        if (model.ensemble) lines.push(`ensemble weights (1/RMSE²_CV): ${Object.entries(model.ensemble.weights).map(([k, v]) => `${k} ${v.toFixed(3)} (RMSE ${model.ensemble!.cvRmse[k as 'rf'].toPrecision(4)})`).join(', ')}`);
        io.answer(lines.join('\n'));
        io.answerJson({ status: 'ok', model: outFile, rows: t.y.length, skipped: t.skipped, oob: model.training.oob, tau: model.tau.tau, importance: model.training.importance, ensemble: model.ensemble ?? null, seconds: model.training.seconds });
      } finally {
        await pool.close();
      }
    });

  addOutputOptions(learn
    .command('predict'))
    .description('predict a table with a model: adds prediction, lower, upper (95 %) and relative_uncertainty columns')
    .argument('<model.json>', 'model file from `learn train`')
    .argument('<table.csv>', 'table with the model’s feature columns')
    .requiredOption('--out <pred.csv>', 'output table (written atomically)')
    .option('--level <p>', 'interval level the model has τ̂ for', num('--level', 0.5, 0.999), 0.95)
    .action(async (modelFile: string, file: string, o: OutputOptions & { out: string; level: number }) => {
      const io = cliOutput(o);
      const outFile = checkOutputFile(o.out, { label: '--out', inputs: [file, modelFile] });
      const model = readModelFile(modelFile);
      const levels = Object.keys(model.tau.tau);
      if (!levels.includes(String(o.level))) throw new InputError({ keyPath: '--level', value: o.level, expected: `a level the model has τ̂ for (${modelFile} has ${levels.join(', ')})` });
      const csv = readCsvFile(file);
      const t = tableFromCsv(csv, { features: model.features.map((f) => f.name) });
      const p = predictModel(model, t.columns, o.level);
      const n = csv.rows.length;
      const cols = ['prediction', 'lower', 'upper', 'relative_uncertainty', ...(p.ensemble ? ['prediction_ensemble'] : [])];
      const full = cols.map(() => new Array<string>(n).fill(''));
      const src = [p.prediction, p.lower, p.upper, p.relativeUncertainty, ...(p.ensemble ? [p.ensemble] : [])];
      t.rows.forEach((r, i) => src.forEach((a, k) => (full[k][r] = String(a[i]))));
      const header = [...csv.header.filter((h) => !cols.includes(h)), ...cols];
      const keep = csv.header.map((h, j) => (cols.includes(h) ? -1 : j)).filter((j) => j >= 0);
      const table = { columns: header.map((name, k) => ({ name, data: k < keep.length ? csv.rows.map((row) => row[keep[k]]) : full[k - keep.length] })) };
      writeFileAtomic(outFile, tableToCsv(table));
      io.answer(`wrote ${outFile}: ${describeSkipped(t.rows.length, t.skipped).replace('used', 'predicted')}; ${model.target.name}${model.target.unit ? ` [${model.target.unit}]` : ''}, ${Math.round(o.level * 100)} % interval (τ̂ ${model.tau.tau[String(o.level)]?.toFixed(3)})`);
      io.answerJson({ status: 'ok', out: outFile, predicted: t.rows.length, skipped: t.skipped, level: o.level });
    });

  addOutputOptions(addModelOptions(
    learn
      .command('cv')
      .description('cross-validate the forest: R², RMSE, MAE, bias (003 Eqs 5–6) and the coverage of 95 % intervals on held-out data')
      .argument('<table.csv>', 'training table'),
    100,
  ))
    .option('--folds <k>', 'k of k-fold CV (003: 10)', int('--folds', 2, 10_000), 10)
    .option('--repeats <r>', 'repeats with different fold seeds', int('--repeats', 1, 1000), 1)
    .option('--split', "001's stratified 80/20 split instead of k-fold")
    .option('--learners', 'also cross-validate gradient-boosted trees, the linear model and their RMSE-weighted ensemble')
    .action(async (file: string, o: ModelOpts & OutputOptions & { folds: number; repeats: number; split?: boolean; learners?: boolean }) => {
      const io = cliOutput(o);
      const err = io.info;
      checkModelOptions(o);
      const t = readTrainingTable(file, { target: o.target, features: o.features, categorical: o.categorical, log: o.log });
      if (!o.split && o.folds > t.y.length) throw new InputError({ keyPath: '--folds', value: o.folds, expected: `at most the number of complete rows (${t.y.length} in ${file})` });
      err(`${file}: ${describeSkipped(t.y.length, t.skipped)}`);
      const pool = new WorkerPool({ concurrency: o.workers });
      const progress = terminalProgress(!io.quiet);
      try {
        const r = poolRunners(pool);
        const total = o.split ? o.repeats : o.folds * o.repeats;
        progress.start(total, 'cv folds');
        const v = await validateModel({ features: featureSpecs(o), columns: t.columns, y: t.y }, targetSpec(o), {
          scheme: o.split ? 'split' : 'kfold',
          folds: o.folds,
          trainFraction: 0.8,
          repeats: o.repeats,
          seed: o.seed,
          forest: { trees: o.trees, mtry: o.mtry, minNodeSize: o.minNodeSize },
          intervals: { method: o.tauMethod, resamples: o.intervalResamples },
          learners: o.learners,
          tauRunner: r.tauRunner,
          onFold: (d) => progress.update(d),
        });
        progress.stop();
        const m = v.metrics;
        const result = { r2: m.r2, rmse: m.rmse, mae: m.mae, bias: m.bias, coverage95: v.coverage['0.95'] };
        const scale = o.log ? `ln ${o.target}` : o.target;
        const human = [
          `${o.split ? 'stratified 80/20 split' : `${o.folds}-fold CV`} × ${o.repeats} (seed ${o.seed}), ${t.y.length} rows, ${o.trees} trees, τ̂ by ${o.tauMethod}${o.tauMethod === 'resample' ? ` (${o.intervalResamples} resamples per fold)` : ''}`,
          `on ${scale}: R² ${m.r2.toFixed(4)}, RMSE ${m.rmse.toPrecision(4)}, MAE ${m.mae.toPrecision(4)}, bias ${m.bias.toPrecision(3)}; 95 % interval coverage ${(100 * result.coverage95).toFixed(1)} %, mean width ${v.width['0.95'].toPrecision(4)}${o.log ? ' (ln units)' : ''}, median relative half-width ${v.relativeHalfWidth['0.95'].toFixed(3)}${o.repeats > 1 ? ` (coverage per repeat ${v.perRepeat.map((x) => (100 * x.coverage['0.95']).toFixed(1)).join(', ')} %)` : ''}`,
        ];
        if (o.log) {
          const mo = v.metricsOriginalScale;
          human.push(`on ${o.target} (back-transformed exp): R² ${mo.r2.toFixed(4)}, RMSE ${mo.rmse.toPrecision(4)}, MAE ${mo.mae.toPrecision(4)}, bias ${mo.bias.toPrecision(3)}`);
        }
        if (v.learners) human.push(`learners (first repeat, ${scale}): ${Object.entries(v.learners).map(([k, x]) => `${k} R² ${x.r2.toFixed(3)} RMSE ${x.rmse.toPrecision(4)}`).join('; ')}; weights ${Object.entries(v.weights!).map(([k, w]) => `${k} ${w.toFixed(3)}`).join(', ')}`);
        // --json: exactly {"r2","rmse","mae","bias","coverage95"} on stdout, the details on stderr.
        if (io.json) err(human.join('\n'));
        io.answer(human.join('\n'));
        io.answerJson(result);
      } finally {
        progress.stop();
        await pool.close();
      }
    });

  addOutputOptions(learn
    .command('extract'))
    .description('sample covariate rasters at site coordinates: the training table for `learn train`')
    .argument('<sites.csv>', 'table with site coordinates')
    .requiredOption('--rasters <dir>', 'folder of GeoTIFF covariates (optional covariates.csv manifest)')
    .requiredOption('--out <table.csv>', 'output table (written atomically)')
    .option('--lat <column>', 'latitude column (or y in the rasters’ CRS)', 'lat')
    .option('--lon <column>', 'longitude column (or x)', 'lon')
    .action(async (file: string, o: OutputOptions & { rasters: string; out: string; lat: string; lon: string }) => {
      const io = cliOutput(o);
      const err = io.info;
      const outFile = checkOutputFile(o.out, { label: '--out', inputs: [file] });
      const csv = readCsvFile(file);
      requireColumns(csv, [o.lat, o.lon], 'site coordinates');
      const stack = await openStack(o.rasters);
      try {
        for (const note of stack.notes) err(`note: ${note}`);
        const li = csv.header.indexOf(o.lat);
        const lo = csv.header.indexOf(o.lon);
        const coord = (j: number, name: string, lim: number) =>
          Float64Array.from(csv.rows, (row, r) => {
            if (isMissing(row[j])) return NaN;
            const v = Number(row[j]);
            if (!Number.isFinite(v) || (stack.grid.epsg === 4326 && Math.abs(v) > lim)) throw new InputError({ file, line: csv.lines[r], keyPath: name, value: row[j], expected: stack.grid.epsg === 4326 ? `degrees in [−${lim}, ${lim}]` : 'a number' });
            return v;
          });
        const ys = coord(li, o.lat, 90);
        const xs = coord(lo, o.lon, 180);
        const names = stack.layers.map((l) => l.name);
        const vals = await extractPoints(stack, names, xs, ys);
        const replaced = names.filter((n) => csv.header.includes(n));
        if (replaced.length) err(`note: column(s) ${replaced.join(', ')} replaced by the raster values`);
        const base = csv.header.map((h, j) => ({ h, j })).filter((x) => !names.includes(x.h));
        const table = {
          columns: [
            ...base.map(({ h, j }) => ({ name: h, data: csv.rows.map((row) => row[j]) })),
            ...names.map((n, k) => ({ name: n, data: Array.from(vals[k], (v) => (Number.isNaN(v) ? '' : String(v))) })),
          ],
        };
        writeFileAtomic(outFile, tableToCsv(table));
        const missing = names.map((n, k) => `${n} ${vals[k].filter((v) => Number.isNaN(v)).length}`);
        io.answer(`wrote ${outFile}: ${csv.rows.length} sites × ${names.length} covariates (${names.join(', ')}); sites without a value (NoData, outside or no coordinates): ${missing.join(', ')}`);
        io.answerJson({ status: 'ok', out: outFile, sites: csv.rows.length, covariates: names, missing: Object.fromEntries(names.map((n, k) => [n, vals[k].filter((v) => Number.isNaN(v)).length])) });
      } finally {
        await stack.close();
      }
    });
}
