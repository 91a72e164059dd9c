import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POOL_NAMES, socExpected_molC_per_cm3, socSlow_molC_per_cm3 } from '../../src/analysis/index.js';
import { cliInProcess } from '../helpers/cli.js';

/**
 * Synthetic run folders in the soil-snapshot contract (soil/voxels-d<day>.csv, soil/perirhizal-d<day>.csv) with
 * values chosen so every table entry can be computed by hand: two voxels of 1 cm³ at z −0.5 and −1.5 cm, one
 * perirhizal model (faces 0.05, 0.07, 0.10, 0.15 cm), pools uniform per run; earlyDry has twice baseline's CO₂
 * and microbes and a root half as long.
 */
const table = (head: string[], rows: (string | number)[][]) => [head.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
const pools = (f: number) => ({ CL_dissolved: 1e-5, CH_dissolved: 2e-5, CL_sorbed: 3e-5, CO_active: 1e-4 * f, CO_dormant: 2e-4 * f, CC_active: 5e-5 * f, CC_dormant: 5e-5 * f, CO2: 1e-4 * f });

function run(root: string, name: string, f: number, length: number, rooted: [number, number]) {
  const d = join(root, name);
  mkdirSync(join(d, 'soil'), { recursive: true });
  writeFileSync(join(d, 'summary.json'), JSON.stringify({ scenario: name }));
  const t = [10 + 1 / 72, 10 + 2 / 72];
  writeFileSync(join(d, 'timeseries.csv'), table(['time_d', 'psiXylemMean_cm', 'structuralGrowth_molC_per_d', 'growthRespiration_molC_per_d', 'maintenanceRespiration_molC_per_d', 'exudation_molC_per_d', 'mucilage_molC_per_d'], t.map((x) => [x, -100, 1, 0.25, 0.5, 2 * f, 0.1])));
  const p = pools(f);
  for (const day of [10, 18, 25]) {
    writeFileSync(join(d, 'soil', `voxels-d${day}.csv`), table(['voxel', 'z_cm', 'volume_cm3', 'rooted', ...POOL_NAMES], [[0, -0.5, 1, rooted[0], ...POOL_NAMES.map((k) => p[k])], [1, -1.5, 1, rooted[1], ...POOL_NAMES.map((k) => 3 * p[k])]]));
    const faces = [0.05, 0.07, 0.1, 0.15];
    writeFileSync(join(d, 'soil', `perirhizal-d${day}.csv`), table(['segment', 'cell', 'r0_cm', 'r1_cm', 'length_cm', ...POOL_NAMES], [2, 0, 1].map((c) => [7, c, faces[c], faces[c + 1], length, ...POOL_NAMES.map((k) => p[k])])));
  }
}

const csv = (f: string) => {
  const [h, ...rows] = readFileSync(f, 'utf8').trim().split('\n');
  const head = h.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [head[i], v === '' ? NaN : Number(v)])));
};

