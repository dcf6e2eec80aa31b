# expect: GD2016
data A: [2, 2] = [[1, 0], [0, 1, 2]]
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
