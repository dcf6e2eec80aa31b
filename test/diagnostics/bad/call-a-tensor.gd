# expect: GD2025
data X: [3] = ones
param w: [3] = zeros
minimize f = sum(X(w)) over w by gd(lr: 0.1) for 10 steps
