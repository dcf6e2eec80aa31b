# examples/longrun-double-well.gd — std.longrun: 8192 independent SGD chains on a tilted double well,
# x ← x − eta (f'(x) + N(0, 1)); after a burn-in their occupancy is compared with the Gibbs law
# exp(−2 f / (eta s²)). The run folder gets occupancy.csv (per record), occupancy-mean.csv and occupancy.svg.
use std.longrun
dim chains = 8192
const eta = 0.2
param x: [chains] = zeros
data lo: [24] = [-2.4, -2.2, -2, -1.8, -1.6, -1.4, -1.2, -1, -0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.2]
data hi: [24] = lo + 0.2
data centers: [24] = lo + 0.1
def f(x) = (x^2 - 1)^2 / 4 + 0.05 * x
data gibbs: [24] = gibbs_bins(f(centers), eta, 1)

# chains start at 0; the slower well-to-well relaxation (~150 steps at eta 0.2) is over after 1000
phase burn_in { minimize energy = sum(f(x)) over x by sgd(lr: eta, noise: 1) for 1000 steps }
phase sample {
  minimize energy = sum(f(x)) over x by sgd(lr: eta, noise: 1) for 1500 steps
    record occupancy = occupancy(x, lo, hi), gibbs = gibbs, centers = centers every 100 to "occupancy.csv"
    log every 500: log_ratio = log_ratio(x), gibbs_log_ratio = log(sum(gibbs * (centers < 0)) / sum(gibbs * (centers > 0))),
      tv = tv_distance(occupancy(x, lo, hi), gibbs)
}
