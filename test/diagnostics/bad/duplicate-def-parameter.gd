# expect: GD2002
def f(x, x) = x * 2
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
