# expect: GD2019
param w: [3] = zeros
data y: [3] = w * 2
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
