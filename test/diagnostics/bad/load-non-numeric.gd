# expect: GD4004
data X: [2, 2] = load("../bad-lib/words.csv")
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
