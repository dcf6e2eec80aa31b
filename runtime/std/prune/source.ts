/** The .gd source of std.prune: Hermite statistics and polynomials, the single-index correlation loss, unit normalization. */
export const PRUNE_SOURCE = `# std.prune — pruning for sparse features (Vural, Erdogdu), reconstructed: per-coordinate Hermite
# statistics pick the kept coordinates (\`init w from hermite2_stat(X, y)\`, \`prune w keep k by magnitude\`),
# the first layer is masked outside them and trained by spherical GD (geometry \`sphere\`) on the correlation loss.

# probabilists' Hermite polynomials
def he1(u) = u
def he2(u) = u^2 - 1
def he3(u) = u^3 - 3 * u
# per-coordinate Hermite statistics of data X: [n, d] and labels y: [n] (odd: E[y x_i], even: E[y (x_i^2 - 1)])
def hermite1_stat(X, y) = mean(y * X.T, axis: 1)
def hermite2_stat(X, y) = mean(y * (X.T^2 - 1), axis: 1)
# the correlation loss -E[y He_k(<w, x>)] of a single-index model with link He_k
def corr2_loss(w, X, y) = -mean(y * he2(X @ w))
def corr1_loss(w, X, y) = -mean(y * he1(X @ w))
# the unit vector along w
def unit(w) = w / norm(w)
`;
