/** The .gd source of std.mfld: mean-field two-layer networks over particles, embedded so the browser has it too. */
export const MFLD_SOURCE = `# std.mfld — mean-field two-layer networks h_mu(z) = E_{(w, a)~mu} a act(<w, z>) (Nitanda, NeurIPS 2024)
# particles theta: [m, d + 1] hold (w_i, a_i); pass W = theta[:, 0:d] and a = theta[:, d].
# MFLD is the particle objective F(mu) + lam * entropy(theta), run with gd: the entropy becomes the
# Langevin noise sqrt(2 lr lam) xi of every particle.

# network outputs for inputs X: [n, d]: mean over the m units
def mf_tanh(X, W, a) = mean(tanh(X @ W.T) * a, axis: 1)
def mf_relu(X, W, a) = mean(relu(X @ W.T) * a, axis: 1)

# squared loss of the network and the L2 term ∫|x|^2 dmu of the mean-field objective
def half_mse(f, y) = 0.5 * mean((f - y)^2)
def second_moment(theta) = mean(sum(theta^2, axis: 1))
`;
