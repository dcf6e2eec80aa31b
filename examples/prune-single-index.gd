# examples/prune-single-index.gd — std.prune: learning the sparse feature v of y = <v, x>^2 - 1 in d = 1000
# from n = 2000 samples. The even Hermite statistic E[y (x_i^2 - 1)] = 2 v_i^2 picks the support, the prune
# mask keeps those 5 coordinates, and spherical GD on -E[y He2(<w, x>)] inside the mask finds v.
use std.prune
dim n = 2000
dim d = 1000
data X: [n, d] = randn(seed: 1)
data v: [d] = (one_hot(17, d) - one_hot(342, d) + one_hot(500, d) + one_hot(731, d) - one_hot(998, d)) / sqrt(5)
data y: [n] = (X @ v)^2 - 1
data w0: [d] = randn(seed: 2)
param w: [d] = w0
init w from abs(hermite2_stat(X, y))
prune w keep 5 by magnitude
init w from unit(w0 * (w != 0))
minimize corr = corr2_loss(w, X, y) over w in sphere by gd(lr: 0.5) for 200 steps
  log every 50: corr, overlap = abs(dot(w, v)), norm_w = norm(w), support_hit = sum((w != 0) * (v != 0))
