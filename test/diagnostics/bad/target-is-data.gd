# expect: GD3001
data X: [5, 3] = randn(seed: 1)
data y: [5] = randn(seed: 2)
param w: [3] = zeros
minimize f = mean((X @ w - y)^2) over y by gd(lr: 0.1) for 10 steps
