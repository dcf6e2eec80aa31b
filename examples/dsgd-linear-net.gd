# examples/dsgd-linear-net.gd — std.dsgd: duality-structure gradient descent on a two-layer linear net
# f(W1, W2) = |X W1' W2' - Y|_F^2 / (2n). Each step updates only the block with the larger improvement
# bound Delta_i = |D_i f|_F^2 / (2 L_i), by D_i f / L_i, with the exact block smoothness constants
# L1 = lmax(W2'W2) lmax(X'X/n) and L2 = lmax(W1 X'X W1'/n): f(w+) <= f(w) - Delta_i at every step.
use std.dsgd
data X: [50, 5] = randn(seed: 1)
data M0: [3, 5] = randn(seed: 2)
data Y: [50, 3] = X @ M0.T + 0.3 * randn([50, 3], seed: 3)
param W1: [5, 5] = randn(seed: 4) * 0.5
param W2: [3, 5] = randn(seed: 5) * 0.5
let L1 = linear2_L1(W2, X)
let L2 = linear2_L2(W1, X)
minimize f = linear2_loss(W1, W2, X, Y) over W1, W2 in layerwise(frobenius, frobenius)
  by dsgd_bounds(L1: L1, L2: L2) for 400 steps
  log every 50: f, gain1 = dsgd_gain_fro(grad(f, W1), L1), gain2 = dsgd_gain_fro(grad(f, W2), L2),
    block = where(dsgd_gain_fro(grad(f, W1), L1) >= dsgd_gain_fro(grad(f, W2), L2), 1, 2)
