/**
 * The findings step of 004's dry-spells experiment (issue 9): from the analysis results of the runs
 * (Fig 7 totals, macroscale pool tables, perirhizal_trunc volume) to one entry per paper finding of
 * ../shared/spec/RHIZOSPHERE.md "Findings a faithful dry-spells run reproduces" and per number of the
 * notebook pool tables of ../shared/spec/COUPLING.md "Analyses to reproduce". Pure: no files.
 *
 * Agreement classes (the issue's, made exact here):
 * * a **value** finding (paper value p, rhizocarb value r): `agree` when |r − p| ≤ 0.5·|p|;
 *   else `sign` when r and p have the same sign (r ≠ 0); else `disagree`. Relative changes are
 *   compared as fractions (−35 % is −0.35; ±50 % of it is [−0.525, −0.175]).
 * * a **range** finding (the paper gives lo…hi, all positive: mucilage 1–10 % of exudation,
 *   exudation 3–40 % of assimilation, peak tip exudation 0.145–0.153): every run's value must lie in
 *   [0.5·lo, 1.5·hi] for `agree` (±50 % of the nearer end); a positive value outside is `disagree`, not
 *   `sign` (the sign of a positive amount is right by construction, so it says nothing). The per-run
 *   values are in `details`.
 * * a **rank** finding (solutes highest with lowMUptake, microbial C highest with highMB): `agree` when
 *   the named set is highest in every weather that has all three sets; `disagree` otherwise (the paper
 *   gives no magnitude there, so no `sign` class).
 * * `not-available` with a `reason` when the runs lack what is needed (a run of the set or weather
 *   missing, a quantity not written, a table day not reached).
 * * The notebook pool tables: 004 does not say whether initial stocks are subtracted (COUPLING.md), so
 *   both forms are compared; `agreement` is the better of the two and `form` names which one gave it,
 *   `agreementByForm` has both.
 *
 * Relative changes against the baseline need the baseline of the same set over the same span.
 * Findings from runs that are not full 10 → 25 runs are computed but flagged (`fullRuns: false`):
 * a quick look is not a reproduction.
 */

export const DRY_SPELL_WEATHERS = ['baseline', 'earlyDry', 'lateDry'] as const;
export const DRY_SPELL_SETS = ['highCO2', 'highMB', 'lowMUptake'] as const;
export type DrySpellWeather = (typeof DRY_SPELL_WEATHERS)[number];
export type DrySpellSet = (typeof DRY_SPELL_SETS)[number];

/** The full run of 004's experiment: days 10 → 25 (COUPLING.md "Outer loop"). */
export const FULL_RUN_SPAN_D = [10, 25] as const;
/** Day of the notebook pool tables (COUPLING.md "Analyses to reproduce": macroscale, day 25). */
export const POOL_TABLE_DAY = 25;
/** ±50 % of the paper's value (issue 9 "agree"). */
export const AGREE_FRACTION = 0.5;

const RHIZO = 'RHIZOSPHERE.md "Findings a faithful dry-spells run reproduces" (004 Sec. 3)';
const NOTEBOOK = 'COUPLING.md "Analyses to reproduce", notebook pool tables (macroscale, day 25, mmol C; whether initial stocks are subtracted is not confirmed)';

/**
 * The paper's values, in one place with their source. Relative changes as fractions; per set in the
 * order highCO2 / highMB / lowMUptake where the paper gives one per set, one value for all sets else.
 */
