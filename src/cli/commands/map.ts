import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { objectSource } from '../../scenarios/load.js';
import { ScenarioDocument } from '../../scenarios/run.js';
import { addOutputOptions, parseDecimal, runScenarioCommand, type OutputOptions } from '../conventions.js';

/**
 * `rhizocarb map <model.json> --rasters <dir> --out <dir>`: a thin wrapper that builds a `mapping`
 * scenario (`pipeline: model`) and runs it — mean, lower, upper and relative-uncertainty GeoTIFFs
 * with PNG quick-looks, tile by tile in a worker pool, with the usual staging, marker,
 * resolved-scenario.json and summary.json.
 */
export function registerMapCommand(program: Command): void {
  addOutputOptions(
    program
      .command('map')
      .description('predict a model over a covariate stack tile by tile in a worker pool: mean, lower, upper, relative-uncertainty GeoTIFFs and PNG quick-looks (scenario kind mapping, pipeline model)')
      .argument('<model.json>', 'model file from `learn train`')
      .requiredOption('--rasters <dir>', 'folder of GeoTIFF covariates named like the model’s features (optional covariates.csv manifest)')
      .requiredOption('--out <dir>', 'output folder: new, empty, or a previous rhizocarb result (replaced atomically)')
      .option('--set <name=value...>', 'constant value for a feature that is not a raster (e.g. --set top_cm=0 bottom_cm=20)')
      .option('--level <p>', 'interval level (the model must have τ̂ for it)', '0.95')
      .option('--tile <n>', 'tile size in cells (multiple of 16)', '256')
      .option('--workers <n>', 'worker threads (default: cores; 0 = none)')
      .option('--window <x0,y0,w,h>', 'map only this window of the stack grid (cells)')
      .option('--allow-long', 'run even if the work estimate exceeds the documented limit'),
  ).action(async (model: string, o: OutputOptions & { rasters: string; out: string; set?: string[]; level: string; tile: string; workers?: string; window?: string; allowLong?: boolean }) => {
    const constants: Record<string, number> = {};
    for (const s of o.set ?? []) {
      const m = /^([^=]+)=(.+)$/.exec(s);
      if (!m || !Number.isFinite(parseDecimal(m[2]))) throw new InputError({ keyPath: '--set', value: s, expected: 'name=number' });
      constants[m[1]] = parseDecimal(m[2]);
    }
    const num = (name: string, v: string | undefined, ok: (x: number) => boolean, expected: string): number | undefined => {
      if (v === undefined) return undefined;
      const x = parseDecimal(v);
      if (!ok(x)) throw new InputError({ keyPath: name, value: v, expected });
      return x;
    };
    const window = o.window?.split(',').map(parseDecimal);
    if (window && !(window.length === 4 && window.every((v) => Number.isInteger(v) && v >= 0))) throw new InputError({ keyPath: '--window', value: o.window, expected: 'x0,y0,width,height in cells' });
    const doc = new ScenarioDocument(
      objectSource(
        {
          kind: 'mapping',
          name: 'map',
          pipeline: 'model',
          model,
          rasters: o.rasters,
          constants,
          level: num('--level', o.level, (x) => x > 0 && x < 1, 'a level in (0, 1)'),
          maps: {
            tile: num('--tile', o.tile, (x) => Number.isInteger(x) && x >= 16 && x % 16 === 0, 'a multiple of 16'),
            ...(o.workers !== undefined ? { workers: num('--workers', o.workers, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0') } : {}),
            ...(window ? { window } : {}),
          },
        },
        'command line',
      ),
      process.cwd(),
    );
    await runScenarioCommand(doc, o, (r) => {
      const m = r.summary.map as { files: string[]; predictedCells: number; noDataCells: number; unseenLevelCells: number; tiles: number; seconds: number; cellTreesPerSecond: number; workers: number };
      return (
        `wrote ${r.outDir}/: ${m.files.length} files; ${m.predictedCells} cells predicted, ${m.noDataCells} NoData (a covariate missing)` +
        `${m.unseenLevelCells ? `, ${m.unseenLevelCells} with a class unseen in training` : ''}; ${m.tiles} tiles in ${m.seconds.toFixed(1)} s (${m.cellTreesPerSecond.toExponential(2)} cell-trees/s, ${m.workers} workers)`
      );
    });
  });
}
