import { MISSING_CSV } from '../../io/table.js';
import type { Command } from 'commander';
import { InputError, InputErrors } from '../../core/errors.js';
import { checkOutputFile, writeFileAtomic } from '../../io/atomic.js';
import { numberColumn, requireColumns, stringColumn } from '../../core/csv.js';
import { readCsvFile } from '../../io/files.js';
import { packageRoot } from '../../io/paths.js';
import { addOutputOptions, cliOutput, groupWarnings, type OutputOptions } from '../conventions.js';
import { countWarnings, splineProfile, type ProfileWarning } from '../../profile/index.js';
import { optionalNumber, parseLayers, parseMode } from './profile-options.js';

interface SplineOpts {
  depths: string;
  lambda?: string;
  mode?: string;
  vlow?: string;
  vhigh?: string;
  out: string;
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(v) : MISSING_CSV);

/** `rhizocarb spline in.csv --depths … --out out.csv`: equal-area spline per profile (SPLINE.md). */
export function registerSplineCommand(program: Command): void {
  addOutputOptions(program
    .command('spline')
    .description('equal-area (mass-preserving) spline of horizon values to standard depths; columns profile,top,bottom,value in and out')
    .argument('<in>', 'CSV with columns profile,top,bottom,value (depths in cm)')
    .requiredOption('--depths <list>', 'output layer boundaries in cm, e.g. 0,20,40,60,80,100')
    .option('--lambda <λ>', 'smoothing (default 0.1)')
    .option('--mode <mode>', 'exact (integrates the quadratics, default) or mpspline2 (1 cm samples, as R mpspline2)')
    .option('--vlow <v>', 'lower clamp of outputs (default 0; use -1000 for Δ14C)')
    .option('--vhigh <v>', 'upper clamp of outputs (default 1000)')
    .requiredOption('--out <out.csv>', 'output CSV (written atomically; an existing file is replaced, a folder or an input is refused)'))
    .action((input: string, opts: SplineOpts & OutputOptions) => {
      const io = cliOutput(opts);
      const outFile = checkOutputFile(opts.out, { label: '--out', inputs: [input], protect: [packageRoot()] });
      const depths = parseLayers(opts.depths, '003', '--depths');
      const lambda = optionalNumber('lambda', opts.lambda, 'a smoothing λ ≥ 0', (v) => v >= 0) ?? 0.1;
      const vlow = optionalNumber('vlow', opts.vlow, 'a number') ?? 0;
      const vhigh = optionalNumber('vhigh', opts.vhigh, 'a number') ?? 1000;
      if (!(vhigh > vlow)) throw new InputError({ keyPath: '--vhigh', value: vhigh, expected: `a value above --vlow (${vlow})` });
      const mode = parseMode(opts.mode);
      const t = readCsvFile(input);
      requireColumns(t, ['profile', 'top', 'bottom', 'value'], 'spline input');
      const errors: InputError[] = [];
      const top = numberColumn(t, 'top', errors, { expected: 'a depth in cm' });
      const bottom = numberColumn(t, 'bottom', errors, { expected: 'a depth in cm' });
      const value = numberColumn(t, 'value', errors);
      const profile = stringColumn(t, 'profile');
      profile.forEach((p, i) => {
        if (!p) errors.push(new InputError({ file: t.file, line: t.lines[i], keyPath: 'profile', value: '', expected: 'a profile identifier' }));
      });
      if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
      const groups = new Map<string, number[]>();
      profile.forEach((p, i) => (groups.get(p) ?? groups.set(p, []).get(p)!).push(i));
      const warnings: ProfileWarning[] = [];
      const lines = ['profile,top,bottom,value'];
      let rejected = 0;
      for (const [id, rows] of groups) {
        const r = splineProfile(
          { profile: id, tops: rows.map((i) => top[i]), bottoms: rows.map((i) => bottom[i]), values: rows.map((i) => value[i]), labels: rows.map((i) => `${t.file}:${t.lines[i]}`) },
          depths,
          { lambda, vlow, vhigh, mode },
          warnings,
        );
        if (r.rejected) rejected++;
        const quoted = /[",\n]/.test(id) ? `"${id.replace(/"/g, '""')}"` : id;
        for (let j = 0; j + 1 < depths.length; j++) lines.push(`${quoted},${depths[j]},${depths[j + 1]},${fmt(r.means[j])}`);
      }
      if (groups.size === 0) throw new InputError({ file: t.file, expected: 'at least one horizon row below the header (the file has none)' });
      if (rejected === groups.size) {
        const why = warnings.slice(0, 3).map((w) => `${w.horizon ? `${w.horizon}: ` : ''}${w.message}`).join('; ');
        throw new InputError({ file: t.file, expected: `at least one usable profile (all ${groups.size} were rejected: ${why})` });
      }
      writeFileAtomic(outFile, lines.join('\n') + '\n');
      for (const line of groupWarnings(warnings.map((w) => ({ code: w.code, text: `${w.profile}${w.horizon ? ` ${w.horizon}` : ''}: ${w.message}` })))) io.info(line);
      const warningCounts = countWarnings(warnings);
      const counts = Object.entries(warningCounts).map(([k, v]) => `${k} ${v}`).join(', ');
      io.answerJson({ status: 'ok', out: outFile, mode, lambda, profiles: groups.size, splined: groups.size - rejected, rejected, warningCounts });
      io.answer(`spline (${mode}, λ = ${lambda}): ${groups.size} profiles, ${groups.size - rejected} splined, ${rejected} rejected, ${warnings.length} warnings${counts ? ` (${counts})` : ''} → ${opts.out}`);
    });
}
