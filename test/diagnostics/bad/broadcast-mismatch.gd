# expect: GD2004
data y: [4] = randn(seed: 1)
param w: [3] = zeros
minimize f = mean((w - y)^2) over w by gd(lr: 0.1) for 10 steps
