import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MISSING_CSV, columnType, tableDictionaryCsv, tableToCsv, tableToParquet, type Table } from '../../src/io/table.js';

/** Outputs users open elsewhere (issue 14 item 7): typed Parquet with nulls, one missing token in CSV, a typed dictionary per table. */
const table: Table = {
  columns: [
    { name: 'time_d', unit: 'd', description: 'time', data: Float64Array.from([0, 1, 2, 3]) },
    { name: 'value_mol', unit: 'mol', description: 'a value with a gap', data: Float64Array.from([1, NaN, 3, 5]) },
    { name: 'segment_id', unit: '1', description: 'an id', data: Int32Array.from([7, 8, 9, 10]) },
    { name: 'growing', description: 'a flag', data: [true, false, null, true] },
    { name: 'label', description: 'text', data: ['a', 'b', 'c', 'd'] },
  ],
};

describe('tables: Parquet types and nulls, CSV missing token, dictionaries', () => {
  it('integer typed arrays are INT32, booleans BOOLEAN, NaN a null: DuckDB avg() skips it', async () => {
    expect(table.columns.map(columnType)).toEqual(['double', 'double', 'int32', 'boolean', 'string']);
    const d = mkdtempSync(join(tmpdir(), 'rhizocarb-table-'));
    const file = join(d, 't.parquet');
    writeFileSync(file, tableToParquet(table));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const types = (await c.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)).getRowObjects();
    expect(Object.fromEntries(types.map((r) => [r.column_name, r.column_type]))).toEqual({ time_d: 'DOUBLE', value_mol: 'DOUBLE', segment_id: 'INTEGER', growing: 'BOOLEAN', label: 'VARCHAR' });
    const agg = (await c.runAndReadAll(`SELECT avg(value_mol) AS a, count(value_mol) AS n, sum(segment_id) AS s, count(growing) AS g FROM read_parquet('${file}')`)).getRowObjects()[0];
    console.log(`DuckDB on the Parquet file: avg(value_mol) = ${agg.a} over ${agg.n} non-null rows (expected 3 over 3), sum(segment_id) = ${agg.s}`);
    expect(agg.a).toBe(3);
    expect(Number(agg.n)).toBe(3);
    expect(Number(agg.s)).toBe(34);
    expect(Number(agg.g)).toBe(3);
    c.closeSync();
    db.closeSync();
  });

  it('CSV: missing values are the same empty cell everywhere; the dictionary has unit and type per column', () => {
    expect(MISSING_CSV).toBe('');
    const lines = tableToCsv(table).trim().split('\n');
    expect(lines[0]).toBe('time_d,value_mol,segment_id,growing,label');
    expect(lines[2]).toBe('1,,8,false,b');
    expect(lines[3]).toBe('2,3,9,,c');
    const dict = tableDictionaryCsv(table).trim().split('\n');
    expect(dict[0]).toBe('column,unit,type,description');
    expect(dict).toContain('segment_id,1,int32,an id');
    expect(dict).toHaveLength(table.columns.length + 1);
  });

  it('every run writes one dictionary per table (no merged columns.csv with a column twice)', async () => {
    const { runScenario, loadScenarioFile } = await import('../../src/scenarios/run.js');
    const d = mkdtempSync(join(tmpdir(), 'rhizocarb-table-run-'));
    const s = join(d, 's.yaml');
    writeFileSync(s, readFileSync(join(__dirname, '../../examples/single-root.yaml'), 'utf8').replace('days: 10', 'days: 0.05'));
    await runScenario(loadScenarioFile(s), { out: join(d, 'out') });
    for (const t of ['timeseries', 'radial-profiles']) {
      const header = readFileSync(join(d, 'out', `${t}.csv`), 'utf8').split('\n')[0].split(',');
      const dict = readFileSync(join(d, 'out', `${t}.columns.csv`), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
      expect(dict, t).toEqual(header);
      expect(new Set(dict).size, t).toBe(dict.length);
    }
  });
});
