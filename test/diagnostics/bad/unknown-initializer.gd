# expect: GD2030
param w: [3] = zero
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
