import { declareParams, paramSpec, type ParamSpec } from '../core/params.js';

/**
 * Parameters of the pedon model (paper 002 made concrete by ZONES.md), declared once with unit,
 * range and source. Paper 002 is a conceptual framework without numbers; where no paper gives a
 * value the source says "rhizocarb choice" and names the order of magnitude it follows. The process
 * rates of each zone are data: two parameter sets with the same names, `pedon.vzi` (vegetation
 * zone of influence) and `pedon.mmzi` (mineral-matrix zone of influence).
 */

/** Rate names of a zone (same in both zones). */
export const ZONE_RATE_NAMES = [
  'kPoc_per_yr',
  'kUptake_per_yr',
  'cue',
  'kMicrobialDeath_per_yr',
  'necromassToMaocFraction',
  'kSorption_per_yr',
  'kDesorption_per_yr',
  'bioturbation_cm2_per_yr',
  'dilutionHalfSaturation_gC_per_m3',
] as const;
export type ZoneRateName = (typeof ZONE_RATE_NAMES)[number];
export type ZoneRates = Readonly<Record<ZoneRateName, number>>;

const zoneSpecs = (v: Record<ZoneRateName, [number, string]>): ParamSpec[] => [
  { name: 'kPoc_per_yr', symbol: 'k_POC', unit: 'yr-1', default: v.kPoc_per_yr[0], min: 1e-5, max: 100, source: v.kPoc_per_yr[1], description: 'depolymerisation of particulate organic C (POC → DOC) at the reference temperature' },
  { name: 'kUptake_per_yr', symbol: 'k_U', unit: 'yr-1', default: v.kUptake_per_yr[0], min: 1e-3, max: 1e5, source: v.kUptake_per_yr[1], description: 'microbial uptake of DOC (DOC → MIC with CUE, the rest CO₂)' },
  { name: 'cue', symbol: 'CUE', unit: '1', default: v.cue[0], min: 0.01, max: 0.9, source: v.cue[1], description: 'microbial carbon-use efficiency of DOC uptake' },
  { name: 'kMicrobialDeath_per_yr', symbol: 'k_M', unit: 'yr-1', default: v.kMicrobialDeath_per_yr[0], min: 1e-3, max: 1000, source: v.kMicrobialDeath_per_yr[1], description: 'microbial turnover (death) into necromass' },
  { name: 'necromassToMaocFraction', symbol: 'f_nec', unit: '1', default: v.necromassToMaocFraction[0], min: 0, max: 1, source: v.necromassToMaocFraction[1], description: 'share of necromass bound directly to minerals (MAOC); the rest becomes DOC' },
  { name: 'kSorption_per_yr', symbol: 'k_s', unit: 'yr-1', default: v.kSorption_per_yr[0], min: 0, max: 1e5, source: v.kSorption_per_yr[1], description: 'sorption of DOC to mineral surfaces at zero saturation, × (1 − MAOC/Q_max)' },
  { name: 'kDesorption_per_yr', symbol: 'k_d', unit: 'yr-1', default: v.kDesorption_per_yr[0], min: 1e-6, max: 10, source: v.kDesorption_per_yr[1], description: 'desorption of mineral-associated C (MAOC → DOC)' },
  { name: 'bioturbation_cm2_per_yr', symbol: 'D_b', unit: 'cm2 yr-1', default: v.bioturbation_cm2_per_yr[0], min: 0, max: 1e4, source: v.bioturbation_cm2_per_yr[1], description: 'bioturbation: diffusion of the particulate pools (POC, MAOC, MIC)' },
  { name: 'dilutionHalfSaturation_gC_per_m3', symbol: 'K_dil', unit: 'g C m-3 soil', default: v.dilutionHalfSaturation_gC_per_m3[0], min: 0, max: 1e4, source: v.dilutionHalfSaturation_gC_per_m3[1], description: 'substrate dilution: uptake × c_DOC/(K_dil + c_DOC); 0 = off (linear)' },
];

