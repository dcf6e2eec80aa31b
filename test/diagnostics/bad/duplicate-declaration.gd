# expect: GD2002
param w: [3] = zeros
param w: [4] = ones
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
