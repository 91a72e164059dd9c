/**
 * Writes src/numerics/linalg/block-tridiagonal-kernels.ts: the solve of {@link CoupledBlockTridiagonalLU}
 * unrolled for the block shapes of the perirhizal stage systems (m = 7, c = 2 with frozen water;
 * m = 8, c = 3 with moving water; coupled unknowns 0 … c−1). The unrolled code performs the same
 * floating-point operations in the same order as the generic loops (so the results are bitwise
 * identical, test/numerics/block-tridiagonal.test.ts), with the block's unknowns in locals.
 * Run: `npx tsx scripts/gen-block-kernels.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SHAPES: [m: number, c: number][] = [[7, 2], [8, 3]];

function solveKernel(m: number, c: number): string {
  const L: string[] = [];
  const ind = (n: number, s: string) => L.push(`${'  '.repeat(n)}${s}`);
  ind(0, `/** Unrolled CoupledBlockTridiagonalLU.solve for m = ${m}, couple = [${Array.from({ length: c }, (_, k) => k).join(', ')}]. */`);
  ind(0, `export function solveBlocks${m}x${c}(nBlocks: number, a: Float64Array, lower: Float64Array, piv: Int32Array, x: Float64Array, rhs: Float64Array, off: number, bs: number): void {`);
  ind(1, `for (let i = 0; i < nBlocks; i++) {`);
  ind(2, `const o = off + i * bs;`);
  ind(2, `const aO = i * ${m * m};`);
  ind(2, `if (i > 0) {`);
  ind(3, `const lO = i * ${c * c};`);
  ind(3, `const pO = o - bs;`);
  for (let q = 0; q < c; q++) {
    ind(3, `{`);
    ind(4, `let s = 0;`);
    for (let k = 0; k < c; k++) ind(4, `s += lower[lO + ${q * c + k}] * rhs[pO + ${k}];`);
    ind(4, `rhs[o + ${q}] -= s;`);
    ind(3, `}`);
  }
  ind(2, `}`);
  ind(2, `const pv = i * ${m};`);
  ind(2, `for (let k = 0; k < ${m}; k++) {`);
  ind(3, `const p = piv[pv + k];`);
  ind(3, `if (p !== k) {`);
  ind(4, `const t = rhs[o + k];`);
  ind(4, `rhs[o + k] = rhs[o + p];`);
  ind(4, `rhs[o + p] = t;`);
  ind(3, `}`);
  ind(2, `}`);
  for (let q = 0; q < m; q++) ind(2, `let b${q} = rhs[o + ${q}];`);
  substitution(m, ind, 2);
  for (let q = 0; q < m; q++) ind(2, `rhs[o + ${q}] = b${q};`);
  ind(1, `}`);
  ind(1, `for (let i = nBlocks - 2; i >= 0; i--) {`);
  ind(2, `const o = off + i * bs;`);
  ind(2, `const nO = o + bs;`);
  ind(2, `const xO = i * ${m * c};`);
  for (let b = 0; b < c; b++) ind(2, `const n${b} = rhs[nO + ${b}];`);
  for (let k = 0; k < m; k++) {
    ind(2, `{`);
    ind(3, `let s = 0;`);
    for (let b = 0; b < c; b++) ind(3, `s += x[xO + ${k * c + b}] * n${b};`);
    ind(3, `rhs[o + ${k}] -= s;`);
    ind(2, `}`);
  }
  ind(1, `}`);
  ind(0, `}`);
  return L.join('\n');
}

/** Forward and back substitution of a factored m×m block at aO on the locals b0 … b(m−1) (denseLuSolve's loops, after the pivot swaps). */
function substitution(m: number, ind: (n: number, s: string) => void, depth: number): void {
  for (let q = 1; q < m; q++) ind(depth, `b${q} = b${q}${Array.from({ length: q }, (_, j) => ` - a[aO + ${q * m + j}] * b${j}`).join('')};`);
  for (let q = m - 1; q >= 0; q--) {
    const terms = Array.from({ length: m - 1 - q }, (_, jj) => ` - a[aO + ${q * m + q + 1 + jj}] * b${q + 1 + jj}`).join('');
    ind(depth, `b${q} = ${terms ? `(b${q}${terms})` : `b${q}`} / a[aO + ${q * m + q}];`);
  }
}

function factorKernel(m: number, c: number): string {
  const L: string[] = [];
  const ind = (n: number, s: string) => L.push(`${'  '.repeat(n)}${s}`);
  ind(0, `/** Unrolled CoupledBlockTridiagonalLU.factor for m = ${m}, couple = [${Array.from({ length: c }, (_, k) => k).join(', ')}] (col: m scratch entries). */`);
  ind(0, `export function factorBlocks${m}x${c}(nBlocks: number, a: Float64Array, lower: Float64Array, upper: Float64Array, piv: Int32Array, x: Float64Array, col: Float64Array): boolean {`);
  ind(1, `for (let i = 0; i < nBlocks; i++) {`);
  ind(2, `const aO = i * ${m * m};`);
  ind(2, `const pv = i * ${m};`);
  ind(2, `if (i > 0) {`);
  ind(3, `const lO = i * ${c * c};`);
  ind(3, `const xO = (i - 1) * ${m * c};`);
  for (let q = 0; q < c; q++) {
    for (let b = 0; b < c; b++) {
      ind(3, `{`);
      ind(4, `let s = 0;`);
      for (let k = 0; k < c; k++) ind(4, `s += lower[lO + ${q * c + k}] * x[xO + ${k * c + b}];`);
      ind(4, `a[aO + ${q * m + b}] -= s;`);
      ind(3, `}`);
    }
  }
  ind(2, `}`);
  // denseLuFactor, unrolled over the columns.
  for (let k = 0; k < m; k++) {
    ind(2, `{`);
    ind(3, `let p = ${k};`);
    ind(3, `let max = Math.abs(a[aO + ${k * m + k}]);`);
    for (let r = k + 1; r < m; r++) {
      ind(3, `const v${r} = Math.abs(a[aO + ${r * m + k}]);`);
      ind(3, `if (v${r} > max) {`);
      ind(4, `max = v${r};`);
      ind(4, `p = ${r};`);
      ind(3, `}`);
    }
    ind(3, `piv[pv + ${k}] = p;`);
    ind(3, `if (!(max > 0) || !Number.isFinite(max)) return false;`);
    ind(3, `if (p !== ${k}) {`);
    ind(4, `const rp = aO + p * ${m};`);
    for (let j = 0; j < m; j++) {
      ind(4, `const t${j} = a[aO + ${k * m + j}];`);
      ind(4, `a[aO + ${k * m + j}] = a[rp + ${j}];`);
      ind(4, `a[rp + ${j}] = t${j};`);
    }
    ind(3, `}`);
    if (k < m - 1) {
      ind(3, `const inv = 1 / a[aO + ${k * m + k}];`);
      for (let r = k + 1; r < m; r++) {
        ind(3, `{`);
        ind(4, `const l = (a[aO + ${r * m + k}] *= inv);`);
        ind(4, `if (l !== 0) {`);
        for (let j = k + 1; j < m; j++) ind(5, `a[aO + ${r * m + j}] -= l * a[aO + ${k * m + j}];`);
        ind(4, `}`);
        ind(3, `}`);
      }
    } // the last column has no rows below (denseLuFactor's inverse there is unused)
    ind(2, `}`);
  }
  ind(2, `if (i < nBlocks - 1) {`);
  ind(3, `const uO = i * ${c * c};`);
  ind(3, `const xO = i * ${m * c};`);
  for (let b = 0; b < c; b++) {
    ind(3, `{`);
    ind(4, `col.fill(0);`);
    for (let q = 0; q < c; q++) ind(4, `col[${q}] = upper[uO + ${q * c + b}];`);
    ind(4, `for (let k = 0; k < ${m}; k++) {`);
    ind(5, `const p = piv[pv + k];`);
    ind(5, `if (p !== k) {`);
    ind(6, `const t = col[k];`);
    ind(6, `col[k] = col[p];`);
    ind(6, `col[p] = t;`);
    ind(5, `}`);
    ind(4, `}`);
    for (let q = 0; q < m; q++) ind(4, `let b${q} = col[${q}];`);
    substitution(m, ind, 4);
    for (let q = 0; q < m; q++) ind(4, `x[xO + ${q * c + b}] = b${q};`);
    ind(3, `}`);
  }
  ind(2, `}`);
  ind(1, `}`);
  ind(1, `return true;`);
  ind(0, `}`);
  return L.join('\n');
}

const header = `// Generated by scripts/gen-block-kernels.ts — do not edit; run \`npx tsx scripts/gen-block-kernels.ts\`.
// Unrolled solves of CoupledBlockTridiagonalLU (block-tridiagonal.ts): the same operations in the same order.

/** Block shapes with an unrolled solve ([m, c]). */
export const UNROLLED_SHAPES: readonly (readonly [number, number])[] = ${JSON.stringify(SHAPES)};
`;
/** The text of src/numerics/linalg/block-tridiagonal-kernels.ts (a test checks the committed file against it). */
export function blockKernelsSource(): string {
  return `${header}\n${SHAPES.map(([m, c]) => `${solveKernel(m, c)}\n\n${factorKernel(m, c)}`).join('\n\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('../src/numerics/linalg/block-tridiagonal-kernels.ts', import.meta.url), blockKernelsSource());
}
