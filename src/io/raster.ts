import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fromFile, type GeoTIFF, type GeoTIFFImage } from 'geotiff';
import { InputError } from '../core/errors.js';
import { stringColumn, numberColumn, requireColumns } from '../core/csv.js';
import { readCsvFile } from './files.js';

/**
 * Raster input (LEARNING.md "Rasters"): single-band GeoTIFFs read with geotiff.js window by window,
 * grid checks, resampling to a target grid (nearest for classes, bilinear for continuous values)
 * and point extraction. Values come out as Float64 with NoData as NaN and the stack's scale/offset
 * applied, so covariates are in their physical units.
 */
export interface Grid {
  readonly width: number;
  readonly height: number;
  /** x of the left edge and y of the top edge of the raster (CRS units). */
  readonly originX: number;
  readonly originY: number;
  /** Cell size; resY is negative for north-up rasters. */
  readonly resX: number;
  readonly resY: number;
  /** EPSG code when the file declares one (0 = unknown). */
  readonly epsg: number;
  /** The GeoKeys as geotiff.js parses them (copied into written files). */
  readonly geoKeys: Readonly<Record<string, unknown>>;
}

export interface Raster {
  readonly file: string;
  readonly grid: Grid;
  readonly nodata: number | null;
  /** e.g. "Int16", "UInt8", "Float32". */
  readonly dataType: string;
  /** Window [x0, x0+w) × [y0, y0+h) of band 1; NoData and out-of-raster cells → NaN. */
  readWindow(x0: number, y0: number, w: number, h: number): Promise<Float64Array>;
  close(): Promise<void>;
}

function dataTypeOf(img: GeoTIFFImage): string {
  const fmt = img.getSampleFormat();
  const bits = img.getBitsPerSample();
  return `${fmt === 3 ? 'Float' : fmt === 2 ? 'Int' : 'UInt'}${bits}`;
}

/** Decoded full-width row bands kept per raster. */
const BAND_CACHE = 3;

export async function openRaster(file: string): Promise<Raster> {
  let tiff: GeoTIFF;
  let img: GeoTIFFImage;
  try {
    tiff = await fromFile(file);
    img = await tiff.getImage();
  } catch (e) {
    throw new InputError({ file, expected: 'a readable GeoTIFF', detail: (e as Error).message });
  }
  if (img.getSamplesPerPixel() !== 1) throw new InputError({ file, value: `${img.getSamplesPerPixel()} bands`, expected: 'a single-band GeoTIFF (one file per covariate)' });
  let origin: number[];
  let res: number[];
  try {
    origin = img.getOrigin();
    res = img.getResolution();
  } catch (e) {
    throw new InputError({ file, expected: 'a georeferenced GeoTIFF (ModelTiepoint and ModelPixelScale tags)', detail: (e as Error).message });
  }
  const geoKeys = (img.getGeoKeys() ?? {}) as Record<string, unknown>;
  const epsg = Number(geoKeys.ProjectedCSTypeGeoKey ?? geoKeys.GeographicTypeGeoKey ?? 0) || 0;
  const nd = img.getGDALNoData();
  const width = img.getWidth();
  const height = img.getHeight();
  const bands: { y0: number; y1: number; v: ArrayLike<number> }[] = [];
  return {
    file,
    grid: { width, height, originX: origin[0], originY: origin[1], resX: res[0], resY: res[1], epsg, geoKeys },
    nodata: nd,
    dataType: dataTypeOf(img),
    async readWindow(x0, y0, w, h) {
      const out = new Float64Array(w * h).fill(NaN);
      const ax0 = Math.max(0, x0);
      const ay0 = Math.max(0, y0);
      const ax1 = Math.min(width, x0 + w);
      const ay1 = Math.min(height, y0 + h);
      if (ax1 <= ax0 || ay1 <= ay0) return out;
      // Full-width bands of rows are decoded once and kept (the last BAND_CACHE of them): tiles
      // side by side share their strips, and memory stays bounded by band height × raster width.
      let band = bands.find((b) => b.y0 <= ay0 && b.y1 >= ay1);
      if (!band) {
        const r = (await img.readRasters({ window: [0, ay0, width, ay1], samples: [0], interleave: true })) as unknown as ArrayLike<number>;
        band = { y0: ay0, y1: ay1, v: r };
        bands.push(band);
        if (bands.length > BAND_CACHE) bands.shift();
      }
      const r = band.v;
      for (let y = ay0; y < ay1; y++) {
        const rowOff = (y - band.y0) * width;
        for (let x = ax0; x < ax1; x++) {
          const v = r[rowOff + x];
          out[(y - y0) * w + (x - x0)] = nd !== null && v === nd ? NaN : v;
        }
      }
      return out;
    },
    async close() {
      tiff.close?.();
    },
  };
}

