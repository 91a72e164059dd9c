import type { CarbonParams, LeafParams } from './plant-params.js';
import type { OrganKind, PlantParameters } from './xml-params.js';
import { growingTime_d } from './growth-law.js';

/**
 * Where rhizocarb's plant departs from paper 004 (Giraud et al.) and its published code, each as an
 * option (docs/PLANT.md, "Sources … departures"; docs/results/dry-spells/plant-departures.md measures
 * each). Laws are chosen here; the numbers they use are registry parameters (plant-params.ts).
 *
 * * Exudation, 004 Eq 16 (q_exud = K_lat,st (C_L^st − C_L^l), per root surface, at growing tips):
 *   - `threshold` (rhizocarb default): K_lat,st (C_L^st − C_thr − C_L^l)⁺, C_thr = `exudationThreshold`;
 *   - `eq16`: Eq 16 as printed, K_lat,st (C_L^st − C_L^l)⁺ (no threshold);
 *   - `code004`: 004's code (CPlantBox PiafMunch2.cpp `PhloemFlux::C_fluxes`):
 *     K_lat,st ((C_L^st − CSTimin − CSTimin_exud)⁺ − (C_L^l − CSTimin_exud)⁺)⁺
 *     = K_lat,st (C_L^st − C_thr − (C_L^l − CSTimin_exud)⁺)⁺ with C_thr = CSTimin + CSTimin_exud
 *     (`exudationThreshold`) and CSTimin_exud = `exudationCodeSoilThreshold`.
 * * Mucilage, 004 Eqs 17, 19–20 (S_mucil,st = q_mucil 2πr_in L/V_st, q_mucil = k_mucil·starch):
 *   - `eq19-20` (rhizocarb default): as printed, with starch the tip's starch per sieve-tube volume:
 *     release = k_mucil (cm d⁻¹) · S_tip · starch/V (so mucilage scales with S/V like exudation);
 *   - `code004`: 004's code, release = k_mucil,code (d⁻¹) · tip starch amount (`mucilageCodeRate`).
 * * Maintenance respiration (S_other,st of Eq 12; its coefficients are parameter values, see {@link PLANT_PRESETS}):
 *   - `independent` (rhizocarb default): R_m = R_m,pot C/(K_M + C), a sink of its own next to growth
 *     G (C − C_min)⁺/(K_G + C − C_min);
 *   - `code004`: 004's code (CPlantBox PiafMunch2.cpp `PhloemFlux::C_fluxes`, `Fu_lim`): one active use of sucrose
 *     U = (R_m,pot + G)(C − CSTimin)⁺/((C − CSTimin)⁺ + KMfu) shared with growth, maintenance first:
 *     R_m = min(U, R_m,pot), growth = U − R_m; no maintenance below CSTimin (`growthMinC`), KMfu = `kmGrowth`.
 * * Leaf photosynthesis and stomata (the source of Eq 12's S_st and the leaves' transpiration):
 *   - `leuning` (rhizocarb default): FvCB with Bernacchi et al. (2001) kinetics and peaked-Arrhenius V_cmax/J_max
 *     at 25 °C, Leuning (1995) g_s = g₀ + a₁ f_w A_n/((c_s − Γ*)(1 + D/D₀)) solved with the supply A = g_c (c_s − c_i),
 *     transpiration through stomata and boundary layer; the phloem gets gross assimilation A_n + R_d (R_d is inside
 *     maintenance respiration);
 *   - `code004`: 004's code (CPlantBox src/functional/Photosynthesis.cpp, C3): V_cmax, J_max, R_d, K_c, K_o, Γ* Arrhenius
 *     from T_ref 293.2 K with a thermal breakdown on V_cmax and J_max (l.603–612, 634–642), J_max ≤ its value at T_ref,
 *     c_i = max((c_s a₁ f_w + Γ)/(1 + a₁ f_w), Γ) with Γ the compensation point with R_d (Tuzet et al. 2003; no VPD
 *     term; l.585, 766), g_co2 = max(g₀ + f_w a₁ (A_n + R_d)/(c_i − Γ), 0) (l.777), water through 1.6 g_co2, the
 *     mesophyll g_m f_w, boundary layer, canopy and air in series against e_s·exp(Kelvin, guard-cell head) − e_a
 *     (l.749, 783, 788); the phloem gets **net** A_n, negative at night (l.471; runPM.cpp l.429 "can be negative
 *     at night"), and the mesophyll then loads nothing once its sucrose is gone (PiafMunch2.cpp l.158, 203).
 *     Values: the `*004*` parameters of plant.leaf (plant-params.ts); α, θ, J_max/V_cmax, R_d/V_cmax and O are shared.
 * * Stomatal water stress f_w (Tuzet et al. 2003, the sigmoid of `stomatalWaterFactor`), which head it reads:
 *   - `guard-cell` (rhizocarb default): the leaf's outer-xylem head ψ_ox, behind the bundle-sheath conductance
 *     K_lat (004 Sec. 2.2.1 places f_w at the "leaf water potential"; the guard cell is where it acts);
 *   - `xylem`: 004's code (CPlantBox Photosynthesis.cpp `loopCalcs`, l.755 `p_lhPa = ((rxi + rxj)/2)*0.9806806`,
 *     the guard-cell variant commented out at l.756): the mean xylem head of the leaf segment's two nodes.
 *     At noon the xylem head is 3000–5500 cm above ψ_ox in the dry spells, so the stomata close less.
 * * Potential growth of the carbon-limited phase (the growth demand Q_Grmax and the most an organ may
 *   elongate in a step; the structural phase before `structuralUntil_d` grows by the XML law in both):
 *   - `xml` (rhizocarb default): the organ's XML law l(t) = lmax(1 − e^{−r t/lmax}) at its XML rate r,
 *     continued from its developmental age, a stem's growth pause on its age since emergence (growth-law.ts);
 *   - `code004`: 004's code (CPlantBox runPM.cpp `PhloemFlux::waterLimitedGrowth`): the negative exponential
 *     at the phloem module's rate Rmax_st (`setRmax_st`, TraiRhizo `phloemParam`) instead of r, restarted
 *     from the current length: Δl = (lmax − L)(1 − e^{−Rmax dt/lmax}), dt without the stem's growth pause
 *     (organ age in [delayNGStart, delayNGEnd)); Rmax_st per organ type and subtype rank
 *     (`rmax{Root1–4,Stem1–2,Leaf1}_cm_per_d`, see {@link code004PotentialRate_cm_per_d}). Length stays ≤ lmax.
 * * Leaf faces are a parameter value only (no law switch).
 * * Eq 12's sign is not an option: Eq 12 prints ∂C/∂t + ∂/∂ξ(C K (RT ∂C/∂ξ + …)) = …, i.e. a flux *up* the
 *   pressure gradient, which makes the osmotic term a backward diffusion (ill-posed); 004's code
 *   (PiafMunch) and rhizocarb move sucrose down the gradient, so the preset `paper004` uses that too.
 */
