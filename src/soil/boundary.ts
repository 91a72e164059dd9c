import { InputError } from '../core/errors.js';
import { averageConductivity, type ConductivityAveraging } from './darcy.js';
import { hydraulicConductivity, type VanGenuchtenMualem } from './van-genuchten.js';

/** A value that may vary in time: a constant or a function of time t (d). */
export type TimeFunction = number | ((t_d: number) => number);

export function valueAt(f: TimeFunction, t_d: number): number {
  return typeof f === 'number' ? f : f(t_d);
}

/**
 * Water boundary condition at one end of a 1D column/cylinder or at the top/bottom of a voxel
 * grid. Fluxes are volumetric flux densities **into the domain**, cm d⁻¹ (positive = inflow:
 * infiltration; negative = outflow: evaporation, root uptake at a root surface).
 *
 * * `noFlux` — impermeable.
 * * `flux` — prescribed flux density.
 * * `head` — Dirichlet pressure head at the boundary face, cm.
 * * `freeDrainage` — unit total-head gradient (only at the lower end of a vertical column):
 *   outflow = K(h_cell).
 * * `fluxLimitedByHead` — the switching flux ↔ head condition of infiltration, evaporation and
 *   root uptake (Vanderborght et al. 2005; Schnepf et al. 2020 M2.1, M2.2, C1.1): the prescribed
 *   flux applies while it can be sustained; otherwise the boundary holds `limitHead_cm`
 *   (0 cm ponding for infiltration, the critical surface head for evaporation, the limiting root
 *   surface head for uptake). Implemented implicitly as
 *   inflow = min(q, Q_head) for q > 0 and outflow = min(−q, −Q_head) for q < 0, where Q_head is
 *   the inflow the Dirichlet condition h = limitHead would produce, clipped so that the flux never
 *   changes direction: continuous in h, so the switch happens inside the Newton iteration and no
 *   step is repeated for it.
 */
export type BoundaryCondition =
  | { readonly kind: 'noFlux' }
  | { readonly kind: 'flux'; readonly flux_cm_per_d: TimeFunction }
  | { readonly kind: 'head'; readonly head_cm: TimeFunction }
  | { readonly kind: 'freeDrainage' }
  | { readonly kind: 'fluxLimitedByHead'; readonly flux_cm_per_d: TimeFunction; readonly limitHead_cm: number };

/** Which end of the coordinate axis the boundary sits at (lower = face 0: bottom of a column, root surface of a cylinder). */
export type BoundarySide = 'lower' | 'upper';

/** Check a boundary condition; `keyPath` names it in errors (e.g. "upper"). */
export function validateBoundary(bc: BoundaryCondition, side: BoundarySide, keyPath: string, gravity: boolean): InputError[] {
  const errs: InputError[] = [];
  const kinds = ['noFlux', 'flux', 'head', 'freeDrainage', 'fluxLimitedByHead'];
  if (!kinds.includes(bc.kind)) {
    errs.push(new InputError({ keyPath: `${keyPath}.kind`, value: bc.kind, expected: `one of ${kinds.join(', ')}` }));
    return errs;
  }
  if (bc.kind === 'freeDrainage' && (side !== 'lower' || !gravity)) {
    errs.push(new InputError({ keyPath: `${keyPath}.kind`, value: bc.kind, expected: 'freeDrainage only at the lower end of a vertical (gravity) domain' }));
  }
  if (bc.kind === 'flux' || bc.kind === 'fluxLimitedByHead') {
    if (typeof bc.flux_cm_per_d === 'number' && !Number.isFinite(bc.flux_cm_per_d)) {
      errs.push(new InputError({ keyPath: `${keyPath}.flux_cm_per_d`, value: bc.flux_cm_per_d, expected: 'a finite flux density, cm d⁻¹ (positive into the domain)' }));
    }
  }
  if (bc.kind === 'fluxLimitedByHead' && !Number.isFinite(bc.limitHead_cm)) {
    errs.push(new InputError({ keyPath: `${keyPath}.limitHead_cm`, value: bc.limitHead_cm, expected: 'a finite head, cm' }));
  }
  if (bc.kind === 'head' && typeof bc.head_cm === 'number' && !Number.isFinite(bc.head_cm)) {
    errs.push(new InputError({ keyPath: `${keyPath}.head_cm`, value: bc.head_cm, expected: 'a finite head, cm' }));
  }
  return errs;
}

