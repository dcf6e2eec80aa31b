# expect: GD3006
data c: [3] = rand(seed: 3)
param p: [3] in simplex = uniform
minimize f = dot(c, p) over p in mirror(burg) by gd(lr: 0.1) for 10 steps
