import { describe, expect, it } from 'vitest';
import { PerDomainSecant, SECANT_BRACKET_FLIPS } from '../../src/coupling/secant.js';

/** Iterate x ← secant(G) on n independent components; returns iterations to |r| ≤ tol·max(|x|, 1) (Infinity if not within maxIt). */
function solve(G: (x: number, d: number) => number, x0: number[], bracketAfterFlips: number, maxIt = 200, tol = 1e-10) {
  const n = x0.length;
  const s = new PerDomainSecant(n, bracketAfterFlips);
  const x = Float64Array.from(x0);
  const gx = new Float64Array(n);
  const path: number[] = [];
  for (let k = 1; k <= maxIt; k++) {
    for (let d = 0; d < n; d++) gx[d] = G(x[d], d);
    path.push(x[0]);
    let worst = 0;
    for (let d = 0; d < n; d++) worst = Math.max(worst, Math.abs(gx[d] - x[d]) / Math.max(Math.abs(x[d]), 1));
    if (worst <= tol) return { iterations: k, x: Array.from(x), bracketed: s.bracketed, path };
    s.update(x, gx);
  }
  return { iterations: Infinity, x: Array.from(x), bracketed: s.bracketed, path };
}

describe('per-domain secant of ψ_rsi with the bracket safeguard (src/coupling/secant.ts)', () => {
  it("a nearly step-like decreasing G (a tiny domain at the uptake/release switch): the plain secant cycles, the safeguarded one converges to G's fixed point", () => {
    // G falls from −215 cm (wet, release) to −2415 cm (dry, uptake) over ~30 cm of the head given: the shape of the
    // 4-cycle seen in the earlyDry night (domain 612: −1635 → −698 → −1247 → −2361 → −1635 …, issue 9).
    const G = (x: number) => -215 - 2200 / (1 + Math.exp(-(x + 1400) / 15));
    const plain = solve(G, [-1635.5], Infinity);
    const safe = solve(G, [-1635.5], SECANT_BRACKET_FLIPS);
    const xs = safe.x[0];
    console.log(`step-like G: plain secant ${plain.iterations} iterations (last inputs ${plain.path.slice(-4).map((v) => v.toFixed(1))}), safeguarded ${safe.iterations} iterations to x* = ${xs.toFixed(6)} cm (|G(x*) − x*| ${Math.abs(G(xs) - xs).toExponential(1)} cm, ${safe.bracketed} bracketed proposals)`);
    expect(plain.iterations).toBe(Infinity);
    expect(safe.iterations).toBeLessThan(60);
    expect(Math.abs(G(xs) - xs)).toBeLessThan(1e-6);
  });

  it('smooth G (contraction and steep linear): the safeguard never acts, the iterates are those of the plain secant', () => {
    const Gs = [(x: number) => 0.5 * x - 100, (x: number) => -3 * x - 4400, (x: number) => -500 * Math.tanh((x + 300) / 200) - 300];
    for (const G of Gs) {
      const a = solve(G, [-1000], SECANT_BRACKET_FLIPS);
      const b = solve(G, [-1000], Infinity);
      console.log(`smooth G: ${a.iterations} iterations, x* ${a.x[0].toFixed(6)}, bracketed ${a.bracketed}`);
      expect(a.iterations).toBeLessThan(30);
      expect(a.path).toEqual(b.path);
    }
  });

  it('components are independent; resetComponent forgets one history (relaxation 1)', () => {
    const G = (x: number, d: number) => (d === 0 ? 0.5 * x - 100 : -215 - 2200 / (1 + Math.exp(-(x + 1400) / 15)));
    const r = solve(G, [-1000, -1635.5], SECANT_BRACKET_FLIPS);
    expect(r.iterations).toBeLessThan(60);
    expect(Math.abs(r.x[0] + 200)).toBeLessThan(1e-6);
    const s = new PerDomainSecant(1);
    const x = Float64Array.of(-10);
    s.update(x, Float64Array.of(-20)); // first: x ← G(x)
    expect(x[0]).toBe(-20);
    s.update(x, Float64Array.of(-25));
    s.resetComponent(0);
    s.update(x, Float64Array.of(-30)); // the ω of the last secant is forgotten: x ← x + 1·r
    expect(x[0]).toBe(-30);
  });
});
