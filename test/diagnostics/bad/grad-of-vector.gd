# expect: GD2009
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps log every 5: grad(w^2, w)
