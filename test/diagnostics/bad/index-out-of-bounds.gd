# expect: GD2007
param w: [3] = zeros
minimize f = w[3]^2 over w by gd(lr: 0.1) for 10 steps
