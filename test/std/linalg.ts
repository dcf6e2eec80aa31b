/** Small float64 dense linear algebra for the std tests' independent references (row-major number[][]). */
export type M = number[][];

export const mat = (rows: number, cols: number, f: (i: number, j: number) => number): M =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));

/** Rows of a flat row-major tensor with `d` columns. */
export const rowsOf = (flat: ArrayLike<number>, d: number): M =>
  Array.from({ length: flat.length / d }, (_, i) => Array.from({ length: d }, (_, j) => flat[i * d + j]!));

/** Lower Cholesky factor of an SPD matrix. */
export function cholesky(a: M): M {
  const n = a.length;
  const L = mat(n, n, () => 0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = i === j ? Math.sqrt(s) : s / L[j]![j]!;
    }
  }
  return L;
}

/** Solves A x = b for SPD A (Cholesky). */
export function solveSpd(a: M, b: readonly number[]): number[] {
  const L = cholesky(a);
  const n = a.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k]![i]! * x[k]!;
    x[i] = s / L[i]![i]!;
  }
  return x;
}

export const logdetSpd = (a: M): number => 2 * cholesky(a).reduce((s, r, i) => s + Math.log(r[i]!), 0);

/** Mean and covariance (normalized by m) of the rows. */
export function meanCov(x: M): { mean: number[]; cov: M } {
  const m = x.length;
  const d = x[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / m);
  const cov = mat(d, d, (i, j) => x.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / m);
  return { mean, cov };
}

/** KL(N(mu, C) | N(0, S)). */
export function gaussianKl(mu: readonly number[], C: M, S: M): number {
  const d = C.length;
  let tr = 0;
  for (let j = 0; j < d; j++) tr += solveSpd(S, C.map((r) => r[j]!))[j]!;
  const Smu = solveSpd(S, mu);
  const quad = mu.reduce((s, v, i) => s + v * Smu[i]!, 0);
  return 0.5 * (tr + quad - d + logdetSpd(S) - logdetSpd(C));
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (float64, ascending). */
export function symmetricEigenvalues(a: M): number[] {
  const n = a.length;
  const A = a.map((r) => [...r]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (A[p]![q]! === 0) continue;
        const theta = (A[q]![q]! - A[p]![p]!) / (2 * A[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k]![p]!;
          const akq = A[k]![q]!;
          A[k]![p] = c * akp - s * akq;
          A[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p]![k]!;
          const aqk = A[q]![k]!;
          A[p]![k] = c * apk - s * aqk;
          A[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return A.map((r, i) => r[i]!).sort((x, y) => x - y);
}
