# bench: iterative FGSM (signed gradient ascent in the linf geometry, projected on the eps-ball)
# against a fixed MLP 784-512-512-10 on a batch of 256 inputs.
use std.infinity
data X: [256, 784] = rand(seed: 1)
data W1: [784, 512] = 0.05 * randn(seed: 2)
data b1: [512] = 0.01 * randn(seed: 3)
data W2: [512, 512] = 0.05 * randn(seed: 4)
data b2: [512] = 0.01 * randn(seed: 5)
data W3: [512, 10] = 0.05 * randn(seed: 6)
data b3: [10] = 0.01 * randn(seed: 7)
data Y: [256, 10] = softmax(4 * randn(seed: 8))
param delta: [256, 784] in ball(inf, 0.03) = zeros
maximize attack = cross_entropy(relu(relu((X + delta) @ W1 + b1) @ W2 + b2) @ W3 + b3, Y)
  over delta in linf by gd(lr: 0.003) for 100 steps
