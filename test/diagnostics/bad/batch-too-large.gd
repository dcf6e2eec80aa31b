# expect: GD3023
data B: [6, 2] = randn(seed: 1) batch 10
param w: [2] = zeros
minimize f = mean((B @ w)^2) over w by sgd(lr: 0.1) for 10 steps
