# expect: GD2001
param w: [3] = zeros
minimize f = sum((w - target)^2) over w by gd(lr: 0.1) for 10 steps
