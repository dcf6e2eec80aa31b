# examples/latent-vae-search.gd — std.latent: a tiny VAE with a cost head is trained end to end on 256
# designs x = tanh(A u) (a 2-D family in R^6) with cost |x - x_goal|^2, weighting examples by cost rank;
# then the model is frozen and 8 latent starts (the encoder means of 8 designs) descend
# c_hat(z) + lambda |z|^2 / 2. The log compares the decoded designs' true cost (mean over starts, best) with the starts' and the data's.
use std.latent
data U: [256, 2] = randn(seed: 1)
data A: [2, 6] = randn(seed: 2)
data X: [256, 6] = tanh(U @ A)
data x_goal: [6] = tanh([1.2, -0.8] @ A)
def true_cost(x) = sum((x - x_goal)^2, axis: 1)
data c: [256] = true_cost(X)
data w: [256] = rank_weights(c, 0.05)
param We: [6, 2] = randn(seed: 3) * 0.3
param be: [2] = zeros
param Wv: [6, 2] = zeros
param bv: [2] = zeros
param Wd: [2, 6] = randn(seed: 4) * 0.3
param bd: [6] = zeros
param Wc: [2, 16] = randn(seed: 5) * 0.5
param bc: [16] = zeros
param wc: [16] = randn(seed: 6) * 0.3
param zs: [8, 2] = zeros
def enc(x) = x @ We + be
def dec(z) = tanh(z @ Wd + bd)
def cost_head(z) = softplus(tanh(z @ Wc + bc) @ wc)
let mu = enc(X)
let logvar = X @ Wv + bv
let z = reparam(mu, logvar, randn([256, 2]))
phase train {
  minimize vae = mean(w * (sum((dec(z) - X)^2, axis: 1) + 0.01 * gauss_kl_rows(mu, logvar) + (cost_head(mu) - c)^2))
    over We, be, Wv, bv, Wd, bd, Wc, bc, wc by adam(lr: 0.02) for 1500 steps
    log every 500: vae, recon = mean(sum((dec(mu) - X)^2, axis: 1)), cost_mse = mean((cost_head(mu) - c)^2)
}
init zs from enc(X[0:8, :])
phase search {
  minimize J = latent_objective(cost_head(zs), zs, 0.1) over zs by gd(lr: 0.05) for 100 steps
    log every 25: J, predicted = mean(cost_head(zs)), found = mean(true_cost(dec(zs))), found_best = min(true_cost(dec(zs))),
      start_mean = mean(c[0:8]), data_best = min(c)
}
