# expect: GD3011
param w: [3] = zeros
minimize f = sum(w^2) over w, w by gd(lr: 0.1) for 10 steps
