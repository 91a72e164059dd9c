import { describe, expect, it } from 'vitest';
import { balanceEntries, checkEntries, formatNumber, runStatus, unitFromName } from '../../src/webapp/summary.js';

describe('reading any kind\'s summary.json (report and dashboard share this)', () => {
  it('reads units from rhizocarb\'s unit-suffixed names', () => {
    expect(unitFromName('co2_molC')).toBe('mol C');
    expect(unitFromName('flux_molC_per_cm2_d')).toBe('mol C cm⁻² d⁻¹');
    expect(unitFromName('rootWaterUptake_cm3')).toBe('cm³');
    expect(unitFromName('stock_kgC_per_m2')).toBe('kg C m⁻²');
    expect(unitFromName('CL_molC_per_cm3_water')).toBe('mol C cm⁻³ water');
    expect(unitFromName('headRootSurfaceFinal_cm')).toBe('cm');
    expect(unitFromName('segments')).toBe('');
    expect(unitFromName('peak_unknownunit')).toBe('');
  });

  it('judges a balance only against a tolerance the run states', () => {
    const b = balanceEntries({ balance: { water: { relativeError: 1e-15 }, carbon: { relativeError: 1e-3, tolerance: 1e-9 }, heat: { relativeError: 1, tolerance: 1e-9, passed: true } } });
    expect(b).toEqual([
      { name: 'water', relativeError: 1e-15, tolerance: null, passed: null },
      { name: 'carbon', relativeError: 1e-3, tolerance: 1e-9, passed: false },
      { name: 'heat', relativeError: 1, tolerance: 1e-9, passed: true },
    ]);
  });

  it('finds checks in every shape kinds write them, and a failing one fails the run', () => {
    const summary = {
      plausibility: { checks: { growthMostlyAtNight: true, peakExudationWithin50PercentOf0_15: false } },
      constraints: { parameters: [{ id: 'G1.1', text: 'μ_max,C > μ_max,O', satisfied: true, values: { muMaxC: 0.83 } }] },
    };
    const c = checkEntries(summary);
    expect(c.map((x) => [x.label, x.passed])).toEqual([
      ['growth mostly at night', true],
      ['peak exudation within 50 percent of 0.15', false],
      ['G1.1: μ_max,C > μ_max,O', true],
    ]);
    expect(c[2].detail).toBe('muMaxC = 0.83');
    expect(runStatus(summary, [], c)).toEqual({ status: 'failed', failures: ['peak exudation within 50 percent of 0.15'] });
    expect(runStatus({}, balanceEntries({ balance: { water: { relativeError: 0 } } }), []).status).toBe('unchecked');
  });

  it('takes the scenario contract\'s check list as it is: warnings are reported, errors fail the run', () => {
    const summary = {
      status: 'ok',
      checks: [
        { name: 'balance.carbon', passed: true, severity: 'error', value: 1e-15, message: 'relative carbon balance error 1e-15 ≤ tolerance 1e-9' },
        { name: 'plausibility.G2.9', passed: false, severity: 'warning', message: '004 App. G constraint G2.9' },
        { name: 'plausibility.G1.1', passed: true, severity: 'warning', message: '004 App. G constraint G1.1' },
      ],
      constraints: { parameters: [{ id: 'G1.1', satisfied: true }] },
    };
    const c = checkEntries(summary);
    expect(c.map((x) => [x.label, x.passed, x.severity])).toEqual([
      ['plausibility.G2.9: 004 App. G constraint G2.9', false, 'warning'],
      ['plausibility.G1.1: 004 App. G constraint G1.1', true, 'warning'],
    ]);
    expect(runStatus(summary, [], c)).toEqual({ status: 'passed', failures: [] });
    const failed = { ...summary, status: 'failed', checks: [{ name: 'plausibility.x', passed: false, severity: 'error', message: 'out of range' }] };
    expect(runStatus(failed, [], checkEntries(failed))).toEqual({ status: 'failed', failures: ['plausibility.x: out of range'] });
  });

  it('formats numbers compactly without hiding small ones', () => {
    expect(formatNumber(3.6237726e-15)).toBe('3.624e-15');
    expect(formatNumber(0.06000000000000049)).toBe('0.06');
    expect(formatNumber(-221.63172)).toBe('-221.6');
    expect(formatNumber(1680)).toBe('1680');
  });
});
