import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import {
  CurveRangeError,
  atmosphereDelta14CAt,
  delta14CPermil,
  delta14CToFractionModern,
  invertOnePool,
  loadCurve,
  onePoolDelta14C,
  parseZone,
} from '../../profile/index.js';
import { optionalNumber, parseCurve, parseExtension, parseNumberOption } from './profile-options.js';
import { addOutputOptions, cliOutput } from '../conventions.js';

interface CommonOpts {
  year?: string;
  zone?: string;
  curve?: string;
  extend?: string;
  json?: boolean;
  quiet?: boolean;
}

function curveFrom(opts: CommonOpts) {
  return loadCurve(parseCurve(opts.curve), parseZone(opts.zone ?? '', { keyPath: '--zone' }), parseExtension(opts.extend));
}

/** Report a time past the curve's end against the --year option. */
function atYear<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CurveRangeError) throw new InputError({ keyPath: '--year', value: e.value, expected: e.expected, detail: 'or choose --extend forecast (ISRaD annual + 2020–2025 forecast), --extend hold-last, or another --curve' });
    throw e;
  }
}

/** Earliest sampling year accepted: archived pre-bomb soils (the model holds the 1950 steady state before 1950). */
const MIN_YEAR = 1850;
/** Longest turnover time accepted: beyond 10⁶ years a soil holds no measurable radiocarbon (8267-year mean life). */
const MAX_TURNOVER_YEARS = 1e6;
const YEAR_EXPECTED = `a decimal sampling year AD from ${MIN_YEAR}, e.g. 2010 or 2010.5`;
const isYear = (v: number) => v >= MIN_YEAR;

function curveInfo(curve: ReturnType<typeof loadCurve>) {
  return {
    zone: curve.zone,
    curve: curve.id,
    curveZone: curve.sourceZone,
    extension: curve.extension,
    curveEnd: curve.originalEndYear,
    ...(curve.extension !== 'none' ? { extendedFrom: curve.extendedFromYear, validUntil: curve.endYear } : {}),
    citation: curve.citation,
  };
}

/** `rhizocarb radiocarbon forward|age`: the one-pool model of 001 Eqs 1–5 and its inversion. */
export function registerRadiocarbonCommands(program: Command): void {
  const rc = program.command('radiocarbon').description('radiocarbon of a one-pool soil (001 Eqs 1–5): forward model and age inversion');
  addOutputOptions(rc.command('forward')
    .description('Δ14C of a homogeneous soil (steady state before 1950) with turnover T, sampled in year Y')
    .requiredOption('--turnover-years <T>', 'turnover time τ = 1/k, years')
    .requiredOption('--year <Y>', 'sampling year (decimal)')
    .requiredOption('--zone <Z>', 'atmospheric zone: NH1 NH2 NH3 SH12 SH3')
    .option('--curve <C>', 'Hua2022 (default), Hua2013, Graven2017, ISRaD-annual')
    .option('--extend <rule>', 'past the curve end: none (refuse, default), hold-last, forecast'))
    .action((opts: CommonOpts & { turnoverYears?: string }) => {
      const tau = parseNumberOption('turnover-years', opts.turnoverYears, `a decimal turnover time > 0 and ≤ ${MAX_TURNOVER_YEARS} years`, (v) => v > 0 && v <= MAX_TURNOVER_YEARS);
      const year = parseNumberOption('year', opts.year, YEAR_EXPECTED, isYear);
      const curve = curveFrom(opts);
      const d = atYear(() => onePoolDelta14C(curve, tau, year));
      const result = {
        delta14c: d,
        fractionModern: delta14CToFractionModern(delta14CPermil(d), year),
        turnoverYears: tau,
        year,
        atmosphereDelta14c: atmosphereDelta14CAt(curve, year),
        ...curveInfo(curve),
        model: 'one pool, steady state before 1950.0, exact for the linearly interpolated curve (001 Eqs 1–5)',
      };
      const io = cliOutput(opts);
      io.answerJson(result);
      io.answer(`Δ14C = ${d.toFixed(2)} ‰ (F14C ${result.fractionModern.toFixed(4)}) for τ = ${tau} yr in ${year}, zone ${curve.zone}, ${curve.id}${curve.extension !== 'none' ? ` extended by ${curve.extension}` : ''}`);
    });
  addOutputOptions(rc.command('age')
    .description('every turnover time consistent with a measured Δ14C (bomb-curve ambiguity flagged)')
    .requiredOption('--delta14c <D>', 'measured Δ14C, ‰ (use --delta14c=-120 or --delta14c -120)')
    .requiredOption('--year <Y>', 'sampling year (decimal)')
    .requiredOption('--zone <Z>', 'atmospheric zone: NH1 NH2 NH3 SH12 SH3')
    .option('--sigma <S>', 'measurement uncertainty (1σ), ‰: an interval per root')
    .option('--curve <C>', 'Hua2022 (default), Hua2013, Graven2017, ISRaD-annual')
    .option('--extend <rule>', 'past the curve end: none (refuse, default), hold-last, forecast'))
    .action((opts: CommonOpts & { delta14c?: string; sigma?: string }) => {
      const d = parseNumberOption('delta14c', opts.delta14c, 'a Δ14C in ‰ greater than −1000', (v) => v > -1000);
      const year = parseNumberOption('year', opts.year, YEAR_EXPECTED, isYear);
      const sigma = optionalNumber('sigma', opts.sigma, 'a measurement uncertainty ≥ 0 ‰', (v) => v >= 0);
      const curve = curveFrom(opts);
      const inv = atYear(() => invertOnePool(curve, delta14CPermil(d), year, sigma !== undefined ? { sigma_permil: sigma } : {}));
      const result = {
        roots: inv.roots.map((r) => ({ turnoverYears: r.turnoverYears, branch: r.branch, ...(r.interval ? { interval: r.interval, intervalClamped: r.intervalClamped } : {}) })),
        ambiguous: inv.ambiguous,
        status: inv.status,
        delta14c: d,
        sigma: sigma ?? null,
        year,
        maxDelta14c: inv.maxDelta14C_permil,
        turnoverAtMaxYears: inv.turnoverAtMaxYears,
        searchRangeYears: inv.searchRangeYears,
        ...curveInfo(curve),
      };
      const io = cliOutput(opts);
      io.answerJson(result);
      if (inv.roots.length === 0) {
        io.answer(`no turnover time fits Δ14C = ${d} ‰ in ${year} (${inv.status}; the highest reachable is ${inv.maxDelta14C_permil.toFixed(1)} ‰ at τ ≈ ${inv.turnoverAtMaxYears.toFixed(1)} yr)`);
        return;
      }
      const lines = inv.roots.map((r) => `  τ = ${r.turnoverYears.toPrecision(5)} yr (${r.branch} branch)${r.interval ? `, ±σ: ${r.interval[0].toPrecision(4)}–${r.interval[1].toPrecision(4)} yr${r.intervalClamped ? ' (reaches a turning point)' : ''}` : ''}`);
      io.answer(`${inv.ambiguous ? `AMBIGUOUS: ${inv.roots.length} turnover times fit` : 'one turnover time fits'} Δ14C = ${d} ‰ in ${year}, zone ${curve.zone}, ${curve.id}:\n${lines.join('\n')}`);
    });
}
