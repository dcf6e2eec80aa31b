# expect: GD1001
param w: [3] = zeros
let a = w $ 2
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
