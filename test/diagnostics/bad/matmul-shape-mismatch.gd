# expect: GD2005
data A: [3, 4] = randn(seed: 1)
data b: [5] = randn(seed: 2)
param x: [4] = zeros
minimize f = sum((A @ x)^2) + sum(A @ b) over x by gd(lr: 0.1) for 3 steps
