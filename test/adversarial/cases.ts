import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Adversarial inputs for every command. Each case writes its input files into a fresh folder
 * `d`, runs the CLI there (in-process) and must: exit 2, print a message on stderr matching
 * `message` (naming the file/option, the field, the value and what was expected), print no stack
 * trace, and write nothing (the folder holds exactly the input files afterwards).
 */
export interface AdversarialCase {
  readonly name: string;
  /** Input files relative to the case folder (text, bytes, or a size for a sparse file of NUL bytes). */
  readonly files?: Record<string, string | Buffer | { sparseBytes: number }>;
  /** Folders to create before the run (they must survive unchanged). */
  readonly dirs?: string[];
  readonly args: (d: string) => string[];
  readonly message: RegExp;
}

export const root = fileURLToPath(new URL('../..', import.meta.url));
const ex = (p: string) => join(root, 'examples', p);
const text = (p: string) => readFileSync(ex(p), 'utf8');

const singleRoot = text('single-root.yaml');
const plant = text('plant-baseline.yaml');
const sitesCsv = text('profile/sites.csv');
const israd = text('profile/israd-layers.csv');
const spline = text('profile/spline-input.csv');
const isradLines = israd.split('\n');
/** Profile A's first row, profile B's first row, then A again (a reused id). */
const interleaved = [isradLines[0], isradLines[1], isradLines.slice(1).find((l) => l.startsWith('"') && !l.startsWith(isradLines[1].split(',')[0]))!, isradLines[2]].join('\n') + '\n';
/** single-root.yaml with one line replaced (the line must exist). */
const sr = (from: string, to: string): string => {
  if (!singleRoot.includes(from)) throw new Error(`single-root.yaml has no ${from}`);
  return singleRoot.replace(from, to);
};
const pl = (from: string, to: string): string => {
  if (!plant.includes(from)) throw new Error(`plant-baseline.yaml has no ${from}`);
  return plant.replace(from, to);
};
const plantXml = readFileSync(join(root, 'data/plant/Triticum_aestivum_test_2021_1cm.xml'), 'utf8');
const plantWithXml = (xml: string) => ({ 's.yaml': pl('  seed: 1', '  file: p.xml\n  seed: 1'), 'p.xml': xml });
const run = (extra: string[] = []) => (d: string) => ['run', join(d, 's.yaml'), '--out', join(d, 'out'), ...extra];
const runWith = (s: string, extra: string[] = []) => ({ files: { 's.yaml': s }, args: run(extra) });
const depth = (csv: string, extra: string[] = []) => ({ files: { 'p.csv': csv }, args: (d: string) => ['depth', join(d, 'p.csv'), '--out', join(d, 'out'), ...extra] });
const budget = (csv: string, extra: string[] = []) => ({ files: { 's.csv': csv }, args: (d: string) => ['budget', join(d, 's.csv'), '--out', join(d, 'out'), '--draws', '10', ...extra] });
const splineCmd = (csv: string, extra: string[] = ['--depths', '0,30,100']) => ({ files: { 'in.csv': csv }, args: (d: string) => ['spline', join(d, 'in.csv'), '--out', join(d, 'o.csv'), ...extra] });
const fwd = (...a: string[]) => () => ['radiocarbon', 'forward', ...a];
const age = (...a: string[]) => () => ['radiocarbon', 'age', ...a];
const fwdOk = ['--turnover-years', '30', '--year', '2010', '--zone', 'NH1'];
const ageOk = ['--delta14c', '100', '--year', '2010', '--zone', 'NH1'];
/** fwdOk with option `opt` set to `v`. */
const fwdSet = (opt: string, v: string) => {
  const a = [...fwdOk];
  a[a.indexOf(opt) + 1] = v;
  return fwd(...a);
};
const ageSet = (opt: string, v: string) => {
  const a = [...ageOk];
  const i = a.indexOf(opt);
  if (i < 0) a.push(opt, v);
  else a[i + 1] = v;
  return age(...a);
};
const table = 'x1,x2,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 11},${i * 2 + 1}`).join('\n') + '\n';
const train = (extra: string[], csv = table) => ({ files: { 't.csv': csv }, args: (d: string) => ['learn', 'train', join(d, 't.csv'), '--target', 'y', '--features', 'x1,x2', '--trees', '5', '--interval-resamples', '2', '--workers', '0', '--out', join(d, 'm.json'), ...extra] });
const cv = (extra: string[], csv = table) => ({ files: { 't.csv': csv }, args: (d: string) => ['learn', 'cv', join(d, 't.csv'), '--target', 'y', '--features', 'x1,x2', '--trees', '5', '--interval-resamples', '2', '--workers', '0', ...extra] });
const model = readFileSync(join(root, 'test/fixtures/learning/model-v1.json'), 'utf8');
const predict = (m: string, csv = table, extra: string[] = []) => ({ files: { 'm.json': m, 't.csv': csv }, args: (d: string) => ['learn', 'predict', join(d, 'm.json'), join(d, 't.csv'), '--out', join(d, 'p.csv'), ...extra] });
const rasters = join(root, 'data/mapping/rasters');
const mapCmd = (extra: string[], m = model) => ({ files: { 'm.json': m }, args: (d: string) => ['map', join(d, 'm.json'), '--rasters', rasters, '--out', join(d, 'out'), ...extra] });
const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => Buffer.from([0xfe, 0xff, ...Buffer.from(s, 'utf16le').swap16()]);
const deepYaml = 'kind: single-root\nroot: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
const aliasBomb = ['kind: single-root', 'a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n') + '\n';

