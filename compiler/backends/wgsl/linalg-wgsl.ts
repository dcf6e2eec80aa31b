/**
 * Small dense linear algebra in WGSL (inv, solve, logdet) for the webgpu backend, where the host
 * float64 routines of the other backends would need a synchronous read-back that Dawn under Node does
 * not have. LU with partial pivoting as compiler/ir/ndarray.ts does it, by one thread, in f32, with
 * the output buffer as scratch: [n·n working matrix | n·k solution | log|det|].
 */

/** Output layout of the program for an n×n matrix and k right-hand sides. */
export function linalgLayout(n: number, k: number): { readonly size: number; readonly solution: number; readonly logdet: number } {
  return { size: n * n + n * k + 1, solution: n * n, logdet: n * n + n * k };
}

/** The user code: buffers `a` ([n, n]) and `b` ([n, k]); writes the layout above. */
export function linalgProgramCode(n: number, k: number): string {
  const nk = n * k;
  return `
fn main(index : i32) {
  _ = uniforms.NAN;
  if (index != 0) { return; }
  let X = ${n * n};
  for (var i : i32 = 0; i < ${n * n}; i = i + 1) { result[i] = f32(a[i]); }
  for (var i : i32 = 0; i < ${nk}; i = i + 1) { result[X + i] = f32(b[i]); }
  var logdet : f32 = 0.0;
  for (var c : i32 = 0; c < ${n}; c = c + 1) {
    var p = c;
    var best = abs(result[c * ${n} + c]);
    for (var r : i32 = c + 1; r < ${n}; r = r + 1) {
      let v = abs(result[r * ${n} + c]);
      if (v > best) { best = v; p = r; }
    }
    if (p != c) {
      for (var j : i32 = 0; j < ${n}; j = j + 1) {
        let t = result[c * ${n} + j];
        result[c * ${n} + j] = result[p * ${n} + j];
        result[p * ${n} + j] = t;
      }
      for (var j : i32 = 0; j < ${k}; j = j + 1) {
        let t = result[X + c * ${k} + j];
        result[X + c * ${k} + j] = result[X + p * ${k} + j];
        result[X + p * ${k} + j] = t;
      }
    }
    let piv = result[c * ${n} + c];
    logdet = logdet + log(abs(piv));
    for (var r : i32 = c + 1; r < ${n}; r = r + 1) {
      let f = result[r * ${n} + c] / piv;
      for (var j : i32 = c; j < ${n}; j = j + 1) { result[r * ${n} + j] = result[r * ${n} + j] - f * result[c * ${n} + j]; }
      for (var j : i32 = 0; j < ${k}; j = j + 1) { result[X + r * ${k} + j] = result[X + r * ${k} + j] - f * result[X + c * ${k} + j]; }
    }
  }
  for (var i : i32 = ${n} - 1; i >= 0; i = i - 1) {
    for (var j : i32 = 0; j < ${k}; j = j + 1) {
      var s = result[X + i * ${k} + j];
      for (var r : i32 = i + 1; r < ${n}; r = r + 1) { s = s - result[i * ${n} + r] * result[X + r * ${k} + j]; }
      result[X + i * ${k} + j] = s / result[i * ${n} + i];
    }
  }
  result[${n * n + nk}] = logdet;
}
`;
}
