# examples/wasserstein-ring.gd — std.wasserstein: 200 particles under the interaction energy
# W(z) = |z|^4/4 − |z|^2/2 (Bonet et al.) settle on a ring of radius 1/sqrt(3) = 0.57735 with
# ∬W dmu dmu → −1/6. The objective is the paper's ½∬W; E logs ∬W = mean_ij W(x_i − x_j).
use std.wasserstein
particles theta: [200, 2] = 0.25 * randn(seed: 3)
minimize half_W = 0.5 * ring_energy(theta) over theta by gd(lr: 0.01) for 2000 steps
  log every 500: E = ring_energy(theta), radius = ring_radius(theta), spread = max(abs(sqrt(sum((theta - mean(theta, axis: 0))^2, axis: 1)) - ring_radius(theta)))
