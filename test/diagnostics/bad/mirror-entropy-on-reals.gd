# expect: GD3006
data c: [3] = rand(seed: 3)
param w: [3] = zeros
minimize f = dot(c, w) over w in mirror(entropy) by gd(lr: 0.1) for 10 steps
