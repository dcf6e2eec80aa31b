# examples/ridge.gd — LANGUAGE.md §4: ridge regression with named sizes, a let, and a logged gradient norm
dim n = 256
dim d = 16
const lam = 1e-3
data X: [n, d] = randn(seed: 7)
data w_true: [d] = randn(seed: 8)
data y: [n] = tanh(X @ w_true)
param w: [d] = zeros
let r = X @ w - y
minimize loss = 0.5 * mean(r^2) + lam * norm(w)^2
  over w
  by gd(lr: 0.1)
  for 500 steps
  log every 50: loss, gn = norm(grad(loss, w))
