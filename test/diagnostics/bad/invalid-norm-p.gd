# expect: GD2027
param w: [3] = zeros
minimize f = norm(w, p: 3) over w by gd(lr: 0.1) for 10 steps
