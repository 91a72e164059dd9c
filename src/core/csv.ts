import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from './errors.js';

/** A CSV file read as text cells: header names and rows (1-based `line` kept for messages). */
export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Source line (1-based) of each row, for error messages. */
  readonly lines: readonly number[];
}

/** Parse CSV text (RFC 4180 quoting, CRLF, BOM; lines starting with # are comments) with a header row; ragged rows are an InputError. */
export function parseCsv(text: string, file = '<csv>'): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#', comment_no_infix: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new InputError({ file, line: err.lines, expected: 'well-formed CSV', detail: err.message });
  }
  if (records.length === 0) throw new InputError({ file, expected: 'a header row and at least one data row' });
  const header = records[0].record;
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let k = 1; k < records.length; k++) {
    const r = records[k];
    if (r.record.length !== header.length) {
      throw new InputError({ file, line: r.info.lines, value: r.record.length, expected: `${header.length} fields as in the header` });
    }
    rows.push(r.record);
    lines.push(r.info.lines);
  }
  return { file, header, rows, lines };
}

export function readCsvFile(file: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file, expected: 'a readable CSV file', detail: (e as Error).message });
  }
  return parseCsv(text, file);
}

/** Index of a required column; InputError naming the file and the available columns otherwise. */
export function csvColumn(t: CsvTable, name: string): number {
  const j = t.header.indexOf(name);
  if (j < 0) throw new InputError({ file: t.file, keyPath: `column ${JSON.stringify(name)}`, expected: `a column named ${name} (found: ${t.header.join(', ')})` });
  return j;
}

/** A cell as a finite number; InputError with file, line, column and value otherwise. */
export function csvNumber(t: CsvTable, row: number, column: number): number {
  const s = t.rows[row][column];
  const v = s === '' ? NaN : Number(s);
  if (!Number.isFinite(v)) {
    throw new InputError({ file: t.file, line: t.lines[row], keyPath: `column ${t.header[column]}`, value: s, expected: 'a finite number' });
  }
  return v;
}
