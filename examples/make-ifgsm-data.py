"""Generates digit.json and weights.json for ifgsm.gd (deterministic; python3 make-ifgsm-data.py)."""
import json, random, math
random.seed(5)
digit = []
for r in range(28):
    for c in range(28):
        d = math.hypot(r - 13.5, c - 13.5)
        digit.append(round(max(0.0, 1.0 - abs(d - 8.0) / 2.5), 4))
W = [[round(random.gauss(0, 0.05), 5) for _ in range(10)] for _ in range(784)]
json.dump(digit, open('digit.json', 'w'))
json.dump(W, open('weights.json', 'w'))
