# expect: GD2012
param w: [3] = zeros
minimize f = sum(w^2, axes: 0) over w by gd(lr: 0.1) for 10 steps
