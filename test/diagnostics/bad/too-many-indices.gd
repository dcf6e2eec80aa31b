# expect: GD2008
param w: [3] = zeros
minimize f = w[0, 1]^2 over w by gd(lr: 0.1) for 10 steps
