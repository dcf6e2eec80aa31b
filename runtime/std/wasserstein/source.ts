/** The .gd source of std.wasserstein: energies of particle measures and Gaussian diagnostics, embedded so the browser has it too. */
export const WASSERSTEIN_SOURCE = `# std.wasserstein — energies of particle measures mu = mean_i delta(theta_i), theta: [m, d]
# (Bonet, Uscidda, David, Aubin-Frankowski, Korba, NeurIPS 2024)

# potential energy ∫V dmu for V(x) = x' Q x / 2 (with entropy: KL to N(0, inv(Q)) up to a constant)
def quadratic_energy(theta, Q) = mean(0.5 * sum((theta @ Q) * theta, axis: 1))

# the paper's interaction kernel W(z) = |z|^4/4 - |z|^2/2 averaged over all pairs: mean_ij W(x_i - x_j),
# which is ∬W dmu dmu = 2 × (½∬W); its minimizers put the particles on a ring of radius 1/sqrt(3)
def ring_energy(theta) = pairwise(theta, (x, y) => sum((x - y)^2)^2 / 4 - sum((x - y)^2) / 2)

# KL(N(m, C) | N(0, S)) between d-dimensional Gaussians (trace(solve(C, C)) = d)
def gaussian_kl(m, C, S) = 0.5 * (trace(solve(S, C)) + dot(m, solve(S, m)) - trace(solve(C, C)) + logdet(S) - logdet(C))

# KL(fit | N(0, S)) of the particles' Gaussian fit (mean and covariance normalized by m)
def particle_kl(theta, S) = gaussian_kl(mean(theta, axis: 0), cov(theta), S)

# mean distance of the particles from their mean (the ring radius)
def ring_radius(theta) = mean(sqrt(sum((theta - mean(theta, axis: 0))^2, axis: 1)))
`;
