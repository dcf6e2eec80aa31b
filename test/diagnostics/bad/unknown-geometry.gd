# expect: GD3002
param w: [3] = zeros
minimize f = sum(w^2) over w in miror(entropy) by gd(lr: 0.1) for 10 steps
