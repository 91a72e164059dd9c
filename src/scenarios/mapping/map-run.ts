import { performance } from 'node:perf_hooks';
import { InputError } from '../../core/errors.js';
import type { WorkerPool } from '../../engine/pool.js';
import type { StagedOutputDir } from '../../io/atomic.js';
import { GeoTiffWriter } from '../../io/geotiff-writer.js';
import { mapFigurePng, Preview } from '../../io/map-figure.js';
import { describeGrid, type RasterStack } from '../../io/raster.js';
import { mapTile, tauAt, treeCount, type IlossSpec, type StockExtrapolationSpec, type MapTileResult, type MapTileTask, type MappingModel, type TileModel } from '../../learning/index.js';
import type { Progress } from '../registry.js';
import { LEARNING_TASKS } from '../learning-runners.js';

/**
 * Tile-by-tile prediction over a covariate stack (LEARNING.md "Rasters"): the main thread reads
 * each tile's covariates (resampled to the stack grid where needed), a worker predicts it
 * (learning/map-tile.ts), the main thread appends the compressed tile to one GeoTIFF per output
 * and fills a downsampled preview for the PNG quick-look. At most 2 × workers tiles are in flight,
 * so memory is bounded by the tile size, not the raster. Cells with NoData in any covariate are
 * NoData in every output, and counted.
 */
export interface MapModelSpec {
  readonly name: string;
  readonly model: MappingModel;
  /** Values for features that are not stack layers (e.g. layer depths). */
  readonly constants?: Readonly<Record<string, number>>;
  readonly title: string;
  readonly unit: string;
}

export interface OutputMeta {
  readonly title: string;
  readonly unit: string;
  readonly palette?: 'viridis' | 'diverging';
}

export interface MapRunOptions {
  readonly stack: RasterStack;
  readonly models: readonly MapModelSpec[];
  readonly iloss?: Omit<IlossSpec, 'stream'>;
  readonly stockExtrapolation?: StockExtrapolationSpec;
  readonly out: StagedOutputDir;
  /** Folder inside the output folder for rasters (default "maps"). */
  readonly folder?: string;
  readonly pool: WorkerPool;
  readonly tileSize?: number;
  readonly level?: number;
  readonly progress: Progress;
  /** Which outputs get a PNG quick-look (default all). */
  readonly png?: (name: string) => boolean;
  readonly meta: (name: string) => OutputMeta;
  /** Called between tiles (lets signals in; throws when aborted). */
  readonly checkpoint?: () => Promise<void>;
  readonly signal?: AbortSignal;
  /** Restrict to a window of the stack grid (x0, y0, w, h); default the whole grid. */
  readonly window?: readonly [number, number, number, number];
}

export interface MapRunSummary {
  readonly grid: string;
  readonly cells: number;
  readonly predictedCells: number;
  readonly noDataCells: number;
  readonly unseenLevelCells: number;
  readonly tiles: number;
  readonly tileSize: number;
  readonly workers: number;
  readonly seconds: number;
  readonly treesPerCell: number;
  readonly cellTreesPerSecond: number;
  readonly files: string[];
  /** Pipeline iloss: worst relative |Σ_layers I_loss − I_loss total| over cells. */
  readonly ilossLayerSumError?: number;
}

