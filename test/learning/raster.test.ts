import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPath } from '../../src/io/paths.js';
import { WorkerPool } from '../../src/engine/pool.js';
import { StagedOutputDir } from '../../src/io/atomic.js';
import { writeGeoTiff } from '../../src/io/geotiff-writer.js';
import { openRaster, openStack, type Grid } from '../../src/io/raster.js';
import { readTrainingTable } from '../../src/io/training-table.js';
import { fitModel, quantile } from '../../src/learning/index.js';
import { summariseDrawsMedian as summarise } from '../../src/numerics/draw-summary.js';
import { silentProgress } from '../../src/scenarios/registry.js';
import { runMap } from '../../src/scenarios/mapping/map-run.js';
import { SeededRng } from '../../src/numerics/random.js';

const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-raster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasGdal = (() => {
  try {
    execFileSync('gdalinfo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const geo = { GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1, GeographicTypeGeoKey: 4326 };

describe('raster io', () => {
  it('bilinear resampling reproduces a linear field exactly; nearest keeps classes', async () => {
    // Coarse 1° grid holding f(lon, lat) = 3 + 0.5·lon − 0.25·lat at cell centres.
    const coarse: Grid = { width: 40, height: 30, originX: 0, originY: 30, resX: 1, resY: -1, epsg: 4326, geoKeys: geo };
    const f = (x: number, y: number) => 3 + 0.5 * x - 0.25 * y;
    const v = new Float64Array(40 * 30);
    for (let r = 0; r < 30; r++) for (let c = 0; c < 40; c++) v[r * 40 + c] = f(c + 0.5, 30 - r - 0.5);
    const fine: Grid = { ...coarse, width: 160, height: 120, resX: 0.25, resY: -0.25 };
    writeGeoTiff(join(dir, 'fine.tif'), new Float64Array(160 * 120), { grid: fine });
    writeGeoTiff(join(dir, 'coarse.tif'), v, { grid: coarse });
    writeGeoTiff(join(dir, 'cls.tif'), Float64Array.from(v, (x) => Math.round(x)), { grid: coarse });
    writeFileSync(join(dir, 'covariates.csv'), 'name,file,unit,kind\nfine,fine.tif,,numeric\nlin,coarse.tif,u,numeric\ncls,cls.tif,,categorical\n');
    const stack = await openStack(dir);
    expect(stack.notes.join('\n')).toMatch(/lin: .*→ resampled to the stack grid \(bilinear\)/);
    expect(stack.notes.join('\n')).toMatch(/cls: .*nearest/);
    const [lin, cls] = await stack.readWindow(['lin', 'cls'], 0, 0, 160, 120);
    let maxErr = 0;
    let clsErr = 0;
    for (let r = 4; r < 116; r++) {
      for (let c = 4; c < 156; c++) {
        const x = (c + 0.5) * 0.25;
        const y = 30 - (r + 0.5) * 0.25;
        maxErr = Math.max(maxErr, Math.abs(lin[r * 160 + c] - f(x, y)));
        const cc = Math.floor(x);
        const rr = Math.floor(30 - y);
        if (cls[r * 160 + c] !== Math.round(v[rr * 40 + cc])) clsErr++;
      }
    }
    console.log(`bilinear 1° → 0.25° on a linear field: max error ${maxErr.toExponential(2)} (Float32 storage); nearest-class mismatches ${clsErr}`);
    expect(maxErr).toBeLessThan(1e-5);
    expect(clsErr).toBe(0);
    await stack.close();
  });

  it('Monte Carlo summaries: median and 2.5/97.5 % by selection equal the sorted type-7 quantiles', () => {
    const rng = new SeededRng(4);
    for (const n of [2, 7, 100, 501]) {
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const ref = { median: quantile(x, 0.5), lo: quantile(x, 0.025), hi: quantile(x, 0.975), mean: x.reduce((a, b) => a + b, 0) / n };
      const s = summarise(Float64Array.from(x));
      expect(s.median).toBe(ref.median);
      expect(s.lower).toBe(ref.lo);
      expect(s.upper).toBe(ref.hi);
      expect(s.relunc).toBeCloseTo((ref.hi - ref.lo) / 2 / Math.abs(ref.median), 12);
    }
  });

  it('a 2160 × 900 map in bounded memory: tiled GeoTIFFs that GDAL reads (gdalinfo -stats)', async () => {
    const t = readTrainingTable(dataPath('mapping/training/forc_plots_Iroot_fBNPP.csv'), { target: 'I_root', features: ['mat_degC', 'map_mm', 'elevation_m', 'soil_order', 'biome4'], categorical: ['soil_order', 'biome4'], log: true });
    const model = await fitModel({ features: ['mat_degC', 'map_mm', 'elevation_m', 'soil_order', 'biome4'].map((name) => ({ name, kind: name === 'soil_order' || name === 'biome4' ? 'categorical' : 'numeric' })), columns: t.columns, y: t.y }, { name: 'I_root', unit: 'Mg C ha-1 yr-1', transform: 'log' }, { forest: { trees: 10 }, intervals: { method: 'oob' }, importance: false });
    const stack = await openStack(dataPath('mapping/rasters'));
    const out = new StagedOutputDir(join(dir, 'map'), { kind: 'test', version: '0' });
    const pool = new WorkerPool({ concurrency: 2 });
    const rss0 = process.memoryUsage().rss;
    try {
      const s = await runMap({ stack, out, pool, models: [{ name: 'iroot', model, title: 'I_root', unit: 'Mg C ha-1 yr-1' }], progress: silentProgress, png: (n) => n.endsWith('_mean'), meta: (n) => ({ title: n, unit: n.endsWith('relunc') ? '1' : 'Mg C ha-1 yr-1' }) });
      out.commit();
      const peak = process.resourceUsage().maxRSS / 1024;
      console.log(`map 2160×900: ${s.predictedCells} cells predicted, ${s.noDataCells} NoData, ${s.unseenLevelCells} with a class unseen in training; ${s.tiles} tiles of ${s.tileSize}² in ${s.seconds.toFixed(2)} s with ${s.workers} workers (${s.cellTreesPerSecond.toExponential(2)} cell-trees/s); RSS before ${(rss0 / 2 ** 20).toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB (test process)`);
      expect(s.predictedCells).toBeGreaterThan(500_000);
      expect(s.noDataCells + s.predictedCells).toBe(2160 * 900);
      const mean = join(dir, 'map', 'maps', 'iroot_mean.tif');
      expect(existsSync(join(dir, 'map', 'maps', 'iroot_mean.png'))).toBe(true);
      const r = await openRaster(mean);
      expect(r.grid.width).toBe(2160);
      const all = await r.readWindow(0, 0, 2160, 900);
      let mn = Infinity;
      let mx = -Infinity;
      let valid = 0;
      for (const v of all) if (!Number.isNaN(v)) { valid++; mn = Math.min(mn, v); mx = Math.max(mx, v); }
      expect(valid).toBe(s.predictedCells);
      await r.close();
      if (!hasGdal) {
        console.log('gdalinfo not found: GDAL check skipped (apt-get install -y gdal-bin)');
        return;
      }
      const info = execFileSync('gdalinfo', ['-stats', mean], { encoding: 'utf8' });
      const m = /Minimum=([-\d.e+]+), Maximum=([-\d.e+]+)/.exec(info)!;
      console.log(`gdalinfo -stats: Minimum=${m[1]}, Maximum=${m[2]} (geotiff.js read-back ${mn.toPrecision(6)} … ${mx.toPrecision(6)}); ${/Block=256x256 Type=Float32/.test(info) ? 'tiled 256×256 Float32' : 'NOT tiled'}, ${/COMPRESSION=DEFLATE/.test(info) ? 'DEFLATE' : 'uncompressed'}, NoData ${/NoData Value=(\S+)/.exec(info)?.[1]}, ${/ID\["EPSG",4326\]/.test(info) ? 'EPSG:4326' : 'CRS?'}`);
      expect(Number(m[1])).toBeCloseTo(mn, 2);
      expect(Number(m[2])).toBeCloseTo(mx, 2);
      expect(info).toMatch(/Block=256x256 Type=Float32/);
      expect(info).toMatch(/COMPRESSION=DEFLATE/);
      expect(info).toMatch(/NoData Value=-9999/);
      expect(info).toMatch(/Origin = \(-180\.0+,90\.0+\)/);
      expect(info).toMatch(/ID\["EPSG",4326\]/);
    } finally {
      await pool.close();
      await stack.close();
    }
    // 2160 × 900 cells: about a minute on an idle 2-core machine; the default 120 s timed out once at load 18.
  }, 300_000);
});
