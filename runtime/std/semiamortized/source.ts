/** The .gd source of std.semiamortized: winner-takes-all losses, best-head selection, and the SO(2) pose toy's renderer and loss. */
export const SEMIAMORTIZED_SOURCE = `# std.semiamortized — semi-amortized pose inference (Shekarforoush, Lindell, Brubaker, Fleet):
# stage 1 trains an encoder with M pose heads by the winner-takes-all loss (only the argmin head of each
# image gets gradient); stage 2 switches to per-image latents (\`param z: [n] per Y\`) initialized from the
# best head and refined by lazy Adam a few steps per batch (\`adam(..., batch_steps: 5)\`), folded into the
# pose and reset (\`init pose from pose + z\`, \`init z from zeros\`), alternating with decoder steps (phases).

# winner-takes-all over heads: losses [n, M] -> mean_i min_m (the gradient of min reaches the argmin only)
def wta_loss(losses) = mean(min(losses, axis: 1))
# the winning head of each image (1 at the argmin, [n, M]) and its pose from poses [n, M]
def wta_winner(losses) = (losses.T == min(losses, axis: 1)).T
def best_head(poses, losses) = sum(poses * wta_winner(losses), axis: 1)

# the SO(2) toy: template points P = (px, py) [k], images as coordinate tables Yx, Yy [n, k];
# so2_x/so2_y render R(phi) P for poses phi [n]; so2_loss is mean_k |R(phi) p_k - y_ik|^2 per image [n]
def so2_x(phi, px, py) = outer(cos(phi), px) - outer(sin(phi), py)
def so2_y(phi, px, py) = outer(sin(phi), px) + outer(cos(phi), py)
def so2_loss(phi, px, py, Yx, Yy) = mean((so2_x(phi, px, py) - Yx)^2 + (so2_y(phi, px, py) - Yy)^2, axis: 1)
# the losses of M candidate poses per image, H: [n, M] -> [n, M] (expanded: |p|^2 + |y|^2 - 2 <R(h) p, y>)
def so2_losses(H, px, py, Yx, Yy) = (mean(px^2 + py^2) + mean(Yx^2 + Yy^2, axis: 1) - 2 * (cos(H).T * sum(px * Yx + py * Yy, axis: 1) + sin(H).T * sum(px * Yy - py * Yx, axis: 1)) / sum(px * 0 + 1)).T
# the Procrustes pose atan2(sum p x y, sum p . y) as a unit vector (cos, sin) per image (no atan2 builtin)
def so2_procrustes_cos(px, py, Yx, Yy) = sum(px * Yx + py * Yy, axis: 1) / sqrt(sum(px * Yx + py * Yy, axis: 1)^2 + sum(px * Yy - py * Yx, axis: 1)^2)
def so2_procrustes_sin(px, py, Yx, Yy) = sum(px * Yy - py * Yx, axis: 1) / sqrt(sum(px * Yx + py * Yy, axis: 1)^2 + sum(px * Yy - py * Yx, axis: 1)^2)
# the chord 2|sin((a - b)/2)| between angles: the angle error for small errors, blind to multiples of 2 pi
def angle_error(a, b) = sqrt(2 - 2 * cos(a - b))
`;