export type ExudationLaw = 'threshold' | 'eq16' | 'code004';
export type MucilageLaw = 'eq19-20' | 'code004';
export type MaintenanceLaw = 'independent' | 'code004';
export type PhotosynthesisLaw = 'leuning' | 'code004';
export type StomatalHead = 'guard-cell' | 'xylem';
export const STOMATAL_HEADS: readonly StomatalHead[] = ['guard-cell', 'xylem'];
export type PotentialGrowthLaw = 'xml' | 'code004';
export const POTENTIAL_GROWTH_LAWS: readonly PotentialGrowthLaw[] = ['xml', 'code004'];
export const MAINTENANCE_LAWS: readonly MaintenanceLaw[] = ['independent', 'code004'];
export const EXUDATION_LAWS: readonly ExudationLaw[] = ['threshold', 'eq16', 'code004'];
export const MUCILAGE_LAWS: readonly MucilageLaw[] = ['eq19-20', 'code004'];
export const PHOTOSYNTHESIS_LAWS: readonly PhotosynthesisLaw[] = ['leuning', 'code004'];

export interface PlantLaws {
  readonly exudation: ExudationLaw;
  readonly mucilage: MucilageLaw;
  /** Absent: `independent`. */
  readonly maintenance?: MaintenanceLaw;
  /** Absent: `guard-cell`. */
  readonly stomatalHead?: StomatalHead;
  /** Absent: `leuning`. */
  readonly photosynthesis?: PhotosynthesisLaw;
  /** Absent: `xml`. */
  readonly potentialGrowth?: PotentialGrowthLaw;
}

export const DEFAULT_PLANT_LAWS: PlantLaws = { exudation: 'threshold', mucilage: 'eq19-20' };