/** Relative tolerance on origins and cell sizes when comparing grids (0.1 % of a cell). */
const GRID_TOL = 1e-3;

/** Differences between two grids ("" when they agree). */
export function gridDifference(a: Grid, b: Grid): string {
  const d: string[] = [];
  if (a.width !== b.width || a.height !== b.height) d.push(`size ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  if (Math.abs(a.resX - b.resX) > GRID_TOL * Math.abs(a.resX) || Math.abs(a.resY - b.resY) > GRID_TOL * Math.abs(a.resY)) d.push(`cell size ${a.resX}×${a.resY} vs ${b.resX}×${b.resY}`);
  if (Math.abs(a.originX - b.originX) > GRID_TOL * Math.abs(a.resX) || Math.abs(a.originY - b.originY) > GRID_TOL * Math.abs(a.resY)) d.push(`origin (${a.originX}, ${a.originY}) vs (${b.originX}, ${b.originY})`);
  if (a.epsg !== b.epsg) d.push(`CRS EPSG:${a.epsg || '?'} vs EPSG:${b.epsg || '?'}`);
  return d.join(', ');
}

export function describeGrid(g: Grid): string {
  return `${g.width}×${g.height} cells of ${Math.abs(g.resX)}×${Math.abs(g.resY)}, origin (${g.originX}, ${g.originY}), EPSG:${g.epsg || 'unknown'}`;
}

/** One covariate of a stack: its raster, name, unit, kind and linear scaling to physical units. */
export interface StackLayer {
  readonly name: string;
  readonly unit: string;
  readonly kind: 'numeric' | 'categorical';
  /** physical = scale × stored + offset. */
  readonly scale: number;
  readonly offset: number;
  readonly raster: Raster;
  /** How it is brought to the stack's grid: 'same grid', 'nearest', 'bilinear'. */
  readonly resampling: 'same grid' | 'nearest' | 'bilinear';
}

export interface RasterStack {
  readonly dir: string;
  readonly grid: Grid;
  readonly layers: readonly StackLayer[];
  /** Notes for the user (resampling, manifest). */
  readonly notes: readonly string[];
  layer(name: string): StackLayer | undefined;
  /** The named covariates over a window of the stack grid (physical units, NaN = NoData). */
  readWindow(names: readonly string[], x0: number, y0: number, w: number, h: number): Promise<Float64Array[]>;
  close(): Promise<void>;
}

/** Name of the optional manifest in a raster folder. */
export const STACK_MANIFEST = 'covariates.csv';

/**
 * Open a folder of single-band GeoTIFFs as a covariate stack. With a `covariates.csv` manifest
 * (columns name, file, unit, kind = numeric|categorical, scale, offset) the layers are named and
 * scaled by it; without one, every .tif is a numeric layer named by its file name. The stack grid is
 * that of `gridOf` (a layer name) or of the first layer; layers on other grids are resampled
 * window by window (nearest for categorical, bilinear for numeric) and each is noted.
 */
export async function openStack(dir: string, options: { gridOf?: string } = {}): Promise<RasterStack> {
  if (!existsSync(dir)) throw new InputError({ file: dir, expected: 'a folder of GeoTIFF covariates' });
  const manifestPath = join(dir, STACK_MANIFEST);
  const specs: { name: string; file: string; unit: string; kind: 'numeric' | 'categorical'; scale: number; offset: number }[] = [];
  const notes: string[] = [];
  if (existsSync(manifestPath)) {
    const t = readCsvFile(manifestPath);
    requireColumns(t, ['name', 'file'], 'raster manifest');
    const errors: InputError[] = [];
    const names = stringColumn(t, 'name');
    const files = stringColumn(t, 'file');
    const units = stringColumn(t, 'unit');
    const kinds = stringColumn(t, 'kind');
    const scale = numberColumn(t, 'scale', errors);
    const offset = numberColumn(t, 'offset', errors);
    if (errors.length) throw errors[0];
    for (let i = 0; i < t.rows.length; i++) {
      const kind = kinds[i] || 'numeric';
      if (kind !== 'numeric' && kind !== 'categorical') throw new InputError({ file: manifestPath, line: t.lines[i], keyPath: 'kind', value: kind, expected: '"numeric" or "categorical"' });
      if (!existsSync(join(dir, files[i]))) throw new InputError({ file: manifestPath, line: t.lines[i], keyPath: 'file', value: files[i], expected: `a GeoTIFF in ${dir}` });
      specs.push({ name: names[i], file: files[i], unit: units[i], kind, scale: Number.isNaN(scale[i]) ? 1 : scale[i], offset: Number.isNaN(offset[i]) ? 0 : offset[i] });
    }
    notes.push(`layers named and scaled by ${manifestPath}`);
  } else {
    const tifs = readdirSync(dir).filter((f) => /\.tiff?$/i.test(f)).sort();
    if (tifs.length === 0) throw new InputError({ file: dir, expected: 'a folder with .tif covariates (or a covariates.csv manifest)' });
    for (const f of tifs) specs.push({ name: basename(f).replace(/\.tiff?$/i, ''), file: f, unit: '', kind: 'numeric', scale: 1, offset: 0 });
    notes.push(`no ${STACK_MANIFEST}: every .tif is a numeric covariate named by its file`);
  }
  const rasters = await Promise.all(specs.map((s) => openRaster(join(dir, s.file))));
  const refIndex = options.gridOf ? specs.findIndex((s) => s.name === options.gridOf) : 0;
  if (refIndex < 0) throw new InputError({ keyPath: 'grid', value: options.gridOf, expected: `one of the stack's layers: ${specs.map((s) => s.name).join(', ')}` });
  const grid = rasters[refIndex].grid;
  const layers: StackLayer[] = specs.map((s, i) => {
    const diff = gridDifference(rasters[i].grid, grid);
    if (diff && rasters[i].grid.epsg !== grid.epsg && rasters[i].grid.epsg && grid.epsg) {
      throw new InputError({ file: rasters[i].file, value: `EPSG:${rasters[i].grid.epsg}`, expected: `the CRS of the stack grid (EPSG:${grid.epsg}); reprojection is not supported, warp it first (e.g. gdalwarp)` });
    }
    const resampling = diff ? (s.kind === 'categorical' ? 'nearest' : 'bilinear') : 'same grid';
    if (diff) notes.push(`${s.name}: ${diff} → resampled to the stack grid (${resampling})`);
    return { ...s, raster: rasters[i], resampling };
  });
  return {
    dir,
    grid,
    layers,
    notes,
    layer: (name) => layers.find((l) => l.name === name),
    async readWindow(names, x0, y0, w, h) {
      return Promise.all(
        names.map(async (name) => {
          const l = layers.find((x) => x.name === name);
          if (!l) throw new InputError({ file: dir, keyPath: name, expected: `a covariate of the stack (has ${layers.map((x) => x.name).join(', ')})` });
          const v = l.resampling === 'same grid' ? await l.raster.readWindow(x0, y0, w, h) : await resampleWindow(l.raster, grid, x0, y0, w, h, l.resampling);
          if (l.scale !== 1 || l.offset !== 0) for (let i = 0; i < v.length; i++) v[i] = l.scale * v[i] + l.offset;
          return v;
        }),
      );
    },
    async close() {
      await Promise.all(rasters.map((r) => r.close()));
    },
  };
}

/**
 * A window of the target grid sampled from a raster on another grid (same CRS): nearest cell, or
 * bilinear between the four surrounding cell centres (NaN if any of them is NoData). Reads only
 * the source window that covers the target window.
 */
export async function resampleWindow(src: Raster, target: Grid, x0: number, y0: number, w: number, h: number, method: 'nearest' | 'bilinear'): Promise<Float64Array> {
  const s = src.grid;
  // Source fractional pixel coordinates of target cell centres.
  const fx = (x: number) => (target.originX + (x + 0.5) * target.resX - s.originX) / s.resX;
  const fy = (y: number) => (target.originY + (y + 0.5) * target.resY - s.originY) / s.resY;
  const xs = [fx(x0), fx(x0 + w - 1)];
  const ys = [fy(y0), fy(y0 + h - 1)];
  const sx0 = Math.max(0, Math.floor(Math.min(...xs) - 1));
  const sy0 = Math.max(0, Math.floor(Math.min(...ys) - 1));
  const sx1 = Math.min(s.width, Math.ceil(Math.max(...xs) + 2));
  const sy1 = Math.min(s.height, Math.ceil(Math.max(...ys) + 2));
  const out = new Float64Array(w * h).fill(NaN);
  if (sx1 <= sx0 || sy1 <= sy0) return out;
  const sw = sx1 - sx0;
  const sh = sy1 - sy0;
  const v = await src.readWindow(sx0, sy0, sw, sh);
  const at = (cx: number, cy: number) => (cx < 0 || cy < 0 || cx >= sw || cy >= sh ? NaN : v[cy * sw + cx]);
  for (let y = 0; y < h; y++) {
    const py = fy(y0 + y) - sy0;
    for (let x = 0; x < w; x++) {
      const px = fx(x0 + x) - sx0;
      if (method === 'nearest') out[y * w + x] = at(Math.floor(px), Math.floor(py));
      else {
        const gx = px - 0.5;
        const gy = py - 0.5;
        const ix = Math.floor(gx);
        const iy = Math.floor(gy);
        const tx = gx - ix;
        const ty = gy - iy;
        out[y * w + x] = (1 - ty) * ((1 - tx) * at(ix, iy) + tx * at(ix + 1, iy)) + ty * ((1 - tx) * at(ix, iy + 1) + tx * at(ix + 1, iy + 1));
      }
    }
  }
  return out;
}

/** Cell (column, row) of the stack grid containing (x, y) in CRS units (lon, lat for EPSG:4326); −1 outside. */
export function cellOf(g: Grid, x: number, y: number): { col: number; row: number } {
  const col = Math.floor((x - g.originX) / g.resX);
  const row = Math.floor((y - g.originY) / g.resY);
  if (!(col >= 0 && col < g.width && row >= 0 && row < g.height)) return { col: -1, row: -1 };
  return { col, row };
}

/** Values of the named covariates at points (NaN outside the grid or on NoData); reads one grid row per distinct row. */
export async function extractPoints(stack: RasterStack, names: readonly string[], xs: ArrayLike<number>, ys: ArrayLike<number>): Promise<Float64Array[]> {
  const out = names.map(() => new Float64Array(xs.length).fill(NaN));
  const byRow = new Map<number, number[]>();
  for (let i = 0; i < xs.length; i++) {
    const { col, row } = cellOf(stack.grid, xs[i], ys[i]);
    if (col < 0) continue;
    const list = byRow.get(row);
    if (list) list.push(i);
    else byRow.set(row, [i]);
  }
  for (const [row, pts] of byRow) {
    const v = await stack.readWindow(names, 0, row, stack.grid.width, 1);
    for (const i of pts) {
      const { col } = cellOf(stack.grid, xs[i], ys[i]);
      names.forEach((_, j) => (out[j][i] = v[j][col]));
    }
  }
  return out;
}