/**
 * Inflow through a boundary face, cm³ d⁻¹, and its derivative with respect to the adjacent cell
 * head, written to out[0] and out[1]; returns 1 when a `fluxLimitedByHead` condition is holding
 * its limit head (the flux could not be sustained), else 0. Nothing is allocated.
 *
 * For a head h_b at the face (distance d from the cell centre, face area A, unit vector sign
 * s = +1 at the upper end and −1 at the lower end of a gravity axis, g = 1 with gravity):
 *   inflow = K_f·A·((h_b − h_c)/d + s·g),  K_f = average of K(h_b) and K(h_c).
 */
export function boundaryInflow(
  bc: BoundaryCondition,
  side: BoundarySide,
  t_d: number,
  hCell_cm: number,
  KCell_cm_per_d: number,
  dKCell: number,
  area_cm2: number,
  distance_cm: number,
  gravity: 0 | 1,
  soil: VanGenuchtenMualem,
  averaging: ConductivityAveraging,
  out: Float64Array,
): number {
  const s = side === 'upper' ? 1 : -1;
  switch (bc.kind) {
    case 'noFlux':
      out[0] = 0;
      out[1] = 0;
      return 0;
    case 'flux':
      out[0] = valueAt(bc.flux_cm_per_d, t_d) * area_cm2;
      out[1] = 0;
      return 0;
    case 'freeDrainage':
      out[0] = -KCell_cm_per_d * area_cm2 * gravity;
      out[1] = -dKCell * area_cm2 * gravity;
      return 0;
    case 'head':
      headInflow(valueAt(bc.head_cm, t_d), hCell_cm, KCell_cm_per_d, dKCell, area_cm2, distance_cm, s * gravity, soil, averaging, out);
      return 0;
    case 'fluxLimitedByHead': {
      const q = valueAt(bc.flux_cm_per_d, t_d) * area_cm2;
      headInflow(bc.limitHead_cm, hCell_cm, KCell_cm_per_d, dKCell, area_cm2, distance_cm, s * gravity, soil, averaging, out);
      if ((q >= 0 && q <= out[0]) || (q < 0 && q >= out[0])) {
        out[0] = q;
        out[1] = 0;
        return 0;
      }
      // A limited flux never reverses its direction (no inflow through an evaporating surface).
      if ((q >= 0 && out[0] < 0) || (q < 0 && out[0] > 0)) {
        out[0] = 0;
        out[1] = 0;
      }
      return 1;
    }
  }
}

function headInflow(
  hB: number,
  hC: number,
  KC: number,
  dKC: number,
  A: number,
  d: number,
  sg: number,
  soil: VanGenuchtenMualem,
  averaging: ConductivityAveraging,
  out: Float64Array,
): void {
  const KB = hydraulicConductivity(hB, soil);
  const grad = (hB - hC) / d + sg;
  // Boundary upstream when the inflow is positive.
  const Kf = averageConductivity(KB, KC, averaging, grad > 0);
  const dKf = dFaceConductivity(KB, KC, averaging, grad > 0, dKC);
  out[0] = Kf * A * grad;
  out[1] = dKf * A * grad - (Kf * A) / d;
}

/** ∂K_f/∂h_b given dK_b/dh_b, for a face average of K_a and K_b (b is the differentiated side). */
export function dFaceConductivity(Ka: number, Kb: number, mode: ConductivityAveraging, upstreamA: boolean, dKb: number): number {
  switch (mode) {
    case 'arithmetic':
      return 0.5 * dKb;
    case 'geometric':
      return Ka * Kb > 0 ? (0.5 * Math.sqrt(Ka / Kb)) * dKb : 0;
    case 'harmonic': {
      const s = Ka + Kb;
      return s > 0 ? ((2 * Ka * Ka) / (s * s)) * dKb : 0;
    }
    case 'upstream':
      return upstreamA ? 0 : dKb;
  }
}
