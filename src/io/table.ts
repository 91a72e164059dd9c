import { parquetWriteBuffer } from 'hyparquet-writer';

/**
 * One column of a results table; `unit` travels into CSV headers' companion file and Parquet
 * metadata. Storage type in Parquet: `type`, else from the data — integer typed arrays
 * (Int32Array, Uint8Array, …) are INT32, boolean arrays BOOLEAN, strings STRING, other numbers
 * DOUBLE. Missing values (NaN, null) are Parquet nulls and {@link MISSING_CSV} in CSV.
 */
export interface Column {
  readonly name: string;
  readonly unit?: string;
  readonly description?: string;
  readonly type?: 'double' | 'int32' | 'boolean' | 'string';
  readonly data: ArrayLike<number> | readonly string[] | readonly (boolean | null)[];
}

/** The missing-value token of every CSV rhizocarb writes: an empty cell (read as NULL/NA/NaN by DuckDB, R and pandas). */
export const MISSING_CSV = '';

/** A column-oriented table, all columns of equal length. */
export interface Table {
  readonly columns: readonly Column[];
}

export function tableRowCount(t: Table): number {
  if (t.columns.length === 0) return 0;
  const n = t.columns[0].data.length;
  for (const c of t.columns) {
    if (c.data.length !== n) throw new RangeError(`table column ${c.name} has ${c.data.length} rows, expected ${n}`);
  }
  return n;
}

function isStringColumn(c: Column): c is Column & { data: readonly string[] } {
  return c.type === 'string' || (c.type === undefined && c.data.length > 0 && typeof (c.data as ArrayLike<unknown>)[0] === 'string');
}

const INT_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array];

/** The Parquet storage type of a column (see {@link Column}). */
export function columnType(c: Column): 'double' | 'int32' | 'boolean' | 'string' {
  if (c.type) return c.type;
  if (isStringColumn(c)) return 'string';
  if (INT_ARRAYS.some((A) => c.data instanceof A)) return 'int32';
  const first = Array.from({ length: Math.min(c.data.length, 1000) }, (_, i) => (c.data as ArrayLike<unknown>)[i]).find((v) => v !== null);
  return typeof first === 'boolean' ? 'boolean' : 'double';
}

function csvCell(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined) return MISSING_CSV;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v !== v ? MISSING_CSV : v > 0 ? 'Inf' : '-Inf';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text with a header row; numbers printed in full precision (shortest round-trip form). */
export function tableToCsv(t: Table): string {
  const n = tableRowCount(t);
  const lines: string[] = [t.columns.map((c) => csvCell(c.name)).join(',')];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (const c of t.columns) row.push(csvCell((c.data as ArrayLike<number | string | boolean | null>)[i]));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * Parquet bytes: DOUBLE, INT32, BOOLEAN or STRING columns (see {@link Column}), missing values
 * (NaN, null) as nulls so that SQL aggregates (DuckDB `avg()`) skip them; units and descriptions
 * go into key-value metadata.
 */
export function tableToParquet(t: Table, metadata: Record<string, string> = {}): Uint8Array {
  tableRowCount(t);
  const columnData = t.columns.map((c) => {
    const raw = Array.from(c.data as ArrayLike<unknown>);
    switch (columnType(c)) {
      case 'string':
        return { name: c.name, data: raw.map((v) => (v === null || v === undefined ? null : String(v))), type: 'STRING' as const };
      case 'boolean':
        return { name: c.name, data: raw.map((v) => (v === null || v === undefined ? null : Boolean(v))), type: 'BOOLEAN' as const };
      case 'int32':
        return { name: c.name, data: raw.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)), type: 'INT32' as const };
      default:
        return { name: c.name, data: raw.map((v) => (typeof v === 'number' && !Number.isNaN(v) ? v : null)), type: 'DOUBLE' as const };
    }
  });
  const kv = [
    ...Object.entries(metadata).map(([key, value]) => ({ key, value })),
    { key: 'rhizocarb.units', value: JSON.stringify(Object.fromEntries(t.columns.map((c) => [c.name, c.unit ?? '']))) },
    { key: 'rhizocarb.descriptions', value: JSON.stringify(Object.fromEntries(t.columns.map((c) => [c.name, c.description ?? '']))) },
  ];
  const buf = parquetWriteBuffer({ columnData, kvMetadata: kv, createdBy: 'rhizocarb' });
  return new Uint8Array(buf);
}

/** Write `<name>.csv`, `<name>.parquet` and its dictionary `<name>.columns.csv` (one dictionary per table). */
export function writeTable(out: { write(relativePath: string, data: string | Uint8Array): unknown }, name: string, t: Table, metadata: Record<string, string> = {}): void {
  out.write(`${name}.csv`, tableToCsv(t));
  out.write(`${name}.parquet`, tableToParquet(t, metadata));
  out.write(`${name}.columns.csv`, tableDictionaryCsv(t));
}

/** A Markdown/CSV-friendly data dictionary: name, unit, type, description (one row per column of one table). */
export function tableDictionaryCsv(t: Table): string {
  return tableToCsv({
    columns: [
      { name: 'column', data: t.columns.map((c) => c.name) },
      { name: 'unit', data: t.columns.map((c) => c.unit ?? '') },
      { name: 'type', data: t.columns.map(columnType) },
      { name: 'description', data: t.columns.map((c) => c.description ?? '') },
    ],
  });
}
