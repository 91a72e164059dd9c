import { InputError } from './errors.js';

/**
 * A parsed CSV file: header names and rows of raw strings, with the 1-based line on which each row
 * starts (quoted fields may span lines), so every error can name file, column, line and value.
 */
export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** 1-based line number of the start of each row in `file`. */
  readonly lines: Int32Array;
}

/**
 * Parse RFC 4180 CSV text: quoted fields with embedded commas, quotes ("") and newlines; LF or
 * CRLF line ends; a UTF-8 byte-order mark is skipped; header names are trimmed; completely empty
 * lines are skipped. Rows with a different number of fields than the header are an input error.
 */
export interface CsvOptions {
  /** Skip lines whose first character is `#` (comment lines, e.g. provenance headers). Default false. */
  readonly comments?: boolean;
}

export function parseCsv(text: string, file = '<csv>', options: CsvOptions = {}): CsvTable {
  const records: string[][] = [];
  const startLines: number[] = [];
  let field = '';
  let record: string[] = [];
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let fieldQuoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const endRecord = (): void => {
    record.push(field);
    // A line holding nothing at all is skipped (but a line with separators is a record).
    if (!(record.length === 1 && record[0] === '' && !fieldQuoted)) {
      records.push(record);
      startLines.push(recordLine);
    }
    record = [];
    field = '';
    fieldQuoted = false;
  };
  for (; i < n; i++) {
    const c = text[i];
    if (options.comments && c === '#' && !inQuotes && record.length === 0 && field.length === 0 && !fieldQuoted) {
      while (i < n && text[i] !== '\n') i++;
      line++;
      recordLine = line;
      continue;
    }
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.length > 0) {
        throw new InputError({ file, line, keyPath: `field ${record.length + 1}`, value: field + '"', expected: 'a quote only at the start of a field (RFC 4180)' });
      }
      inQuotes = true;
      fieldQuoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
      fieldQuoted = false;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else {
      if (record.length === 0 && field.length === 0) recordLine = line;
      field += c;
    }
  }
  if (inQuotes) throw new InputError({ file, line: recordLine, expected: 'a closing quote before the end of the file' });
  if (field.length > 0 || record.length > 0 || fieldQuoted) endRecord();
  if (records.length === 0) throw new InputError({ file, expected: 'a header row', detail: 'the file is empty' });
  const header = records[0].map((h) => h.trim());
  const rows = records.slice(1);
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== header.length) {
      throw new InputError({
        file,
        line: startLines[r + 1],
        value: `${rows[r].length} fields`,
        expected: `${header.length} fields as in the header`,
      });
    }
  }
  return { file, header, rows, lines: Int32Array.from(startLines.slice(1)) };
}

/** Tokens read as a missing value (R's NA, empty cells, and the like). */
const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'NULL', 'null', 'N/A', 'na']);

export function isMissing(cell: string): boolean {
  return MISSING.has(cell.trim());
}

/** Column index by name, or −1. */
export function columnIndex(t: CsvTable, name: string): number {
  return t.header.indexOf(name);
}

export interface NumberColumnOptions {
  /** Inclusive admissible range; values outside are input errors. */
  readonly min?: number;
  readonly max?: number;
  /** What the column holds, for error messages, e.g. "a depth in cm ≥ 0". */
  readonly expected?: string;
  /** Extra missing-value sentinels (e.g. −999 in the Schenk & Jackson file). */
  readonly missingValues?: readonly number[];
}

/**
 * A numeric column as a Float64Array (NaN where missing). Unparsable or out-of-range cells are
 * appended to `errors` as {@link InputError}s naming file, column, line and value; their entries are NaN.
 * An absent column gives all NaN (callers decide whether the column is required).
 */
export function numberColumn(t: CsvTable, name: string, errors: InputError[], opts: NumberColumnOptions = {}): Float64Array {
  const out = new Float64Array(t.rows.length).fill(NaN);
  const j = columnIndex(t, name);
  if (j < 0) return out;
  const min = opts.min ?? -Infinity;
  const max = opts.max ?? Infinity;
  const expected = opts.expected ?? (Number.isFinite(min) || Number.isFinite(max) ? `a number in [${min}, ${max}]` : 'a number');
  for (let r = 0; r < t.rows.length; r++) {
    const cell = t.rows[r][j];
    if (isMissing(cell)) continue;
    const v = Number(cell.trim());
    if (!Number.isFinite(v)) {
      errors.push(new InputError({ file: t.file, line: t.lines[r], keyPath: name, value: cell, expected }));
      continue;
    }
    if (opts.missingValues?.includes(v)) continue;
    if (v < min || v > max) {
      errors.push(new InputError({ file: t.file, line: t.lines[r], keyPath: name, value: v, expected }));
      continue;
    }
    out[r] = v;
  }
  return out;
}

/** A text column (trimmed; '' where missing or absent). */
export function stringColumn(t: CsvTable, name: string): string[] {
  const j = columnIndex(t, name);
  if (j < 0) return t.rows.map(() => '');
  return t.rows.map((row) => (isMissing(row[j]) ? '' : row[j].trim()));
}

/** Throw one InputError naming the file and the missing columns, listing what it has. */
export function requireColumns(t: CsvTable, names: readonly string[], what: string): void {
  const missing = names.filter((n) => columnIndex(t, n) < 0);
  if (missing.length > 0) {
    throw new InputError({
      file: t.file,
      keyPath: missing.join(', '),
      expected: `column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (${what})`,
      detail: `the header has ${t.header.map((h) => `"${h}"`).join(', ')}`,
    });
  }
}

/** Index of a required column; an InputError naming the file and the columns it has otherwise. */
export function csvColumn(t: CsvTable, name: string): number {
  requireColumns(t, [name], 'required');
  return columnIndex(t, name);
}

/** One cell as a finite number; an InputError naming file, line, column and value otherwise. */
export function csvNumber(t: CsvTable, row: number, column: number): number {
  const s = t.rows[row][column];
  const v = isMissing(s) ? NaN : Number(s.trim());
  if (!Number.isFinite(v)) {
    throw new InputError({ file: t.file, line: t.lines[row], keyPath: t.header[column], value: s, expected: 'a finite number' });
  }
  return v;
}
