# expect: GD2026
param w: [3] = zeros
minimize f = sum((x) => x) over w by gd(lr: 0.1) for 10 steps
