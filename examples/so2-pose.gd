# examples/so2-pose.gd — std.semiamortized on the SO(2) pose toy: 64 images y_i = R(phi_i) P + 0.05 noise of
# 20 template points. Stage 1 (amortized): three pose heads per image (here the heads' outputs are params,
# offset +pi/2, +0.01, -2 from the truth) under the winner-takes-all loss. Stage 2 (auto-decoding): per-image
# latents z on top of the best head's pose, lazy Adam (lr 0.05, betas 0.9/0.9) on batches of 16 images,
# 5 steps per batch, 30 epochs; then z is folded into the pose and reset.
use std.semiamortized
data px: [20] = randn(seed: 1)
data py: [20] = randn(seed: 2)
data phi_true: [64] = 6.2832 * rand([64], seed: 3)
data Yx: [64, 20] = so2_x(phi_true, px, py) + 0.05 * randn([64, 20], seed: 4)
data Yy: [64, 20] = so2_y(phi_true, px, py) + 0.05 * randn([64, 20], seed: 5)
data Bx: [64, 20] = Yx batch 16
data By: [64, 20] = Yy batch 16
data pc: [64] = so2_procrustes_cos(px, py, Yx, Yy)
data ps: [64] = so2_procrustes_sin(px, py, Yx, Yy)
param heads: [64, 3] = outer(phi_true, [1, 1, 1]) + [1.5708, 0.01, -2]
param pose: [64] per Bx = zeros
param z: [64] per Bx = zeros
param final: [64] = zeros
phase amortized {
  minimize wta = wta_loss(so2_losses(heads, px, py, Yx, Yy)) over heads by gd(lr: 0.05) for 20 steps
    log every 20: wta, winners = sum(wta_winner(so2_losses(heads, px, py, Yx, Yy)), axis: 0)
}
init pose from best_head(heads, so2_losses(heads, px, py, Yx, Yy)) + 0.5 * (rand([64], seed: 6) - 0.5)
phase decode {
  minimize fit = sum(so2_loss(pose + z, px, py, Bx, By)) over z by adam(lr: 0.05, beta1: 0.9, beta2: 0.9, batch_steps: 5) for 600 steps
}
init pose from pose + z
init z from z * 0
init final from pose
phase report {
  minimize full = sum(so2_loss(final, px, py, Yx, Yy)) over final by gd(lr: 0) until 1 > 0 max 1 steps
    log every 1: full, err_mean = mean(sqrt(2 - 2 * (cos(final) * pc + sin(final) * ps))), err_max = max(sqrt(2 - 2 * (cos(final) * pc + sin(final) * ps)))
}
