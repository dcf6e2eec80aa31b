# expect: GD2006
data X: [5, 3] = randn(seed: 1)
param w: [3] = zeros
minimize f = sum(mean(X, axis: 2) * 0) + sum(w^2) over w by gd(lr: 0.1) for 10 steps
