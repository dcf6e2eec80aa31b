# expect: GD2018
def even(x) = odd(x) + 1
def odd(x) = even(x) - 1
param w: [3] = zeros
minimize f = sum(even(w)) over w by gd(lr: 0.1) for 10 steps
