# examples/methods.gd — the same objective under different methods and a schedule, one solve each
data A: [6, 6] = randn(seed: 21)
data b: [6] = randn(seed: 22)
param x: [6] = zeros
param u: [6] = zeros
param v: [6] = zeros
minimize f1 = 0.5 * mean((A @ x - b)^2) over x by momentum(lr: 0.05, beta: 0.9) for 200 steps
minimize f2 = 0.5 * mean((A @ u - b)^2) over u by nesterov(lr: 0.05, beta: 0.9, clip: 1.0) for 200 steps
minimize f3 = 0.5 * mean((A @ v - b)^2) over v by adam(lr: cosine(0.1, 300)) for 300 steps
  log every 100: f3
