/**
 * Measures the effect of each departure of rhizocarb's plant from 004 (src/plant/departures.ts) on the
 * plant-only scenarios examples/plant-{baseline,early-dry,late-dry}.yaml and writes the Markdown table
 * docs/results/dry-spells/plant-departures.md (and a CSV next to it).
 *
 *   npx tsx scripts/plant-departures.ts [--end-day 25] [--out docs/results/dry-spells] [--variants paper004,paper004-dry540]
 *
 * Each variant is the scenario file with `plant.preset`, `plant.laws` and parameter overrides set, run
 * through the normal scenario pipeline (runScenarioFile) into a temporary folder; the numbers are read
 * from its summary.json balance terms and its time series.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runScenarioFile } from '../src/scenarios/index.js';

interface Variant {
  id: string;
  what: string;
  plant?: Record<string, unknown>;
  leaf?: Record<string, number>;
  carbon?: Record<string, number>;
  /** Overrides of the dry spell (psi_cm, soilVolume_cm3) in the spell scenarios. */
  spell?: Record<string, number>;
}

const VARIANTS: Variant[] = [
  { id: 'rhizocarb', what: 'rhizocarb defaults (all departures on)' },
  { id: '+maint004', what: "004's maintenance (krm1 0.1 d⁻¹, T_ref 20 °C), rest rhizocarb", carbon: { maintenanceLeaf_per_d: 0.1, maintenanceStem_per_d: 0.1, maintenanceRoot_per_d: 0.1, maintenanceTref_C: 20 } },
  { id: '+faces2', what: 'gas exchange on both leaf faces (CPlantBox), rest rhizocarb', leaf: { gasExchangeFaces: 2 } },
  { id: '+exudEq16', what: 'Eq 16 as printed (no threshold), rest rhizocarb', plant: { laws: { exudation: 'eq16' } } },
  { id: '+exudCode', what: "004 code's exudation law, rest rhizocarb", plant: { laws: { exudation: 'code004' } } },
  { id: '+mucCode', what: "004 code's mucilage law (k_mucil 1 d⁻¹ × tip starch), rest rhizocarb", plant: { laws: { mucilage: 'code004' } } },
  { id: '+maintLaw', what: "004 code's maintenance law (CPlantBox Fu_lim, shared with growth, none below CSTimin) with 004's maintenance values, rest rhizocarb", plant: { laws: { maintenance: 'code004' } }, carbon: { maintenanceLeaf_per_d: 0.1, maintenanceStem_per_d: 0.1, maintenanceRoot_per_d: 0.1, maintenanceTref_C: 20 } },
  { id: 'paper004', what: 'preset paper004 (all of the above from 004 code: exudation, mucilage and maintenance laws code004)', plant: { preset: 'paper004' } },
  { id: 'paper004-indepMaint', what: 'preset paper004 with the maintenance law `independent` (the paper004 preset before the maintenance law was added)', plant: { preset: 'paper004', laws: { maintenance: 'independent' } } },
  { id: 'paper004-eq16', what: 'preset paper004 with Eq 16 as printed', plant: { preset: 'paper004', laws: { exudation: 'eq16' } } },
  { id: 'paper004-dry1440', what: "preset paper004; the soil dries in the spell: a well-mixed store of 004's domain volume 1440 cm³ from −450 cm (drySpell.soilVolume_cm3)", plant: { preset: 'paper004' }, spell: { soilVolume_cm3: 1440 } },
  { id: 'paper004-dry540', what: 'preset paper004; drying store of 540 cm³ (the rooted top 15 cm of the domain: an upper bound of the mean drying)', plant: { preset: 'paper004' }, spell: { soilVolume_cm3: 540 } },
  { id: 'paper004-dry540-osmo6000', what: 'as paper004-dry540, with ψ_osmo −6000 cm (a sensitivity, not 004: growth stops below ψ_x ≈ −3450 cm instead of −1530 cm, so the baseline grows by day)', plant: { preset: 'paper004' }, carbon: { growthOsmoticHead_cm: -6000 }, spell: { soilVolume_cm3: 540 } },
  { id: 'paper004-psi2500', what: 'preset paper004; soil held at −2500 cm in the spell (root tips below the growth threshold ψ_x ≈ −1530 cm: no growth)', plant: { preset: 'paper004' }, spell: { psi_cm: -2500 } },
];
const WEATHERS = [
  ['baseline', 'examples/plant-baseline.yaml'],
  ['earlyDry', 'examples/plant-early-dry.yaml'],
  ['lateDry', 'examples/plant-late-dry.yaml'],
] as const;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const endDay = Number(arg('--end-day', '25'));
const outDir = arg('--out', 'docs/results/dry-spells');
// --variants a,b,c: a reduced run (the tables then list only those; the file keeps its hand-written part).
const only = arg('--variants', '');
const variants = only ? VARIANTS.filter((v) => only.split(',').includes(v.id)) : VARIANTS;
if (variants.length === 0) throw new Error(`--variants: none of ${only} is one of ${VARIANTS.map((v) => v.id).join(', ')}`);
/** Everything after this line in the Markdown file is hand-written and kept when the tables are rewritten. */
const KEEP = '<!-- hand-written below: kept by scripts/plant-departures.ts -->';

