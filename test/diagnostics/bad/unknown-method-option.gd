# expect: GD3004
param w: [3] = zeros
minimize f = sum(w^2) over w by momentum(lr: 0.1, beta1: 0.9) for 10 steps
