# expect: GD2007
particles theta: [16, 9] = randn(seed: 1)
minimize F = mean(theta[:, 0:10]^2) over theta by gd(lr: 0.1) for 10 steps
