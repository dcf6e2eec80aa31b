# expect: GD2014
dim n = 2.5
param w: [n] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
