# examples/sketch-decode.gd — std.sketch: output-kernel regression with a Gaussian sketch. Outputs are unit
# vectors y = normalize(x W) (cosine kernel); the sketched basis A (8 sketch rows, p = 4) gives coordinates
# z(y) = A' R k(Y_tr, y); a small MLP h is fitted to them by heavy-ball momentum on minibatches of 32 (sketched surrogate MSE),
# and validation inputs are decoded over the 64 validation outputs as candidates.
use std.sketch
data X: [256, 6] = randn(seed: 1)
data W: [6, 4] = randn(seed: 2)
data Ytr: [256, 4] = k_cosine(X @ W, eye(4))
data R: [8, 256] = sketch_gaussian(randn([8, 256], seed: 3))
data A: [8, 4] = sketch_basis_features(R @ Ytr)
data Ztr: [256, 4] = sketch_coords(k_cosine(Ytr, Ytr), R, A)
data Xb: [256, 6] = X batch 32
data Zb: [256, 4] = Ztr batch 32
data Xv: [64, 6] = randn(seed: 4)
data Yv: [64, 4] = k_cosine(Xv @ W, eye(4))
data Zc: [64, 4] = sketch_coords(k_cosine(Yv, Ytr), R, A)
data truth: [64, 64] = eye(64)
param W1: [6, 32] = randn(seed: 5) * 0.4
param b1: [32] = zeros
param W2: [32, 4] = randn(seed: 6) * 0.2
def h(x) = tanh(x @ W1 + b1) @ W2
minimize surrogate = sketch_mse(h(Xb), Zb) over W1, b1, W2 by momentum(lr: 0.05, beta: 0.9) for 1500 steps
  log every 500: surrogate, basis_err = max(abs(A.T @ R @ k_cosine(Ytr, Ytr) @ R.T @ A - eye(4))),
    val_mse = sketch_mse(h(Xv), sketch_coords(k_cosine(Yv, Ytr), R, A)),
    accuracy = mean(decode_hits(sketch_scores(h(Xv), Zc, 1), truth))
