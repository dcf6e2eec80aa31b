# expect: GD3018
param a: [3] = zeros
param b: [2] = zeros
minimize f = sum(a^2) + sum(b^2) over a, b in layerwise(spectral) by dsgd(lr: 0.1) for 10 steps
