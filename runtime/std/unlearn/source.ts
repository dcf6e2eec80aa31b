/** The .gd source of std.unlearn: forget/retain losses, gradient replay (plain and masked), and the calibrated stopping test. */
export const UNLEARN_SOURCE = `# std.unlearn — first-epoch gradient-ascent unlearning (Zagardo), reconstructed: during the first epoch
# capture g_f = grad of the forget-set loss restricted to chosen params S (a param holding the capture:
# \`init gf from grad(forget_sum(rows, f), W_S)\` at the epoch start), then unlearn by ascent
# W_S <- W_S + eta_u g_f (replay), or by live ascent (\`maximize\` over W_S) until a calibrated stop.
# rows: per-example losses [n]; f: forget indicator [n] (1 forget, 0 retain).

# the summed and mean losses of the forget and retain sets
def forget_sum(rows, f) = sum(f * rows)
def retain_sum(rows, f) = sum((1 - f) * rows)
def forget_loss(rows, f) = sum(f * rows) / sum(f)
def retain_loss(rows, f) = sum((1 - f) * rows) / sum(1 - f)

# replay of a captured gradient as one ascent step; the masked form leaves entries with mask 0
# bit-identical (where, not w + 0 * g, which would turn -0 into +0)
def unlearn_replay(w, g, eta) = w + eta * g
def unlearn_masked(w, g, eta, mask) = where(mask > 0, w + eta * g, w)

# calibrated stopping for live ascent: stop once the forget loss reaches the level of data the model
# never saw (a held-out loss), scaled by a margin (1: exactly that level)
def unlearned(forget, heldout, margin) = forget >= margin * heldout
`;
