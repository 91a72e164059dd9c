import type { Command } from 'commander';
import { objectSource } from '../../scenarios/load.js';
import { ScenarioDocument } from '../../scenarios/run.js';
import { addOutputOptions, runScenarioCommand, type OutputOptions } from '../conventions.js';
import { optionalNumber, parseCurve, parseExtension, parseLayers, parseMode, parseRootChoice, parseZoneOption, type RunOptions } from './profile-options.js';

/**
 * `rhizocarb depth` and `rhizocarb budget`: thin wrappers that build a `profile-depth` /
 * `site-budget` scenario from their options and run it (same staging, resolved-scenario.json,
 * marker and summary.json as `run`).
 */

function radiocarbon(o: RunOptions) {
  return { curve: parseCurve(o.curve), extend: parseExtension(o.extend), zone: parseZoneOption(o.zone) ?? 'auto', rootChoice: parseRootChoice(o.rootChoice) };
}

function plots(o: RunOptions): number {
  return optionalNumber('plots', o.plots, 'a whole number of plots ≥ 0', (v) => v >= 0 && Number.isInteger(v)) ?? 6;
}

/** A scenario built from command-line options: errors name "command line" and the scenario key. */
function commandScenario(scenario: Record<string, unknown>): ScenarioDocument {
  return new ScenarioDocument(objectSource(scenario, 'command line'), process.cwd());
}

function addCommonOptions(c: Command): Command {
  return addOutputOptions(
    c
      .requiredOption('--out <dir>', 'output folder: new, empty, or a previous rhizocarb result (replaced atomically)')
      .option('--curve <C>', 'atmospheric curve: Hua2022 (default), Hua2013, Graven2017, ISRaD-annual')
      .option('--extend <rule>', 'past the curve end: none (default: such layers get no age, with a warning), hold-last, forecast')
      .option('--zone <Z>', 'zone for every layer (default: the zone column, else from latitude)')
      .option('--root-choice <which>', 'when several turnover times fit: slowest (default) or fastest')
      .option('--plots <N>', 'plot at most N profiles/sites (default 6)')
      .option('--allow-long', 'run even if the work estimate exceeds the documented limit'),
  );
}

type Opts = RunOptions & OutputOptions & { allowLong?: boolean };

export function registerProfileRunCommands(program: Command): void {
  addCommonOptions(
    program
      .command('depth')
      .description('SOC density and stocks, β fit and extrapolation (003), spline harmonisation, radiocarbon age per layer (001); scenario kind profile-depth')
      .argument('<profiles.csv>', 'ISRaD-style or tidy layer CSV')
      .option('--layers <list>', 'standard layers: 003 (default, 0–100 by 20 cm), 001, or boundaries like 0,30,100')
      .option('--mode <mode>', 'spline layer means: exact (default) or mpspline2'),
  ).action(async (input: string, o: Opts & { mode?: string }) => {
    const doc = commandScenario({
      kind: 'profile-depth',
      input,
      radiocarbon: radiocarbon(o),
      layers: parseLayers(o.layers, '003'),
      spline: { mode: parseMode(o.mode) },
      outputs: { plots: plots(o) },
    });
    await runScenarioCommand(doc, o, (r) => {
      const s = r.summary as unknown as { counts: Record<string, number>; betaStatistics: { median: number; p05: number; p95: number; declining: number; noDecline: number }; warningCounts: Record<string, number>; computeSeconds: number };
      const c = s.counts;
      const b = s.betaStatistics;
      const nWarn = Object.values(s.warningCounts).reduce((a, x) => a + x, 0);
      return (
        `depth: ${c.profiles} profiles: ${c.processed} processed, ${c.warned} warned, ${c.rejected} rejected; ${c.layers} layers, ${c.layersWithAge} with an age (${c.ambiguousLayers} ambiguous); ` +
        `${c.betaFits} β fits (${b.declining} with β < 1: median ${b.median.toFixed(4)}, 5–95 % ${b.p05.toFixed(4)}–${b.p95.toFixed(4)}; ${b.noDecline} with β ≥ 1 excluded); ${nWarn} warnings; ` +
        `${(c.layers / s.computeSeconds).toFixed(0)} layers/s → ${r.outDir}/`
      );
    });
  });
  addCommonOptions(
    program
      .command('budget')
      .description('I_root, I_bulk, I_loss and I_loss/I_root by standard layer with Monte Carlo uncertainty (001); scenario kind site-budget')
      .argument('<sites.csv>', 'ISRaD-style or tidy layer CSV with site columns (npp_MgC_per_ha_yr, f_bnpp, bnpp_MgC_per_ha_yr, biome, root_beta, …)')
      .option('--layers <list>', 'standard layers: 001 (default, 7 layers to 200 cm), 003, or boundaries')
      .option('--draws <N>', 'Monte Carlo draws (default 500; 0 for none; at most 1e6)')
      .option('--seed <S>', 'random seed (default 1)'),
  ).action(async (input: string, o: Opts & { draws?: string; seed?: string }) => {
    const doc = commandScenario({
      kind: 'site-budget',
      input,
      radiocarbon: radiocarbon(o),
      layers: parseLayers(o.layers, '001'),
      monteCarlo: {
        draws: optionalNumber('draws', o.draws, 'a whole number of draws from 0 to 1000000', (v) => v >= 0 && v <= 1e6 && Number.isInteger(v)) ?? 500,
        seed: optionalNumber('seed', o.seed, 'an integer seed', Number.isSafeInteger) ?? 1,
      },
      outputs: { plots: plots(o) },
    });
    await runScenarioCommand(doc, o, (r) => {
      type Total = { site: string; coveredToCm: number; iRoot: number; iBulk: number; iLoss: number; lossFraction: number; iLossMedian: number | null; iLossQ025: number | null; iLossQ975: number | null };
      const s = r.summary as unknown as { counts: Record<string, number>; totals: Total[]; warningCounts: Record<string, number> };
      const c = s.counts;
      const nWarn = Object.values(s.warningCounts).reduce((a, x) => a + x, 0);
      const lines = [`budget: ${c.sites} sites: ${c.processed} processed, ${c.warned} warned, ${c.rejected} rejected; ${c.layersUsed} of ${c.layers} layers used; ${nWarn} warnings → ${r.outDir}/`];
      for (const t of s.totals) {
        lines.push(`  ${t.site} (0–${t.coveredToCm} cm): I_root ${t.iRoot.toFixed(3)}, I_bulk ${t.iBulk.toFixed(3)}, I_loss ${t.iLoss.toFixed(3)} Mg C ha⁻¹ yr⁻¹ (I_loss/I_root ${(100 * t.lossFraction).toFixed(1)} %${t.iLossMedian !== null ? `; MC median ${t.iLossMedian.toFixed(3)}, 95 % ${t.iLossQ025!.toFixed(3)}–${t.iLossQ975!.toFixed(3)}` : ''})`);
      }
      return lines.join('\n');
    });
  });
}