export type PlantPresetName = 'rhizocarb' | 'paper004';
export const PLANT_PRESET_NAMES: readonly PlantPresetName[] = ['rhizocarb', 'paper004'];

export interface PlantPreset {
  readonly laws: PlantLaws;
  /** Parameter values that differ from the registry defaults (users' overrides apply on top). */
  readonly leaf: Partial<LeafParams>;
  readonly carbon: Partial<CarbonParams>;
  readonly description: string;
}

/**
 * `rhizocarb`: the registry defaults and the default laws. `paper004`: every departure of the list above
 * off, with the values of 004's code (TraiRhizo `phloemParam`: krm1 = 0.1 d⁻¹ × structural sucrose for
 * every organ at TrefQ10 = 20 °C with Q₁₀ 2; gas exchange on both leaf faces, CPlantBox
 * `Photosynthesis::getAg4Phloem`; exudation, mucilage, maintenance, leaf photosynthesis and potential growth laws of the code, the
 * last with the code's Rmax_st as the registry defaults; f_w from the leaf xylem head). Not covered: the code's krm2 = 2e−5 term on
 * sucrose above CSTimin (unit not established), listed in docs/results/dry-spells/plant-departures.md.
 */
export const PLANT_PRESETS: Readonly<Record<PlantPresetName, PlantPreset>> = {
  rhizocarb: { laws: DEFAULT_PLANT_LAWS, leaf: {}, carbon: {}, description: 'rhizocarb defaults (docs/PLANT.md departures on)' },
  paper004: {
    laws: { exudation: 'code004', mucilage: 'code004', maintenance: 'code004', stomatalHead: 'xylem', potentialGrowth: 'code004', photosynthesis: 'code004' },
    leaf: { gasExchangeFaces: 2 },
    carbon: { maintenanceLeaf_per_d: 0.1, maintenanceStem_per_d: 0.1, maintenanceRoot_per_d: 0.1, maintenanceTref_C: 20 },
    description: "004's plant: code's maintenance (krm1 0.1 d⁻¹ at 20 °C), both leaf faces, code's exudation (Eq 16), mucilage (Eq 20), maintenance (Fu_lim), leaf photosynthesis (Tuzet c_i, net A_n) and potential growth (Rmax_st) laws, f_w from the leaf xylem head",
  },
};

/**
 * The sieve-tube concentration above which a growing tip exudes, mol C cm⁻³ (004 Eq 16 and variants):
 * exudation = K_lat,st S_tip (C_L^st − floor)⁺. `cL` is C_L^l at the root surface (mol C cm⁻³ water;
 * 004 mixes the two volumes in Eq 16, and so does its code).
 */
export function exudationFloor_molC_per_cm3(law: ExudationLaw, p: Pick<CarbonParams, 'exudationThreshold_molC_per_cm3' | 'exudationCodeSoilThreshold_molC_per_cm3'>, cL_molC_per_cm3: number): number {
  switch (law) {
    case 'threshold':
      return p.exudationThreshold_molC_per_cm3 + cL_molC_per_cm3;
    case 'eq16':
      return cL_molC_per_cm3;
    case 'code004':
      return p.exudationThreshold_molC_per_cm3 + Math.max(0, cL_molC_per_cm3 - p.exudationCodeSoilThreshold_molC_per_cm3);
  }
}

/**
 * Mucilage coefficient of a growing tip (cm³ d⁻¹): release over a step = starch·c dt/(V + c dt) (implicit
 * first order on the tip starch). `eq19-20`: c = k_mucil·S_tip; `code004`: c = k_mucil,code·V_st.
 */
export function mucilageCoefficient_cm3_per_d(law: MucilageLaw, p: Pick<CarbonParams, 'mucilageRate_cm_per_d' | 'mucilageCodeRate_per_d'>, surface_cm2: number, volume_cm3: number): number {
  return law === 'code004' ? p.mucilageCodeRate_per_d * volume_cm3 : p.mucilageRate_cm_per_d * surface_cm2;
}

/**
 * 004 code's potential growth rate Rmax_st of an organ, cm d⁻¹ (CPlantBox runPM.h `Rmax_st_perType`:
 * Rmax_st[organType − 2][st], st the rank of the organ's XML subType among the subTypes its organ type
 * defines, `MappedPlant::mapSubTypes`). With 004's wheat: tap and basal roots (subType 1) 4.8, laterals
 * (2, 3) 3.0 and 1.2, stem (1) 4, leaves (1) 16. Throws when the XML defines more subTypes than the code
 * has rates (the code's `.at()` would throw too).
 */