export const PAPER_004 = {
  exudationVsBaseline: { source: `${RHIZO}; 004 Fig 7C`, earlyDry: { highCO2: -0.32, highMB: -0.35, lowMUptake: -0.37 }, lateDry: { highCO2: 0.29, highMB: 0.29, lowMUptake: 0.26 } },
  mucilageVsBaseline: { source: `${RHIZO}; 004 Fig 7D`, earlyDry: { highCO2: -0.11, highMB: -0.02, lowMUptake: 0.06 }, lateDry: { highCO2: 1.39, highMB: 1.39, lowMUptake: 1.7 } },
  respirationVsBaseline: { source: `${RHIZO} (one value for all sets)`, earlyDry: -0.29, lateDry: -0.18 },
  perirhizalTruncVolumeVsBaseline: { source: `${RHIZO} (at the end; one value for all sets); 004 Fig 9`, earlyDry: -0.42, lateDry: -0.34 },
  mucilagePerExudation: { source: `${RHIZO}`, range: [0.01, 0.1] as const },
  exudationPerAssimilation: { source: `${RHIZO}`, range: [0.03, 0.4] as const },
  peakTipExudation_mmolC_per_cm2_d: { source: `${RHIZO}`, range: [0.145, 0.153] as const },
  ranks: {
    source: `${RHIZO}; 004 Fig 10`,
    solutes: 'lowMUptake',
    microbes: 'highMB',
    co2PerMicrobialGrowth: 'highCO2',
  },
  poolTables: {
    source: NOTEBOOK,
    /** [CO₂, microbes, solutes] mmol C. */
    values: {
      'highMB/baseline': [24.8, 7.7, 53.1],
      'highMB/earlyDry': [21.0, 7.1, 52.8],
      'highMB/lateDry': [28.2, 8.0, 52.7],
      'highCO2/baseline': [19.3, 4.9, 53.3],
      'highCO2/lateDry': [24.1, 4.9, 51.9],
      'lowMUptake/baseline': [0.9, 5.4, 76.6],
      'lowMUptake/lateDry': [0.8, 5.3, 80.0],
    } as Record<string, readonly [number, number, number]>,
  },
} as const;

/** Macroscale pools of one run at one day, mmol C, as stocks and minus the first snapshot. */
export interface FindingsPoolRow {
  day: number;
  co2_mmolC: number;
  microbes_mmolC: number;
  solutes_mmolC: number;
  co2_minusInitial_mmolC?: number;
  microbes_minusInitial_mmolC?: number;
  solutes_minusInitial_mmolC?: number;
}

/** What the findings need of one run (what `analyse dry-spells` computed; absent = not written). */
export interface FindingsRun {
  weather: string;
  set: string;
  start_d: number;
  end_d: number;
  /** Fig 7 totals over the run, mol C. */
  totals: {
    exudation_molC: number;
    mucilage_molC: number;
    respiration_molC: number;
    growth_molC: number;
    assimilation_molC?: number;
    /** Highest tip exudation of the run, mmol C cm⁻² d⁻¹. */
    peakTipExudation_mmolC_per_cm2_d?: number;
  };
  /** Macroscale pools at the table days. */
  pools?: readonly FindingsPoolRow[];
  /** perirhizal_trunc volume at the end of the run, cm³. */
  perirhizalTruncVolume_cm3?: number;
  /** Gross microbial growth and CO₂ production over the run, mol C (both or neither). */
  microbialGrowth_molC?: number;
  co2Produced_molC?: number;
}

export type Agreement = 'agree' | 'sign' | 'disagree' | 'not-available';

export interface Finding {
  id: string;
  finding: string;
  /** The paper's value: a number, a [lo, hi] range or a set name (rank findings). */
  paper: number | readonly [number, number] | string;
  /** rhizocarb's value (null when not available). */
  rhizocarb: number | string | null;
  agreement: Agreement;
  /** Why not available. */
  reason?: string;
  /** How the agreement was decided (the class rule and the numbers). */
  rule: string;
  source: string;
  /** Every run this finding used is a full 10 → 25 run. */
  fullRuns: boolean;
  /** Per-run or per-form values behind the entry. */
  details?: Record<string, unknown>;
  /** Pool tables: which form (stocks or minusInitial) gave `agreement`, and both agreements. */
  form?: 'stocks' | 'minusInitial';
  agreementByForm?: { stocks: Agreement; minusInitial: Agreement };
}

