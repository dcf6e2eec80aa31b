# examples/least-squares.gd — the quick start
data X: [200, 10] = randn(seed: 1)
data w_true: [10] = randn(seed: 2)
data y: [200] = X @ w_true
param w: [10] = zeros
minimize loss = 0.5 * mean((X @ w - y)^2) over w by gd(lr: 0.1) for 300 steps
  log every 50: loss
