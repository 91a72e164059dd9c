import { describe, expect, it } from 'vitest';
import { agreementCounts, drySpellFindings, type FindingsRun } from '../../src/analysis/findings.js';

/**
 * A synthetic analysis of the matrix (lateDry/highCO2 missing) whose findings were worked out by hand,
 * from the paper's numbers of RHIZOSPHERE.md / COUPLING.md, not from the code: every expected
 * agreement below is written out with its arithmetic.
 */
const T = (exud: number, muc: number, resp: number, extra: Partial<FindingsRun['totals']> = {}) => ({ exudation_molC: exud, mucilage_molC: muc, respiration_molC: resp, growth_molC: 300, assimilation_molC: 1000, peakTipExudation_mmolC_per_cm2_d: 0.15, ...extra });
const P = (day: number, co2: number, microbes: number, solutes: number, minus?: [number, number, number]) => ({ day, co2_mmolC: co2, microbes_mmolC: microbes, solutes_mmolC: solutes, ...(minus ? { co2_minusInitial_mmolC: minus[0], microbes_minusInitial_mmolC: minus[1], solutes_minusInitial_mmolC: minus[2] } : {}) });
const full = { start_d: 10, end_d: 25 };
const RUNS: FindingsRun[] = [
  { weather: 'baseline', set: 'highMB', ...full, totals: T(100, 5, 200), pools: [P(25, 24.0, 30, 53, [24.0, 7.0, -1])], perirhizalTruncVolume_cm3: 100 },
  { weather: 'earlyDry', set: 'highMB', ...full, totals: T(70, 4.9, 150), pools: [P(25, 21, 7.1, 52.8)], perirhizalTruncVolume_cm3: 60 },
  { weather: 'lateDry', set: 'highMB', ...full, totals: T(110, 12, 220), pools: [P(25, 28.2, 8, 52.7)], perirhizalTruncVolume_cm3: 100 },
  { weather: 'baseline', set: 'highCO2', ...full, totals: T(100, 5, 200), pools: [P(25, -1, 4.9, 53, [-1, 0, 0])], perirhizalTruncVolume_cm3: 100 },
  { weather: 'earlyDry', set: 'highCO2', ...full, totals: T(50, 4, 200, { assimilation_molC: undefined }), pools: [P(25, 10, 9, 50)], perirhizalTruncVolume_cm3: 90 },
  { weather: 'baseline', set: 'lowMUptake', ...full, totals: T(100, 5, 200), pools: [P(25, 0.5, 5.4, 200)], perirhizalTruncVolume_cm3: 100 },
  { weather: 'earlyDry', set: 'lowMUptake', ...full, totals: T(120, 5, 190), pools: [P(25, 1, 6, 60)] },
  { weather: 'lateDry', set: 'lowMUptake', ...full, totals: T(100, 10, 170, { peakTipExudation_mmolC_per_cm2_d: 0.3 }), pools: [P(18, 1, 5, 70)], perirhizalTruncVolume_cm3: 80 },
];

