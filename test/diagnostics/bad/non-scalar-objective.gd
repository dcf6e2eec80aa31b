# expect: GD2009
data X: [5, 3] = randn(seed: 1)
param w: [3] = zeros
minimize f = (X @ w)^2 over w by gd(lr: 0.1) for 10 steps
