# expect: GD2011
param w: [3] = zeros
minimize f = sum(clip(w, 0)) over w by gd(lr: 0.1) for 10 steps
