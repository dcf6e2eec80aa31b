# examples/wasserstein-gaussian.gd — std.wasserstein: Bonet et al.'s Gaussian experiment. Particles move toward
# the target N(0, Sigma*) (d = 10) by minimizing KL = ∫V dmu + ∫log mu dmu, with the entropy from the particles'
# Gaussian fit, in four schemes: Wasserstein GD, preconditioned WGD (P = Sigma*), negative-entropy mirror
# descent (NEM) and forward-backward (FB: the entropy's JKO step is in the geometry, so the objective is the
# potential alone). Expected KL at k = 100 (float64 closed form): WGD 7.156365, PWGD 0.04318, NEM 3.949263,
# FB 7.172217.
use std.wasserstein
data S: [10, 10] = load("bonet-sigma-diag.json")
data Q: [10, 10] = inv(S)
# 20 whitened particles sqrt(10)(±e_i): mean 0, covariance exactly I (the experiment's Sigma_0)
data start: [20, 10] = sqrt(10) * (eye(20)[:, 0:10] - eye(20)[:, 10:20])
particles wgd: [20, 10] = start
particles pwgd: [20, 10] = start
particles nem: [20, 10] = start
particles fb: [20, 10] = start
minimize F_wgd = quadratic_energy(wgd, Q) + entropy(wgd, estimator: gaussian) over wgd by gd(lr: 0.01) for 100 steps
  log every 50: kl_wgd = particle_kl(wgd, S)
minimize F_pwgd = quadratic_energy(pwgd, Q) + entropy(pwgd, estimator: gaussian) over pwgd in precondition(S) by gd(lr: 0.01) for 100 steps
  log every 50: kl_pwgd = particle_kl(pwgd, S)
minimize F_nem = quadratic_energy(nem, Q) + entropy(nem, estimator: gaussian) over nem in nem by gd(lr: 0.01) for 100 steps
  log every 50: kl_nem = particle_kl(nem, S)
minimize F_fb = quadratic_energy(fb, Q) over fb in fb(lam: 1) by gd(lr: 0.01) for 100 steps
  log every 50: kl_fb = particle_kl(fb, S)