export function code004PotentialRate_cm_per_d(
  p: Pick<CarbonParams, 'rmaxRoot1_cm_per_d' | 'rmaxRoot2_cm_per_d' | 'rmaxRoot3_cm_per_d' | 'rmaxRoot4_cm_per_d' | 'rmaxStem1_cm_per_d' | 'rmaxStem2_cm_per_d' | 'rmaxLeaf1_cm_per_d'>,
  kind: OrganKind,
  subTypeRank: number,
): number {
  const table: Record<OrganKind, number[]> = {
    root: [p.rmaxRoot1_cm_per_d, p.rmaxRoot2_cm_per_d, p.rmaxRoot3_cm_per_d, p.rmaxRoot4_cm_per_d],
    stem: [p.rmaxStem1_cm_per_d, p.rmaxStem2_cm_per_d],
    leaf: [p.rmaxLeaf1_cm_per_d],
  };
  const r = table[kind][subTypeRank];
  if (r === undefined) throw new Error(`potential growth law code004: ${kind} subType rank ${subTypeRank} has no Rmax_st (004's code gives ${table[kind].length} ${kind} rate(s))`);
  return r;
}

/** {@link code004PotentialRate_cm_per_d} of an organ of XML `subType`, its rank taken among the subTypes of `kind` in `plant`. */
export function code004PotentialRateOf_cm_per_d(p: Parameters<typeof code004PotentialRate_cm_per_d>[0], plant: Pick<PlantParameters, 'organs'>, kind: OrganKind, subType: number): number {
  let rank = 0;
  for (const o of plant.organs) if (o.organType === kind && o.subType < subType) rank++;
  return code004PotentialRate_cm_per_d(p, kind, rank);
}

/**
 * 004 code's potential elongation over a step, cm (CPlantBox runPM.cpp `PhloemFlux::waterLimitedGrowth`:
 * the negative exponential at rate Rmax restarted at the current length L, age_ = getAge(L, Rmax, k),
 * e = getLength(age_ + dt) − getLength(age_)): (lmax − L)(1 − e^{−Rmax dt/lmax}), 0 at or beyond lmax.
 */
export function code004PotentialIncrement_cm(lmax_cm: number, length_cm: number, rmax_cm_per_d: number, dt_d: number): number {
  if (!(lmax_cm > 0) || length_cm >= lmax_cm || dt_d <= 0) return 0;
  return -(lmax_cm - length_cm) * Math.expm1((-rmax_cm_per_d * dt_d) / lmax_cm);
}

/**
 * Time an organ grows in a step under 004's code, d: dt, for stems without the part of the organ's age
 * [age, age + dt] inside the growth pause [delayNGStart, delayNGEnd) (runPM.cpp `waterLimitedGrowth`, as
 * written: a step ending inside the pause grows 0).
 */
export function code004GrowingTime_d(age_d: number, dt_d: number, pauseStart_d: number, pauseEnd_d: number): number {
  const end = age_d + dt_d;
  return end > pauseStart_d && end < pauseEnd_d ? 0 : growingTime_d({ pauseStart_d, pauseEnd_d }, age_d, dt_d);
}

/**
 * Everything a {@link PlantLaws}-aware caller (the `plant` and `coupled` scenario kinds) needs from a preset:
 * the laws and the leaf and carbon parameter overrides, with the caller's overrides on top. Pass the result's
 * `leaf`/`carbon` to `resolveParams` (which checks the ranges) and `laws` to `PlantModelOptions.laws`.
 */
export function presetOverrides(
  name: PlantPresetName,
  user: { laws?: Partial<PlantLaws>; leaf?: Readonly<Record<string, number>>; carbon?: Readonly<Record<string, number>> } = {},
): { laws: PlantLaws; leaf: Record<string, number>; carbon: Record<string, number> } {
  const p = PLANT_PRESETS[name];
  return {
    laws: { ...p.laws, ...user.laws },
    leaf: { ...(p.leaf as Record<string, number>), ...user.leaf },
    carbon: { ...(p.carbon as Record<string, number>), ...user.carbon },
  };
}
