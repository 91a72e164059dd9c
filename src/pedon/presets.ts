import { jacksonBeta } from '../profile/params.js';
import type { RootDistribution } from '../profile/inputs.js';
import type { BoundaryDrivers, LandUse, PedonGrid, PedonSoil, Tillage } from './model.js';
import { defaultZoneRates, pedonDefault, type ZoneRates } from './params.js';

/**
 * Land-use presets: plant inputs (NPP split by f_BNPP), roots, litter, tillage and boundary drivers
 * of the four land uses the shipped scenarios need (ZONES.md "Land-use transitions"). Every number
 * names its source; a scenario may override any field.
 */
export interface LandUseSpec {
  readonly name: string;
  /** NPP, g C m⁻² yr⁻¹; I_root = NPP·f_BNPP, aboveground litter = NPP·(1 − f_BNPP)·(1 − harvest). */
  readonly npp_gC_per_m2_yr: number;
  readonly fBnpp: number;
  readonly harvestFraction: number;
  readonly roots: RootDistribution;
  readonly tillage?: Tillage;
  readonly litterQuality: number;
  readonly sources: Readonly<Record<string, string>>;
}

const temperateGrassBeta = jacksonBeta('temperate_grassland');
const deciduousBeta = jacksonBeta('temperate_deciduous_forest');
const cropBeta = jacksonBeta('crops');

export const LAND_USE_PRESETS: Readonly<Record<string, LandUseSpec>> = {
  grassland: {
    name: 'grassland',
    npp_gC_per_m2_yr: 500,
    fBnpp: 0.6,
    harvestFraction: 0,
    roots: { kind: 'beta', beta: temperateGrassBeta.beta },
    litterQuality: 1,
    sources: {
      npp: 'rhizocarb choice: 5 Mg C ha⁻¹ yr⁻¹, a temperate NPP (001: global mean I_root 3.5 Mg ha⁻¹ yr⁻¹ at f_BNPP 37.7 %)',
      fBnpp: '001 Results: f_BNPP > 50 % in temperate grasslands',
      roots: `Jackson et al. (1996) temperate grassland β = ${temperateGrassBeta.beta} (${temperateGrassBeta.source})`,
    },
  },
  woodland: {
    name: 'woodland',
    npp_gC_per_m2_yr: 500,
    fBnpp: 0.3,
    harvestFraction: 0,
    roots: { kind: 'beta', beta: deciduousBeta.beta },
    litterQuality: 0.8,
    sources: {
      npp: 'same NPP as the grassland, so the transition changes allocation, roots and litter only',
      fBnpp: '001 Results: f_BNPP only ~30 % in temperate forests',
      roots: `Jackson et al. (1996) temperate deciduous forest β = ${deciduousBeta.beta} (${deciduousBeta.source})`,
      litterQuality: 'rhizocarb choice: woody and leaf litter decomposes slower than grass litter (× 0.8)',
    },
  },
  cropland: {
    name: 'cropland',
    npp_gC_per_m2_yr: 500,
    fBnpp: 0.3,
    harvestFraction: 0.7,
    roots: { kind: 'beta', beta: cropBeta.beta },
    tillage: { depth_cm: pedonDefault('tillageDepth_cm'), mixing_cm2_per_yr: pedonDefault('tillageMixing_cm2_per_yr'), decompositionFactor: pedonDefault('tillageDecompositionFactor') },
    litterQuality: 1.2,
    sources: {
      npp: 'same NPP as the grassland',
      fBnpp: 'rhizocarb choice: cereals allocate ~30 % belowground at maturity',
      harvestFraction: 'rhizocarb choice: grain and straw removal leaves ~30 % of aboveground production',
      roots: `Jackson et al. (1996) crops β = ${cropBeta.beta} (${cropBeta.source})`,
      tillage: 'annual ploughing to 25 cm (pedon parameters tillage*)',
      litterQuality: 'rhizocarb choice: crop residues decompose faster (× 1.2)',
    },
  },
  'deep-rooting-crop': {
    name: 'deep-rooting-crop',
    npp_gC_per_m2_yr: 500,
    fBnpp: 0.3,
    harvestFraction: 0.7,
    roots: { kind: 'beta', beta: 0.98 },
    tillage: { depth_cm: pedonDefault('tillageDepth_cm'), mixing_cm2_per_yr: pedonDefault('tillageMixing_cm2_per_yr'), decompositionFactor: pedonDefault('tillageDecompositionFactor') },
    litterQuality: 1.2,
    sources: {
      npp: 'as cropland',
      roots: 'rhizocarb scenario choice: β = 0.98 puts 95 % of roots above ~1.35 m (deep-rooted crop or variety, 002: "sowing of novel crops" shifts the VZI depth)',
    },
  },
};

export const LAND_USE_PRESET_NAMES = Object.keys(LAND_USE_PRESETS) as readonly string[];

/** Defaults for everything a land use needs besides its plant inputs. */
export function defaultBoundaryDrivers(): BoundaryDrivers {
  return {
    rootFraction: pedonDefault('boundaryRootFraction'),
    parentMaterialDepth_cm: Infinity,
    zeroFluxPlane_cm: NaN,
    hydrologyWeight: pedonDefault('hydrologyWeight'),
    timeConstant_yr: pedonDefault('boundaryTimeConstant_yr'),
    feedbackExponent: pedonDefault('boundaryFeedbackExponent'),
  };
}

