import { parquetWriteBuffer } from 'hyparquet-writer';

/** One column of a results table; `unit` travels into CSV headers' companion file and Parquet metadata. */
export interface Column {
  readonly name: string;
  readonly unit?: string;
  readonly description?: string;
  readonly data: ArrayLike<number> | readonly string[];
}

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
  return c.data.length > 0 && typeof (c.data as ArrayLike<unknown>)[0] === 'string';
}

function csvCell(v: number | string): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v !== v ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text with a header row; numbers printed in full precision (shortest round-trip form). */
export function tableToCsv(t: Table): string {
  const n = tableRowCount(t);
  const lines: string[] = [t.columns.map((c) => csvCell(c.name)).join(',')];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (const c of t.columns) row.push(csvCell((c.data as ArrayLike<number | string>)[i]));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Parquet bytes (DOUBLE or STRING columns); units and descriptions go into key-value metadata. */
export function tableToParquet(t: Table, metadata: Record<string, string> = {}): Uint8Array {
  tableRowCount(t);
  const columnData = t.columns.map((c) =>
    isStringColumn(c)
      ? { name: c.name, data: [...c.data], type: 'STRING' as const }
      : { name: c.name, data: Float64Array.from(c.data as ArrayLike<number>), type: 'DOUBLE' as const },
  );
  const kv = [
    ...Object.entries(metadata).map(([key, value]) => ({ key, value })),
    { key: 'rhizocarb.units', value: JSON.stringify(Object.fromEntries(t.columns.map((c) => [c.name, c.unit ?? '']))) },
    { key: 'rhizocarb.descriptions', value: JSON.stringify(Object.fromEntries(t.columns.map((c) => [c.name, c.description ?? '']))) },
  ];
  const buf = parquetWriteBuffer({ columnData, kvMetadata: kv, createdBy: 'rhizocarb' });
  return new Uint8Array(buf);
}

/** A Markdown/CSV-friendly data dictionary: name, unit, description. */
export function tableDictionaryCsv(t: Table): string {
  return tableToCsv({
    columns: [
      { name: 'column', data: t.columns.map((c) => c.name) },
      { name: 'unit', data: t.columns.map((c) => c.unit ?? '') },
      { name: 'description', data: t.columns.map((c) => c.description ?? '') },
    ],
  });
}
