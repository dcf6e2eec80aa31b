# expect: GD2022
def sq(x) = x^2
param w: [3] = zeros
minimize f = sum(sq * w) over w by gd(lr: 0.1) for 10 steps
