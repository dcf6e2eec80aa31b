# expect: GD3005
param w: [3] = zeros
minimize f = sum(w^2) over w by gd() for 10 steps