export const PEDON_VZI_PARAMS = declareParams(
  'pedon.vzi',
  zoneSpecs({
    kPoc_per_yr: [0.2, 'rhizocarb choice: topsoil particulate OM turns over in years to decades (Lavallee et al. 2020, Glob. Change Biol. 26:261)'],
    kUptake_per_yr: [100, 'rhizocarb choice: DOC in topsoil is consumed within days (turnover ~4 d)'],
    cue: [0.5, 'rhizocarb choice within the range of Manzoni et al. (2012), cited by 002 (0.3–0.6 for labile substrates)'],
    kMicrobialDeath_per_yr: [2, 'rhizocarb choice: microbial biomass turnover of months in topsoil'],
    necromassToMaocFraction: [0.4, 'rhizocarb choice: necromass is the main precursor of MAOC (Kallenbach et al. 2016, cited by 002)'],
    kSorption_per_yr: [20, 'rhizocarb choice (004 Eqs 24–25 describe kinetic sorption; no pedon-scale rate there)'],
    kDesorption_per_yr: [0.01, 'rhizocarb choice: VZI mineral associations are less protected (002: "prone to destabilization"), MAOC turnover ~ centuries'],
    bioturbation_cm2_per_yr: [10, '002: topsoil homogenised by earthworms in 5–20 yr (Müller-Lemans & van Dorp 1996); D ≈ 3L²/(π²t) gives 4–30 cm² yr⁻¹ for L = 20 cm; Elzein & Balesdent (1995) 1–10'],
    dilutionHalfSaturation_gC_per_m3: [0, 'off in the vegetation zone (substrate-rich)'],
  }),
);

export const PEDON_MMZI_PARAMS = declareParams(
  'pedon.mmzi',
  zoneSpecs({
    kPoc_per_yr: [0.05, 'rhizocarb choice: 002 — fewer biotic transformations in the mineral-matrix zone (4× slower than the VZI)'],
    kUptake_per_yr: [20, 'rhizocarb choice: 002 — microbial activity reduced by substrate dilution (5× slower than the VZI)'],
    cue: [0.3, 'rhizocarb choice: lower efficiency under energy limitation in subsoil (Manzoni et al. 2012 range)'],
    kMicrobialDeath_per_yr: [0.5, 'rhizocarb choice: slower microbial turnover in subsoil'],
    necromassToMaocFraction: [0.6, 'rhizocarb choice: 002 — mineral-phase interactions dominate in the MMZI'],
    kSorption_per_yr: [40, 'rhizocarb choice: 002 — mineral protection dominant in the MMZI (2× the VZI)'],
    kDesorption_per_yr: [0.001, 'rhizocarb choice: 002 — more favourable conditions for persistence (10× slower than the VZI; subsoil radiocarbon ages of millennia, 001: mean C_age 3,869 yr in 30–100 cm)'],
    bioturbation_cm2_per_yr: [0.2, 'rhizocarb choice: little faunal mixing below the vegetation zone (002: earthworm activity greatest in topsoil)'],
    dilutionHalfSaturation_gC_per_m3: [0, 'off by default (documented option for 002 "cold spots", Heitkötter & Marschner 2018)'],
  }),
);

