# expect: GD3008
param p: [3] in simplx = uniform
minimize f = sum(p^2) over p by gd(lr: 0.1) for 10 steps
