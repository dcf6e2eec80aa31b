# expect: GD3017
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
prune w keep 150% by magnitude
