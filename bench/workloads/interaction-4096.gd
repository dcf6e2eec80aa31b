# bench: Wasserstein gradient flow of Bonet et al.'s interaction energy W(z) = |z|^4/4 - |z|^2/2
# for 4096 particles in 2-D: every step touches all 4096^2 pairs (std.wasserstein ring_energy).
use std.wasserstein
particles theta: [4096, 2] = 0.25 * randn(seed: 3)
minimize half_W = 0.5 * ring_energy(theta) over theta by gd(lr: 0.01) for 20 steps
