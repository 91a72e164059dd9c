/**
 * Pedon model with zones of influence (paper 002 as made concrete by ZONES.md): layered POC / MAOC /
 * DOC / MIC pools with ¹⁴C and age tracers, a vegetation zone over a mineral-matrix zone with a
 * dynamic boundary, DOC advection, bioturbation, an optional anecic link, root inputs after the
 * rhizosphere leak of 001, land-use transitions, and the closed loop with 001's profile chain.
 * See docs/PEDON.md.
 */
export * from './params.js';
export * from './model.js';
export * from './atmosphere.js';
export * from './run.js';
export * from './presets.js';
export * from './closed-loop.js';
