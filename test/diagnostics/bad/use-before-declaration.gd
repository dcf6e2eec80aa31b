# expect: GD2001
let r = w * 2
param w: [3] = zeros
minimize f = sum(r^2) over w by gd(lr: 0.1) for 10 steps
