# bench: entropic mirror descent (exponentiated gradient) on a 1,000,000-dim simplex with a
# separable objective: linear cost plus a small negative-entropy term. Bandwidth-bound.
dim n = 1000000
data c: [n] = rand(seed: 3)
param p: [n] in simplex = uniform
minimize cost = dot(c, p) + 0.01 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0)
  for 100 steps
