# expect: GD2015
data X: [n, d] = load("../bad-lib/X.csv")
data y: [n] = load("../bad-lib/y5.csv")
param w: [d] = zeros
minimize f = mean((X @ w - y)^2) over w by gd(lr: 0.1) for 10 steps
