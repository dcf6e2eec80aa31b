# expect: GD3010
particles theta: [8, 2] = randn(seed: 1)
minimize F = mean(theta^2) over theta in linf by gd(lr: 0.1) for 10 steps
