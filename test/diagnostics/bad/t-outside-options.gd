# expect: GD2001
param w: [3] = zeros
minimize f = sum(w^2) * t over w by gd(lr: 0.1) for 10 steps
