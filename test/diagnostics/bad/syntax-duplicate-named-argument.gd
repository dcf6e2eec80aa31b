# expect: GD1011
param w: [3] = zeros
minimize f = sum(w^2) over w by adam(lr: 0.1, lr: 0.2) for 10 steps
