# expect: GD3014
particles theta: [8, 2] = randn(seed: 1)
let H = entropy(theta)
minimize F = mean(theta^2) + H over theta by gd(lr: 0.1) for 10 steps