export const PEDON_PARAMS = declareParams('pedon', [
  { name: 'leakFraction', symbol: 'f_loss', unit: '1', default: 0.75, min: 0, max: 0.99, source: '001 abstract: ~80 % of I_root is lost before entering bulk soil and ignoring it makes turnover look four times faster, i.e. I_root/I_bulk ≈ 4, f_loss = 1 − 1/4', description: 'share of root-derived input respired in the rhizosphere before it reaches bulk soil (the leaky bridge)' },
  { name: 'rootLitterFraction', symbol: 'f_litter', unit: '1', default: 0.7, min: 0, max: 1, source: 'rhizocarb choice: rhizodeposits ~ 30 % of belowground input (order of Pausch & Kuzyakov 2018, Glob. Change Biol. 24:1)', description: 'share of the bulk root input entering POC as root litter' },
  { name: 'rhizodepositFraction', symbol: 'f_rhizo', unit: '1', default: 0.3, min: 0, max: 1, source: 'rhizocarb choice (see rootLitterFraction)', description: 'share of the bulk root input entering DOC as exudates and mucilage' },
  { name: 'rhizoMaocFraction', symbol: 'f_inVivo', unit: '1', default: 0, min: 0, max: 1, source: 'rhizocarb option: microbial products of rhizodeposits bound to minerals directly ("in vivo" pathway, Sokol & Bradford 2019); 0 by default', description: 'share of the bulk root input entering MAOC directly' },
  { name: 'litterSurfaceLossFraction', symbol: 'f_surf', unit: '1', default: 0.7, min: 0, max: 1, source: 'rhizocarb choice: most leaf-litter C is respired at the surface; ~20–30 % enters mineral soil (order of Cotrufo et al. 2015, Nat. Geosci. 8:776)', description: 'share of aboveground litter respired in the surface litter layer (reported as litter CO₂)' },
  { name: 'abovegroundDocFraction', symbol: 'f_leach', unit: '1', default: 0.2, min: 0, max: 1, source: 'rhizocarb choice: litter leachates (002: leaf-derived substrates travel as DOM)', description: 'share of the aboveground litter reaching mineral soil as DOC (the rest as POC), top layer' },
  { name: 'litterQuality', symbol: 'q_lit', unit: '1', default: 1, min: 0.05, max: 10, source: 'rhizocarb choice (land-use driver of ZONES.md)', description: 'multiplier on k_POC for the land use (litter quality)' },
  { name: 'boundaryRootFraction', symbol: 'f_v', unit: '1', default: 0.95, min: 0.5, max: 0.9999, source: 'ZONES.md: the depth holding a fraction f_v (default 0.95) of root inputs', description: 'vegetation driver of the boundary target z_b*' },
  { name: 'boundaryTimeConstant_yr', symbol: 'τ_b', unit: 'yr', default: 30, min: 0.1, max: 10000, source: 'ZONES.md: decades by default; 002: decadal-scale shift of the boundary', description: 'relaxation time of z_b towards its target' },
  { name: 'boundaryFeedbackExponent', symbol: 'γ_SOC', unit: '1', default: 0.1, min: -2, max: 2, source: 'rhizocarb rule (ZONES.md asks for a documented SOC feedback; 002: boundary fed back by the SOM stock of each zone)', description: 'z_b* × (ρ_VZI/ρ_VZI at spin-up)^γ, ρ_VZI = mean SOC density of the vegetation zone; 0 = no feedback' },
  { name: 'hydrologyWeight', symbol: 'w_h', unit: '1', default: 0.5, min: 0, max: 1, source: 'rhizocarb rule (ZONES.md: optionally deepened/shallowed by the zero-flux plane)', description: 'weight of the zero-flux plane in the boundary target when one is given' },
  { name: 'percolation_cm_per_yr', symbol: 'q', unit: 'cm yr-1', default: 20, min: 0, max: 1000, source: 'rhizocarb choice: temperate deep drainage of ~200 mm yr⁻¹ (annual mean flux of ZONES.md)', description: 'downward water flux carrying DOC (annual mean), also the leaching flux at the bottom' },
  { name: 'waterContent', symbol: 'θ', unit: 'cm3 cm-3', default: 0.3, min: 0.02, max: 0.7, source: 'rhizocarb choice: annual mean volumetric water content', description: 'water content for the DOC concentration in percolating water' },
  { name: 'bulkDensity_g_per_cm3', symbol: 'ρ_b', unit: 'g cm-3', default: 1.3, min: 0.1, max: 2.2, source: 'rhizocarb choice (004 Eq 25 uses 1.51 for Selhausen)', description: 'soil bulk density for the mineral sorption capacity' },
  { name: 'clayFineSiltFraction', symbol: 'k_clay+<20µm silt', unit: '1', default: 0.45, min: 0, max: 1, source: '004 Eq 25 (Selhausen, Wang et al. 2018)', description: 'mass fraction of clay and silt < 20 µm' },
  { name: 'clayMineralFactor', symbol: 'k_csm', unit: 'g C g-1 fine mineral', default: 0.079, min: 0, max: 1, source: '004 Eq 25: 0.079 for 2:1 (illitic) clays (Ahrens et al. 2020)', description: 'MAOC capacity Q_max = ρ_b·k_csm·k_clay+<20µm silt per cm³ (as 004 Eq 25, in g C)' },
  { name: 'q10', symbol: 'Q10', unit: '1', default: 2, min: 1, max: 5, source: 'rhizocarb choice (conventional Q10 = 2)', description: 'temperature modifier Q10^((T − T_ref)/10) on the biological rates' },
  { name: 'referenceTemperature_C', symbol: 'T_ref', unit: '°C', default: 10, min: -30, max: 40, source: 'rhizocarb choice: the zone rates are for this temperature', description: 'reference temperature of the zone rates' },
  { name: 'temperature_C', symbol: 'T', unit: '°C', default: 10, min: -30, max: 40, source: 'scenario driver', description: 'mean annual soil temperature' },
  { name: 'moistureFactor', symbol: 'f_W', unit: '1', default: 1, min: 0, max: 3, source: 'scenario driver', description: 'moisture modifier on the biological rates' },
  { name: 'tillageDepth_cm', symbol: 'z_till', unit: 'cm', default: 25, min: 1, max: 100, source: 'rhizocarb choice: plough layer ~25 cm', description: 'depth of the plough layer' },
  { name: 'tillageMixing_cm2_per_yr', symbol: 'D_till', unit: 'cm2 yr-1', default: 500, min: 0, max: 1e5, source: 'rhizocarb choice: annual ploughing homogenises the plough layer (3L²/π² ≈ 190 cm² for L = 25 cm per year of mixing)', description: 'mixing of all particulate pools within the plough layer' },
  { name: 'tillageDecompositionFactor', symbol: 'f_till', unit: '1', default: 1.5, min: 1, max: 10, source: 'rhizocarb choice: tillage breaks aggregates and speeds POC decomposition (002: VZI structure is fragile)', description: 'multiplier on k_POC inside the plough layer' },
  { name: 'anecicExchange_cm_per_yr', symbol: 'v_an', unit: 'cm yr-1', default: 0, min: 0, max: 100, source: '002: anecic earthworm burrows (often > 1 m) link the zones; off by default', description: 'soil volume moved per year between the surface and the burrow zone (each way)' },
  { name: 'anecicSourceDepth_cm', symbol: 'z_an,0', unit: 'cm', default: 5, min: 0.5, max: 50, source: 'rhizocarb choice: anecic worms feed at the surface', description: 'bottom of the surface band of the anecic link' },
  { name: 'anecicMaxDepth_cm', symbol: 'z_an,max', unit: 'cm', default: 150, min: 1, max: 1000, source: '002: anecic burrows often > 1 m deep', description: 'deepest burrow depth; the link reaches [z_b, z_an,max]' },
] as const);

export type PedonParamName = (typeof PEDON_PARAMS)[number]['name'];

/** Default of a general pedon parameter. */
export function pedonDefault(name: PedonParamName): number {
  return paramSpec('pedon', name).default as number;
}

/** Default rate set of a zone from the registry. */
export function defaultZoneRates(zone: 'vzi' | 'mmzi'): ZoneRates {
  const mod = zone === 'vzi' ? 'pedon.vzi' : 'pedon.mmzi';
  return Object.fromEntries(ZONE_RATE_NAMES.map((n) => [n, paramSpec(mod, n).default as number])) as ZoneRates;
}