export const cases: AdversarialCase[] = [
  // ---- scenario files: encodings, syntax, structure --------------------------------------------
  { name: 'yaml: alias bomb (billion laughs)', ...runWith(aliasBomb), message: /s\.yaml expected at most 100 alias expansions \(\*name\) in the document/ },
  { name: 'yaml: undefined alias', ...runWith(singleRoot.replace('soil: loam', 'soil: *nosuch')), message: /s\.yaml:\d+:\d+ expected valid YAML.*alias.*nosuch/i },
  { name: 'yaml: 5000-deep nesting', ...runWith(deepYaml), message: /s\.yaml.*expected .*nest(ed|ing).*(at most|≤) \d+/ },
  { name: 'yaml: NUL byte in a value', ...runWith(singleRoot.replace('name: single-root', 'name: single\0root')), message: /s\.yaml:\d+:\d+ expected .*(NUL|control character)/i },
  { name: 'yaml: UTF-16 LE with BOM', files: { 's.yaml': utf16le(singleRoot) }, args: run(), message: /s\.yaml expected UTF-8 .*UTF-16 LE/ },
  { name: 'yaml: UTF-16 BE with BOM', files: { 's.yaml': utf16be(singleRoot) }, args: run(), message: /s\.yaml expected UTF-8 .*UTF-16 BE/ },
  { name: 'yaml: UTF-16 LE without BOM', files: { 's.yaml': Buffer.from(singleRoot, 'utf16le') }, args: run(), message: /s\.yaml expected UTF-8 .*UTF-16/ },
  { name: 'yaml: UTF-32 LE with BOM', files: { 's.yaml': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('k\0\0\0')]) }, args: run(), message: /s\.yaml expected UTF-8 .*UTF-32/ },
  { name: 'yaml: binary garbage', files: { 's.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) }, args: run(), message: /s\.yaml:\d+:\d+ expected text without NUL bytes/ },
  { name: 'yaml: empty file', ...runWith(''), message: /s\.yaml: .*expected a mapping|s\.yaml.*kind/ },
  { name: 'yaml: only a comment', ...runWith('# nothing\n'), message: /s\.yaml.*expected a mapping|s\.yaml.*kind/ },
  { name: 'yaml: top-level list', ...runWith('- kind: single-root\n'), message: /s\.yaml got \[.*\], expected a YAML mapping with a `kind:` key/ },
  { name: 'yaml: top-level scalar', ...runWith('42\n'), message: /s\.yaml got 42, expected a YAML mapping/ },
  { name: 'yaml: missing kind', ...runWith(singleRoot.replace('kind: single-root', '')), message: /s\.yaml.*kind.*expected/ },
  { name: 'yaml: unknown kind (did you mean)', ...runWith(singleRoot.replace('kind: single-root', 'kind: single-rot')), message: /kind: got "single-rot", expected one of .*single-root.*did you mean "single-root"/ },
  { name: 'yaml: duplicate key', ...runWith(singleRoot.replace('soil: loam', 'soil: loam\nsoil: sand')), message: /s\.yaml:\d+:\d+ expected valid YAML.*(unique|duplicate)/i },
  { name: 'yaml: syntax error (unclosed bracket)', ...runWith(singleRoot.replace('cells: 9', 'cells: [9')), message: /s\.yaml:\d+:\d+ expected valid YAML/ },
  { name: 'yaml: tab indentation', ...runWith(singleRoot.replace('  radius_cm: 0.02', '\tradius_cm: 0.02')), message: /s\.yaml:\d+:\d+ expected valid YAML/ },
  { name: 'yaml: custom tag', ...runWith(singleRoot.replace('soil: loam', 'soil: !!js/function "x"')), message: /s\.yaml:\d+:\d+ .*(tag|expected)/ },
  { name: 'yaml: unknown top-level key', ...runWith(singleRoot + 'extra: 1\n'), message: /s\.yaml:\d+:\d+ extra: expected one of the known keys/ },
  { name: 'yaml: unknown nested key (typo)', ...runWith(sr('  cells: 9', '  cels: 9')), message: /grid\.cels: expected one of the known keys/ },
  { name: 'scenario: /dev/zero', files: {}, args: (d) => ['run', '/dev/zero', '--out', join(d, 'out')], message: /\/dev\/zero expected a regular file/ },
  { name: 'scenario: a folder', dirs: ['sub'], args: (d) => ['run', join(d, 'sub'), '--out', join(d, 'out')], message: /sub expected a (regular file|readable YAML file)/ },
  { name: 'scenario: missing file', args: (d) => ['run', join(d, 'nope.yaml'), '--out', join(d, 'out')], message: /nope\.yaml expected a readable YAML file.*ENOENT/ },
  { name: 'scenario: 200 MB file', files: { 's.yaml': { sparseBytes: 200e6 } }, args: run(), message: /s\.yaml expected a file of at most \d+ MB.*200/ },
  { name: 'scenario: JSON with syntax error', files: { 's.json': '{"kind": "single-root"' }, args: (d) => ['run', join(d, 's.json'), '--out', join(d, 'out')], message: /s\.json:\d+:\d+ expected valid (YAML|JSON)/ },
  // ---- single-root values ----------------------------------------------------------------------
  { name: 'single-root: days negative', ...runWith(sr('days: 10', 'days: -1')), message: /time\.days: got -1, expected/ },
  { name: 'single-root: days zero', ...runWith(sr('days: 10', 'days: 0')), message: /time\.days: got 0, expected/ },
  { name: 'single-root: days .nan', ...runWith(sr('days: 10', 'days: .nan')), message: /time\.days: got NaN, expected/ },
  { name: 'single-root: days .inf', ...runWith(sr('days: 10', 'days: .inf')), message: /time\.days: got Infinity, expected/ },
  { name: 'single-root: days a string', ...runWith(sr('days: 10', 'days: ten')), message: /time\.days: got "ten", expected number/ },
  { name: 'single-root: days 1e6', ...runWith(sr('days: 10', 'days: 1e6')), message: /time\.days: got 1000000, expected a number ≤ 3650/ },
  { name: 'single-root: days 3650 without --allow-long', ...runWith(sr('days: 10', 'days: 3650')), message: /estimated work: got \d+, expected at most .*--allow-long/ },
  { name: 'single-root: coupling step 1e-12 d', ...runWith(sr('couplingStep_min: 20', 'couplingStep_min: 1.44e-9')), message: /time\.couplingStep_min: got 1\.44e-9, expected a step giving at most/ },
  { name: 'single-root: coupling step 0', ...runWith(sr('couplingStep_min: 20', 'couplingStep_min: 0')), message: /time\.couplingStep_min: got 0, expected/ },
  { name: 'single-root: radius 1e-300 cm', ...runWith(sr('radius_cm: 0.02', 'radius_cm: 1e-300')), message: /root\.radius_cm: got 1e-300, expected/ },
  { name: 'single-root: radius 0', ...runWith(sr('radius_cm: 0.02', 'radius_cm: 0')), message: /root\.radius_cm: got 0, expected/ },
  { name: 'single-root: radius negative', ...runWith(sr('radius_cm: 0.02', 'radius_cm: -0.02')), message: /root\.radius_cm: got -0\.02, expected/ },
  { name: 'single-root: rOut below radius', ...runWith(sr('rOut_cm: 0.6', 'rOut_cm: 0.01')), message: /root\.rOut_cm: got 0\.01, expected .*radius/ },
  { name: 'single-root: rOut 1e300', ...runWith(sr('rOut_cm: 0.6', 'rOut_cm: 1e300')), message: /root\.rOut_cm: got 1e\+300, expected/ },
  { name: 'single-root: cells 1e9', ...runWith(sr('cells: 9', 'cells: 1000000000')), message: /grid\.cells: got 1000000000, expected/ },
  { name: 'single-root: cells 0', ...runWith(sr('cells: 9', 'cells: 0')), message: /grid\.cells: got 0, expected/ },
  { name: 'single-root: cells 2.5', ...runWith(sr('cells: 9', 'cells: 2.5')), message: /grid\.cells: got 2\.5, expected an integer/ },
  { name: 'single-root: spacing unknown', ...runWith(sr('spacing: log', 'spacing: logg')), message: /grid\.spacing: got "logg", expected/ },
  { name: 'single-root: soil name typo', ...runWith(sr('soil: loam', 'soil: lome')), message: /soil: got "lome", expected .*loam.*did you mean "loam"/ },
  { name: 'single-root: soil name unknown', ...runWith(sr('soil: loam', 'soil: peat')), message: /soil: got "peat", expected a soil name: .*"loam"/ },
  { name: 'single-root: soil mapping missing keys', ...runWith(sr('soil: loam', 'soil: {thetaR: 0.05, thetaS: 0.4}')), message: /soil\.(alpha_per_cm|n|Ks_cm_per_d): got nothing, expected this required key/ },
  { name: 'single-root: soil θs 0.95', ...runWith(sr('soil: loam', 'soil: {thetaR: 0.05, thetaS: 0.95, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50}')), message: /soil\.thetaS: got 0\.95, expected a number in \[0\.05, 0\.9\]/ },
  { name: 'single-root: soil n 0.5', ...runWith(sr('soil: loam', 'soil: {thetaR: 0.05, thetaS: 0.4, alpha_per_cm: 0.04, n: 0.5, Ks_cm_per_d: 50}')), message: /soil\.n: got 0\.5, expected/ },
  { name: 'single-root: soil θr > θs', ...runWith(sr('soil: loam', 'soil: {thetaR: 0.3, thetaS: 0.2, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: 50}')), message: /soil\.thetaS: got 0\.2, expected thetaS > thetaR \(0\.3\)/ },
  { name: 'single-root: soil Ks negative', ...runWith(sr('soil: loam', 'soil: {thetaR: 0.05, thetaS: 0.4, alpha_per_cm: 0.04, n: 1.6, Ks_cm_per_d: -5}')), message: /soil\.Ks_cm_per_d: got -5, expected/ },
  { name: 'single-root: parameter set typo', ...runWith(sr('parameterSet: highCO2', 'parameterSet: highCO3')), message: /parameterSet: got "highCO3", expected .*highCO2.*did you mean "highCO2"/ },
  { name: 'single-root: parameter set row 99', ...runWith(sr('parameterSet: highCO2', 'parameterSet: {row: 99}')), message: /parameterSet\.row: got 99, expected/ },
  { name: 'single-root: parameter set row -1', ...runWith(sr('parameterSet: highCO2', 'parameterSet: {row: -1}')), message: /parameterSet\.row: got -1, expected/ },
  { name: 'single-root: initial head positive', ...runWith(sr('head_cm: -100', 'head_cm: 50')), message: /initial\.head_cm: got 50, expected/ },
  { name: 'single-root: initial head ultra dry (-1e12 cm)', ...runWith(sr('head_cm: -100', 'head_cm: -1e12')), message: /initial\.head_cm: got -1000000000000, expected/ },
  { name: 'single-root: uptake shape unknown', ...runWith(singleRoot.replace('shape: diurnal', 'shape: sine')), message: /forcing\.waterUptake\.shape: got "sine"|forcing\.waterUptake.*expected/ },
  { name: 'single-root: exudation peak negative', ...runWith(singleRoot.replace(/exudation:\n    shape: diurnal\n    peak: 0.15/, 'exudation:\n    shape: diurnal\n    peak: -0.15')), message: /forcing\.exudation\.peak: got -0\.15, expected/ },
  { name: 'single-root: exudation peak 1e300', ...runWith(singleRoot.replace(/exudation:\n    shape: diurnal\n    peak: 0.15/, 'exudation:\n    shape: diurnal\n    peak: 1e300')), message: /forcing\.exudation\.peak: got 1e\+300, expected/ },
  { name: 'single-root: wrong unit', ...runWith(singleRoot.replace('unit: mmol C cm-2 d-1\n    dayStart_h', 'unit: kg ha-1\n    dayStart_h')), message: /forcing\.exudation\.unit: got "kg ha-1", expected/ },
  { name: 'single-root: dayStart after dayEnd', ...runWith(singleRoot.replace('dayStart_h: 6\n    dayEnd_h: 18\n  # Peak', 'dayStart_h: 19\n    dayEnd_h: 18\n  # Peak')), message: /forcing\.waterUptake\.dayEnd_h: got 18, expected > dayStart_h \(19\)/ },
  { name: 'single-root: rtol 0', ...runWith(sr('rtol: 1.0e-6', 'rtol: 0')), message: /solver\.rtol: got 0, expected/ },
  { name: 'single-root: rtol 2', ...runWith(sr('rtol: 1.0e-6', 'rtol: 2')), message: /solver\.rtol: got 2, expected/ },
  { name: 'single-root: waterLimitation a string', ...runWith(sr('waterLimitation: true', 'waterLimitation: "yes"')), message: /solver\.waterLimitation: got "yes", expected boolean/ },
  { name: 'single-root: psiCrit positive', ...runWith(sr('psiCrit_cm: -15000', 'psiCrit_cm: 15000')), message: /solver\.psiCrit_cm: got 15000, expected/ },
  { name: 'single-root: --set unknown key', ...runWith(singleRoot, ['--set', 'grid.cels=3']), message: /--set grid\.cels=3 grid\.cels: expected one of the known keys/ },
  { name: 'single-root: --set without =', ...runWith(singleRoot, ['--set', 'time.days']), message: /--set: got "time\.days", expected key\.path=value/ },
  { name: 'single-root: --set bad path', ...runWith(singleRoot, ['--set', 'time..days=3']), message: /--set: got "time\.\.days=3", expected a dotted key path/ },
  { name: 'single-root: --set value wrong type', ...runWith(singleRoot, ['--set', 'time.days=abc']), message: /--set time\.days=abc time\.days: got "abc", expected number/ },
  { name: 'single-root: --set alias in value', ...runWith(singleRoot, ['--set', 'time.days=*x']), message: /--set time\.days=\*x.*expected a YAML value/ },
  { name: 'single-root: --set index past the end', ...runWith(singleRoot, ['--set', 'name[0]=x']), message: /name: got "single-root", expected a mapping or list/ },
  // ---- plant values and XML --------------------------------------------------------------------
  { name: 'plant: air temperature 1000 °C', ...runWith(pl('  sunset_h: 18', '  sunset_h: 18\n  baseline: {tDay_C: 1000}')), message: /weather\.baseline\.tDay_C: got 1000, expected a number ≤ 60/ },
  { name: 'plant: air temperature below 0 K', ...runWith(pl('  sunset_h: 18', '  sunset_h: 18\n  baseline: {tNight_C: -300}')), message: /weather\.baseline\.tNight_C: got -300, expected a number ≥ -60/ },
  { name: 'plant: relative humidity 1.5', ...runWith(pl('  sunset_h: 18', '  sunset_h: 18\n  dry: {rhDay: 1.5}')), message: /weather\.dry\.rhDay: got 1\.5, expected/ },
  { name: 'plant: CO2 negative', ...runWith(pl('  sunset_h: 18', '  sunset_h: 18\n  baseline: {co2_umol_per_mol: -400}')), message: /weather\.baseline\.co2_umol_per_mol: got -400, expected/ },
  { name: 'plant: sunrise after sunset', ...runWith(pl('  sunrise_h: 6', '  sunrise_h: 20')), message: /weather\.sunset_h: got 18, expected an hour after weather\.sunrise_h \(20\)/ },
  { name: 'plant: ultra-dry soil', ...runWith(pl('  psi_cm: -100', '  psi_cm: -1e9')), message: /soil\.psi_cm: got -1000000000, expected/ },
  { name: 'plant: end before start', ...runWith(pl('  end_d: 25', '  end_d: 5')), message: /time\.end_d: got 5, expected .*start_d/ },
  { name: 'plant: end day 1e6', ...runWith(pl('  end_d: 25', '  end_d: 1e6')), message: /time\.step_min: got 20, expected a step giving at most 5e\+5 steps/ },
  { name: 'plant: step 1e-12 d', ...runWith(pl('  step_min: 20 ', '  step_min: 1.44e-9 ')), message: /time\.step_min: got 1\.44e-9, expected a step giving at most/ },
  { name: 'plant: step 2 days', ...runWith(pl('  step_min: 20 ', '  step_min: 2880 ')), message: /time\.step_min: got 2880, expected a step ≤ 1440 min/ },
  { name: 'plant: snapshot outside the run', ...runWith(pl('snapshots_d: [10, 15, 20, 25]', 'snapshots_d: [10, 99]')), message: /outputs\.snapshots_d\[1\]: got 99, expected .*(25|end)/ },
  { name: 'plant: unknown leaf parameter', ...runWith(pl('outputs:', 'parameters:\n  leaf: {Vcmax: 3}\noutputs:')), message: /parameters\.leaf\.Vcmax: expected one of the known keys \(unknown key: Vcmax; did you mean "vcmax25_umol_m2_s"\?\)/ },
  { name: 'plant: XML file missing', ...runWith(pl('  seed: 1', '  file: nope.xml\n  seed: 1')), message: /plant\.file: got ".*nope\.xml", expected an existing/ },
  { name: 'plant: XML with a DTD', files: plantWithXml(plantXml.replace('<plant ', '<!DOCTYPE plant [<!ELEMENT plant ANY>]>\n<plant ')), args: run(), message: /p\.xml:\d+.*expected .*no DTD/i },
  { name: 'plant: XML with an entity (billion laughs)', files: plantWithXml(plantXml.replace('<plant ', '<!DOCTYPE plant [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<plant ')), args: run(), message: /p\.xml:\d+.*expected .*no DTD/i },
  { name: 'plant: XML external entity', files: plantWithXml(plantXml.replace('<plant ', '<!DOCTYPE plant SYSTEM "file:///etc/passwd">\n<plant ')), args: run(), message: /p\.xml:\d+.*expected .*no DTD/i },
  { name: 'plant: XML undefined entity reference', files: plantWithXml(plantXml.replace('name="Triticum', 'name="&foo;Triticum')), args: run(), message: /p\.xml:\d+:\d+ expected one of the predefined entities .*&foo;/ },
  { name: 'plant: XML char reference out of range', files: plantWithXml(plantXml.replace('name="Triticum', 'name="&#x110000;Triticum')), args: run(), message: /p\.xml:\d+:\d+ expected a character reference to an XML character.*&#x110000;/ },
  { name: 'plant: XML char reference NUL', files: plantWithXml(plantXml.replace('name="Triticum', 'name="&#0;Triticum')), args: run(), message: /p\.xml:\d+:\d+ expected a character reference to an XML character.*&#0;/ },
  { name: 'plant: XML huge maxB', files: plantWithXml(plantXml.replace('name="maxB" value="15"', 'name="maxB" value="1e9"')), args: run(), message: /p\.xml:\d+:\d+ seed\[subType=0\]\.maxB: got "1e9", expected a whole number of basal roots from 0 to 1000/ },
  { name: 'plant: XML negative lmax', files: plantWithXml(plantXml.replace('name="lmax" value="60"', 'name="lmax" value="-60"')), args: run(), message: /p\.xml:\d+:\d+ root\[subType=1\]\.lmax: got "-60", expected a value in \(0, 10000\] cm/ },
  { name: 'plant: XML huge lmax', files: plantWithXml(plantXml.replace('name="lmax" value="60"', 'name="lmax" value="1e12"')), args: run(), message: /p\.xml:\d+:\d+ root\[subType=1\]\.lmax: got "1e12", expected a value in \(0, 10000\] cm/ },
  { name: 'plant: XML tiny dx', files: plantWithXml(plantXml.replace('name="dx" value="1"', 'name="dx" value="1e-12"')), args: run(), message: /p\.xml:\d+:\d+ root\[subType=1\]\.dx: got "1e-12", expected a value in \[0\.01, 100\] cm/ },
  { name: 'plant: XML value not a number', files: plantWithXml(plantXml.replace('name="lmax" value="60"', 'name="lmax" value="sixty"')), args: run(), message: /p\.xml:\d+:\d+ root\[subType=1\]\.lmax: got "sixty", expected a finite number/ },
  { name: 'plant: XML not well-formed', files: plantWithXml(plantXml.replace('</plant>', '')), args: run(), message: /p\.xml:\d+.*expected/ },
  { name: 'plant: XML is not XML', files: plantWithXml('hello'), args: run(), message: /p\.xml.*expected/ },
  { name: 'plant: XML UTF-16', files: { 's.yaml': pl('  seed: 1', '  file: p.xml\n  seed: 1'), 'p.xml': utf16le(plantXml) }, args: run(), message: /p\.xml expected UTF-8 .*UTF-16/ },
  { name: 'plant: XML is /dev/zero', ...runWith(pl('  seed: 1', '  file: /dev/zero\n  seed: 1')), message: /\/dev\/zero expected a regular file/ },
  { name: 'plant: changed sha256', ...runWith(pl('  seed: 1', '  sha256: ' + '0'.repeat(64) + '\n  seed: 1')), message: /plant\.sha256.*expected/ },
  // ---- output folders --------------------------------------------------------------------------
  { name: 'out: empty string', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', ''], message: /--out: got "", expected/ },
  { name: 'out: current folder', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', '.'], message: /--out: got .*not the current folder/ },
  { name: 'out: root /', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', '/'], message: /--out: got "\/", expected/ },
  { name: 'out: parent of the current folder', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', '..'], message: /--out: got .*not the current folder nor one of its parents/ },
  { name: 'out: a user folder', files: { 's.yaml': singleRoot, 'mine/notes.txt': 'keep' }, args: (d) => ['run', join(d, 's.yaml'), '--out', join(d, 'mine')], message: /--out: got .*mine", expected a new or empty folder, or a previous rhizocarb result.*notes\.txt/ },
  { name: 'out: an existing file', files: { 's.yaml': singleRoot, 'f.txt': 'x' }, args: (d) => ['run', join(d, 's.yaml'), '--out', join(d, 'f.txt')], message: /--out: got .*f\.txt", expected a folder.*file/ },
  { name: 'out: parent is a file', files: { 's.yaml': singleRoot, 'f.txt': 'x' }, args: (d) => ['run', join(d, 's.yaml'), '--out', join(d, 'f.txt', 'out')], message: /--out: got .*f\.txt\/out", expected .*(not a file|folder)/ },
  { name: 'out: /proc', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', '/proc/self/x'], message: /--out: got "\/proc\/self\/x", expected .*(pseudo|not in \/proc)/ },
  { name: 'out: /dev/null', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', '/dev/null'], message: /--out: got "\/dev\/null", expected/ },
  { name: 'out: /sys', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', '/sys/kernel/x'], message: /--out: got "\/sys\/kernel\/x", expected/ },
  { name: 'out: the scenario file itself', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml'), '--out', join(d, 's.yaml')], message: /--out: got .*s\.yaml", expected/ },
  { name: 'out: folder holding the input', files: { 'in/s.yaml': singleRoot }, args: (d) => ['run', join(d, 'in/s.yaml'), '--out', join(d, 'in')], message: /--out: got .*in", expected/ },
  { name: 'out: missing', files: { 's.yaml': singleRoot }, args: (d) => ['run', join(d, 's.yaml')], message: /required option '-o, --out <dir>' not specified/ },
  { name: 'depth out: a user folder', files: { 'p.csv': israd, 'mine/a.txt': 'keep' }, args: (d) => ['depth', join(d, 'p.csv'), '--out', join(d, 'mine')], message: /--out: got .*mine", expected a new or empty folder/ },
  { name: 'budget out: home folder', files: { 's.csv': sitesCsv }, args: (d) => ['budget', join(d, 's.csv'), '--out', process.env.HOME ?? '/root'], message: /--out: got .*, expected/ },
  { name: 'spline out: a folder', files: { 'in.csv': spline }, dirs: ['o'], args: (d) => ['spline', join(d, 'in.csv'), '--depths', '0,30,100', '--out', join(d, 'o')], message: /--out: got .*o", expected a file/ },
  { name: 'spline out: the input', files: { 'in.csv': spline }, args: (d) => ['spline', join(d, 'in.csv'), '--depths', '0,30,100', '--out', join(d, 'in.csv')], message: /--out: got .*in\.csv", expected .*input/ },
  { name: 'spline out: parent is a file', files: { 'in.csv': spline, 'f': 'x' }, args: (d) => ['spline', join(d, 'in.csv'), '--depths', '0,30,100', '--out', join(d, 'f/o.csv')], message: /--out: got .*f\/o\.csv", expected a file whose parent is a folder/ },
  { name: 'spline out: /proc', files: { 'in.csv': spline }, args: (d) => ['spline', join(d, 'in.csv'), '--depths', '0,30,100', '--out', '/proc/self/o.csv'], message: /--out: got "\/proc\/self\/o\.csv", expected/ },
  { name: 'spline out: empty', files: { 'in.csv': spline }, args: (d) => ['spline', join(d, 'in.csv'), '--depths', '0,30,100', '--out', ''], message: /--out: got "", expected/ },
  // ---- CSV inputs (depth, budget, spline) ------------------------------------------------------
  { name: 'depth: /dev/zero', args: (d) => ['depth', '/dev/zero', '--out', join(d, 'out')], message: /\/dev\/zero.*expected (a regular file|an existing CSV file)/ },
  { name: 'depth: 200 MB CSV', files: { 'p.csv': { sparseBytes: 200e6 } }, args: (d) => ['depth', join(d, 'p.csv'), '--out', join(d, 'out')], message: /p\.csv expected a file of at most \d+ MB/ },
  { name: 'depth: UTF-16 CSV', files: { 'p.csv': utf16le(israd) }, args: (d) => ['depth', join(d, 'p.csv'), '--out', join(d, 'out')], message: /p\.csv expected UTF-8 .*UTF-16 LE/ },
  { name: 'depth: NUL bytes in CSV', ...depth(israd.replace('China hat', 'China\0hat')), message: /p\.csv:\d+.* expected .*NUL/ },
  { name: 'depth: empty CSV', ...depth(''), message: /p\.csv.*expected/ },
  { name: 'depth: header only', ...depth(israd.split('\n')[0] + '\n'), message: /p\.csv.*expected .*(row|layer)/ },
  { name: 'depth: row with too few fields', ...depth(israd.split('\n').slice(0, 3).join('\n') + '\n"a","b"\n'), message: /p\.csv:4.*expected \d+ fields/ },
  { name: 'depth: stray quote', ...depth(israd.split('\n')[0] + '\nab"c' + ',x'.repeat(31) + '\n'), message: /p\.csv:2 field 1: got "ab\\"", expected a quote only at the start/ },
  { name: 'depth: unknown columns', ...depth('a,b,c\n1,2,3\n'), message: /p\.csv header: got "a,b,c", expected an ISRaD-style layer table/ },
  { name: 'depth: duplicate profile ids', ...depth(israd + israd.split('\n').slice(1).join('\n')), message: /p\.csv:\d+ id: got .*expected (a profile id not used before|each depth interval once per profile)/ },
  { name: 'depth: interleaved profile ids', ...depth(interleaved), message: /p\.csv:4 id: got .*expected a profile id not used before/ },
  { name: 'depth: non-numeric depth', ...depth(israd.replace(',0,2,"A1"', ',zero,2,"A1"')), message: /p\.csv:2 lyr_top: got "zero", expected a depth in cm/ },
  { name: 'depth: depth 1e300', ...depth(israd.replace(',0,2,"A1"', ',0,1e300,"A1"')), message: /p\.csv:2 lyr_bot: got "?1e\+?300"?, expected/ },
  { name: 'depth: bad layers option', ...depth(israd, ['--layers', 'foo']), message: /--layers: got "foo", expected/ },
  { name: 'depth: layers not increasing', ...depth(israd, ['--layers', '0,30,20']), message: /--layers: got "0,30,20", expected .*increas/ },
  { name: 'depth: layers 0x1E', ...depth(israd, ['--layers', '0,0x1E']), message: /--layers: got "0,0x1E", expected/ },
  { name: 'depth: bad mode', ...depth(israd, ['--mode', 'fast']), message: /--mode: got "fast", expected .*exact.*mpspline2/ },
  { name: 'depth: bad curve (did you mean)', ...depth(israd, ['--curve', 'Hua2021']), message: /--curve: got "Hua2021", expected .*Hua2022/ },
  { name: 'depth: bad extend', ...depth(israd, ['--extend', 'forever']), message: /--extend: got "forever", expected/ },
  { name: 'depth: bad zone', ...depth(israd, ['--zone', 'NH9']), message: /--zone: got "NH9", expected .*NH1/ },
  { name: 'depth: bad root choice', ...depth(israd, ['--root-choice', 'middle']), message: /--root-choice: got "middle", expected/ },
  { name: 'depth: plots -1', ...depth(israd, ['--plots', '-1']), message: /--plots: got "-1", expected/ },
  { name: 'depth: plots 1e9', ...depth(israd, ['--plots', '1e9']), message: /(--plots: got "1e9"|outputs\.plots: got 1000000000), expected a number ≤ 1000/ },
  { name: 'budget: draws 1e9', ...budget(sitesCsv, ['--draws', '1e9']), message: /--draws: got "1e9", expected a whole number of draws from 0 to 1000000/ },
  { name: 'budget: draws -1', ...budget(sitesCsv, ['--draws', '-1']), message: /--draws: got "-1", expected/ },
  { name: 'budget: draws 1.5', ...budget(sitesCsv, ['--draws', '1.5']), message: /--draws: got "1\.5", expected a whole number/ },
  { name: 'budget: draws 0x10', ...budget(sitesCsv, ['--draws', '0x10']), message: /--draws: got "0x10", expected/ },
  { name: 'budget: draws empty', ...budget(sitesCsv, ['--draws', '']), message: /--draws: got "", expected/ },
  { name: 'budget: seed abc', ...budget(sitesCsv, ['--seed', 'abc']), message: /--seed: got "abc", expected/ },
  { name: 'budget: seed 1e30', ...budget(sitesCsv, ['--seed', '1e30']), message: /--seed: got "1e30", expected/ },
  { name: 'budget: duplicate site rows', ...budget(sitesCsv + sitesCsv.split('\n').slice(1).join('\n')), message: /s\.csv:\d+.*(site|layer).*(duplicate|overlap|once)/ },
  { name: 'budget: missing site column', ...budget(sitesCsv.replace(/^site,/, 'place,')), message: /s\.csv.*expected .*site/ },
  { name: 'budget: biome unknown', ...budget(sitesCsv.replaceAll('temperate_grassland,temperate_grassland', 'tundra_x,temperate_grassland')), message: /s\.csv biome: got "tundra_x", expected one of 001's biomes/ },
  { name: 'budget: bulk density 50', ...budget(sitesCsv.replace(',0.418,', ',50,')), message: /s\.csv:2 bulk_density_g_per_cm3: got "?50"?, expected/ },
  { name: 'budget: soc percent 150', ...budget(sitesCsv.replace(',5.753588517,', ',150,')), message: /s\.csv:2 soc_percent: got "?150"?, expected/ },
  { name: 'budget: year -50000', ...budget(sitesCsv.replace(',1997,37.4644,5.75', ',-50000,37.4644,5.75')), message: /s\.csv:2 sampling_year: got "?-50000"?, expected/ },
  { name: 'budget: latitude 200', ...budget(sitesCsv.replace(',1997,37.4644,5.75', ',1997,200,5.75')), message: /s\.csv:2 latitude: got "?200"?, expected/ },
  { name: 'budget: UTF-16 BE CSV', files: { 's.csv': utf16be(sitesCsv) }, args: (d) => ['budget', join(d, 's.csv'), '--out', join(d, 'out')], message: /s\.csv expected UTF-8 .*UTF-16 BE/ },
  { name: 'budget: a folder as input', dirs: ['x'], args: (d) => ['budget', join(d, 'x'), '--out', join(d, 'out')], message: /input: got ".*x", expected an existing CSV file|x expected a regular file/ },
  { name: 'budget: bad layers', ...budget(sitesCsv, ['--layers', '0,,30']), message: /--layers: got "0,,30", expected/ },
  { name: 'spline: depths missing', ...splineCmd(spline, []), message: /--depths/ },
  { name: 'spline: depths empty', ...splineCmd(spline, ['--depths', '']), message: /--depths: got "", expected/ },
  { name: 'spline: depths not numbers', ...splineCmd(spline, ['--depths', '0,abc']), message: /--depths: got "0,abc", expected/ },
  { name: 'spline: depths decreasing', ...splineCmd(spline, ['--depths', '30,0']), message: /--depths: got "30,0", expected .*increas/ },
  { name: 'spline: depths equal', ...splineCmd(spline, ['--depths', '0,0']), message: /--depths: got "0,0", expected .*increas/ },
  { name: 'spline: depths hex', ...splineCmd(spline, ['--depths', '0,0x1E']), message: /--depths: got "0,0x1E", expected/ },
  { name: 'spline: depths 1e9 layers', ...splineCmd(spline, ['--depths', '0,1e9']), message: /--depths: got "0,1e9", expected/ },
  { name: 'spline: lambda negative', ...splineCmd(spline, ['--depths', '0,30,100', '--lambda', '-1']), message: /--lambda: got "-1", expected/ },
  { name: 'spline: lambda abc', ...splineCmd(spline, ['--depths', '0,30,100', '--lambda', 'abc']), message: /--lambda: got "abc", expected/ },
  { name: 'spline: mode unknown', ...splineCmd(spline, ['--depths', '0,30,100', '--mode', 'cubic']), message: /--mode: got "cubic", expected/ },
  { name: 'spline: vlow abc', ...splineCmd(spline, ['--depths', '0,30,100', '--vlow', 'abc']), message: /--vlow: got "abc", expected/ },
  { name: 'spline: vlow above vhigh', ...splineCmd(spline, ['--depths', '0,30,100', '--vlow', '10', '--vhigh', '5']), message: /--vhigh: got 5, expected a value above --vlow \(10\)/ },
  { name: 'spline: missing value column', ...splineCmd('profile,top,bottom\na,0,10\n'), message: /in\.csv.*value/ },
  { name: 'spline: non-numeric value', ...splineCmd('profile,top,bottom,value\na,0,10,six\n'), message: /in\.csv:2 value: got "six", expected a number/ },
  { name: 'spline: top > bottom', ...splineCmd('profile,top,bottom,value\na,10,0,6\n'), message: /in\.csv expected at least one usable profile \(all 1 were rejected: .*in\.csv:2: horizon dropped: bottom 0 cm not below top 10 cm/ },
  { name: 'spline: overlapping horizons', ...splineCmd('profile,top,bottom,value\na,0,10,6\na,5,20,4\n'), message: /in\.csv expected at least one usable profile .*in\.csv:3: profile rejected: horizon 5–20 cm overlaps/ },
  { name: 'spline: NUL bytes', ...splineCmd('profile,top,bottom,value\na\0,0,10,6\n'), message: /in\.csv:2.*expected .*NUL/ },
  { name: 'spline: /dev/zero', args: (d) => ['spline', '/dev/zero', '--depths', '0,30', '--out', join(d, 'o.csv')], message: /\/dev\/zero expected a regular file/ },
  { name: 'spline: 200 MB CSV', files: { 'in.csv': { sparseBytes: 200e6 } }, args: (d) => ['spline', join(d, 'in.csv'), '--depths', '0,30', '--out', join(d, 'o.csv')], message: /in\.csv expected a file of at most \d+ MB/ },
  // ---- radiocarbon -----------------------------------------------------------------------------
  { name: 'forward: turnover 0x1E', args: fwdSet('--turnover-years', '0x1E'), message: /--turnover-years: got "0x1E", expected a decimal turnover time > 0 and ≤ 1000000 years/ },
  { name: 'forward: turnover abc', args: fwdSet('--turnover-years', 'abc'), message: /--turnover-years: got "abc", expected/ },
  { name: 'forward: turnover empty', args: fwdSet('--turnover-years', ''), message: /--turnover-years: got "", expected/ },
  { name: 'forward: turnover 0', args: fwdSet('--turnover-years', '0'), message: /--turnover-years: got "0", expected/ },
  { name: 'forward: turnover negative', args: fwdSet('--turnover-years', '-5'), message: /--turnover-years: got "-5", expected/ },
  { name: 'forward: turnover 1e400', args: fwdSet('--turnover-years', '1e400'), message: /--turnover-years: got "1e400", expected/ },
  { name: 'forward: turnover Infinity', args: fwdSet('--turnover-years', 'Infinity'), message: /--turnover-years: got "Infinity", expected/ },
  { name: 'forward: turnover NaN', args: fwdSet('--turnover-years', 'NaN'), message: /--turnover-years: got "NaN", expected/ },
  { name: 'forward: turnover with unit', args: fwdSet('--turnover-years', '30y'), message: /--turnover-years: got "30y", expected/ },
  { name: 'forward: turnover 1e12 years', args: fwdSet('--turnover-years', '1e12'), message: /--turnover-years: got "1e12", expected .*(≤|at most)/ },
  { name: 'forward: year -50000', args: fwdSet('--year', '-50000'), message: /--year: got "-50000", expected a decimal sampling year AD from 1850/ },
  { name: 'forward: year 1e9', args: fwdSet('--year', '1e9'), message: /--year: got "?(1e9|1000000000)"?, expected a (decimal )?sampling year/ },
  { name: 'forward: year 0x7DA', args: fwdSet('--year', '0x7DA'), message: /--year: got "0x7DA", expected/ },
  { name: 'forward: year with comma decimal', args: fwdSet('--year', '2010,5'), message: /--year: got "2010,5", expected/ },
  { name: 'forward: zone unknown', args: fwdSet('--zone', 'NH4'), message: /--zone: got "NH4", expected .*NH1/ },
  { name: 'forward: zone with a space', args: fwdSet('--zone', 'S H3'), message: /--zone: got "S H3", expected a zone: .*did you mean "SH3"/ },
  { name: 'forward: curve unknown', args: fwd(...fwdOk, '--curve', 'Hua2020'), message: /--curve: got "Hua2020", expected .*Hua2022/ },
  { name: 'forward: extend unknown', args: fwd(...fwdOk, '--extend', 'loop'), message: /--extend: got "loop", expected/ },
  { name: 'forward: year past the curve', args: fwdSet('--year', '2300'), message: /--year: got "?2300"?, expected .*(curve|--extend)/ },
  { name: 'forward: turnover missing', args: fwd('--year', '2010', '--zone', 'NH1'), message: /--turnover-years/ },
  { name: 'forward: unknown option', args: fwd(...fwdOk, '--turnover', '3'), message: /unknown option '--turnover'/ },
  { name: 'age: delta14c abc', args: ageSet('--delta14c', 'abc'), message: /--delta14c: got "abc", expected/ },
  { name: 'age: delta14c -2000 (below -1000 ‰)', args: ageSet('--delta14c', '-2000'), message: /--delta14c: got "-2000", expected a Δ14C in ‰ greater than −1000/ },
  { name: 'age: delta14c 0x10', args: ageSet('--delta14c', '0x10'), message: /--delta14c: got "0x10", expected/ },
  { name: 'age: sigma negative', args: ageSet('--sigma', '-1'), message: /--sigma: got "-1", expected/ },
  { name: 'age: sigma abc', args: ageSet('--sigma', 'abc'), message: /--sigma: got "abc", expected/ },
  { name: 'age: year -50000', args: ageSet('--year', '-50000'), message: /--year: got "-50000", expected a decimal sampling year AD from 1850/ },
  { name: 'age: zone unknown', args: ageSet('--zone', 'SH4'), message: /--zone: got "SH4", expected/ },
  { name: 'radiocarbon: unknown subcommand', args: () => ['radiocarbon', 'backward'], message: /unknown command 'backward'|error: .*backward/ },
  // ---- benchmark, report, serve, unknown commands ----------------------------------------------
  { name: 'benchmark: unknown name (did you mean)', args: () => ['benchmark', 'M2.3'], message: /benchmark name: got "M2\.3", expected one of .*"m2\.1".*did you mean "m2\.1"/ },
  { name: 'benchmark: empty name', args: () => ['benchmark', ''], message: /benchmark name: got "", expected one of "m2\.1"/ },
  { name: 'benchmark: path as name', args: () => ['benchmark', '../../etc/passwd'], message: /benchmark name: got "\.\.\/\.\.\/etc\/passwd", expected one of/ },
  { name: 'report: missing folder', args: (d) => ['report', join(d, 'nope')], message: /nope.*expected .*(result folder|existing)/ },
  { name: 'report: not a result folder', files: { 'x/a.txt': 'x' }, args: (d) => ['report', join(d, 'x')], message: /x.*expected .*(rhizocarb result|summary\.json)/ },
  { name: 'report: a file', files: { 'a.txt': 'x' }, args: (d) => ['report', join(d, 'a.txt')], message: /a\.txt.*expected .*(folder|result)/ },
  { name: 'report: summary.json garbage', files: { 'x/summary.json': '{not json', 'x/.rhizocarb-result.json': '{not json' }, args: (d) => ['report', join(d, 'x')], message: /x expected a rhizocarb result folder/ },
  { name: 'serve: port 99999', args: () => ['serve', '--port', '99999'], message: /--port: got "99999", expected .*65535/ },
  { name: 'serve: port abc', args: () => ['serve', '--port', 'abc'], message: /--port: got "abc", expected/ },
  { name: 'serve: port 0x50', args: () => ['serve', '--port', '0x50'], message: /--port: got "0x50", expected/ },
  { name: 'serve: jobs 0', args: () => ['serve', '--jobs', '0'], message: /--jobs: got "0", expected/ },
  { name: 'serve: jobs 1e6', args: () => ['serve', '--jobs', '1e6'], message: /--jobs: got "1e6", expected/ },
  { name: 'serve: host not an address', args: () => ['serve', '--host', 'exa mple'], message: /--host: got "exa mple", expected/ },
  { name: 'serve: root is a file', files: { 'f.txt': 'x' }, args: (d) => ['serve', '--root', join(d, 'f.txt')], message: /--root: got .*f\.txt", expected .*folder/ },
  { name: 'serve: root /proc', args: () => ['serve', '--root', '/proc'], message: /--root: got "\/proc", expected/ },
  { name: 'unknown command', args: () => ['rnu', 'x'], message: /unknown command 'rnu'.*(Did you mean|run)/s },
  { name: 'unknown global option', args: () => ['--frobnicate'], message: /unknown option '--frobnicate'/ },
  // ---- learn -----------------------------------------------------------------------------------
  { name: 'learn train: trees 0', ...train(['--trees', '0']), message: /--trees: got "0", expected/ },
  { name: 'learn train: trees abc', ...train(['--trees', 'abc']), message: /--trees: got "abc", expected/ },
  { name: 'learn train: trees 1e9', ...train(['--trees', '1e9']), message: /--trees: got "1e9", expected/ },
  { name: 'learn train: trees 0x10', ...train(['--trees', '0x10']), message: /--trees: got "0x10", expected/ },
  { name: 'learn train: mtry 0', ...train(['--mtry', '0']), message: /--mtry: got "0", expected/ },
  { name: 'learn train: mtry above features', ...train(['--mtry', '5']), message: /--mtry: got 5, expected at most the number of features \(2\)/ },
  { name: 'learn train: min node size -1', ...train(['--min-node-size', '-1']), message: /--min-node-size: got "-1", expected/ },
  { name: 'learn train: tau method unknown', ...train(['--tau-method', 'bootstrap']), message: /--tau-method: got "bootstrap", expected/ },
  { name: 'learn train: workers -1', ...train(['--workers', '-1']), message: /--workers: got "-1", expected/ },
  { name: 'learn train: missing target column', files: { 't.csv': table }, args: (d) => ['learn', 'train', join(d, 't.csv'), '--target', 'z', '--features', 'x1,x2', '--workers', '0', '--out', join(d, 'm.json')], message: /t\.csv z: expected column "z" \(target and features\) \(the header has "x1", "x2", "y"\)/ },
  { name: 'learn train: missing feature column (did you mean)', files: { 't.csv': table }, args: (d) => ['learn', 'train', join(d, 't.csv'), '--target', 'y', '--features', 'x1,x3', '--workers', '0', '--out', join(d, 'm.json')], message: /t\.csv x3: expected column "x3" \(target and features\) \(the header has "x1", "x2", "y"\)/ },
  { name: 'learn train: target among features', ...train(['--features', 'x1,y']), message: /--features: got "x1,y", expected feature columns other than the target/ },
  { name: 'learn train: non-numeric cell', ...train([], table.replace('\n3,', '\nthree,')), message: /t\.csv:5 x1: got "three", expected a number/ },
  { name: 'learn train: UTF-16 table', files: { 't.csv': utf16le(table) }, args: (d) => ['learn', 'train', join(d, 't.csv'), '--target', 'y', '--features', 'x1,x2', '--out', join(d, 'm.json')], message: /t\.csv expected UTF-8 .*UTF-16/ },
  { name: 'learn train: out is a folder', files: { 't.csv': table }, dirs: ['m'], args: (d) => ['learn', 'train', join(d, 't.csv'), '--target', 'y', '--features', 'x1,x2', '--out', join(d, 'm')], message: /--out: got .*m", expected a file/ },
  { name: 'learn train: out missing', files: { 't.csv': table }, args: (d) => ['learn', 'train', join(d, 't.csv'), '--target', 'y', '--features', 'x1,x2'], message: /--out/ },
  { name: 'learn train: /dev/zero table', args: (d) => ['learn', 'train', '/dev/zero', '--target', 'y', '--features', 'x1', '--out', join(d, 'm.json')], message: /\/dev\/zero expected a regular file/ },
  { name: 'learn train: too few rows', ...train([], 'x1,x2,y\n1,2,3\n'), message: /t\.csv.*expected at least \d+ rows/ },
  { name: 'learn cv: folds 1', ...cv(['--folds', '1']), message: /--folds: got "1", expected/ },
  { name: 'learn cv: folds abc', ...cv(['--folds', 'abc']), message: /--folds: got "abc", expected/ },
  { name: 'learn cv: folds above rows', ...cv(['--folds', '1000']), message: /--folds: got 1000, expected at most the number of complete rows \(30 in .*t\.csv\)/ },
  { name: 'learn cv: repeats 0', ...cv(['--repeats', '0']), message: /--repeats: got "0", expected/ },
  { name: 'learn predict: model not JSON', ...predict('{nope'), message: /m\.json.*expected .*JSON/ },
  { name: 'learn predict: model wrong format', ...predict('{"format": "other"}'), message: /m\.json.*expected .*(model|format)/ },
  { name: 'learn predict: model future version', ...predict(model.replace(/"formatVersion":\s*\d+/, '"formatVersion": 999'), 'mat_degC,biome4\n12,3\n'), message: /m\.json.*model format version 999 is newer than this rhizocarb reads/ },
  { name: 'learn predict: table lacks features', ...predict(model, 'a,b\n1,2\n'), message: /t\.csv.*expected .*column/ },
  { name: 'learn predict: level unknown', ...predict(model, 'mat_degC,biome4\n12,3\n', ['--level', '0.5']), message: /--level: got 0\.5, expected a level the model has τ̂ for \(.*m\.json has 0\.95\)/ },
  { name: 'learn predict: model missing', files: { 't.csv': table }, args: (d) => ['learn', 'predict', join(d, 'none.json'), join(d, 't.csv'), '--out', join(d, 'p.csv')], message: /none\.json.*expected .*(ENOENT|readable)/ },
  { name: 'learn extract: rasters missing', files: { 's.csv': 'lat,lon\n1,2\n' }, args: (d) => ['learn', 'extract', join(d, 's.csv'), '--rasters', join(d, 'nope'), '--out', join(d, 't.csv')], message: /nope expected a folder of GeoTIFF covariates/ },
  { name: 'learn extract: latitude column missing', files: { 's.csv': 'y,x\n1,2\n' }, args: (d) => ['learn', 'extract', join(d, 's.csv'), '--rasters', rasters, '--out', join(d, 't.csv')], message: /s\.csv.*lat.*expected .*column/ },
  { name: 'learn extract: latitude 200', files: { 's.csv': 'lat,lon\n200,2\n' }, args: (d) => ['learn', 'extract', join(d, 's.csv'), '--rasters', rasters, '--out', join(d, 't.csv')], message: /s\.csv:2 lat: got "?200"?, expected/ },
  { name: 'learn: unknown subcommand', args: () => ['learn', 'fit'], message: /unknown command 'fit'/ },
  // ---- map -------------------------------------------------------------------------------------
  { name: 'map: window not 4 numbers', ...mapCmd(['--window', '1,2,3']), message: /--window: got "1,2,3", expected x0,y0,width,height in cells/ },
  { name: 'map: window outside the rasters', ...mapCmd(['--window', '0,0,1e9,1e9']), message: /estimated work: got \d+, expected at most .* cells × 1 mapped model/ },
  { name: 'map: window negative', ...mapCmd(['--window', '-5,0,10,10']), message: /--window: got "-5,0,10,10", expected/ },
  { name: 'map: workers -1', ...mapCmd(['--workers', '-1']), message: /--workers: got "-1", expected/ },
  { name: 'map: workers 1e6', ...mapCmd(['--workers', '1e6']), message: /maps\.workers: got 1000000, expected a number ≤ 256/ },
  { name: 'map: set without =', ...mapCmd(['--set', 'elev']), message: /--set: got "elev", expected/ },
  { name: 'map: model missing', args: (d) => ['map', join(d, 'none.json'), '--rasters', rasters, '--out', join(d, 'out')], message: /none\.json.*expected/ },
  { name: 'map: rasters missing', files: { 'm.json': model }, args: (d) => ['map', join(d, 'm.json'), '--rasters', join(d, 'none'), '--out', join(d, 'out')], message: /none.*expected .*folder/ },
  { name: 'map: model not JSON', ...mapCmd([], 'not json'), message: /m\.json.*expected .*JSON/ },
  // ---- scenarios of the other kinds ------------------------------------------------------------
  { name: 'profile-depth scenario: input missing', ...runWith('kind: profile-depth\ninput: none.csv\n'), message: /s\.yaml:\d+:\d+ input: got "none\.csv", expected an existing/ },
  { name: 'profile-depth scenario: input /dev/zero', ...runWith('kind: profile-depth\ninput: /dev/zero\n'), message: /(\/dev\/zero expected a regular file|input: got "\/dev\/zero", expected)/ },
  { name: 'profile-depth scenario: input escapes the root', ...runWith('kind: profile-depth\ninput: /etc/passwd\n'), message: /\/etc\/passwd:\d+ got "\d+ fields", expected 1 fields as in the header/ },
  { name: 'profile-depth scenario: layers bad', ...runWith('kind: profile-depth\ninput: p.csv\nlayers: [0, 30, 20]\n'), message: /layers.*expected .*increas/ },
  { name: 'site-budget scenario: draws 1e9', ...runWith('kind: site-budget\ninput: s.csv\nmonteCarlo: {draws: 1000000000}\n'), message: /monteCarlo\.draws: got 1000000000, expected/ },
  { name: 'site-budget scenario: seed a string', ...runWith('kind: site-budget\ninput: s.csv\nmonteCarlo: {seed: "x"}\n'), message: /monteCarlo\.seed: got "x", expected/ },
  { name: 'mapping scenario: unknown pipeline', ...runWith('kind: mapping\npipeline: gamma\n'), message: /pipeline: got "gamma", expected/ },
  { name: 'mapping scenario: trees 0', ...runWith('kind: mapping\npipeline: beta\nforest: {trees: 0}\n'), message: /forest\.trees: got 0, expected/ },
  { name: 'pedon scenario: unknown key', ...runWith('kind: pedon\nfoo: 1\n'), message: /foo: expected one of the known keys/ },
  { name: 'pedon scenario: years negative', ...runWith(text('pedon-grassland.yaml') + 'bogus: 1\n'), message: /bogus: expected one of the known keys/ },
];

/** Write a case's input files and folders into `d`. */
export function setupCase(c: AdversarialCase, d: string): void {
  for (const [f, v] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(d, f)), { recursive: true });
    if (typeof v === 'object' && !Buffer.isBuffer(v)) {
      const fd = openSync(join(d, f), 'w');
      ftruncateSync(fd, v.sparseBytes);
      closeSync(fd);
    } else writeFileSync(join(d, f), v);
  }
  for (const x of c.dirs ?? []) mkdirSync(join(d, x), { recursive: true });
}

/** Every path below `d`, sorted. */
export const listing = (d: string): string[] => readdirSync(d, { recursive: true }).map(String).sort();

