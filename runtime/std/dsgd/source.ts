/** The .gd source of std.dsgd: improvement bounds (Frobenius, linf, spectral), lmax by repeated squaring, and the two-layer linear net's block bounds. */
export const DSGD_SOURCE = `# std.dsgd — duality-structure gradient descent (Flynn): per-block norms (layerwise geometry),
# per-block smoothness bounds L_i, greedy choice of the block with the largest improvement bound.
# Method dsgd_bounds(L1: ..., L2: ..., scale: 1) here; the core dsgd(lr) takes every L_i = 1/lr.

# improvement bounds Delta = |g|_*^2 / (2 L) for the block norms whose dual norm is a plain reduction
def dsgd_gain_fro(g, L) = sum(g^2) / (2 * L)
def dsgd_gain_linf(g, L) = sum(abs(g))^2 / (2 * L)

# spectral blocks: the dual norm is the nuclear norm |G|_* = <U V', G>, with the polar factor U V' by the
# same 30 Newton–Schulz steps X <- 1.5 X - 0.5 X X'X from G/|G|_F that layerwise(spectral) uses (singular
# values below about 1e-4 |G|_F count as zero there and here)
def _dsgd_ns(X) = 1.5 * X - 0.5 * X @ (X.T @ X)
def _dsgd_ns5(X) = _dsgd_ns(_dsgd_ns(_dsgd_ns(_dsgd_ns(_dsgd_ns(X)))))
def dsgd_polar(G) = _dsgd_ns5(_dsgd_ns5(_dsgd_ns5(_dsgd_ns5(_dsgd_ns5(_dsgd_ns5(G / sqrt(sum(G^2))))))))
def dsgd_nuclear(G) = sum(dsgd_polar(G) * G)
def dsgd_gain_spectral(g, L) = dsgd_nuclear(g)^2 / (2 * L)

# the largest eigenvalue of a symmetric positive semidefinite matrix: 12 normalized squarings give
# P = A^4096 / trace(A^4096), the projector onto the top eigenspace once (l2/l1)^4096 underflows, and
# trace(A P) is the Rayleigh quotient (from below, exact in float32 for an eigen-gap of 1% or more)
def _dsgd_sq(M) = (M @ M) / trace(M @ M)
def _dsgd_sq4(M) = _dsgd_sq(_dsgd_sq(_dsgd_sq(_dsgd_sq(M))))
def lmax(A) = trace(A @ _dsgd_sq4(_dsgd_sq4(_dsgd_sq4(A / trace(A)))))

# the two-layer linear net f(W1, W2) = |X W1' W2' - Y|_F^2 / (2 n), rows of X: [n, dx] and Y: [n, dy],
# W1: [dh, dx], W2: [dy, dh]. f is quadratic in each block; its Frobenius smoothness constants are exact:
# the Hessian in W1 is (W2'W2) kron (X'X/n), in W2 it is I kron (W1 X'X W1'/n)
def linear2_loss(W1, W2, X, Y) = sum((X @ W1.T @ W2.T - Y)^2) / (2 * sum(X[:, 0] * 0 + 1))
def linear2_L1(W2, X) = lmax(W2.T @ W2) * lmax(X.T @ X / sum(X[:, 0] * 0 + 1))
def linear2_L2(W1, X) = lmax(W1 @ X.T @ X @ W1.T / sum(X[:, 0] * 0 + 1))
# spectral-norm blocks: |W2 V X'|_F <= |W2|_2 |V|_2 |X|_F and |V W1 X'|_F <= |V|_2 |W1 X'|_F bound the
# curvature along any V with |V|_2 = 1 (valid bounds, not tight: |X|_F^2 sums every singular value of X)
def linear2_L1_spectral(W2, X) = lmax(W2.T @ W2) * sum(X^2) / sum(X[:, 0] * 0 + 1)
def linear2_L2_spectral(W1, X) = sum((X @ W1.T)^2) / sum(X[:, 0] * 0 + 1)
`;
