import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseNumberRows } from './common.js';

/**
 * Simulator results of the Schnepf et al. (2020) root water benchmarks (M3.x): two comma-separated
 * rows, depth z (cm) and xylem pressure head (cm). Columns where either value is not a number
 * (RSWMS interleaves NaN) are dropped; depths given as positive distances below the collar (SRI)
 * are turned into negative z.
 */
export interface DepthProfile {
  readonly z_cm: Float64Array;
  readonly psi_cm: Float64Array;
}

export function readTwoRowProfile(file: string): DepthProfile {
  const rows = parseNumberRows(readFileSync(file, 'utf8'), false);
  if (rows.length < 2) throw new Error(`${file}: expected two rows (depth, pressure head)`);
  const [z, p] = rows;
  const zs: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < Math.min(z.length, p.length); i++) {
    if (Number.isFinite(z[i]) && Number.isFinite(p[i])) {
      zs.push(z[i]);
      ps.push(p[i]);
    }
  }
  const positiveDepth = zs.every((v) => v >= 0) && zs.some((v) => v > 0);
  return { z_cm: Float64Array.from(zs, (v) => (positiveDepth ? -v : v)), psi_cm: Float64Array.from(ps) };
}

/** All simulator result files (`*.txt`) of a results folder, keyed by simulator name, excluding `exclude`. */
export function readSimulatorProfiles(dir: string, exclude: readonly string[] = []): Map<string, DepthProfile> {
  const out = new Map<string, DepthProfile>();
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.txt')) continue;
    const name = f.slice(0, -4);
    if (exclude.includes(name)) continue;
    out.set(name, readTwoRowProfile(join(dir, f)));
  }
  return out;
}