// id → [expected agreement, expected rhizocarb value (fractions) or null], by hand.
const EXPECTED: Record<string, [string, number | string | null]> = {
  // exudation: (x − 100)/100
  'exudationVsBaseline.earlyDry.highCO2': ['sign', -0.5], // paper −0.32, ±0.16 → [−0.48, −0.16]; −0.50 outside, same sign
  'exudationVsBaseline.earlyDry.highMB': ['agree', -0.3], // paper −0.35 ± 0.175
  'exudationVsBaseline.earlyDry.lowMUptake': ['disagree', 0.2], // paper −0.37, +0.20 opposite sign
  'exudationVsBaseline.lateDry.highCO2': ['not-available', null], // no lateDry/highCO2 run
  'exudationVsBaseline.lateDry.highMB': ['sign', 0.1], // paper +0.29 ± 0.145 → [0.145, 0.435]
  'exudationVsBaseline.lateDry.lowMUptake': ['disagree', 0], // zero change
  // mucilage: (x − 5)/5
  'mucilageVsBaseline.earlyDry.highCO2': ['sign', -0.2], // paper −0.11 ± 0.055
  'mucilageVsBaseline.earlyDry.highMB': ['agree', -0.02], // 4.9/5 − 1 = −0.02 = paper
  'mucilageVsBaseline.earlyDry.lowMUptake': ['disagree', 0], // paper +0.06
  'mucilageVsBaseline.lateDry.highCO2': ['not-available', null],
  'mucilageVsBaseline.lateDry.highMB': ['agree', 1.4], // paper 1.39 ± 0.695
  'mucilageVsBaseline.lateDry.lowMUptake': ['agree', 1.0], // paper 1.70 ± 0.85 → [0.85, 2.55]
  // respiration: (x − 200)/200, paper −0.29 (early) / −0.18 (late) for every set
  'respirationVsBaseline.earlyDry.highCO2': ['disagree', 0],
  'respirationVsBaseline.earlyDry.highMB': ['agree', -0.25],
  'respirationVsBaseline.earlyDry.lowMUptake': ['sign', -0.05], // −0.29 ± 0.145 → [−0.435, −0.145]
  'respirationVsBaseline.lateDry.highCO2': ['not-available', null],
  'respirationVsBaseline.lateDry.highMB': ['disagree', 0.1],
  'respirationVsBaseline.lateDry.lowMUptake': ['agree', -0.15], // −0.18 ± 0.09
  // ranks at day 25 in baseline and earlyDry (lateDry lacks highCO2): solutes top = lowMUptake (200; 60) in both;
  // microbes top = highMB (30) in baseline but highCO2 (9 > 7.1 > 6) in earlyDry
  'rank.solutes': ['agree', 'baseline: lowMUptake, earlyDry: lowMUptake'],
  'rank.microbes': ['disagree', 'baseline: highMB, earlyDry: highCO2'],
  'rank.co2PerMicrobialGrowth': ['not-available', null],
  // perirhizal_trunc: (v − 100)/100, paper −0.42 (early) / −0.34 (late)
  'perirhizalTruncVolumeVsBaseline.earlyDry.highCO2': ['sign', -0.1], // [−0.63, −0.21]
  'perirhizalTruncVolumeVsBaseline.earlyDry.highMB': ['agree', -0.4],
  'perirhizalTruncVolumeVsBaseline.earlyDry.lowMUptake': ['not-available', null], // volume not written
  'perirhizalTruncVolumeVsBaseline.lateDry.highCO2': ['not-available', null],
  'perirhizalTruncVolumeVsBaseline.lateDry.highMB': ['disagree', 0],
  'perirhizalTruncVolumeVsBaseline.lateDry.lowMUptake': ['agree', -0.2], // [−0.51, −0.17]
  // ranges over every run: mucilage/exudation 0.0417 (5/120) … 0.1091 (12/110), all in [0.005, 0.15]
  mucilagePerExudation: ['agree', '0.0417…0.109'],
  exudationPerAssimilation: ['not-available', null], // earlyDry/highCO2 has no assimilation
  peakTipExudation: ['disagree', '0.150…0.300'], // 0.3 > 1.5 × 0.153 = 0.2295
  // notebook pool tables, day 25
  'poolTable.d25.highMB.baseline.co2': ['agree', 24.0], // 24.8 ± 12.4
  'poolTable.d25.highMB.baseline.microbes': ['agree', 7.0], // stocks 30: sign (7.7 ± 3.85); minus initial 7.0: agree → minusInitial
  'poolTable.d25.highMB.baseline.solutes': ['agree', 53], // stocks 53 agree; minus −1 disagree → stocks
  'poolTable.d25.highMB.earlyDry.co2': ['agree', 21],
  'poolTable.d25.highMB.earlyDry.microbes': ['agree', 7.1],
  'poolTable.d25.highMB.earlyDry.solutes': ['agree', 52.8],
  'poolTable.d25.highMB.lateDry.co2': ['agree', 28.2],
  'poolTable.d25.highMB.lateDry.microbes': ['agree', 8],
  'poolTable.d25.highMB.lateDry.solutes': ['agree', 52.7],
  'poolTable.d25.highCO2.baseline.co2': ['disagree', -1], // 19.3, −1 in both forms
  'poolTable.d25.highCO2.baseline.microbes': ['agree', 4.9],
  'poolTable.d25.highCO2.baseline.solutes': ['agree', 53],
  'poolTable.d25.highCO2.lateDry.co2': ['not-available', null],
  'poolTable.d25.highCO2.lateDry.microbes': ['not-available', null],
  'poolTable.d25.highCO2.lateDry.solutes': ['not-available', null],
  'poolTable.d25.lowMUptake.baseline.co2': ['agree', 0.5], // 0.9 ± 0.45
  'poolTable.d25.lowMUptake.baseline.microbes': ['agree', 5.4],
  'poolTable.d25.lowMUptake.baseline.solutes': ['sign', 200], // 76.6 ± 38.3; no minus-initial form
  'poolTable.d25.lowMUptake.lateDry.co2': ['not-available', null], // pools only at day 18
  'poolTable.d25.lowMUptake.lateDry.microbes': ['not-available', null],
  'poolTable.d25.lowMUptake.lateDry.solutes': ['not-available', null],
};

