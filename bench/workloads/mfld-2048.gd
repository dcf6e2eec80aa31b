# bench: mean-field Langevin dynamics, 2048 particles of dim 16 (15 input weights + 1 output
# weight) fitting a two-layer mean-field tanh network to 512 data points.
use std.mfld
data X: [512, 15] = randn(seed: 0)
data y: [512] = tanh(X[:, 0] - X[:, 1])
particles theta: [2048, 16] = randn(seed: 1)
let f = mean(tanh(X @ theta[:, 0:15].T) * theta[:, 15], axis: 1)
minimize F = 0.5 * mean((f - y)^2) + 1e-4 * mean(sum(theta^2, axis: 1)) + 1e-3 * entropy(theta)
  over theta by gd(lr: 0.05) for 100 steps
