# Writes bonet-sigma-diag.json: the diagonal target covariance Sigma* of Bonet et al.'s Gaussian experiment
# (try 0: np.random.seed(0); diag(rand(10) * 50)), taken from the test fixture so example and test agree.
import json, os
here = os.path.dirname(os.path.abspath(__file__))
fx = json.load(open(os.path.join(here, '..', 'test', 'std', 'fixtures', 'bonet_gaussian_try0.json')))
json.dump(fx['diag']['Sigma_target'], open(os.path.join(here, 'bonet-sigma-diag.json'), 'w'))
