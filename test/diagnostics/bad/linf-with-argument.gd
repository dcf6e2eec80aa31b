# expect: GD3013
param w: [3] = zeros
minimize f = sum(w^2) over w in linf(2) by gd(lr: 0.1) for 10 steps
