import { declareParams, paramSpec } from '../core/params.js';

/**
 * Parameters of the profile module, declared once (default, unit, range, source). 001's biome
 * means are the defaults used when a site has no NPP / BNPP; where 001 states no number for a
 * biome, the global mean is used and a warning says so.
 */
export const PROFILE_PARAMS = declareParams('profile', [
  { name: 'bnppGlobal_MgC_per_ha_yr', symbol: 'I_root (BNPP)', unit: 'Mg C ha-1 yr-1', default: 3.5, min: 0.09, max: 13.38, source: '001 Results: mean of 725 sites, 0–200 cm; range = 2.5–97.5 % (0.09–13.38)', description: 'root-derived C input (belowground NPP) when neither BNPP nor NPP is known and the biome has no stated mean' },
  { name: 'bnppMediterraneanShrubland_MgC_per_ha_yr', symbol: 'I_root', unit: 'Mg C ha-1 yr-1', default: 5.42, min: 0.09, max: 13.38, source: '001 Results (biome mean, Fig. 1a)', description: 'I_root default for Mediterranean/montane shrublands' },
  { name: 'bnppCropland_MgC_per_ha_yr', symbol: 'I_root', unit: 'Mg C ha-1 yr-1', default: 4.42, min: 0.09, max: 13.38, source: '001 Results (biome mean, Fig. 1a)', description: 'I_root default for croplands' },
  { name: 'bnppBorealForest_MgC_per_ha_yr', symbol: 'I_root', unit: 'Mg C ha-1 yr-1', default: 2.36, min: 0.09, max: 13.38, source: '001 Results (biome mean, Fig. 1a)', description: 'I_root default for boreal forests' },
  { name: 'bnppTundra_MgC_per_ha_yr', symbol: 'I_root', unit: 'Mg C ha-1 yr-1', default: 0.9, min: 0.09, max: 13.38, source: '001 Results (biome mean, Fig. 1a)', description: 'I_root default for tundra' },
  { name: 'fBnppGlobal', symbol: 'f_BNPP', unit: '1', default: 0.377, min: 0.076, max: 0.827, source: '001 Results: mean of 725 sites; range = 2.5–97.5 % (7.6–82.7 %)', description: 'belowground fraction of NPP when NPP is given without f_BNPP' },
  { name: 'fBnppForest', symbol: 'f_BNPP', unit: '1', default: 0.3, min: 0.076, max: 0.827, source: '001 Results: "only ~30 % in tropical/subtropical forests, temperate forests and boreal forests" (approximate)', description: 'f_BNPP default for forest biomes' },
  { name: 'splineLambda', symbol: 'λ', unit: '1', default: 0.1, min: 0, max: 1e6, source: 'SPLINE.md; Bishop et al. (1999); mpspline2 default', description: 'smoothing of the equal-area spline' },
  { name: 'splineVlow', symbol: 'vlow', unit: 'same as the splined variable', default: 0, min: -1e12, max: 1e12, source: 'SPLINE.md; mpspline2 default', description: 'lower clamp of spline outputs (use −1000 for Δ14C)' },
  { name: 'splineVhigh', symbol: 'vhigh', unit: 'same as the splined variable', default: 1000, min: -1e12, max: 1e12, source: 'SPLINE.md; mpspline2 default', description: 'upper clamp of spline outputs' },
  { name: 'monteCarloDraws', symbol: 'N_MC', unit: '1', default: 500, min: 1, max: 1e6, source: '001 Methods: 500 Monte Carlo simulations', description: 'Monte Carlo draws for uncertainty of I_root, I_bulk, I_loss' },
  { name: 'betaFitMinLayers', symbol: 'n_min', unit: '1', default: 3, min: 2, max: 100, source: '003 Methods 2.1 criterion (4): profiles with more than three measurements in the first metre (we require ≥ 3 layers)', description: 'fewest layers for a β fit' },
  { name: 'betaReferenceDepth_cm', symbol: 'd0', unit: 'cm', default: 20, min: 1, max: 100, source: '003 Eq 4: X_d0 is the SOC density of the top 20 cm', description: 'reference depth of the β extrapolation' },
  { name: 'maxCarbonDensity_gC_per_cm3', symbol: 'ρ_C,max', unit: 'g C cm-3', default: 0.2, min: 0.01, max: 2, source: 'issue 10 (physical bound): organic soils hold ≈ 0.05–0.15 g C cm⁻³ (bulk density 0.1–0.3 g cm⁻³ × ~50 % C); ISRaD Finstad_2020 lyr_soc rows reach 1.6 (100× off)', description: 'a layer stock above ρ_C,max × thickness is implausible: the stock is rejected (not used) and the row reported' },
] as const);

