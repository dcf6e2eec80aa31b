# Run control the examples do not cover: batches, a `per` param, `until ... max`, momentum state, records,
# langevin noise, an unseeded initializer (test/unit/emit-control.test.ts runs it against gd run).
data X: [40, 3] = randn(seed: 4)
data Y: [40, 2] = X[:, 0:2] * 2 batch 8
param z: [40, 2] per Y = zeros
param w: [3] = zeros
minimize fit = mean((Y - z)^2) + 0.1 * mean((X @ w - 1)^2) over z, w by momentum(lr: 0.5, beta: 0.5)
  until norm(grad(fit, w)) < 0.01 max 60 steps
  log every 7: fit, gw = norm(grad(fit, w))
  record fit every 5 to "fit.csv"
param u: [3] = randn()
minimize g = sum((u - w)^2) + 0.01 * sum(randn([3]) * u) over u by langevin(lr: 0.01, temperature: 0.1) for 9 steps log every 4: g
