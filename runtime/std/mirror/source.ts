/** The .gd source of std.mirror: classical mirror potentials and their Bregman divergences, embedded so the browser has it too. */
export const MIRROR_SOURCE = `# std.mirror — classical mirror maps, written as potentials for mirror(potential(phi)) (closed forms are
# recognized: neg_entropy → the log-domain entropic step, burg_entropy → burg, half_sq → euclidean)

# negative entropy on the simplex or the positive orthant (exponentiated gradient)
def neg_entropy(x) = sum(x * log(x))
# Burg entropy on the positive orthant
def burg_entropy(x) = -sum(log(x))
# the euclidean potential (mirror descent = gradient descent)
def half_sq(x) = 0.5 * sum(x^2)
# the box (-1, 1)^d potential of Bonet et al. (no closed form recognized here: Newton steps; std.wasserstein has box_mirror)
def box_potential(x) = -sum(log(1 - x)) - sum(log(1 + x))

# Bregman divergences D_phi(p, q) of the potentials above
def kl_div(p, q) = sum(p * log(p / q)) - sum(p) + sum(q)
def itakura_saito(p, q) = sum(p / q - log(p / q) - 1)
def half_sq_dist(p, q) = 0.5 * sum((p - q)^2)

# the entropy-regularized linear program's solution on the simplex: softmax(-c / eps)
def gibbs_simplex(c, eps) = softmax(-c / eps)
`;
