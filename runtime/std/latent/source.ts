/** The .gd source of std.latent: Gaussian VAE pieces, the latent-search objective and cost-rank weights. */
export const LATENT_SOURCE = `# std.latent — CircuitVAE-style search in a learned latent space (Song et al., DAC 2024), reconstructed:
# train a VAE with a cost head end to end (reconstruction + beta KL + alpha cost MSE, cost-rank weighted),
# then freeze it and run gradient descent on a batch of latent starts:
#   z <- z - eta grad_z [c_hat(z) + lambda |z|^2 / 2]     (\`minimize ... over z\`: the surrogate is not a target)

# KL(N(mu, diag exp(logvar)) | N(0, I)): the whole tensor, and per row of [n, k] batches
def gauss_kl(mu, logvar) = 0.5 * sum(exp(logvar) + mu^2 - 1 - logvar)
def gauss_kl_rows(mu, logvar) = 0.5 * sum(exp(logvar) + mu^2 - 1 - logvar, axis: 1)
# the reparameterized sample mu + sigma eps (eps = randn(shape) inside the step)
def reparam(mu, logvar, eps) = mu + exp(0.5 * logvar) * eps
# the latent-search objective of a batch of starts z: [s, k] with per-start surrogate costs c: [s]
def latent_objective(c, z, lambda) = sum(c) + lambda * sum(z^2) / 2
# rank of each cost among all (0 = best; ties share the lower rank) and CircuitVAE's rank weights
# w_i = 1/(k n + rank_i), normalized to mean 1 (k small: emphasis on the best designs)
def cost_rank(c) = sum(outer(c * 0 + 1, c) < outer(c, c * 0 + 1), axis: 1)
def rank_weights(c, k) = (1 / (k * sum(c * 0 + 1) + cost_rank(c))) / mean(1 / (k * sum(c * 0 + 1) + cost_rank(c)))
# the surrogate quadratic of the reproduction: c_hat(z) = (z - zc)' H (z - zc) / 2, per row of z: [s, k]
def quad_cost(z, zc, H) = 0.5 * sum(((z - zc) @ H) * (z - zc), axis: 1)
`;
