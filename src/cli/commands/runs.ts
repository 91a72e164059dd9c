import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { catalogueFileFor, parquetViews, queryRows, syncCatalogue, withCatalogue } from '../../sweeps/catalogue.js';
import { addOutputOptions, cliOutput, type OutputOptions } from '../conventions.js';

type RunsOptions = OutputOptions & { root: string; catalogue?: string; sync: boolean };

function catalogue(opts: RunsOptions): string {
  const f = catalogueFileFor(opts.root, opts.catalogue);
  if (!f) throw new InputError({ keyPath: opts.catalogue === 'off' ? '--catalogue' : 'RHIZOCARB_CATALOGUE', value: 'off', expected: 'a catalogue file (the catalogue is switched off)' });
  return f;
}

/** Bring the catalogue up to date with the folders under --root (detached sweeps, runs of workers). */
async function prepared(opts: RunsOptions): Promise<string> {
  const f = catalogue(opts);
  if (opts.sync && existsSync(opts.root)) await syncCatalogue(f, opts.root);
  else if (!existsSync(f)) throw new InputError({ keyPath: '--catalogue', value: f, expected: 'an existing run catalogue (run something first, or drop --no-sync)' });
  return f;
}

function textTable(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => r[i].length))));
  const line = (vals: string[]) => vals.map((v, i) => (v.length > widths[i] ? v.slice(0, widths[i] - 1) + '…' : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

function flatten(v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = v;
  return out;
}

const parse = (s: unknown) => (typeof s === 'string' ? (JSON.parse(s) as unknown) : null);

export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('the run catalogue (catalogue.duckdb): list, show and compare runs and sweep tasks, SQL over their Parquet outputs');
  const common = (c: Command) =>
    addOutputOptions(
      c
        .option('--root <dir>', 'output root: its catalogue.duckdb, and the result folders under it', 'out')
        .option('--catalogue <file>', 'catalogue file (default <root>/catalogue.duckdb; env RHIZOCARB_CATALOGUE)')
        .option('--no-sync', 'do not add result folders under --root missing from the catalogue first'),
    );

  common(runs.command('list').description('runs and sweeps, newest first (sweep tasks with --sweep <id> or --tasks)'))
    .option('--kind <kind>', 'only this kind')
    .option('--status <status>', 'only this status')
    .option('--sweep <id>', "only this sweep's tasks")
    .option('--tasks', 'include sweep tasks')
    .option('--limit <n>', 'at most n rows', '200')
    .action(async (opts: RunsOptions & { kind?: string; status?: string; sweep?: string; tasks?: boolean; limit: string }) => {
      const out = cliOutput(opts);
      const f = await prepared(opts);
      const where: string[] = [];
      const values: (string | number)[] = [];
      if (opts.kind) (where.push('kind = ?'), values.push(opts.kind));
      if (opts.status) (where.push('status = ?'), values.push(opts.status));
      if (opts.sweep) (where.push('sweep_id = ?'), values.push(opts.sweep));
      else if (!opts.tasks) where.push('sweep_id IS NULL');
      const rows = await withCatalogue(f, (c) => queryRows(c, `SELECT id, kind, name, status, finished_at, wall_s, carbon_balance_error, water_balance_error, failed_checks FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY finished_at DESC NULLS LAST, id LIMIT ${Math.max(1, Number(opts.limit) || 200)}`, values));
      out.answerJson({ catalogue: f, runs: rows });
      out.answer(rows.length ? textTable(rows, ['id', 'kind', 'name', 'status', 'finished_at', 'wall_s', 'carbon_balance_error', 'water_balance_error']) : `no runs in ${f}`);
    });

  common(runs.command('show').description('everything the catalogue holds of one run').argument('<id>', 'run id (its folder relative to the root)')).action(async (id: string, opts: RunsOptions) => {
    const out = cliOutput(opts);
    const f = await prepared(opts);
    const rows = await withCatalogue(f, (c) => queryRows(c, 'SELECT * FROM runs WHERE id = ?', [id]));
    if (rows.length === 0) throw new InputError({ keyPath: 'id', value: id, expected: `a run id of ${f} (rhizocarb runs list)` });
    const r = rows[0];
    const shown = { ...r, parameters: parse(r.parameters), overrides: parse(r.overrides), balance: parse(r.balance), totals: parse(r.totals) };
    out.answerJson(shown);
    out.answer(Object.entries(shown).filter(([k]) => k !== 'parameters').map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join('\n') + '\nparameters: (--json for all)');
  });

  common(runs.command('compare').description('two runs side by side: parameters that differ, totals and balance errors').argument('<a>', 'run id').argument('<b>', 'run id')).action(async (a: string, b: string, opts: RunsOptions) => {
    const out = cliOutput(opts);
    const f = await prepared(opts);
    const rows = await withCatalogue(f, (c) => queryRows(c, 'SELECT * FROM runs WHERE id IN (?, ?)', [a, b]));
    const ra = rows.find((r) => r.id === a);
    const rb = rows.find((r) => r.id === b);
    for (const [id, r] of [[a, ra], [b, rb]] as const) if (!r) throw new InputError({ keyPath: 'id', value: id, expected: `a run id of ${f} (rhizocarb runs list)` });
    const pa = flatten(parse(ra!.parameters));
    const pb = flatten(parse(rb!.parameters));
    const params = [...new Set([...Object.keys(pa), ...Object.keys(pb)])].filter((k) => JSON.stringify(pa[k]) !== JSON.stringify(pb[k])).map((k) => ({ key: k, a: pa[k], b: pb[k] }));
    const ta = { ...flatten(parse(ra!.totals)), carbon_balance_error: ra!.carbon_balance_error, water_balance_error: ra!.water_balance_error, wall_s: ra!.wall_s };
    const tb = { ...flatten(parse(rb!.totals)), carbon_balance_error: rb!.carbon_balance_error, water_balance_error: rb!.water_balance_error, wall_s: rb!.wall_s };
    const totals = [...new Set([...Object.keys(ta), ...Object.keys(tb)])].map((k) => {
      const x = (ta as Record<string, unknown>)[k];
      const y = (tb as Record<string, unknown>)[k];
      return { key: k, a: x, b: y, relativeDifference: typeof x === 'number' && typeof y === 'number' && x !== 0 ? (y - x) / Math.abs(x) : null };
    });
    out.answerJson({ a, b, parameters: params, totals });
    out.answer([`parameters that differ (${params.length}):`, params.length ? textTable(params, ['key', 'a', 'b']) : '  none', '', 'totals:', textTable(totals, ['key', 'a', 'b', 'relativeDifference'])].join('\n'));
  });

  common(
    runs
      .command('query')
      .description('SQL (DuckDB) over the catalogue (table runs) and the Parquet outputs under --root: one view per file name, e.g. timeseries for every timeseries.parquet (column filename names the file)')
      .argument('<sql>', 'a query, e.g. "select count(*) from timeseries"'),
  ).action(async (sql: string, opts: RunsOptions) => {
    const out = cliOutput(opts);
    const f = await prepared(opts);
    const views = parquetViews(opts.root);
    const rows = await withCatalogue(f, async (c) => {
      for (const [name, files] of views) {
        if (name === 'runs') continue;
        const list = files.map((p) => `'${p.replace(/'/g, "''")}'`).join(', ');
        await c.run(`CREATE TEMP VIEW "${name}" AS SELECT * FROM read_parquet([${list}], filename = true, union_by_name = true)`);
      }
      try {
        return await queryRows(c, sql);
      } catch (e) {
        throw new InputError({ keyPath: 'sql', value: sql, expected: `a DuckDB query over runs${views.size ? `, ${[...views.keys()].join(', ')}` : ''}`, detail: (e as Error).message.split('\n')[0] });
      }
    });
    out.answerJson({ rows });
    out.answer(rows.length ? textTable(rows, Object.keys(rows[0])) : '(no rows)');
  });
}
