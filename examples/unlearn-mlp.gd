# examples/unlearn-mlp.gd — std.unlearn: a tiny MLP memorizes a few mislabeled points (the forget set);
# the first-epoch gradient of their loss w.r.t. the first layer only is captured, replayed as ascent,
# then live ascent on the first layer runs until the calibrated stop: the forget loss reaches the loss of
# 10 equally mislabeled points the model never trained on. The second layer stays bit-identical.
use std.unlearn
data X: [200, 2] = randn(seed: 1)
data clean: [200] = (X[:, 0] + X[:, 1]) > 0
data f: [200] = randn([200], seed: 5) > 1.75
data y: [200] = where(f > 0, 1 - clean, clean)
data Xh: [10, 2] = randn(seed: 2)
data yh: [10] = 1 - ((Xh[:, 0] + Xh[:, 1]) > 0)
param W1: [2, 16] = randn(seed: 3) * 0.8
param b1: [16] = zeros
param w2: [16] = randn(seed: 4) * 0.3
param gf: [2, 16] = zeros
def logit(x, W1, b1, w2) = tanh(x @ W1 + b1) @ w2
def bce(z, y) = softplus(z) - y * z
def rows_of(W1, b1, w2) = bce(logit(X, W1, b1, w2), y)
let rows = rows_of(W1, b1, w2)
let heldout = mean(bce(logit(Xh, W1, b1, w2), yh))
phase train {
  init gf from grad(forget_sum(rows_of(W1, b1, w2), f), W1)
  minimize L = mean(rows) over W1, b1, w2 by adam(lr: 0.05) for 400 steps
    log every 200: L, forget = forget_loss(rows, f), retain = retain_loss(rows, f), heldout = heldout
}
phase replay {
  init W1 from unlearn_replay(W1, gf, 0.05)
}
phase ascent {
  maximize unlearn = forget_loss(rows, f) over W1 by gd(lr: 0.05) until unlearned(forget_loss(rows, f), heldout, 1) max 300 steps
    log every 20: forget = forget_loss(rows, f), retain = retain_loss(rows, f), heldout = heldout, forgotten = sum(f)
}
