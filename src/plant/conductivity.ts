import { interpolateLinear } from '../numerics/interpolate.js';

/**
 * Root hydraulic conductivities as scenarios give them (004 Eqs 1–3; the RSA benchmarks M3.2 and
 * C1.2): one number for every segment, or per root type an age table [[age_d, value], …]
 * interpolated linearly with constant extrapolation (CPlantBox's `setKrTables`/`setKxTables`).
 * k_r is the radial conductivity (d⁻¹, per unit head difference across the root surface, per
 * root surface), k_x the axial conductance (cm³ d⁻¹ per unit head gradient).
 */
export type ConductivityTable = number | { readonly byType: Readonly<Record<string, readonly (readonly [number, number])[]>> };

/** Value of a conductivity table for a segment of RSML root type `type` at age `age_d` (age ignored for numbers and one-row tables). */
export function conductivityAt(table: ConductivityTable, type: number, age_d: number): number {
  if (typeof table === 'number') return table;
  const rows = table.byType[String(type)];
  if (!rows) throw new RangeError(`conductivity table has no root type ${type}`);
  if (rows.length === 1) return rows[0][1];
  return interpolateLinear(rows.map((r) => r[0]), rows.map((r) => r[1]), age_d);
}

/** Whether a table depends on age (some type has more than one row). */
export function isAgeDependent(table: ConductivityTable): boolean {
  return typeof table !== 'number' && Object.values(table.byType).some((rows) => rows.length > 1);
}