/** A run is full when it spans days 10 → 25. */
export function isFullRun(r: Pick<FindingsRun, 'start_d' | 'end_d'>): boolean {
  return r.start_d <= FULL_RUN_SPAN_D[0] + 1e-9 && r.end_d >= FULL_RUN_SPAN_D[1] - 1e-9;
}

/** Value agreement: within ±50 % of p → agree; same sign → sign; else disagree. */
export function valueAgreement(paper: number, value: number): Exclude<Agreement, 'not-available'> {
  if (!Number.isFinite(value)) return 'disagree';
  if (Math.abs(value - paper) <= AGREE_FRACTION * Math.abs(paper) * (1 + 1e-12)) return 'agree';
  return value !== 0 && Math.sign(value) === Math.sign(paper) ? 'sign' : 'disagree';
}

/** Range agreement for positive ranges: every value in [(1 − 0.5)·lo, (1 + 0.5)·hi] → agree, else disagree. */
export function rangeAgreement(range: readonly [number, number], values: readonly number[]): Exclude<Agreement, 'not-available' | 'sign'> {
  const lo = (1 - AGREE_FRACTION) * range[0];
  const hi = (1 + AGREE_FRACTION) * range[1];
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) ? 'agree' : 'disagree';
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toPrecision(3)} %`;
const VALUE_RULE = 'agree: |rhizocarb − paper| ≤ 50 % of |paper|; sign: same sign, outside; disagree: opposite sign or zero';
const RANGE_RULE = 'agree: every run within [0.5·lo, 1.5·hi]; disagree otherwise (a positive amount has the right sign by construction)';
const RANK_RULE = 'agree: the named set is highest in every weather with all three sets; disagree otherwise';
const RANK_NAMES = { solutes: 'dissolved solutes θ(C_L^l + C_H^l)', microbes: 'microbial C (active + dormant, copiotrophs + oligotrophs)', co2PerMicrobialGrowth: 'CO₂ per unit microbial growth' } as const;

/**
 * The findings list of 004's dry-spells experiment from the runs' analysis results (one entry per
 * finding and per number; see the module comment for the agreement classes).
 */
export function drySpellFindings(runs: readonly FindingsRun[]): Finding[] {
  const find = (w: string, s: string) => runs.find((r) => r.weather === w && r.set === s);
  const out: Finding[] = [];
  const na = (f: Omit<Finding, 'agreement' | 'rhizocarb' | 'fullRuns'>, reason: string): Finding => ({ ...f, rhizocarb: null, agreement: 'not-available', reason, fullRuns: false });

  // Relative change of a Fig 7 total (or the perirhizal_trunc volume) against the baseline of the same set over the same span.
  const change = (w: string, s: string, pick: (r: FindingsRun) => number | undefined, what: string): { value: number; full: boolean; details: Record<string, unknown> } | string => {
    const r = find(w, s);
    const b = find('baseline', s);
    if (!r) return `no ${w}/${s} run`;
    if (!b) return `no baseline/${s} run`;
    if (Math.abs(r.start_d - b.start_d) > 1e-9 || Math.abs(r.end_d - b.end_d) > 1e-9) return `${w}/${s} spans days ${r.start_d} → ${r.end_d}, its baseline ${b.start_d} → ${b.end_d}: not comparable`;
    const x = pick(r);
    const xb = pick(b);
    if (x === undefined || xb === undefined || !Number.isFinite(x) || !Number.isFinite(xb)) return `${what} not written for ${x === undefined || !Number.isFinite(x) ? `${w}/${s}` : `baseline/${s}`}`;
    if (xb === 0) return `${what} of baseline/${s} is 0: no relative change`;
    return { value: (x - xb) / xb, full: isFullRun(r) && isFullRun(b), details: { [`${w}/${s}`]: x, [`baseline/${s}`]: xb, span_d: [r.start_d, r.end_d] } };
  };
  const changeEntry = (id: string, finding: string, paper: number, source: string, res: ReturnType<typeof change>): Finding => {
    const base = { id, finding, paper, rule: VALUE_RULE, source };
    if (typeof res === 'string') return na(base, res);
    return { ...base, rhizocarb: res.value, agreement: valueAgreement(paper, res.value), fullRuns: res.full, details: res.details };
  };

  for (const w of ['earlyDry', 'lateDry'] as const) {
    for (const s of DRY_SPELL_SETS) {
      const p = PAPER_004.exudationVsBaseline[w][s];
      out.push(changeEntry(`exudationVsBaseline.${w}.${s}`, `cumulative exudation, ${w} vs baseline, ${s} (paper ${pct(p)})`, p, PAPER_004.exudationVsBaseline.source, change(w, s, (r) => r.totals.exudation_molC, 'cumulative exudation')));
    }
  }
  for (const w of ['earlyDry', 'lateDry'] as const) {
    for (const s of DRY_SPELL_SETS) {
      const p = PAPER_004.mucilageVsBaseline[w][s];
      out.push(changeEntry(`mucilageVsBaseline.${w}.${s}`, `cumulative mucilage, ${w} vs baseline, ${s} (paper ${pct(p)})`, p, PAPER_004.mucilageVsBaseline.source, change(w, s, (r) => r.totals.mucilage_molC, 'cumulative mucilage')));
    }
  }
  for (const w of ['earlyDry', 'lateDry'] as const) {
    const p = PAPER_004.respirationVsBaseline[w];
    for (const s of DRY_SPELL_SETS) out.push(changeEntry(`respirationVsBaseline.${w}.${s}`, `total plant respiration, ${w} vs baseline, ${s} (paper ${pct(p)} for all sets)`, p, PAPER_004.respirationVsBaseline.source, change(w, s, (r) => r.totals.respiration_molC, 'total plant respiration')));
  }

  // Rank findings over the sets, in each weather that has all three sets.
  const rank = (key: keyof typeof RANK_NAMES, pick: (r: FindingsRun, day: number | undefined) => number | undefined, missing: string, byDay: boolean, pickMinusInitial?: (r: FindingsRun, day: number | undefined) => number | undefined): Finding => {
    const expected = PAPER_004.ranks[key];
    const base = { id: `rank.${key}`, finding: `${RANK_NAMES[key]} highest with ${expected}`, paper: expected, rule: RANK_RULE + (byDay ? ' (macroscale pools at the latest table day the three runs share)' : ''), source: PAPER_004.ranks.source };
    const perWeather: Record<string, string> = {};
    const values: Record<string, number> = {};
    // The same order of the pools minus the first snapshot (shown, not judged: the paper's tables are read as stocks here).
    const altTop: Record<string, string> = {};
    const altValues: Record<string, number> = {};
    const why: string[] = [];
    let full = true;
    for (const w of DRY_SPELL_WEATHERS) {
      const rs = DRY_SPELL_SETS.map((s) => find(w, s));
      if (rs.some((r) => !r)) continue;
      let day: number | undefined;
      if (byDay) {
        const common = (rs[0]!.pools ?? []).map((x) => x.day).filter((d) => rs.every((r) => (r!.pools ?? []).some((x) => Math.abs(x.day - d) < 1e-6)));
        if (common.length === 0) {
          why.push(`${w}: no pool-table day common to the three sets`);
          continue;
        }
        day = Math.max(...common);
      }
      const v = rs.map((r) => pick(r!, day));
      if (v.some((x) => x === undefined || !Number.isFinite(x))) {
        why.push(`${w}: ${missing}`);
        continue;
      }
      DRY_SPELL_SETS.forEach((s, i) => (values[`${w}/${s}${day !== undefined ? ` d${day}` : ''}`] = v[i]!));
      const top = DRY_SPELL_SETS[v.indexOf(Math.max(...(v as number[])))];
      perWeather[w] = top;
      const va = pickMinusInitial ? rs.map((r) => pickMinusInitial(r!, day)) : [];
      if (va.length > 0 && va.every((x) => x !== undefined && Number.isFinite(x))) {
        DRY_SPELL_SETS.forEach((s, i) => (altValues[`${w}/${s}${day !== undefined ? ` d${day}` : ''}`] = va[i]!));
        altTop[w] = DRY_SPELL_SETS[va.indexOf(Math.max(...(va as number[])))];
      }
      full &&= rs.every((r) => isFullRun(r!));
    }
    const ws = Object.keys(perWeather);
    if (ws.length === 0) return na(base, why.length > 0 ? why.join('; ') : 'no weather with runs of all three parameter sets');
    const allRight = ws.every((w) => perWeather[w] === expected);
    const alt = Object.keys(altTop).map((w) => `${w}: ${altTop[w]}`).join(', ');
    const summary = ws.map((w) => `${w}: ${perWeather[w]}`).join(', ') + (alt ? ` (minus the first snapshot, not judged: ${alt})` : '');
    return { ...base, rhizocarb: summary, agreement: allRight ? 'agree' : 'disagree', fullRuns: full, details: { highestByWeather: perWeather, values, ...(Object.keys(altTop).length ? { minusFirstSnapshot: { highestByWeather: altTop, values: altValues } } : {}), ...(why.length ? { notCompared: why } : {}) } };
  };
  const poolAt = (r: FindingsRun, day: number | undefined) => r.pools?.find((x) => day !== undefined && Math.abs(x.day - day) < 1e-6);
  out.push(rank('solutes', (r, d) => poolAt(r, d)?.solutes_mmolC, 'macroscale solutes (pool tables) not written', true, (r, d) => poolAt(r, d)?.solutes_minusInitial_mmolC));
  out.push(rank('microbes', (r, d) => poolAt(r, d)?.microbes_mmolC, 'macroscale microbial C (pool tables) not written', true, (r, d) => poolAt(r, d)?.microbes_minusInitial_mmolC));
  out.push(rank('co2PerMicrobialGrowth', (r) => (r.microbialGrowth_molC !== undefined && r.co2Produced_molC !== undefined && r.microbialGrowth_molC > 0 ? r.co2Produced_molC / r.microbialGrowth_molC : undefined), 'gross microbial growth (∫ growth of Eqs D8–D9 dt) and CO₂ production are not in the run outputs (pools.csv columns microbes_grossGrowth_cumulative_molC, microbes_co2Production_cumulative_molC: runs made before they were added)', false));

  for (const w of ['earlyDry', 'lateDry'] as const) {
    const p = PAPER_004.perirhizalTruncVolumeVsBaseline[w];
    for (const s of DRY_SPELL_SETS) out.push(changeEntry(`perirhizalTruncVolumeVsBaseline.${w}.${s}`, `perirhizal_trunc volume at the end, ${w} vs baseline, ${s} (paper ${pct(p)} for all sets)`, p, PAPER_004.perirhizalTruncVolumeVsBaseline.source, change(w, s, (r) => r.perirhizalTruncVolume_cm3, 'perirhizal_trunc volume')));
  }

  // Range findings over every run.
  const rangeEntry = (id: string, finding: string, range: readonly [number, number], source: string, pick: (r: FindingsRun) => number | undefined, missing: string): Finding => {
    const base = { id, finding, paper: range, rule: RANGE_RULE, source };
    if (runs.length === 0) return na(base, 'no runs');
    const lacking = runs.filter((r) => { const v = pick(r); return v === undefined || !Number.isFinite(v); });
    if (lacking.length > 0) return na(base, `${missing} for ${lacking.map((r) => `${r.weather}/${r.set}`).join(', ')}`);
    const values = Object.fromEntries(runs.map((r) => [`${r.weather}/${r.set}`, pick(r)!]));
    const v = Object.values(values);
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return { ...base, rhizocarb: lo === hi ? lo : `${lo.toPrecision(3)}…${hi.toPrecision(3)}`, agreement: rangeAgreement(range, v), fullRuns: runs.every(isFullRun), details: { perRun: values, min: lo, max: hi } };
  };
  out.push(rangeEntry('mucilagePerExudation', 'mucilage 1–10 % of exudation (cumulative, per run)', PAPER_004.mucilagePerExudation.range, PAPER_004.mucilagePerExudation.source, (r) => (r.totals.exudation_molC > 0 ? r.totals.mucilage_molC / r.totals.exudation_molC : undefined), 'no exudation'));
  out.push(rangeEntry('exudationPerAssimilation', 'exudation 3–40 % of assimilated C (cumulative, per run)', PAPER_004.exudationPerAssimilation.range, PAPER_004.exudationPerAssimilation.source, (r) => (r.totals.assimilation_molC !== undefined && r.totals.assimilation_molC > 0 ? r.totals.exudation_molC / r.totals.assimilation_molC : undefined), 'assimilation not written (or 0)'));
  out.push(rangeEntry('peakTipExudation', 'peak exudation ≈ 0.145–0.153 mmol C cm⁻² d⁻¹ (highest root-tip exudation of each run)', PAPER_004.peakTipExudation_mmolC_per_cm2_d.range, PAPER_004.peakTipExudation_mmolC_per_cm2_d.source, (r) => r.totals.peakTipExudation_mmolC_per_cm2_d, 'peak tip exudation not written'));

  // The notebook pool tables: one entry per number.
  const QUANTS = [['co2', 'CO₂'], ['microbes', 'microbes'], ['solutes', 'solutes']] as const;
  for (const [key, vals] of Object.entries(PAPER_004.poolTables.values)) {
    const [s, w] = key.split('/');
    QUANTS.forEach(([q, label], j) => {
      const p = vals[j];
      const base = { id: `poolTable.d${POOL_TABLE_DAY}.${s}.${w}.${q}`, finding: `macroscale ${label} at day ${POOL_TABLE_DAY}, ${w}/${s} (notebook ${p} mmol C)`, paper: p, rule: `${VALUE_RULE}; both forms (stocks, minus initial) compared, the better one kept`, source: PAPER_004.poolTables.source };
      const r = find(w, s);
      if (!r) return out.push(na(base, `no ${w}/${s} run`));
      const row = r.pools?.find((x) => Math.abs(x.day - POOL_TABLE_DAY) < 1e-6);
      if (!row) return out.push(na(base, r.pools === undefined ? `no pool tables for ${w}/${s}` : `${w}/${s} has no pool table at day ${POOL_TABLE_DAY} (run ends at day ${r.end_d})`));
      const stock = row[`${q}_mmolC`];
      const minus = row[`${q}_minusInitial_mmolC`];
      const aS = valueAgreement(p, stock);
      const aM = minus === undefined ? 'not-available' : valueAgreement(p, minus);
      const order: Agreement[] = ['agree', 'sign', 'disagree', 'not-available'];
      const useMinus = order.indexOf(aM) < order.indexOf(aS);
      out.push({ ...base, rhizocarb: useMinus ? minus! : stock, agreement: useMinus ? aM : aS, form: useMinus ? 'minusInitial' : 'stocks', agreementByForm: { stocks: aS, minusInitial: aM }, fullRuns: isFullRun(r), details: { stocks_mmolC: stock, minusInitial_mmolC: minus ?? null } });
    });
  }
  return out;
}

/** Counts of the agreement classes of a findings list. */
export function agreementCounts(findings: readonly Finding[]): Record<Agreement, number> {
  const c: Record<Agreement, number> = { agree: 0, sign: 0, disagree: 0, 'not-available': 0 };
  for (const f of findings) c[f.agreement]++;
  return c;
}
