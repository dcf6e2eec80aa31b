# examples/portfolio-mirror.gd — std.mirror: a simplex-constrained quadratic (mean–variance portfolio over
# 50 assets) solved by entropic mirror descent (exponentiated gradient, lr 2) and by projected gradient
# descent (lr 0.3: the euclidean step must stay below 2/L); both should reach the same objective
use std.mirror
dim k = 50
data F: [k, 5] = randn(seed: 4) * 0.3
data R: [k] = 0.05 + 0.02 * randn(seed: 5)
data Sigma: [k, k] = F @ F.T + 0.01 * eye(50)
param p: [k] in simplex = uniform
param q: [k] in simplex = uniform
def risk_return(w) = 0.5 * dot(w, Sigma @ w) - 0.5 * dot(R, w)
minimize mirror_obj = risk_return(p) over p in mirror(potential(neg_entropy)) by gd(lr: 2) for 300 steps
  log every 100: mirror_obj, support = sum(p > 1e-3), max_weight = max(p)
minimize projected_obj = risk_return(q) over q by gd(lr: 0.3) for 300 steps
  log every 100: projected_obj, mirror_minus_projected = risk_return(p) - projected_obj, support = sum(q > 1e-3)
