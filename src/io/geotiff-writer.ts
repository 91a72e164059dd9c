import { closeSync, openSync, writeSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { Grid } from './raster.js';

/**
 * A streaming writer of tiled, DEFLATE-compressed, single-band Float32 GeoTIFFs (classic TIFF,
 * little-endian) with NoData and georeferencing: tiles are compressed and appended as they arrive
 * (any order), the directory is written at the end, so memory is bounded by one tile. Tags written
 * (TIFF 6.0, GeoTIFF 1.0, GDAL): size, 32-bit float samples, compression 8 (Adobe Deflate),
 * floating-point predictor 3 (TIFF Technical Note 3), tile size/offsets/byte counts,
 * ModelPixelScale, ModelTiepoint, GeoKeyDirectory (+ double and ASCII params) copied from the
 * covariates' keys, GDAL_NODATA and GDAL_METADATA (band description and unit).
 * geotiff.js's own writer makes only uncompressed strips, hence this one.
 */
export interface GeoTiffWriterOptions {
  readonly grid: Grid;
  readonly tileSize?: number;
  readonly nodata?: number;
  readonly description?: string;
  readonly unit?: string;
  readonly software?: string;
  /** Horizontal floating-point predictor (better compression); default true. */
  readonly predictor?: boolean;
}

export const DEFAULT_NODATA = -9999;

/** GeoKey ids by the names geotiff.js gives them; doubles listed in DOUBLE_KEYS. */
const GEO_KEY_IDS: Record<string, number> = {
  GTModelTypeGeoKey: 1024, GTRasterTypeGeoKey: 1025, GTCitationGeoKey: 1026,
  GeographicTypeGeoKey: 2048, GeogCitationGeoKey: 2049, GeogGeodeticDatumGeoKey: 2050, GeogPrimeMeridianGeoKey: 2051,
  GeogLinearUnitsGeoKey: 2052, GeogLinearUnitSizeGeoKey: 2053, GeogAngularUnitsGeoKey: 2054, GeogAngularUnitSizeGeoKey: 2055,
  GeogEllipsoidGeoKey: 2056, GeogSemiMajorAxisGeoKey: 2057, GeogSemiMinorAxisGeoKey: 2058, GeogInvFlatteningGeoKey: 2059,
  GeogAzimuthUnitsGeoKey: 2060, GeogPrimeMeridianLongGeoKey: 2061,
  ProjectedCSTypeGeoKey: 3072, PCSCitationGeoKey: 3073, ProjectionGeoKey: 3074, ProjCoordTransGeoKey: 3075,
  ProjLinearUnitsGeoKey: 3076, ProjLinearUnitSizeGeoKey: 3077, ProjStdParallel1GeoKey: 3078, ProjStdParallel2GeoKey: 3079,
  ProjNatOriginLongGeoKey: 3080, ProjNatOriginLatGeoKey: 3081, ProjFalseEastingGeoKey: 3082, ProjFalseNorthingGeoKey: 3083,
  ProjFalseOriginLongGeoKey: 3084, ProjFalseOriginLatGeoKey: 3085, ProjFalseOriginEastingGeoKey: 3086, ProjFalseOriginNorthingGeoKey: 3087,
  ProjCenterLongGeoKey: 3088, ProjCenterLatGeoKey: 3089, ProjCenterEastingGeoKey: 3090, ProjCenterNorthingGeoKey: 3091,
  ProjScaleAtNatOriginGeoKey: 3092, ProjScaleAtCenterGeoKey: 3093, ProjAzimuthAngleGeoKey: 3094, ProjStraightVertPoleLongGeoKey: 3095,
  VerticalCSTypeGeoKey: 4096, VerticalCitationGeoKey: 4097, VerticalDatumGeoKey: 4098, VerticalUnitsGeoKey: 4099,
};
const DOUBLE_KEYS = new Set([2053, 2055, 2057, 2058, 2059, 2061, 3077, ...Array.from({ length: 18 }, (_, i) => 3078 + i)]);

/** EPSG:4326 keys for grids that carry none. */
const WGS84_KEYS = { GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1, GeographicTypeGeoKey: 4326 };

const enum T {
  SHORT = 3,
  LONG = 4,
  ASCII = 2,
  DOUBLE = 12,
}

interface Entry {
  tag: number;
  type: T;
  values: number[] | string;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export class GeoTiffWriter {
  readonly path: string;
  readonly tileSize: number;
  readonly tilesAcross: number;
  readonly tilesDown: number;
  readonly nodata: number;
  private readonly fd: number;
  private offset = 8;
  private readonly offsets: Uint32Array;
  private readonly counts: Uint32Array;
  private readonly opts: GeoTiffWriterOptions;
  private readonly bytes: Uint8Array;
  private readonly shuffled: Uint8Array;
  private closed = false;

  constructor(path: string, options: GeoTiffWriterOptions) {
    this.path = path;
    this.opts = options;
    this.tileSize = options.tileSize ?? 256;
    if (this.tileSize % 16 !== 0) throw new RangeError(`GeoTIFF tile size must be a multiple of 16, got ${this.tileSize}`);
    this.nodata = options.nodata ?? DEFAULT_NODATA;
    this.tilesAcross = Math.ceil(options.grid.width / this.tileSize);
    this.tilesDown = Math.ceil(options.grid.height / this.tileSize);
    this.offsets = new Uint32Array(this.tilesAcross * this.tilesDown);
    this.counts = new Uint32Array(this.tilesAcross * this.tilesDown);
    this.bytes = new Uint8Array(this.tileSize * this.tileSize * 4);
    this.shuffled = new Uint8Array(this.tileSize * this.tileSize * 4);
    this.fd = openSync(path, 'w');
    writeSync(this.fd, new Uint8Array([0x49, 0x49, 42, 0, 0, 0, 0, 0]), 0, 8, 0);
  }

  /**
   * Write tile (tx, ty): `values` holds h × w cells (row-major) of the grid window starting at
   * (tx·tileSize, ty·tileSize) with w, h clipped to the raster; NaN becomes NoData.
   */
  writeTile(tx: number, ty: number, values: ArrayLike<number>, w: number, h: number): void {
    const ts = this.tileSize;
    const f32 = new Float32Array(this.bytes.buffer);
    f32.fill(this.nodata);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = values[y * w + x];
        f32[y * ts + x] = Number.isNaN(v) ? this.nodata : v;
      }
    }
    let data = this.bytes;
    if (this.opts.predictor !== false) {
      // Floating-point predictor: per row, bytes regrouped most significant first, then differenced.
      const s = this.shuffled;
      const row = ts * 4;
      for (let y = 0; y < ts; y++) {
        const base = y * row;
        for (let x = 0; x < ts; x++) {
          const src = base + x * 4;
          s[base + x] = this.bytes[src + 3];
          s[base + ts + x] = this.bytes[src + 2];
          s[base + 2 * ts + x] = this.bytes[src + 1];
          s[base + 3 * ts + x] = this.bytes[src];
        }
        for (let i = row - 1; i > 0; i--) s[base + i] = (s[base + i] - s[base + i - 1]) & 0xff;
      }
      data = s;
    }
    const z = deflateSync(data);
    const k = ty * this.tilesAcross + tx;
    this.offsets[k] = this.offset;
    this.counts[k] = z.length;
    writeSync(this.fd, z, 0, z.length, this.offset);
    this.offset += z.length;
    if (this.offset > 0xfff00000) throw new RangeError(`${this.path}: larger than a classic TIFF can hold (4 GiB)`);
  }

  /** Fill missing tiles with NoData, write the directory and close. */
  close(): void {
    if (this.closed) return;
    const empty = new Float64Array(0);
    for (let ty = 0; ty < this.tilesDown; ty++) for (let tx = 0; tx < this.tilesAcross; tx++) if (this.counts[ty * this.tilesAcross + tx] === 0) this.writeTile(tx, ty, empty, 0, 0);
    const g = this.opts.grid;
    const keys: Record<string, unknown> = Object.keys(g.geoKeys ?? {}).length > 0 ? { ...g.geoKeys } : { ...WGS84_KEYS };
    const dir: number[] = [];
    const doubles: number[] = [];
    let ascii = '';
    const ids = Object.entries(keys)
      .filter(([k]) => GEO_KEY_IDS[k] !== undefined)
      .map(([k, v]) => [GEO_KEY_IDS[k], v] as const)
      .sort((a, b) => a[0] - b[0]);
    for (const [id, v] of ids) {
      if (typeof v === 'string') {
        dir.push(id, 34737, v.length + 1, ascii.length);
        ascii += v + '|';
      } else if (DOUBLE_KEYS.has(id)) {
        dir.push(id, 34736, 1, doubles.length);
        doubles.push(Number(v));
      } else dir.push(id, 0, 1, Number(v) & 0xffff);
    }
    const geoDir = [1, 1, 0, ids.length, ...dir];
    let meta = '<GDALMetadata>\n';
    if (this.opts.description) meta += `  <Item name="DESCRIPTION" sample="0" role="description">${xmlEscape(this.opts.description)}</Item>\n`;
    if (this.opts.unit) meta += `  <Item name="UNITTYPE" sample="0" role="unittype">${xmlEscape(this.opts.unit)}</Item>\n`;
    meta += '</GDALMetadata>';
    const entries: Entry[] = [
      { tag: 256, type: T.LONG, values: [g.width] },
      { tag: 257, type: T.LONG, values: [g.height] },
      { tag: 258, type: T.SHORT, values: [32] },
      { tag: 259, type: T.SHORT, values: [8] },
      { tag: 262, type: T.SHORT, values: [1] },
      { tag: 277, type: T.SHORT, values: [1] },
      { tag: 284, type: T.SHORT, values: [1] },
      { tag: 305, type: T.ASCII, values: this.opts.software ?? 'rhizocarb' },
      { tag: 317, type: T.SHORT, values: [this.opts.predictor === false ? 1 : 3] },
      { tag: 322, type: T.LONG, values: [this.tileSize] },
      { tag: 323, type: T.LONG, values: [this.tileSize] },
      { tag: 324, type: T.LONG, values: Array.from(this.offsets) },
      { tag: 325, type: T.LONG, values: Array.from(this.counts) },
      { tag: 339, type: T.SHORT, values: [3] },
      { tag: 33550, type: T.DOUBLE, values: [Math.abs(g.resX), Math.abs(g.resY), 0] },
      { tag: 33922, type: T.DOUBLE, values: [0, 0, 0, g.originX, g.originY, 0] },
      { tag: 34735, type: T.SHORT, values: geoDir },
      ...(doubles.length ? [{ tag: 34736, type: T.DOUBLE, values: doubles }] : []),
      ...(ascii.length ? [{ tag: 34737, type: T.ASCII, values: ascii }] : []),
      { tag: 42112, type: T.ASCII, values: meta },
      { tag: 42113, type: T.ASCII, values: String(this.nodata) },
    ];
    const size = (e: Entry) => (typeof e.values === 'string' ? e.values.length + 1 : e.values.length * (e.type === T.DOUBLE ? 8 : e.type === T.LONG ? 4 : 2));
    let ifdOffset = this.offset + (this.offset % 2);
    const ifdSize = 2 + entries.length * 12 + 4;
    let extra = ifdOffset + ifdSize;
    const buf = new DataView(new ArrayBuffer(ifdSize + entries.reduce((a, e) => a + (size(e) > 4 ? size(e) + 1 : 0), 0)));
    let p = 0;
    buf.setUint16(p, entries.length, true);
    p += 2;
    let xp = ifdSize;
    const writeValues = (e: Entry, view: DataView, at: number) => {
      if (typeof e.values === 'string') {
        for (let i = 0; i < e.values.length; i++) view.setUint8(at + i, e.values.charCodeAt(i) & 0x7f);
        view.setUint8(at + e.values.length, 0);
        return;
      }
      const step = e.type === T.DOUBLE ? 8 : e.type === T.LONG ? 4 : 2;
      e.values.forEach((v, i) => {
        if (e.type === T.DOUBLE) view.setFloat64(at + i * step, v, true);
        else if (e.type === T.LONG) view.setUint32(at + i * step, v, true);
        else view.setUint16(at + i * step, v, true);
      });
    };
    for (const e of entries) {
      const count = typeof e.values === 'string' ? e.values.length + 1 : e.values.length;
      buf.setUint16(p, e.tag, true);
      buf.setUint16(p + 2, e.type, true);
      buf.setUint32(p + 4, count, true);
      const s = size(e);
      if (s <= 4) writeValues(e, buf, p + 8);
      else {
        buf.setUint32(p + 8, extra, true);
        writeValues(e, buf, xp);
        xp += s + (s % 2);
        extra += s + (s % 2);
      }
      p += 12;
    }
    buf.setUint32(p, 0, true);
    const bytes = new Uint8Array(buf.buffer, 0, xp);
    writeSync(this.fd, bytes, 0, bytes.length, ifdOffset);
    const head = new DataView(new ArrayBuffer(4));
    head.setUint32(0, ifdOffset, true);
    writeSync(this.fd, new Uint8Array(head.buffer), 0, 4, 4);
    closeSync(this.fd);
    ifdOffset = 0;
    this.closed = true;
  }

  /** Close without finishing (the file is incomplete; callers delete it). */
  abort(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

/** Write a whole raster (h × w values, row-major) as a tiled GeoTIFF. */
export function writeGeoTiff(path: string, values: ArrayLike<number>, options: GeoTiffWriterOptions): void {
  const w = new GeoTiffWriter(path, options);
  const ts = w.tileSize;
  const { width, height } = options.grid;
  const tile = new Float64Array(ts * ts);
  for (let ty = 0; ty < w.tilesDown; ty++) {
    for (let tx = 0; tx < w.tilesAcross; tx++) {
      const tw = Math.min(ts, width - tx * ts);
      const th = Math.min(ts, height - ty * ts);
      for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) tile[y * tw + x] = values[(ty * ts + y) * width + tx * ts + x];
      w.writeTile(tx, ty, tile, tw, th);
    }
  }
  w.close();
}
