# expect: GD3024
use std.dsgd
param W1: [3, 3] = randn(seed: 1)
param W2: [2, 3] = randn(seed: 2)
minimize f = sum((W2 @ W1)^2) over W1, W2 in layerwise(frobenius, spectral) by dsgd_bounds(L1: 4) for 10 steps
