# expect: GD2017
data X: [5, 3] = randn(seed: 1)
data y: [4] = X @ ones([3])
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
