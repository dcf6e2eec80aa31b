# expect: GD2020
use std.mfdl
param w: [3] = zeros
minimize f = sum(w^2) over w by gd(lr: 0.1) for 10 steps
