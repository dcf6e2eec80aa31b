# expect: GD3009
param d: [3] in ball(3, 0.1) = zeros
minimize f = sum(d^2) over d by gd(lr: 0.1) for 10 steps
