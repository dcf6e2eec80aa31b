# examples/adversarial-moons.gd — std.infinity: train a small classifier on two moons, then attack every
# point with iterative FGSM (signed ascent in the linf geometry inside ball(inf, eps)) and report accuracy
use std.infinity
dim n = 256
const eps = 0.25
data t: [n] = rand(seed: 1) * 3.14159265
data upper: [n] = rand(seed: 2) < 0.5
data X: [n, 2] = outer(upper, [1, 1]) * (outer(cos(t), [1, 0]) + outer(sin(t), [0, 1]))
  + outer(1 - upper, [1, 1]) * (outer(1 - cos(t), [1, 0]) + outer(0.5 - sin(t), [0, 1]))
  + 0.1 * randn(seed: 3)
data Y: [n, 2] = outer(upper, [1, 0]) + outer(1 - upper, [0, 1])
param W1: [2, 32] = randn(seed: 4)
param b1: [32] = zeros
param W2: [32, 2] = 0.1 * randn(seed: 5)
param delta: [n, 2] in ball(inf, eps) = zeros
def net(x) = tanh(x @ W1 + b1) @ W2
# fraction of points whose true-class logit wins (two classes: the margin is the logit difference)
def accuracy(x) = mean(sum(net(x) * (2 * Y - 1), axis: 1) > 0)

phase train {
  minimize loss = cross_entropy(net(X), Y) over W1, b1, W2 by adam(lr: 0.03) for 400 steps
    log every 100: loss, clean_accuracy = accuracy(X)
}
# FGSM: one signed step of length eps (the weights are not targets, so they stay fixed)
phase fgsm {
  maximize attack = cross_entropy(net(X + delta), Y) over delta in linf by fgsm(eps: eps) for 1 steps
    log every 1: loss_under_attack = cross_entropy(net(X + delta), Y), robust_accuracy = accuracy(X + delta)
}
init delta from 0 * X
# IFGSM from delta = 0: tau = 0.03, 10 steps, |delta|_inf <= eps
phase attack {
  maximize attack = cross_entropy(net(X + delta), Y) over delta in linf by gd(lr: 0.03) for 10 steps
    log every 5: loss_under_attack = cross_entropy(net(X + delta), Y), robust_accuracy = accuracy(X + delta), max_delta = max(abs(delta))
}
