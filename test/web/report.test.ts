import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/web/report.js';
import { writeReport } from '../../src/web/report.js';
import { InputError } from '../../src/core/errors.js';
import { ARTIFACTS, CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium, type ChromiumSession } from '../helpers/chromium.js';
import { cliInProcess } from '../helpers/cli.js';
import { runShortPlant, runShortSingleRoot } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'rhizocarb-report-'));
const sr = join(tmp, 'single-root');
const plant = join(tmp, 'plant');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  // examples/single-root.yaml for 0.05 d and examples/plant-baseline.yaml for half a day (same files, shorter time).
  await runShortSingleRoot(tmp, sr, 0.05);
  await runShortPlant(tmp, plant, 0.5);
}, 60_000);

const plotFiles = (dir: string) => readdirSync(join(dir, 'plots')).filter((f) => f.endsWith('.svg')).sort();

describe('rhizocarb report: one self-contained HTML file per result folder', () => {
  it('holds what was run, balances, checks, totals, every plot inline, tables and provenance, and loads nothing', () => {
    const html = renderReport(sr, { now: new Date('2026-01-01T00:00:00Z') })!;
    for (const section of ['What was run', 'Conservation (balance errors)', 'Plausibility and constraint checks', 'Totals', 'Plots (8)', 'Tables (2)', 'Provenance']) expect(html).toContain(section);
    expect(html).toContain('single-root-highCO2.yaml'); // the scenario file, in "what was run"
    expect(html).toMatch(/G2\.9: C_C,B\/C_O,B &lt; C_C,R\/C_O,R/); // an App. G constraint with its result
    expect(html).toContain('co2_molC');
    // Every plot embedded as a data: image; no external reference of any kind.
    const imgs = [...html.matchAll(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(imgs).toEqual(plotFiles(sr).map((f) => `plots/${f}`));
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
  });

  it('works for a kind it has no code for, and judges balances against the tolerances the run states', () => {
    const dir = join(tmp, 'new-kind');
    mkdirSync(join(dir, 'plots'), { recursive: true });
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({
        scenario: 'pedon-test', kind: 'pedon', version: '9.9.9', gitCommit: 'abc', wallSeconds: 1.5,
        balance: { carbon: { relativeError: 2e-3, tolerance: 1e-6, passed: false }, water: { relativeError: 1e-12, tolerance: 1e-9 } },
        checks: [{ id: 'steady-state', passed: true, text: 'spin-up reached steady state' }],
        totals: { stock_kgC_per_m2: 12.5 },
        layers: [{ depth_cm: 10, soc_gC_per_kg: 20 }, { depth_cm: 30, soc_gC_per_kg: 8 }],
      }),
    );
    writeFileSync(join(dir, 'plots', 'stock.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    writeFileSync(join(dir, 'layers.csv'), 'depth_cm,soc_gC_per_kg\n10,20\n30,8\n');
    const html = renderReport(dir)!;
    expect(html).toContain('data-status="failed"');
    expect(html).toMatch(/carbon balance 0\.002 &gt; 1\.000e-6/);
    expect(html).toMatch(/<td>water<\/td><td class="num">1\.000e-12<\/td><td class="num">1\.000e-9<\/td><td><span class="badge pass">/);
    expect(html).toContain('steady-state: spin-up reached steady state');
    expect(html).toContain('stock_kgC_per_m2');
    expect(html).toContain('kg C m⁻²'); // unit read from the name
    expect(html).toContain('layers.csv');
    expect(html).toContain('data-plot="plots/stock.svg"');
  });

  it('renders a sweep folder as one page with a table of its tasks', () => {
    const dir = join(tmp, 'sweep');
    mkdirSync(join(dir, 'tasks'), { recursive: true });
    const tasks = [
      { hash: 'a1', overrides: { 'parameterSet.row': 0 }, status: 'done' },
      { hash: 'b2', overrides: { 'parameterSet.row': 1 }, status: 'failed', error: 'integration failed at t = 0.1 d' },
    ];
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ name: 'two-rows', tasks }));
    mkdirSync(join(dir, 'tasks', 'a1'));
    writeFileSync(join(dir, 'tasks', 'a1', 'summary.json'), JSON.stringify({ scenario: 'x', kind: 'single-root', balance: { carbon: { relativeError: 1e-14 } }, totals: { co2_molC: 1e-6 } }));
    const html = renderReport(dir)!;
    expect(html).toContain('Tasks (2)');
    expect(html).toContain('1 of 2 tasks failed');
    expect(html).toContain('integration failed at t = 0.1 d');
    expect(html).toContain('parameterSet.row=1');
    expect(html).toMatch(/<td class="num">1\.000e-14<\/td>/);
  });

  it('CLI: `run --report` writes report.html into the result, which stays replaceable by the next run', async () => {
    const out = join(tmp, 'cli-out');
    const args = ['run', 'examples/single-root.yaml', '--set', 'time.days=0.02', '--out', out, '--report', '--json'];
    const r = await cliInProcess(args);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).report).toBe(join(out, 'report.html'));
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<meta name="generator" content="rhizocarb report">');
    expect(JSON.parse(readFileSync(join(out, '.rhizocarb-result.json'), 'utf8')).files).toContain('report.html');
    const again = await cliInProcess(args);
    expect(again.code, again.stderr).toBe(0);
  });

  it('`report --out` replaces an earlier report but never a file that is not one, and refuses a folder that is not a result', () => {
    const again = join(tmp, 'again.html');
    expect(writeReport(sr, again)).toBe(again);
    expect(writeReport(sr, again)).toBe(again); // an earlier report is replaced
    const notes = join(tmp, 'notes.html');
    writeFileSync(notes, 'my notes');
    expect(() => writeReport(sr, notes)).toThrow(/is not a rhizocarb report; it was left as it is/);
    expect(readFileSync(notes, 'utf8')).toBe('my notes');
    expect(() => writeReport(tmp)).toThrow(InputError);
    expect(() => writeReport(join(tmp, 'missing'))).toThrow(/a rhizocarb result folder/);
  });
});

describe.skipIf(!HAVE_CHROMIUM)('reports open in Chromium with the network off and show every plot', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await launchChromium({ offline: true });
  });
  afterAll(async () => session?.close());

  it.each([
    ['single-root', sr],
    ['plant', plant],
  ])('%s report', async (name, dir) => {
    const file = join(tmp, `${name}-report.html`);
    writeFileSync(file, renderReport(dir)!);
    const page = await session.context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState('load');
    const plots = await page.$$eval('img[data-plot]', (els) => els.map((e) => ({ name: e.getAttribute('data-plot'), w: (e as unknown as { naturalWidth: number; naturalHeight: number }).naturalWidth, h: (e as unknown as { naturalWidth: number; naturalHeight: number }).naturalHeight })));
    console.log(`${name} report: ${plots.length} plots rendered, sizes ${plots.map((p) => `${p.w}×${p.h}`).join(', ')}`);
    expect(plots.map((p) => p.name).sort()).toEqual(plotFiles(dir).map((f) => `plots/${f}`));
    for (const p of plots) expect(p.w, `${p.name} rendered`).toBeGreaterThan(100);
    expect(await page.locator('.status').count()).toBe(1);
    expect(await page.locator('table.balance tbody tr').count()).toBe(2);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
    await page.close();
  });
});

// Only when the browser is missing (never in CI): a visible skip with the reason.
if (!HAVE_CHROMIUM) describe('reports in Chromium', () => it.skip(CHROMIUM_MISSING, () => {}));