export const JACKSON_BETA_PARAMS = declareParams('profile.rootBeta', [
  { name: 'tundra', symbol: 'β', unit: '1', default: 0.913, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 abstract (confirmed)', description: 'root depth function Y = 1 − β^d, d in cm' },
  { name: 'boreal_forest', symbol: 'β', unit: '1', default: 0.943, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 abstract (confirmed)', description: 'root depth function Y = 1 − β^d' },
  { name: 'temperate_grassland', symbol: 'β', unit: '1', default: 0.943, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 abstract (confirmed)', description: 'root depth function Y = 1 − β^d' },
  { name: 'desert', symbol: 'β', unit: '1', default: 0.975, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 abstract (confirmed)', description: 'root depth function Y = 1 − β^d' },
  { name: 'temperate_coniferous_forest', symbol: 'β', unit: '1', default: 0.976, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 abstract (confirmed)', description: 'root depth function Y = 1 − β^d' },
  { name: 'temperate_deciduous_forest', symbol: 'β', unit: '1', default: 0.966, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 Table 1, recalled; matches CLM5 Tech Note Table 11.1 (corroborated)', description: 'root depth function Y = 1 − β^d' },
  { name: 'sclerophyllous_shrubs', symbol: 'β', unit: '1', default: 0.964, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 Table 1, recalled; matches CLM5 Tech Note Table 11.1 (corroborated)', description: 'root depth function Y = 1 − β^d' },
  { name: 'crops', symbol: 'β', unit: '1', default: 0.961, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 Table 1 — UNVERIFIED recollection (data/roots/PROVENANCE.md)', description: 'root depth function Y = 1 − β^d; a warning is issued when used' },
  { name: 'tropical_deciduous_forest', symbol: 'β', unit: '1', default: 0.961, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 Table 1 — UNVERIFIED recollection', description: 'root depth function Y = 1 − β^d; a warning is issued when used' },
  { name: 'tropical_evergreen_forest', symbol: 'β', unit: '1', default: 0.962, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 Table 1 — UNVERIFIED recollection', description: 'root depth function Y = 1 − β^d; a warning is issued when used' },
  { name: 'tropical_grassland_savanna', symbol: 'β', unit: '1', default: 0.972, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 Table 1 — UNVERIFIED recollection', description: 'root depth function Y = 1 − β^d; a warning is issued when used' },
  { name: 'all_biomes_global', symbol: 'β', unit: '1', default: 0.966, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 abstract: global average (confirmed)', description: 'root depth function Y = 1 − β^d' },
  { name: 'grasses_functional_group', symbol: 'β', unit: '1', default: 0.952, min: 0.5, max: 0.9999, source: 'Jackson et al. 1996 abstract (confirmed)', description: 'root depth function Y = 1 − β^d' },
] as const);

export type ProfileParamName = (typeof PROFILE_PARAMS)[number]['name'];

/** Default value of a profile parameter. */
export function profileDefault(name: ProfileParamName): number {
  return paramSpec('profile', name).default as number;
}

/** Biome names accepted by the budget (001's nine biomes) and their I_root / f_BNPP defaults. */
export const BIOMES_001 = [
  'tropical_subtropical_forest',
  'tropical_subtropical_grassland_savanna',
  'temperate_forest',
  'temperate_grassland',
  'mediterranean_montane_shrubland',
  'boreal_forest',
  'tundra',
  'desert',
  'cropland',
] as const;
export type Biome001 = (typeof BIOMES_001)[number];

const BIOME_BNPP: Partial<Record<Biome001, ProfileParamName>> = {
  mediterranean_montane_shrubland: 'bnppMediterraneanShrubland_MgC_per_ha_yr',
  cropland: 'bnppCropland_MgC_per_ha_yr',
  boreal_forest: 'bnppBorealForest_MgC_per_ha_yr',
  tundra: 'bnppTundra_MgC_per_ha_yr',
};
const FOREST_BIOMES: readonly Biome001[] = ['tropical_subtropical_forest', 'temperate_forest', 'boreal_forest'];

/** 001's default I_root for a biome and where it comes from (global mean when 001 states none for the biome). */
export function biomeDefaultBnpp(biome: Biome001 | undefined): { value: number; parameter: ProfileParamName; biomeSpecific: boolean } {
  const p = biome ? BIOME_BNPP[biome] : undefined;
  const parameter = p ?? 'bnppGlobal_MgC_per_ha_yr';
  return { value: profileDefault(parameter), parameter, biomeSpecific: p !== undefined };
}

/** 001's default f_BNPP for a biome (~30 % for forests, else the global mean 37.7 %). */
export function biomeDefaultFBnpp(biome: Biome001 | undefined): { value: number; parameter: ProfileParamName } {
  const parameter: ProfileParamName = biome && FOREST_BIOMES.includes(biome) ? 'fBnppForest' : 'fBnppGlobal';
  return { value: profileDefault(parameter), parameter };
}

export type JacksonBiome = (typeof JACKSON_BETA_PARAMS)[number]['name'];

/** Jackson et al. (1996) root β for a biome, and whether the value is UNVERIFIED. */
export function jacksonBeta(biome: JacksonBiome): { beta: number; unverified: boolean; source: string } {
  const s = paramSpec('profile.rootBeta', biome);
  return { beta: s.default as number, unverified: s.source.includes('UNVERIFIED'), source: s.source };
}
