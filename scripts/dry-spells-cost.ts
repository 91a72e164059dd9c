/**
 * Cost of the dry-spells runs (issue 9): one run of examples/dry-spells.yaml's coupled scenario (the full
 * 004 set-up: 3 × 12 × 40 voxels, paper004 plant) for a short span out of a spell (baseline: static soil
 * water) and in a spell (earlyDry or lateDry started at the span's start: reset to −450 cm, dynamic soil
 * water), in this process, timed with process.cpuUsage (user + system, all threads of the process).
 *
 *   npx tsx scripts/dry-spells-cost.ts [--days 11,18.5] [--spans 0.5,0.0416667] [--set highMB] [--key k=v …]
 *
 * Each start day with its span (days): a span of 0.5 d from midnight holds 6 h of night and 6 h of
 * day (light 6–18 h), so its cost per simulated day stands for a whole day; a short span at noon
 * (x.5) is the costliest part of a day. The plant is grown without fluxes (potential growth) to the
 * start day, so a late start has more roots than the coupled run from day 10 would have. Prints one
 * JSON line per run and a Markdown table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../src/scenarios/run.js';
import { loadSweepFile } from '../src/scenarios/sweep.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const days = arg('days', '11,18.5').split(',').map(Number);
const spans = arg('spans', '0.5,0.0416667').split(',').map(Number);
const set = arg('set', 'highMB');
// --key k=v (repeatable): a scenario key for every run, as `--set` of `rhizocarb run` (e.g. --key coupling.waterPredictor1D=false).
const keys = process.argv.flatMap((a, i) => (a === '--key' ? [process.argv[i + 1]] : []));
const rows: string[] = [];
for (const [j, day] of days.entries()) {
  const span = spans[Math.min(j, spans.length - 1)];
  for (const regime of ['baseline', day < 18 ? 'earlyDry' : 'lateDry']) {
    const spell = regime === 'baseline' ? [] : ['--set', `weather.${regime}_d=[${day}, ${day + 7}]`];
    const sets = ['time.start_d=' + day, 'time.end_d=' + (day + span), 'outputs.vtk=false', 'outputs.soil.days_d=[]', ...(spell.length ? [spell[1]] : []), ...keys];
    const task = loadSweepFile('examples/dry-spells.yaml', { only: [`${regime}/${set}`], set: sets }).tasks[0];
    const out = join(mkdtempSync(join(tmpdir(), 'rhizocarb-ds-cost-')), 'run');
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await runScenario(task.resolved, { out, allowLong: true });
    const c = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / 1000;
    const core = (c.user + c.system) / 1e6;
    const s = r.summary as Record<string, any>;
    const line = {
      regime, set, start_d: day, span_d: span, soilWater: regime === 'baseline' ? 'static' : 'dynamic (spell)', coreSeconds: core, wallSeconds: wall,
      coreSecondsPerSimulatedDay: core / span, domainsAtEnd: s.plant.segmentsAtEnd, iteratesPerSubStep: s.coupling.iteratesPerSubStep, subSteps: s.coupling.subSteps, steps: s.coupling.steps,
      water: r.balance.water.relativeError, carbon: r.balance.carbon.relativeError, waterParts_cm3: { soil: r.balance.water.soilError_cm3, plant: r.balance.water.plantError_cm3, throughput: r.balance.water.throughput_cm3 }, spellResets: s.weather?.spellResets, keys, partsWall_s_per_d: s.cost.wallSecondsPerSimulatedDay,
    };
    console.log(JSON.stringify(line));
    rows.push(`| ${regime} | ${day}–${day + span} | ${line.soilWater} | ${core.toFixed(1)} | ${(core / span).toFixed(0)} | ${wall.toFixed(0)} | ${line.domainsAtEnd} | ${Number(line.iteratesPerSubStep).toFixed(2)} | ${line.subSteps} | ${line.water.toExponential(1)} / ${line.carbon.toExponential(1)} |`);
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}
console.log(['', `| run (${set}) | days | soil water | core-s | core-s per simulated day | wall s | segments at end | iterates/sub-step | sub-steps | balance water / carbon |`, '|---|---|---|---|---|---|---|---|---|---|', ...rows].join('\n'));
