/** Public API, namespace `pedon`: the zones-of-influence profile model of paper 002 (ZONES.md, docs/PEDON.md). Listed in docs/API.md (a test compares). */
export {
  POOLS,
  PedonModel,
  pedonGrid,
  uniformPedonGrid,
  runPedon,
  closedLoop,
  buildLandUse,
  buildSoil,
  LAND_USE_PRESETS,
  PEDON_PARAMS,
  PEDON_VZI_PARAMS,
  PEDON_MMZI_PARAMS,
  meanAtmosphere,
} from '../pedon/index.js';
export type { PedonGrid, PedonSoil, LandUse, BoundaryDrivers, PedonRunSpec, PedonRunResult, PedonPhase, ClosedLoopOptions, ClosedLoopResult, ZoneRates } from '../pedon/index.js';
