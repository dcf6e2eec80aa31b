# expect: GD2010
param w: [3] = zeros
minimize f = sum(sqaure(w)) over w by gd(lr: 0.1) for 10 steps
