# expect: GD2019
data X: [5, 3] = randn(seed: 1)
dim n = sum(X)
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
