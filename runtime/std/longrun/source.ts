/** The .gd source of std.longrun: occupancy histograms and Gibbs predictions for many-chain SGD, embedded so the browser has it too. */
export const LONGRUN_SOURCE = `# std.longrun — the long-run distribution of SGD (Azizian, Iutzeler, Malick, Mertikopoulos, ICML 2024)
# A chain ensemble is a param x: [chains] (or [chains, k]) run by sgd(lr: eta, noise: s): every entry gets
# independent noise, so the chains are independent and their empirical law estimates the occupation measure.

# fraction of the entries of x in each bin [lo_k, hi_k) (lo, hi: [bins]); x: [chains]
def occupancy(x, lo, hi) = mean((outer(x, lo * 0 + 1) >= outer(x * 0 + 1, lo)) * (outer(x, hi * 0 + 1) < outer(x * 0 + 1, hi)), axis: 0)

# Gibbs prediction for bins of width h centred at c with energy values fc = f(c) and constant noise s:
# pi ∝ exp(-2 f / (eta s^2)), normalized over the bins (midpoint rule)
def gibbs_bins(fc, eta, s) = softmax(-2 * fc / (eta * s^2))

# total-variation distance between two bin distributions
def tv_distance(p, q) = 0.5 * sum(abs(p - q))

# log(pi(x < 0) / pi(x > 0)) of the chains (well occupancy log-ratio)
def log_ratio(x) = log(mean(x < 0) / mean(x > 0))

# stationary variance of SGD on f = a x^2/2 with noise s: eta s^2 / (a (2 - eta a))
def ou_variance(a, eta, s) = eta * s^2 / (a * (2 - eta * a))
`;
