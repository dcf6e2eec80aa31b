# expect: GD3020
param w: [3] = zeros
phase a { minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps }
phase a { minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps }
