import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { numberColumn, parseCsv, requireColumns, stringColumn } from '../../src/core/csv.js';

describe('CSV reader', () => {
  it('handles quoted fields with commas, doubled quotes and newlines, CRLF line ends and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y",3\r\n"4","he said ""hi""","multi\nline"\r\n\r\n7,,NA\r\n';
    const t = parseCsv(text, 'f.csv');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', 'x, y', '3'],
      ['4', 'he said "hi"', 'multi\nline'],
      ['7', '', 'NA'],
    ]);
    expect(Array.from(t.lines)).toEqual([2, 3, 6]);
    const errors: InputError[] = [];
    expect(Array.from(numberColumn(t, 'c', errors).slice(0, 1))).toEqual([3]);
    expect(Number.isNaN(numberColumn(t, 'c', errors)[2])).toBe(true);
    expect(stringColumn(t, 'b')).toEqual(['x, y', 'he said "hi"', '']);
  });

  it('errors name file, column, line, value and expectation', () => {
    const t = parseCsv('top,bottom\n0,10\n10,abc\n-5,20\n', 'layers.csv');
    const errors: InputError[] = [];
    numberColumn(t, 'bottom', errors, { min: 0, expected: 'a depth in cm ≥ 0' });
    numberColumn(t, 'top', errors, { min: 0, expected: 'a depth in cm ≥ 0' });
    expect(errors.map((e) => e.message)).toEqual([
      'layers.csv:3 bottom: got "abc", expected a depth in cm ≥ 0',
      'layers.csv:4 top: got -5, expected a depth in cm ≥ 0',
    ]);
    expect(() => parseCsv('a,b\n1,2,3\n', 'x.csv')).toThrow('x.csv:2 got "3 fields", expected 2 fields as in the header');
    expect(() => parseCsv('a,b\n"1,2\n', 'x.csv')).toThrow(/closing quote/);
    expect(() => requireColumns(t, ['profile', 'top'], 'spline input')).toThrow(/column "profile"/);
  });
});

describe('CSV comment lines', () => {
  it('skips lines starting with # only when asked, and keeps line numbers right', () => {
    const text = '# provenance\n# more\na,b\n1,2\n# note\n3,4\n';
    const t = parseCsv(text, 'x.csv', { comments: true });
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([['1', '2'], ['3', '4']]);
    expect(Array.from(t.lines)).toEqual([4, 6]);
    expect(() => parseCsv(text, 'x.csv')).toThrow(/x\.csv:3/);
  });
});
