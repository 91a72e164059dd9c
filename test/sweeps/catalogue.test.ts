import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueFileFor, queryRows, withCatalogue } from '../../src/sweeps/catalogue.js';
import { CatalogueRunIndex, FolderRunIndex, openRunIndex } from '../../src/web/run-index.js';
import { cliInProcess, root } from '../helpers/cli.js';

/**
 * The run catalogue: `rhizocarb run` records each run in catalogue.duckdb next to its folder;
 * `runs list|show|compare|query` read it; the dashboard's run index lists from it (same records as
 * the folder scan) and adds folders it does not know.
 */
describe('run catalogue', () => {
  it('--catalogue off means no catalogue (it wrote a DuckDB file named "off"); an explicit file wins over the env; env off', () => {
    const saved = process.env.RHIZOCARB_CATALOGUE;
    try {
      delete process.env.RHIZOCARB_CATALOGUE;
      expect(catalogueFileFor('/tmp/o', 'off')).toBeNull();
      expect(catalogueFileFor('/tmp/o')).toBe('/tmp/o/catalogue.duckdb');
      expect(catalogueFileFor('/tmp/o', '/tmp/c.duckdb')).toBe('/tmp/c.duckdb');
      process.env.RHIZOCARB_CATALOGUE = 'off';
      expect(catalogueFileFor('/tmp/o')).toBeNull();
      expect(catalogueFileFor('/tmp/o', '/tmp/c.duckdb')).toBe('/tmp/c.duckdb');
    } finally {
      if (saved === undefined) delete process.env.RHIZOCARB_CATALOGUE;
      else process.env.RHIZOCARB_CATALOGUE = saved;
    }
  });

  it('run records into catalogue.duckdb; runs list/show/compare/query; the dashboard index reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-cat-'));
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, readFileSync(join(root, 'examples/single-root.yaml'), 'utf8').replace('days: 10', 'days: 0.05'));
    expect((await cliInProcess(['run', scenario, '--out', join(dir, 'a'), '-q'])).code).toBe(0);
    expect((await cliInProcess(['run', scenario, '--out', join(dir, 'b'), '-q', '--set', 'parameterSet=highMB'])).code).toBe(0);
    const file = join(dir, 'catalogue.duckdb');
    const rows = await withCatalogue(file, (c) => queryRows(c, 'SELECT id, kind, status, scenario_hash, carbon_balance_error, wall_s FROM runs ORDER BY id'));
    console.log(rows);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
    const summaryA = JSON.parse(readFileSync(join(dir, 'a', 'summary.json'), 'utf8'));
    expect(rows[0].scenario_hash).toBe(summaryA.scenarioHash);
    expect(rows[0].carbon_balance_error).toBe(summaryA.balance.carbon.relativeError);

    const list = await cliInProcess(['runs', 'list', '--root', dir, '--no-sync', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).runs.map((r: { id: string }) => r.id).sort()).toEqual(['a', 'b']);
    const show = JSON.parse((await cliInProcess(['runs', 'show', 'a', '--root', dir, '--json'])).stdout);
    expect(show.parameters.parameterSet.name).toBe('highCO2');
    const cmp = JSON.parse((await cliInProcess(['runs', 'compare', 'a', 'b', '--root', dir, '--json'])).stdout);
    expect(cmp.parameters.some((p: { key: string }) => p.key === 'parameterSet.name')).toBe(true);
    const q = JSON.parse((await cliInProcess(['runs', 'query', 'select count(distinct filename)::INTEGER as runs, count(*)::INTEGER as rows from timeseries', '--root', dir, '--json'])).stdout);
    expect(q.rows[0].runs).toBe(2);
    const bad = await cliInProcess(['runs', 'query', 'select nope from nowhere', '--root', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/sql: got "select nope from nowhere", expected a DuckDB query over runs, .*timeseries/);
    expect((await cliInProcess(['runs', 'show', 'zzz', '--root', dir])).code).toBe(2);

    // The dashboard's index: the catalogue's records equal the folder scan's; a folder the catalogue lacks is added.
    cpSync(join(dir, 'a'), join(dir, 'copied'), { recursive: true });
    const index = openRunIndex(dir);
    expect(index).toBeInstanceOf(CatalogueRunIndex);
    const fromCatalogue = await index.list();
    const fromFolders = await new FolderRunIndex(dir).list();
    expect(fromCatalogue.map((r) => r.id).sort()).toEqual(['a', 'b', 'copied']);
    for (const r of fromFolders) {
      const c = fromCatalogue.find((x) => x.id === r.id)!;
      expect({ ...c, date: null }).toEqual({ ...r, date: null });
    }
    expect(index.source).toMatch(/run catalogue/);
    expect((await index.get('a'))?.summary.scenarioHash).toBe(summaryA.scenarioHash);
  });
});
