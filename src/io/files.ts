import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from '../core/errors.js';
import { parseCsv, type CsvOptions, type CsvTable } from '../core/csv.js';

/**
 * Largest input file read as text (bytes). Inputs are size-checked before they are read: a larger
 * file is refused with its size and this limit instead of exhausting memory. Override with the
 * environment variable RHIZOCARB_MAX_INPUT_MB.
 */
export function maxInputBytes(): number {
  const mb = Number(process.env.RHIZOCARB_MAX_INPUT_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 64) * 1e6;
}

/** The encoding a byte-order mark or NUL pattern shows, when it is not UTF-8 (UTF-32 checked before UTF-16: its BOM starts the same). */
function foreignEncoding(bytes: Buffer): string | undefined {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32 LE (byte-order mark FF FE 00 00)';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 BE (byte-order mark 00 00 FE FF)';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 LE (byte-order mark FF FE)';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 BE (byte-order mark FE FF)';
  // No BOM: text in UTF-16 has a NUL in every other byte of its ASCII characters.
  const n = Math.min(b.length, 4096) & ~1;
  if (n >= 8) {
    let even = 0;
    let odd = 0;
    for (let i = 0; i < n; i += 2) {
      if (b[i] === 0) even++;
      if (b[i + 1] === 0) odd++;
    }
    if (odd > 0.4 * (n / 2) && even === 0) return 'UTF-16 LE (no byte-order mark; every other byte is 0)';
    if (even > 0.4 * (n / 2) && odd === 0) return 'UTF-16 BE (no byte-order mark; every other byte is 0)';
  }
  return undefined;
}

/**
 * Decode the bytes of a text file: UTF-8 (byte-order mark kept for the parsers); bytes that are
 * not valid UTF-8 are read as Latin-1. UTF-16/UTF-32 files and NUL bytes are refused with an
 * {@link InputError} naming the encoding, or the line and column of the first NUL.
 */
export function decodeText(bytes: Buffer, file = '<input>'): string {
  const foreign = foreignEncoding(bytes);
  if (foreign) throw new InputError({ file, expected: `UTF-8 text (the file is ${foreign}; save it as UTF-8)` });
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < nul; i++) if (bytes[i] === 10) (line++, (lineStart = i + 1));
    throw new InputError({ file, line, column: nul - lineStart + 1, expected: 'text without NUL bytes (a NUL byte \\0 is here; is it a binary file?)' });
  }
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? bytes.toString('latin1') : text;
}

/**
 * Read a text file: it must be a regular file (not a folder, device such as /dev/zero, FIFO or
 * socket) of at most {@link maxInputBytes}; both are checked before anything is read. A missing or
 * unreadable file is an InputError naming it and what was `expected`.
 */
export function readTextFile(path: string, expected = 'a readable text file'): string {
  return decodeText(readInputBytes(path, expected), path);
}

/** fstat of an open input; anything but a regular file is an InputError saying what it is. */
function regularFileStats(fd: number, path: string, expected: string): Stats {
  const st = fstatSync(fd);
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a folder' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isFIFO() ? 'a pipe (FIFO)' : st.isSocket() ? 'a socket' : 'not a regular file';
    throw new InputError({ file: path, expected: `a regular file (${expected}); it is ${what}` });
  }
  return st;
}

/** Open an input for streaming reads: a regular file, or an InputError. */
function openInput(path: string, expected: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError({ file: path, expected, detail: (e as Error).message });
  }
  try {
    regularFileStats(fd, path, expected);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** The bytes of an input file, after the regular-file and size checks of {@link readTextFile}. */
export function readInputBytes(path: string, expected = 'a readable file'): Buffer {
  const fd = openInput(path, expected);
  try {
    const st = fstatSync(fd);
    const limit = maxInputBytes();
    if (st.size > limit) {
      throw new InputError({ file: path, expected: `a file of at most ${limit / 1e6} MB (it has ${(st.size / 1e6).toFixed(1)} MB; set RHIZOCARB_MAX_INPUT_MB to raise the limit)` });
    }
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({ file: path, expected, detail: (e as Error).message });
  } finally {
    closeSync(fd);
  }
}

/** Read and parse a CSV file (UTF-8; files that are not valid UTF-8 are read as Latin-1); see {@link parseCsv}. */
export function readCsvFile(path: string, options: CsvOptions = {}): CsvTable {
  return parseCsv(readTextFile(path, 'a readable CSV file'), path, options);
}

/** Number of lines of a file, read in 1 MiB chunks (no whole-file buffer); for work estimates. */
export function countLines(path: string): number {
  const fd = openInput(path, 'a readable text file');
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
  const fd = openInput(path, 'a readable file');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
