# expect: GD4005
data X: [4, 3] = load("../bad-lib/X.txt")
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
