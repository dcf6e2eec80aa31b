# expect: GD3015
data B: [6, 2] = randn(seed: 1)
param z: [6, 3] per B
minimize f = mean(z^2) over z by gd(lr: 0.1) for 10 steps
