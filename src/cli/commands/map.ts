import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { gitCommit, packageVersion } from '../../core/paths.js';
import { WorkerPool } from '../../engine/pool.js';
import { StagedOutputDir } from '../../io/atomic.js';
import { openStack } from '../../io/raster.js';
import { runMap } from '../../scenarios/mapping/map-run.js';
import { readModelFile } from '../../scenarios/mapping/model-io.js';
import { terminalProgress } from '../progress.js';

/** `rhizocarb map <model.json> --rasters <dir> --out <dir>`: mean, lower, upper, relative uncertainty GeoTIFFs + PNGs. */
export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('predict a model over a covariate stack tile by tile in a worker pool: mean, lower, upper, relative-uncertainty GeoTIFFs and PNG quick-looks')
    .argument('<model.json>', 'model file from `learn train`')
    .requiredOption('--rasters <dir>', 'folder of GeoTIFF covariates named like the model’s features (optional covariates.csv manifest)')
    .requiredOption('-o, --out <dir>', 'output folder (replaced atomically on success)')
    .option('--set <name=value...>', 'constant value for a feature that is not a raster (e.g. --set top_cm=0 bottom_cm=20)')
    .option('--level <p>', 'interval level (the model must have τ̂ for it)', '0.95')
    .option('--tile <n>', 'tile size in cells (multiple of 16)', '256')
    .option('--workers <n>', 'worker threads (default: cores; 0 = none)')
    .option('--window <x0,y0,w,h>', 'map only this window of the stack grid (cells)')
    .option('-q, --quiet', 'no progress bar')
    .action(async (modelFile: string, o: { rasters: string; out: string; set?: string[]; level: string; tile: string; workers?: string; window?: string; quiet?: boolean }) => {
      const model = readModelFile(modelFile);
      const constants: Record<string, number> = {};
      for (const s of o.set ?? []) {
        const m = /^([^=]+)=(.+)$/.exec(s);
        if (!m || !Number.isFinite(Number(m[2]))) throw new InputError({ keyPath: '--set', value: s, expected: 'name=number' });
        if (!model.features.some((f) => f.name === m[1])) throw new InputError({ keyPath: '--set', value: m[1], expected: `a feature of the model (${model.features.map((f) => f.name).join(', ')})` });
        constants[m[1]] = Number(m[2]);
      }
      const tile = Number(o.tile);
      if (!(Number.isInteger(tile) && tile >= 16 && tile % 16 === 0)) throw new InputError({ keyPath: '--tile', value: o.tile, expected: 'a multiple of 16' });
      const level = Number(o.level);
      if (model.tau.tau[String(level)] === undefined) throw new InputError({ keyPath: '--level', value: o.level, expected: `a level the model has τ̂ for (${Object.keys(model.tau.tau).join(', ')})` });
      const workers = o.workers === undefined ? undefined : Number(o.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) throw new InputError({ keyPath: '--workers', value: o.workers, expected: 'an integer ≥ 0' });
      const window = o.window?.split(',').map(Number);
      if (window && !(window.length === 4 && window.every((v) => Number.isInteger(v) && v >= 0) && window[2] > 0 && window[3] > 0)) throw new InputError({ keyPath: '--window', value: o.window, expected: 'x0,y0,width,height in cells' });
      const stack = await openStack(o.rasters);
      if (window && (window[0] + window[2] > stack.grid.width || window[1] + window[3] > stack.grid.height)) throw new InputError({ keyPath: '--window', value: o.window, expected: `a window inside the ${stack.grid.width}×${stack.grid.height} grid` });
      const out = new StagedOutputDir(o.out);
      const pool = new WorkerPool({ concurrency: workers });
      try {
        for (const n of stack.notes) process.stderr.write(`note: ${n}\n`);
        const name = model.target.name;
        const unit = model.target.unit ?? '';
        const summary = await runMap({
          stack, out, pool, tileSize: tile, level, window: window as [number, number, number, number] | undefined,
          models: [{ name, model, constants, title: name, unit }],
          progress: terminalProgress(!o.quiet),
          meta: (n) => {
            const kind = n.slice(name.length + 1);
            const label = { mean: 'prediction', lower: `lower ${level * 100} % bound`, upper: `upper ${level * 100} % bound`, relunc: 'relative uncertainty (τ̂·sd / prediction)' }[kind] ?? kind;
            return { title: `${name}: ${label}`, unit: kind === 'relunc' ? '1' : unit };
          },
        });
        const doc = { command: 'map', model: modelFile, rasters: o.rasters, constants, level, version: packageVersion(), gitCommit: gitCommit() ?? null, stackNotes: stack.notes, ...summary };
        out.write('summary.json', JSON.stringify(doc, null, 2) + '\n');
        out.commit();
        process.stdout.write(
          `wrote ${o.out}/: ${summary.files.length} files; ${summary.predictedCells} cells predicted, ${summary.noDataCells} NoData (a covariate missing)` +
            `${summary.unseenLevelCells ? `, ${summary.unseenLevelCells} with a class unseen in training` : ''}; ${summary.tiles} tiles in ${summary.seconds.toFixed(1)} s (${summary.cellTreesPerSecond.toExponential(2)} cell-trees/s, ${summary.workers} workers)\n`,
        );
      } catch (e) {
        out.abort();
        throw e;
      } finally {
        await pool.close();
        await stack.close();
      }
    });
}
