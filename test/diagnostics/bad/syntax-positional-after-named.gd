# expect: GD1010
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1, 0.5) for 10 steps
