# expect: GD2029
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) until w < 1e-3