export async function runMap(o: MapRunOptions): Promise<MapRunSummary> {
  const t0 = performance.now();
  const { stack } = o;
  const ts = o.tileSize ?? 256;
  const level = o.level ?? 0.95;
  const folder = o.folder ?? 'maps';
  // Columns: the union of stack layers the models need.
  const needed: string[] = [];
  const tileModels: TileModel[] = o.models.map((m) => {
    const featureIndex: number[] = [];
    const constants: number[] = [];
    for (const f of m.model.features) {
      const c = m.constants?.[f.name];
      if (c !== undefined) {
        featureIndex.push(-1);
        constants.push(c);
        continue;
      }
      const layer = stack.layer(f.name);
      if (!layer) throw new InputError({ file: stack.dir, keyPath: f.name, expected: `a covariate named "${f.name}" for model ${m.name} (the stack has ${stack.layers.map((l) => l.name).join(', ')})` });
      if (layer.kind !== f.kind) throw new InputError({ file: stack.dir, keyPath: f.name, value: layer.kind, expected: `a ${f.kind} covariate, as in the model's training` });
      let k = needed.indexOf(f.name);
      if (k < 0) k = needed.push(f.name) - 1;
      featureIndex.push(k);
      constants.push(NaN);
    }
    return { name: m.name, forest: m.model.forest, target: m.model.target, tau: tauAt(m.model, level), featureIndex, constants };
  });
  const [wx0, wy0, ww, wh] = o.window ?? [0, 0, stack.grid.width, stack.grid.height];
  const grid = { ...stack.grid, width: ww, height: wh, originX: stack.grid.originX + wx0 * stack.grid.resX, originY: stack.grid.originY + wy0 * stack.grid.resY };
  const across = Math.ceil(ww / ts);
  const down = Math.ceil(wh / ts);
  const tiles = across * down;
  const writers = new Map<string, GeoTiffWriter>();
  const previews = new Map<string, Preview>();
  let predicted = 0;
  let unseen = 0;
  let ilossErr = 0;
  const files: string[] = [];
  const writerFor = (name: string): GeoTiffWriter => {
    let w = writers.get(name);
    if (!w) {
      const meta = o.meta(name);
      const rel = `${folder}/${name}.tif`;
      files.push(rel);
      w = new GeoTiffWriter(o.out.path(rel), { grid, tileSize: ts, description: meta.title, unit: meta.unit, software: 'rhizocarb map' });
      writers.set(name, w);
      if (o.png?.(name) ?? true) previews.set(name, new Preview(grid));
    }
    return w;
  };
  o.progress.start(tiles, 'map tiles');
  try {
    let next = 0;
    let done = 0;
    const inFlight = Math.max(1, 2 * Math.max(1, o.pool.concurrency));
    const work = async () => {
      while (next < tiles) {
        const k = next++;
        const tx = k % across;
        const ty = Math.floor(k / across);
        const x0 = tx * ts;
        const y0 = ty * ts;
        const w = Math.min(ts, ww - x0);
        const h = Math.min(ts, wh - y0);
        await o.checkpoint?.();
        const columns = await stack.readWindow(needed, wx0 + x0, wy0 + y0, w, h);
        const task: MapTileTask = { columns, n: w * h, models: tileModels, iloss: o.iloss ? { ...o.iloss, stream: k } : undefined, stockExtrapolation: o.stockExtrapolation };
        const r = o.pool.concurrency === 0 ? mapTile(task) : await o.pool.run<MapTileTask, MapTileResult>({ module: LEARNING_TASKS, name: 'mapTileTask' }, task, o.signal);
        if (r.ilossLayerSumError !== undefined) ilossErr = Math.max(ilossErr, r.ilossLayerSumError);
        predicted += r.predicted;
        unseen += r.unseenLevel;
        for (const [name, v] of Object.entries(r.outputs)) {
          writerFor(name).writeTile(tx, ty, v, w, h);
          previews.get(name)?.add(x0, y0, w, h, v);
        }
        o.progress.update(++done, { tile: `${done}/${tiles}` });
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, tiles) }, work));
  } catch (e) {
    for (const w of writers.values()) w.abort();
    throw e;
  } finally {
    o.progress.stop();
  }
  for (const w of writers.values()) w.close();
  for (const [name, p] of previews) {
    const meta = o.meta(name);
    const rel = `${folder}/${name}.png`;
    o.out.write(rel, await mapFigurePng({ values: p.values, width: p.width, height: p.height, grid, title: meta.title, unit: meta.unit, palette: meta.palette }));
    files.push(rel);
  }
  const seconds = (performance.now() - t0) / 1000;
  const trees = o.models.reduce((a, m) => a + treeCount(m.model.forest), 0);
  return {
    grid: describeGrid(grid),
    cells: ww * wh,
    predictedCells: predicted,
    noDataCells: ww * wh - predicted,
    unseenLevelCells: unseen,
    tiles,
    tileSize: ts,
    workers: o.pool.concurrency,
    seconds,
    treesPerCell: trees,
    cellTreesPerSecond: (predicted * trees) / seconds,
    files,
    ilossLayerSumError: o.iloss ? ilossErr : undefined,
  };
}
