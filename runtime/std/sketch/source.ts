/** The .gd source of std.sketch: output-kernel sketches, the sketched basis (features, or coupled Newton–Schulz), coordinates, surrogate loss and decoding. */
export const SKETCH_SOURCE = `# std.sketch — deep sketched output kernel regression (El Ahmad, Yang, Laforgue, d'Alché-Buc):
# sketch R: [m, n], K~ = R K_Y R', basis A with A' K~ A = I on the range of K~, output coordinates
# z(y) = A' R k_Y(Y_tr, y); a network h: X -> R^m is fitted by MSE to z(y_i); decoding picks the candidate
# maximizing 2 z(y)' h(x) - k(y, y).
# No eigen op: for kernels with explicit features (linear, cosine), K~ = F F' with F = R Phi(Y_tr) and
# A = F inv(F'F) spans the range of K~ with A'K~A = I_p (p = feature dim, m >= rank) — the paper's
# V_p D_p^(-1/2) up to a rotation, which changes neither the MSE nor the decoding scores. For other kernels
# A = (K~ + eps tr(K~) I)^(-1/2) by 32 coupled Newton–Schulz steps: A'K~A = I for full-rank K~, and for a
# rank-deficient one (eps > 0) nearly the projector onto its range, the paper's non-null eigenpairs in R^m.

# sketches: sub-sampling (S = one_hot(idx, n): rows idx of the identity, scaled sqrt(n/m)) and Gaussian N(0, 1/m)
def sketch_subsample(S) = S * sqrt(sum(S[0, :] * 0 + 1) / sum(S[:, 0] * 0 + 1))
def sketch_gaussian(G) = G / sqrt(sum(G[:, 0] * 0 + 1))

# kernels between the rows of two output tables
def k_linear(A, B) = A @ B.T
def k_cosine(A, B) = (A.T / sqrt(sum(A^2, axis: 1))).T @ (B.T / sqrt(sum(B^2, axis: 1)))
def k_rbf(A, B, s) = exp(-sqdist(A, B) / (2 * s^2))

# the basis from explicit output features F = R Phi(Y_tr): [m, p]
def sketch_basis_features(F) = F @ inv(F.T @ F)
# B^(-1/2) of an SPD matrix by the coupled Newton–Schulz iteration (Higham, Functions of Matrices §6.5), which
# is stable where the uncoupled one amplifies rounding once converged: the pair P = [Y, Z] (stacked [2, m, m])
# starts at [B/c, I], c = tr B, and steps T = (3I - Z Y)/2, Y <- Y T, Z <- T Z, so Y -> (B/c)^(1/2) and
# Z -> (B/c)^(-1/2). Eigenvalues of B/c lie in (0, 1]; the smallest, mu, needs about log(1/mu)/log(2.25)
# linear steps then a few quadratic ones: 32 steps reach mu down to about 1e-7 (tr B/lambda_min up to 1e7),
# and the extra steps of better-conditioned B change nothing (stability)
def _sk_eye(B) = diag(diag(B) * 0 + 1)
def _sk_pair(Y, Z, T) = [Y @ T, T @ Z]
def _sk_ns(P) = _sk_pair(P[0], P[1], 1.5 * _sk_eye(P[0]) - 0.5 * P[1] @ P[0])
def _sk_ns4(P) = _sk_ns(_sk_ns(_sk_ns(_sk_ns(P))))
def _sk_ns32(P) = _sk_ns4(_sk_ns4(_sk_ns4(_sk_ns4(_sk_ns4(_sk_ns4(_sk_ns4(_sk_ns4(P))))))))
def inv_sqrt_spd(B) = _sk_ns32([B / trace(B), _sk_eye(B)])[1] / sqrt(trace(B))
def sketch_basis(Kt, eps) = inv_sqrt_spd(Kt + eps * trace(Kt) * _sk_eye(Kt))

# output coordinates of outputs whose kernel rows against the training outputs are Kq: [N, n]
def sketch_coords(Kq, R, A) = Kq @ R.T @ A
# the surrogate loss of predictions H: [N, m] against coordinates Z: [N, m]
def sketch_mse(H, Z) = mean(sum((H - Z)^2, axis: 1))
# linear kernel: the pre-image of coordinates Z is Z A' R Y_tr
def sketch_preimage_linear(Z, A, R, Ytr) = Z @ A.T @ R @ Ytr
# decoding over candidates: scores [N, C] = 2 h z(c)' - k(c, c); hits: 1 where the true candidate scores highest
def sketch_scores(H, Zc, kcc) = 2 * H @ Zc.T - kcc
def decode_hits(scores, truth) = sum((scores.T == max(scores, axis: 1)).T * truth, axis: 1)
`;
