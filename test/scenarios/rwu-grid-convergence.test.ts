import { describe, expect, it } from 'vitest';
import { gridStudy } from '../../scripts/rwu-grid-convergence.js';

/**
 * Classic vs multiscale sink against the fine radial reference (C1.2-like; the full table is
 * docs/ROOT-WATER-UPTAKE.md, made by scripts/rwu-grid-convergence.ts). The multiscale part takes
 * minutes (one perirhizal model per segment with carbon kinetics): it runs with RHIZOCARB_SLOW=1.
 */
describe('root water uptake on a coarse grid (scripts/rwu-grid-convergence.ts)', () => {
  it('1.25 days into stress: the classic sink on a 1 cm grid overestimates the fine radial reference', () => {
    const { reference_cm3: ref, rows } = gridStudy([1], 1.25, 0.4, 1 / 24, false);
    console.log(`reference ${ref.toFixed(5)} cm³ (potential 0.5); classic 1 cm ${rows[0].classic_cm3.toFixed(5)} cm³ (${(100 * rows[0].classicError).toFixed(2)} %)`);
    expect(ref).toBeLessThan(0.4 * 1.25 * 0.9); // water-limited: well below potential
    expect(rows[0].classicError).toBeGreaterThan(0.03);
  });

  it.runIf(process.env.RHIZOCARB_SLOW === '1')('the multiscale sink on the same 1 cm grid is within 2 % (slow: RHIZOCARB_SLOW=1)', () => {
    const { rows } = gridStudy([1], 1.25, 0.4, 1 / 24, true);
    console.log(`multiscale 1 cm: ${rows[0].multiscale_cm3!.toFixed(5)} cm³ (${(100 * rows[0].multiscaleError!).toFixed(2)} %), classic ${(100 * rows[0].classicError).toFixed(2)} %`);
    expect(Math.abs(rows[0].multiscaleError!)).toBeLessThan(0.02);
    expect(Math.abs(rows[0].multiscaleError!)).toBeLessThan(Math.abs(rows[0].classicError) / 3);
  }, 900_000);
});
