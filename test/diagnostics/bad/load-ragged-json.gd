# expect: GD4002
data X: [2, 2] = load("../bad-lib/ragged.json")
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