describe('drySpellFindings: a synthetic analysis with hand-computed agreements', () => {
  const f = drySpellFindings(RUNS);
  const byId = new Map(f.map((x) => [x.id, x]));

  it('gives one entry per finding and per notebook number, each as computed by hand', () => {
    expect(f.map((x) => x.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    let worst = 0;
    for (const [id, [agreement, value]] of Object.entries(EXPECTED)) {
      const x = byId.get(id)!;
      expect(x.agreement, id).toBe(agreement);
      if (typeof value === 'number') {
        expect(typeof x.rhizocarb, id).toBe('number');
        const err = Math.abs((x.rhizocarb as number) - value);
        worst = Math.max(worst, err);
        expect(err, id).toBeLessThan(1e-12);
      } else expect(x.rhizocarb, id).toBe(value);
      if (agreement === 'not-available') expect(x.reason, id).toBeTruthy();
      expect(x.fullRuns, id).toBe(agreement !== 'not-available');
    }
    console.log(`findings: ${f.length} entries, worst |rhizocarb − hand value| ${worst.toExponential(1)}, counts ${JSON.stringify(agreementCounts(f))}`);
    expect(agreementCounts(f)).toEqual({ agree: 23, sign: 6, disagree: 9, 'not-available': 13 }); // counted from the table above
  });

  it('says why a finding is not available and which pool-table form gave the agreement', () => {
    expect(byId.get('exudationVsBaseline.lateDry.highCO2')!.reason).toBe('no lateDry/highCO2 run');
    expect(byId.get('perirhizalTruncVolumeVsBaseline.earlyDry.lowMUptake')!.reason).toBe('perirhizal_trunc volume not written for earlyDry/lowMUptake');
    expect(byId.get('rank.co2PerMicrobialGrowth')!.reason).toMatch(/microbial growth/);
    expect(byId.get('exudationPerAssimilation')!.reason).toMatch(/earlyDry\/highCO2/);
    expect(byId.get('poolTable.d25.lowMUptake.lateDry.co2')!.reason).toMatch(/no pool table at day 25/);
    expect(byId.get('poolTable.d25.highMB.baseline.microbes')).toMatchObject({ form: 'minusInitial', agreementByForm: { stocks: 'sign', minusInitial: 'agree' } });
    expect(byId.get('poolTable.d25.highMB.baseline.solutes')).toMatchObject({ form: 'stocks', agreementByForm: { stocks: 'agree', minusInitial: 'disagree' } });
  });

  it('flags shortened runs and refuses to compare a run with a baseline of another span', () => {
    const short = RUNS.map((r) => ({ ...r, end_d: 10.5 }));
    const g = drySpellFindings(short);
    const e = g.find((x) => x.id === 'exudationVsBaseline.earlyDry.highMB')!;
    expect(e).toMatchObject({ agreement: 'agree', fullRuns: false });
    const mixed = RUNS.map((r) => (r.weather === 'earlyDry' && r.set === 'highMB' ? { ...r, end_d: 18 } : r));
    const m = drySpellFindings(mixed).find((x) => x.id === 'exudationVsBaseline.earlyDry.highMB')!;
    expect(m.agreement).toBe('not-available');
    expect(m.reason).toMatch(/not comparable/);
    // With gross microbial growth and CO₂ production (CO₂/growth 3, 2, 1 for highCO2/highMB/lowMUptake in both weathers): agree.
    const withGrowth = RUNS.map((r) => ({ ...r, microbialGrowth_molC: 1, co2Produced_molC: r.set === 'highCO2' ? 3 : r.set === 'highMB' ? 2 : 1 }));
    expect(drySpellFindings(withGrowth).find((x) => x.id === 'rank.co2PerMicrobialGrowth')).toMatchObject({ agreement: 'agree', rhizocarb: 'baseline: highCO2, earlyDry: highCO2' });
  });

  it('judges a rank on the stocks and shows the order of the pools minus the first snapshot beside it', () => {
    // Baseline only: stocks 41.0 (highMB) > 38.3 (lowMUptake) > 34.9 (highCO2) → highMB, so "solutes highest with
    // lowMUptake" disagrees; gains −0.13, +0.13, −0.20 → lowMUptake first, shown but not judged.
    const runs: FindingsRun[] = [
      { weather: 'baseline', set: 'highCO2', ...full, totals: T(7, 0.07, 13), pools: [P(25, 16.3, 5.16, 34.9, [16.3, 0.18, -0.2])] },
      { weather: 'baseline', set: 'highMB', ...full, totals: T(7, 0.07, 13), pools: [P(25, 21.9, 7.61, 41.0, [21.9, 2.63, -0.13])] },
      { weather: 'baseline', set: 'lowMUptake', ...full, totals: T(7, 0.07, 13), pools: [P(25, 0.49, 5.36, 38.3, [0.49, 0.39, 0.13])] },
    ];
    const f = new Map(drySpellFindings(runs).map((x) => [x.id, x]));
    expect(f.get('rank.solutes')).toMatchObject({ agreement: 'disagree', rhizocarb: 'baseline: highMB (minus the first snapshot, not judged: baseline: lowMUptake)' });
    expect(f.get('rank.solutes')!.details).toMatchObject({ minusFirstSnapshot: { highestByWeather: { baseline: 'lowMUptake' }, values: { 'baseline/lowMUptake d25': 0.13 } } });
    expect(f.get('rank.microbes')).toMatchObject({ agreement: 'agree', rhizocarb: 'baseline: highMB (minus the first snapshot, not judged: baseline: highMB)' });
  });
});
