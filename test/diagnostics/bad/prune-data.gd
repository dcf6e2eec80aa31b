# expect: GD3016
data X: [3] = ones
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
prune X keep 10% by magnitude
