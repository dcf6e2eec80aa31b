# expect: GD3022
data X: [3] = ones
param w: [3] = zeros
init X from w * 2
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