export interface LandUseOverrides extends Partial<Omit<LandUse, 'boundary' | 'zones' | 'anecic' | 'climate'>> {
  readonly npp_gC_per_m2_yr?: number;
  readonly fBnpp?: number;
  readonly harvestFraction?: number;
  readonly boundary?: Partial<BoundaryDrivers>;
  readonly zones?: { readonly vzi?: Partial<ZoneRates>; readonly mmzi?: Partial<ZoneRates> };
  readonly anecic?: Partial<LandUse['anecic']>;
}

/** A complete land use from a preset (or none) and overrides; defaults from the parameter registry. */
export function buildLandUse(preset: string | undefined, o: LandUseOverrides = {}): LandUse {
  const p = preset ? LAND_USE_PRESETS[preset] : undefined;
  if (preset && !p) throw new Error(`unknown land-use preset ${preset}`);
  const npp = o.npp_gC_per_m2_yr ?? p?.npp_gC_per_m2_yr ?? 500;
  const fB = o.fBnpp ?? p?.fBnpp ?? 0.5;
  const harvest = o.harvestFraction ?? p?.harvestFraction ?? 0;
  return {
    name: o.name ?? p?.name ?? 'custom',
    abovegroundLitter_gC_per_m2_yr: o.abovegroundLitter_gC_per_m2_yr ?? npp * (1 - fB) * (1 - harvest),
    litterSurfaceLossFraction: o.litterSurfaceLossFraction ?? pedonDefault('litterSurfaceLossFraction'),
    abovegroundDocFraction: o.abovegroundDocFraction ?? pedonDefault('abovegroundDocFraction'),
    litterQuality: o.litterQuality ?? p?.litterQuality ?? pedonDefault('litterQuality'),
    rootInput_gC_per_m2_yr: o.rootInput_gC_per_m2_yr ?? npp * fB,
    rootDistribution: o.rootDistribution ?? p?.roots ?? { kind: 'beta', beta: jacksonBeta('all_biomes_global').beta },
    leakFraction: o.leakFraction ?? pedonDefault('leakFraction'),
    rootLitterFraction: o.rootLitterFraction ?? pedonDefault('rootLitterFraction'),
    rhizodepositFraction: o.rhizodepositFraction ?? pedonDefault('rhizodepositFraction'),
    rhizoMaocFraction: o.rhizoMaocFraction ?? pedonDefault('rhizoMaocFraction'),
    belowBoundary: o.belowBoundary ?? 'reallocate',
    tillage: 'tillage' in o ? o.tillage : p?.tillage,
    temperature_C: o.temperature_C ?? pedonDefault('temperature_C'),
    q10: o.q10 ?? pedonDefault('q10'),
    referenceTemperature_C: o.referenceTemperature_C ?? pedonDefault('referenceTemperature_C'),
    moistureFactor: o.moistureFactor ?? pedonDefault('moistureFactor'),
    percolation_cm_per_yr: o.percolation_cm_per_yr ?? pedonDefault('percolation_cm_per_yr'),
    boundary: { ...defaultBoundaryDrivers(), ...o.boundary },
    anecic: { exchange_cm_per_yr: pedonDefault('anecicExchange_cm_per_yr'), sourceDepth_cm: pedonDefault('anecicSourceDepth_cm'), maxDepth_cm: pedonDefault('anecicMaxDepth_cm'), ...o.anecic },
    zones: { vzi: { ...defaultZoneRates('vzi'), ...o.zones?.vzi }, mmzi: { ...defaultZoneRates('mmzi'), ...o.zones?.mmzi } },
  };
}

/** Soil properties, each a constant or a depth table (linear between points, held beyond). */
export type DepthValue = number | readonly { readonly depth_cm: number; readonly value: number }[];

function atDepth(v: DepthValue, z: number): number {
  if (typeof v === 'number') return v;
  if (z <= v[0].depth_cm) return v[0].value;
  for (let k = 1; k < v.length; k++) {
    if (z <= v[k].depth_cm) return v[k - 1].value + ((z - v[k - 1].depth_cm) / (v[k].depth_cm - v[k - 1].depth_cm)) * (v[k].value - v[k - 1].value);
  }
  return v[v.length - 1].value;
}

export interface SoilSpec {
  readonly bulkDensity_g_per_cm3?: DepthValue;
  readonly clayFineSiltFraction?: DepthValue;
  readonly clayMineralFactor?: DepthValue;
  readonly waterContent?: DepthValue;
  readonly sorptionCapacity?: boolean;
}

/** Per-layer soil arrays at the layer mid-depths; defaults from the parameter registry. */
export function buildSoil(grid: PedonGrid, s: SoilSpec = {}): PedonSoil {
  const col = (v: DepthValue | undefined, d: number) => Float64Array.from(grid.mid_cm, (z) => atDepth(v ?? d, z));
  return {
    bulkDensity_g_per_cm3: col(s.bulkDensity_g_per_cm3, pedonDefault('bulkDensity_g_per_cm3')),
    clayFineSiltFraction: col(s.clayFineSiltFraction, pedonDefault('clayFineSiltFraction')),
    clayMineralFactor: col(s.clayMineralFactor, pedonDefault('clayMineralFactor')),
    waterContent: col(s.waterContent, pedonDefault('waterContent')),
    sorptionCapacity: s.sorptionCapacity ?? true,
  };
}