describe('analyse dry-spells: soil analyses from snapshots (Figs 8–12, pool tables, perirhizal_trunc volume)', () => {
  it('every table entry equals the hand-computed value', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rhizocarb-analyse-soil-'));
    run(root, 'baseline-highMB', 1, 1, [1, 0]);
    run(root, 'earlyDry-highMB', 2, 0.5, [0, 1]);
    const r = await cliInProcess(['analyse', 'dry-spells', root, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).done).toEqual(['fig7', 'fig8', 'fig9', 'fig10', 'poolTables', 'fig11', 'fig12', 'perirhizalTruncVolume']);
    const out = join(root, 'analysis', 'tables');
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8');
    const early = runs.includes('1,earlyDry') ? 1 : 0;
    const base = 1 - early;
    // Fig 10: macroscale = both voxels (each rooted at the end in one run); CO₂ = 1e-4 f (1 + 3).
    const f10 = csv(join(out, 'fig10-macroscale.csv'));
    for (const row of f10) expect(row.co2_molC).toBeCloseTo(row.run === early ? 8e-4 : 4e-4, 15);
    for (const row of f10.filter((x) => x.run === early)) {
      expect(Math.abs(row.co2VsBaseline - 1)).toBeLessThan(1e-12);
      expect(Math.abs(row.microbesVsBaseline - 1)).toBeLessThan(1e-12);
      expect(Math.abs(row.solutesVsBaseline)).toBeLessThan(1e-12); // solutes are the same in both runs
    }
    // Pool tables: day 25 CO₂ in mmol C, and minus the first snapshot (unchanged pools: 0).
    const pt = csv(join(out, 'pool-tables-day18-25.csv'));
    expect(pt.map((x) => x.day).sort()).toEqual([18, 18, 25, 25]);
    expect(pt.find((x) => x.run === base && x.day === 25)!.co2_mmolC).toBeCloseTo(0.4, 12);
    expect(pt.every((x) => x.co2_minusInitial_mmolC === 0)).toBe(true);
    // Fig 8: bulk soil at day 25 = the voxel rooted then: baseline layer 0–1 cm only, earlyDry layer 1–2 cm (3 × pools).
    const f8 = csv(join(out, 'fig8-depth-profiles.csv')).filter((x) => x.pool === POOL_NAMES.indexOf('CO2'));
    expect(f8.find((x) => x.run === base && x.zTop_cm === 0)!.mean_molC_per_cm3).toBeCloseTo(1e-4, 15);
    expect(Number.isNaN(f8.find((x) => x.run === base && x.zTop_cm === -1)!.mean_molC_per_cm3)).toBe(true);
    expect(f8.find((x) => x.run === early && x.zTop_cm === -1)!.mean_molC_per_cm3).toBeCloseTo(6e-4, 15);
    // Fig 9 and the perirhizal_trunc volume: π (0.11² − 0.05²) L; earlyDry's root half as long → −50 %.
    const vTrunc = Math.PI * (0.11 ** 2 - 0.05 ** 2);
    const f9 = csv(join(out, 'fig9-volume-distribution.csv')).filter((x) => x.pool === 0);
    const b9 = f9.filter((x) => x.run === base);
    expect(b9).toHaveLength(1); // uniform pool: one distinct value
    expect(Math.abs(b9[0].volumeAtOrBelow_cm3 - vTrunc) / vTrunc).toBeLessThan(1e-14);
    const tv = csv(join(out, 'perirhizal-trunc-volume.csv'));
    expect(Math.abs(tv.find((x) => x.run === base)!.volume_cm3 - vTrunc) / vTrunc).toBeLessThan(1e-14);
    expect(Math.abs(tv.find((x) => x.run === early)!.volumeVsBaseline + 0.5)).toBeLessThan(1e-14);
    // Fig 11: SOC = Σ pools but CO₂ + SOC_slow(highMB); baseline 4.6e-4 + SOC_slow, earlyDry 8.6e-4 + SOC_slow.
    const rhoB = 2.65 * 0.57;
    const exp = socExpected_molC_per_cm3(rhoB);
    const slow = socSlow_molC_per_cm3(rhoB, 2.9414e-4);
    const socB = 6e-5 + 4e-4 + slow;
    const socE = 6e-5 + 8e-4 + slow;
    const f11 = csv(join(out, 'fig11-soc-hotspots.csv'));
    console.log(`Fig 11 case: SOC/SOC_expected baseline ${(socB / exp).toFixed(4)}, earlyDry ${(socE / exp).toFixed(4)}`);
    const cls = (soc: number, f: number, L: number) => (soc >= f * exp ? vTrunc * L : 0);
    for (const row of f11) {
      const [soc, L] = row.run === base ? [socB, 1] : [socE, 0.5];
      expect(row.volumeSocAtLeast0_65Expected_cm3).toBeCloseTo(cls(soc, 0.65, L), 14);
      expect(row.volumeSocAtLeast0_83Expected_cm3).toBeCloseTo(cls(soc, 0.83, L), 14);
    }
    // Fig 12: uniform pools: C_L^l the same in every bin; active fraction C_C^a/C_C = 0.5.
    const f12 = csv(join(out, 'fig12-radial-profiles.csv')).filter((x) => x.volume_cm3 > 0);
    expect(f12.every((x) => Math.abs(x.CL_dissolved_molC_per_cm3 - 1e-5) < 1e-18 && Math.abs(x.activeCopiotrophFraction - 0.5) < 1e-15)).toBe(true);
  }, 60_000);
});

describe('analyse dry-spells: from the coupled kind\'s per-step pool totals (pools.csv)', () => {
  it('Fig 10, pool tables and perirhizal_trunc volume by hand; Fig 7 reported not done when the time series has no plant columns', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rhizocarb-analyse-pools-'));
    const times = [10, 18, 25];
    for (const [name, f] of [['baseline-highCO2', 1], ['lateDry-highCO2', 3]] as const) {
      const d = join(root, name);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'summary.json'), JSON.stringify({ scenario: name }));
      writeFileSync(join(d, 'timeseries.csv'), table(['time_d', 'transpiration_cm3_per_d'], times.map((t) => [t, 1])));
      const cols = ['time_d', 'macroscale_volume_cm3', 'perirhizalTrunc_volume_cm3', ...POOL_NAMES.map((p) => `macroscale_${p}_molC`)];
      // Pools grow linearly with time: value = f·(t − 9)·base; perirhizal_trunc volume 2 f cm³ at the end.
      writeFileSync(join(d, 'pools.csv'), table(cols, times.map((t, i) => [t, 480, i === 2 ? 2 * f : 1, ...POOL_NAMES.map((_, k) => f * (t - 9) * (k + 1) * 1e-6)])));
    }
    const r = await cliInProcess(['analyse', 'dry-spells', root, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.done).toEqual(['fig10', 'poolTables', 'perirhizalTruncVolume']);
    expect(doc.notDone).toContain('fig7');
    const out = join(root, 'analysis', 'tables');
    const late = readFileSync(join(out, 'runs.csv'), 'utf8').includes('1,lateDry') ? 1 : 0;
    for (const row of csv(join(out, 'fig10-macroscale.csv')).filter((x) => x.run === late)) expect(Math.abs(row.co2VsBaseline - 2)).toBeLessThan(1e-12);
    // CO₂ is pool index 7 → (7 + 1)·1e-6 per unit; day 25 of lateDry: 3·16·8e-6 mol = 0.384 mmol, minus day 10 (3·1·8e-6): 0.36.
    const pt = csv(join(out, 'pool-tables-day18-25.csv')).find((x) => x.run === late && x.day === 25)!;
    expect(pt.co2_mmolC).toBeCloseTo(0.384, 12);
    expect(pt.co2_minusInitial_mmolC).toBeCloseTo(0.36, 12);
    // solutes = CL + CH dissolved (indices 0, 1): 3·16·(1 + 2)·1e-6 mol.
    expect(pt.solutes_mmolC).toBeCloseTo(1e3 * 3 * 16 * 3e-6, 12);
    const tv = csv(join(out, 'perirhizal-trunc-volume.csv')).find((x) => x.run === late)!;
    expect(tv.volumeVsBaseline).toBeCloseTo(2, 14);
  }, 60_000);
});
