# examples/mfld-regression.gd — std.mfld: a mean-field two-layer tanh network trained by mean-field Langevin
# dynamics (particles + entropy) on a small regression task, with a held-out test set
use std.mfld
dim n = 128
dim m = 256
const lam = 1e-4
data X: [n, 3] = randn(seed: 0)
data y: [n] = tanh(2 * X[:, 0] - X[:, 1]) + 0.5 * X[:, 2]
data Xt: [n, 3] = randn(seed: 7)
data yt: [n] = tanh(2 * Xt[:, 0] - Xt[:, 1]) + 0.5 * Xt[:, 2]
# each particle is one hidden unit (w_i in R^3, a_i): h_mu(z) = mean_i a_i tanh(<w_i, z>)
particles theta: [m, 4] = randn(seed: 1)
minimize F = half_mse(mf_tanh(X, theta[:, 0:3], theta[:, 3]), y) + 1e-3 * second_moment(theta) + lam * entropy(theta)
  over theta by gd(lr: 0.5) for 400 steps
  log every 100: F, train_mse = mse(mf_tanh(X, theta[:, 0:3], theta[:, 3]), y), test_mse = mse(mf_tanh(Xt, theta[:, 0:3], theta[:, 3]), yt)
