# examples/ifgsm.gd — iterative FGSM as signed gradient ascent in the linf geometry
use std.infinity
data x0: [784] = load("digit.json")
data W: [784, 10] = load("weights.json")
data label: [10] = one_hot(3, 10)
param delta: [784] in ball(inf, 0.1) = zeros
maximize attack = cross_entropy((x0 + delta) @ W, label) over delta in linf by gd(lr: 0.01)
  for 20 steps
