# examples/phases.gd — LANGUAGE.md §5: phases share params; a short warm-up with gd, then Adam.
# `minimize loss over w` (no `= EXPR`) optimizes the let named `loss`.
data X: [128, 8] = randn(seed: 11)
data w_true: [8] = randn(seed: 12)
data y: [128] = X @ w_true
param w: [8] = zeros
let loss = 0.5 * mean((X @ w - y)^2)
phase warmup { minimize loss over w by gd(lr: 0.01) for 100 steps }
phase main   { minimize loss over w by adam(lr: 0.05) for 400 steps log every 100: loss }
save w to "w.json"
