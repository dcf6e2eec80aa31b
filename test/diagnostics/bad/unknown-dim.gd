# expect: GD2013
data X: [n, 3] = randn(seed: 1)
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
