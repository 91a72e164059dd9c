/**
 * Developer script (not run by tests): extract the columns rhizocarb's verification uses from the
 * COMSOL reference exports of dumux-rosi (python/rhizo/*.txt) into data/benchmarks/rhizo-comsol/.
 * Values are copied verbatim (no rounding); only the times t = 0, 2.5, 5, 10, 15, 20 d are kept.
 *
 *   npx tsx scripts/extract-comsol-columns.ts <folder with the COMSOL .txt exports>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const src = process.argv[2];
if (!src) throw new Error('usage: extract-comsol-columns.ts <folder>');
const FILES = ['cylinder_1d_Comsol.txt', 'c_diff_results.txt', 'c_results.txt', 'c_results_nob.txt', 'comsol_c_diff.txt'];
/** Column k (1-based after R) holds t = (k − 1)·20/48 d. */
const COLUMNS = [1, 7, 13, 25, 37, 49];
for (const f of FILES) {
  const lines = readFileSync(join(src, f), 'utf8').split(/\r?\n/);
  const header = lines.filter((l) => l.startsWith('%')).slice(0, 7).map((l) => `# ${l}`);
  const out = [...header, `# columns extracted by scripts/extract-comsol-columns.ts: R_cm (distance from the root surface), then t = ${COLUMNS.map((k) => ((k - 1) * 20) / 48).join(', ')} d`];
  out.push(['R_cm', ...COLUMNS.map((k) => `t${((k - 1) * 20) / 48}d`)].join(','));
  for (const l of lines) {
    if (!l.trim() || l.startsWith('%')) continue;
    const cells = l.trim().split(/\s+/);
    out.push([cells[0], ...COLUMNS.map((k) => cells[k])].join(','));
  }
  writeFileSync(join('data/benchmarks/rhizo-comsol', f.replace('.txt', '.csv')), out.join('\n') + '\n');
}
