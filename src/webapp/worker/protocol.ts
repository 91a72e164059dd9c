/** Messages between the calculators page and its Web Worker (calc.worker.ts). */
export interface ForwardRequest {
  readonly type: 'forward';
  readonly turnoverYears: number;
  readonly year: number;
  readonly zone: string;
  readonly curve: string;
  readonly extend: string;
}
export interface AgeRequest {
  readonly type: 'age';
  readonly delta14c: number;
  readonly year: number;
  readonly zone: string;
  readonly curve: string;
  readonly extend: string;
  readonly sigma: number | null;
}
export interface SplineRequest {
  readonly type: 'spline';
  /** Lines "top,bottom,value" (cm, cm, any unit). */
  readonly horizons: string;
  readonly depths: readonly number[];
  readonly lambda: number;
  readonly mode: 'exact' | 'mpspline2';
}
export interface SingleRootRequest {
  readonly type: 'single-root';
  readonly days: number;
  readonly couplingStep_min: number;
  readonly parameterSet: string;
  readonly soil: string;
  readonly head_cm: number;
  /** Peak of the diurnal (6–18 h) uptake, cm³ cm⁻² d⁻¹. */
  readonly uptakePeak_cm_per_d: number;
  /** Peak of the diurnal (6–18 h) exudation, mmol C cm⁻² d⁻¹. */
  readonly exudationPeak_mmolC_per_cm2_d: number;
  /** Night-time (20–24 h) mucilage pulse, mmol C cm⁻² d⁻¹. */
  readonly mucilage_mmolC_per_cm2_d: number;
}
export type CalcRequest = ForwardRequest | AgeRequest | SplineRequest | SingleRootRequest;

export type CalcReply =
  | { readonly id: number; readonly type: 'result'; readonly result: unknown }
  | { readonly id: number; readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly id: number; readonly type: 'error'; readonly message: string };
