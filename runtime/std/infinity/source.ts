/** The .gd source of std.infinity: adversarial-flow helpers, embedded so the browser has it too. */
export const INFINITY_SOURCE = `# std.infinity — adversarial flows (Weigand, Roith, Burger): signed (linf), normalized (l2) and
# coordinate (l1) steepest ascent. Geometries: linf, l2 normalized, l1 (core); method fgsm(eps) here.
# IFGSM is gd(lr: tau) over a param in ball(inf, eps) in the linf geometry; FGSM is one step with tau = eps.

# the normalized steepest directions argmax_{|v|_p <= 1} <g, v> (sign(0) = 0)
def linf_direction(g) = sign(g)
def l2_direction(g) = g / norm(g)
# projection onto the linf ball of radius eps around x0
def linf_project(x, x0, eps) = x0 + clip(x - x0, -eps, eps)
# a classifier's prediction margin: true-class logit minus the largest other logit (< 0: misclassified)
def margin(logits, label) = sum(logits * label) - max(logits - 1e9 * label)
`;
