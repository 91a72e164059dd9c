import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { parseCsv, type CsvOptions, type CsvTable } from '../core/csv.js';

/** UTF-8 text (byte-order mark kept for the parsers); bytes that are not valid UTF-8 are read as Latin-1. */
export function decodeText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? bytes.toString('latin1') : text;
}

/** Read a text file; a missing or unreadable file is an InputError naming it and what was `expected`. */
export function readTextFile(path: string, expected = 'a readable text file'): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError({ file: path, expected, detail: (e as Error).message });
  }
  return decodeText(bytes);
}

/** Read and parse a CSV file (UTF-8; files that are not valid UTF-8 are read as Latin-1); see {@link parseCsv}. */
export function readCsvFile(path: string, options: CsvOptions = {}): CsvTable {
  return parseCsv(readTextFile(path, 'a readable CSV file'), path, options);
}

/** Number of lines of a file, read in 1 MiB chunks (no whole-file buffer); for work estimates. */
export function countLines(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    let last = 10;
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) {
      for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
      last = buf[n - 1];
    }
    return last === 10 ? lines : lines + 1;
  } finally {
    closeSync(fd);
  }
}

/** SHA-256 (hex) of a file's bytes, read in chunks. */
export function fileSha256(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
