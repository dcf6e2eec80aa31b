# examples/wasserstein-ring.gd — std.wasserstein: 100 particles under the interaction energy
# W(z) = |z|^4/4 − |z|^2/2 (Bonet et al.) settle on a ring of radius 1/sqrt(3) = 0.57735 with
# ∬W dmu dmu → −1/6 (the test runs the paper's 200 particles, tau 0.01, 2000 steps; this is a lighter run).
# The objective is the paper's ½∬W; E logs ∬W = mean_ij W(x_i − x_j).
use std.wasserstein
particles theta: [100, 2] = 0.25 * randn(seed: 3)
minimize half_W = 0.5 * ring_energy(theta) over theta by gd(lr: 0.02) for 1000 steps
  log every 250: E = ring_energy(theta), radius = ring_radius(theta), spread = max(abs(sqrt(sum((theta - mean(theta, axis: 0))^2, axis: 1)) - ring_radius(theta)))
