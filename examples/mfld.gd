# examples/mfld.gd — mean-field Langevin dynamics for a two-layer mean-field network
use std.mfld
data X: [512, 8] = randn(seed: 0)
data y: [512] = tanh(X[:, 0] - X[:, 1])
particles theta: [1024, 9] = randn(seed: 1)
let f = mean(tanh(X @ theta[:, 0:8].T) * theta[:, 8], axis: 1)
minimize F = 0.5 * mean((f - y)^2) + 1e-4 * mean(sum(theta^2, axis: 1)) + 1e-3 * entropy(theta)
  over theta by gd(lr: 0.05) for 2000 steps log every 200: F
