# examples/simplex-mirror.gd — exponentiated gradient
data c: [1000] = rand(seed: 3)
param p: [1000] in simplex = uniform
minimize cost = dot(c, p) + 0.01 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0)
  for 200 steps