interface Row {
  variant: string;
  weather: string;
  assimilation: number;
  growth: number;
  growthResp: number;
  maintenance: number;
  exudation: number;
  mucilage: number;
  psiMean: number;
  psiSoilMin: number;
  /** Days 18–25 (the late spell's window): assimilation, maintenance, growth + growth respiration, exudation, mucilage, mol C. */
  wA: number;
  wRm: number;
  wG: number;
  wE: number;
  wM: number;
  /** Exudation before day 18 and sucrose + starch at day 18, mol C; share of the window's exudation made in daylight. */
  ePre: number;
  store18: number;
  wDayExud: number;
  peak: number;
  carbonErr: number;
  waterErr: number;
}

const tmp = mkdtempSync(join(tmpdir(), 'rhizocarb-departures-'));
const rows: Row[] = [];
const t0 = Date.now();
const cpu0 = process.cpuUsage();
for (const v of variants) {
  for (const [weather, file] of WEATHERS) {
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, any>;
    doc.time = { ...doc.time, end_d: endDay };
    doc.outputs = { snapshots_d: [], vtk: false };
    if (doc.drySpell && doc.drySpell.end_d > endDay) doc.drySpell.end_d = endDay;
    if (doc.drySpell && doc.drySpell.start_d >= endDay) delete doc.drySpell;
    if (doc.drySpell && v.spell) doc.drySpell = { ...doc.drySpell, ...v.spell };
    doc.plant = { ...doc.plant, ...(v.plant ?? {}) };
    doc.parameters = { ...(doc.parameters ?? {}), ...(v.leaf ? { leaf: v.leaf } : {}), ...(v.carbon ? { carbon: v.carbon } : {}) };
    const f = join(tmp, `${v.id}-${weather}.yaml`);
    writeFileSync(f, stringify(doc));
    const out = join(tmp, `${v.id}-${weather}`);
    const sum = await runScenarioFile(f, out);
    const c = (sum.balance.carbon as any).terms_molC;
    const ts = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    const head = ts[0].split(',');
    const ip = head.indexOf('psiXylemMean_cm');
    const psi = ts.slice(1).map((l) => Number(l.split(',')[ip]));
    const w = { wA: 0, wRm: 0, wG: 0, wE: 0, wM: 0, ePre: 0, store18: 0, wDayExud: 0 };
    {
      const ix = (n: string) => head.indexOf(n);
      let prev = 10;
      for (const l of ts.slice(1)) {
        const x = l.split(',').map(Number);
        const t = x[ix('time_d')];
        const dt = t - prev;
        prev = t;
        const e = x[ix('exudation_molC_per_d')] * dt;
        if (t <= 18 + 1e-9) {
          w.ePre += e;
          if (Math.abs(t - 18) < 1e-6) w.store18 = x[ix('sucrose_molC')] + x[ix('starch_molC')];
          continue;
        }
        w.wA += x[ix('assimilation_molC_per_d')] * dt;
        w.wRm += x[ix('maintenanceRespiration_molC_per_d')] * dt;
        w.wG += (x[ix('structuralGrowth_molC_per_d')] + x[ix('growthRespiration_molC_per_d')]) * dt;
        w.wE += e;
        w.wM += x[ix('mucilage_molC_per_d')] * dt;
        if (x[ix('par_umol_m2_s')] > 0) w.wDayExud += e;
      }
      w.wDayExud = w.wE > 0 ? w.wDayExud / w.wE : 0;
    }
    const is = head.indexOf('soilPsi_cm');
    const psiSoilMin = Math.min(...ts.slice(1).map((l) => Number(l.split(',')[is])));
    rows.push({
      variant: v.id, weather,
      assimilation: c.assimilation, growth: c.structuralGrowth, growthResp: c.growthRespiration, maintenance: c.maintenanceRespiration,
      exudation: c.exudation, mucilage: c.mucilage, psiMean: psi.reduce((a, b) => a + b, 0) / psi.length, psiSoilMin, ...w,
      peak: (sum.plausibility as any).peakTipExudation_mmolC_per_cm2_d,
      carbonErr: (sum.balance.carbon as any).relativeError, waterErr: (sum.balance.water as any).relativeError,
    });
    process.stderr.write(`${v.id} ${weather}: done (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
}
rmSync(tmp, { recursive: true, force: true });

const mm = (x: number) => (1e3 * x).toFixed(3);
const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${((100 * (a - b)) / b).toFixed(0)} %`;
const get = (v: string, w: string) => rows.find((r) => r.variant === v && r.weather === w)!;
const lines: string[] = [];
lines.push('# Plant departures from 004: effect on plant-only runs', '');
const cpu = process.cpuUsage(cpu0);
lines.push(`Produced by \`npx tsx scripts/plant-departures.ts --end-day ${endDay}${only ? ` --variants ${only}` : ''}\` (${new Date().toISOString().slice(0, 10)}; ${((Date.now() - t0) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} core-s, ${rows.length} runs).`);
lines.push(`Scenarios: examples/plant-baseline.yaml, plant-early-dry.yaml, plant-late-dry.yaml, days 10–${endDay}, each with the overrides of the variant`);
lines.push('(plant-only: prescribed soil head and C_L^l, no soil model; the dry spell is weather + soil at −450 cm, a drying well-mixed store only in the `-dry` variants).', '');
lines.push('Variants:', '');
for (const v of variants) lines.push(`* \`${v.id}\`: ${v.what}`);
lines.push('', '## Cumulative amounts (mmol C) and mean xylem head', '');
lines.push('| variant | weather | assimilation | structural growth | growth resp. | maintenance | exudation | mucilage | mucilage/exud. | mean ψ_x (cm) | lowest ψ_soil (cm) | peak exud. (mmol C cm⁻² d⁻¹) | carbon err. | water err. |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  lines.push(`| ${r.variant} | ${r.weather} | ${mm(r.assimilation)} | ${mm(r.growth)} | ${mm(r.growthResp)} | ${mm(r.maintenance)} | ${mm(r.exudation)} | ${mm(r.mucilage)} | ${((100 * r.mucilage) / r.exudation).toFixed(1)} % | ${r.psiMean.toFixed(0)} | ${r.psiSoilMin.toFixed(0)} | ${r.peak.toFixed(3)} | ${r.carbonErr.toExponential(1)} | ${r.waterErr.toExponential(1)} |`);
}
lines.push('', '## Dry spells vs baseline (the findings\' quantities; 004: exudation −32…−37 % early, +26…+29 % late; mucilage −11…+6 % early, +139…+170 % late; respiration −29 % early, −18 % late)', '');
lines.push('| variant | exudation early | exudation late | mucilage early | mucilage late | respiration early | respiration late | growth early | growth late |');
lines.push('|---|---|---|---|---|---|---|---|---|');
for (const v of variants) {
  const b = get(v.id, 'baseline');
  const e = get(v.id, 'earlyDry');
  const l = get(v.id, 'lateDry');
  const resp = (r: Row) => r.maintenance + r.growthResp;
  lines.push(`| ${v.id} | ${pct(e.exudation, b.exudation)} | ${pct(l.exudation, b.exudation)} | ${pct(e.mucilage, b.mucilage)} | ${pct(l.mucilage, b.mucilage)} | ${pct(resp(e), resp(b))} | ${pct(resp(l), resp(b))} | ${pct(e.growth, b.growth)} | ${pct(l.growth, b.growth)} |`);
}
lines.push('', '## The late spell\'s window, days 18–25: carbon budget (mmol C) and the most exudation it allows', '');
lines.push('Bound = exudation before day 18 + (assimilation − maintenance) of the window + sucrose and starch at day 18 − mucilage of the window: the total exudation if nothing grew in the window and every reserve were exuded. 004 lateDry: +26…+29 % of baseline exudation.', '');
lines.push('| variant | weather | A (window) | R_m (window) | A − R_m | growth + growth resp. | exudation (window) | exudation by day | reserves at day 18 | exudation total vs baseline | bound vs baseline |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const v of variants) {
  const b = get(v.id, 'baseline');
  for (const r of [b, get(v.id, 'lateDry')]) {
    const bound = r.ePre + r.wA - r.wRm + r.store18 - r.wM;
    lines.push(`| ${v.id} | ${r.weather} | ${mm(r.wA)} | ${mm(r.wRm)} | ${mm(r.wA - r.wRm)} | ${mm(r.wG)} | ${mm(r.wE)} | ${(100 * r.wDayExud).toFixed(0)} % | ${mm(r.store18)} | ${pct(r.exudation, b.exudation)} | ${pct(bound, b.exudation)} |`);
  }
}
lines.push('', '## Each departure against rhizocarb defaults (baseline weather)', '');
lines.push('| variant | structural growth | exudation | mucilage | mean ψ_x |');
lines.push('|---|---|---|---|---|');
const base = rows.find((r) => r.variant === 'rhizocarb' && r.weather === 'baseline') ?? get(variants[0].id, 'baseline');
for (const v of variants.filter((x) => x.id !== base.variant)) {
  const r = get(v.id, 'baseline');
  lines.push(`| ${v.id} | ${pct(r.growth, base.growth)} | ${pct(r.exudation, base.exudation)} | ${pct(r.mucilage, base.mucilage)} | ${(r.psiMean - base.psiMean).toFixed(0)} cm |`);
}
mkdirSync(outDir, { recursive: true });
const mdFile = join(outDir, 'plant-departures.md');
const previous = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '';
const kept = previous.includes(KEEP) ? previous.slice(previous.indexOf(KEEP)) : `${KEEP}\n`;
writeFileSync(mdFile, lines.join('\n') + '\n\n' + kept);
const csvHead = Object.keys(rows[0]).join(',');
writeFileSync(join(outDir, 'plant-departures.csv'), [csvHead, ...rows.map((r) => Object.values(r).join(','))].join('\n') + '\n');
console.log(lines.join('\n'));
