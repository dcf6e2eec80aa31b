"""Shared by the PyTorch peers: steady-state timing (warm-up, then the median ms of per-step times) and the JSON line the runner reads."""
import argparse
import json
import sys
import time

import torch


def main(name, setup):
    """Parses --warm/--steps, builds the workload with setup() -> step function, times it, prints one JSON line."""
    ap = argparse.ArgumentParser(description=f"PyTorch eager peer of bench/workloads/{name}.gd")
    ap.add_argument("--warm", type=int, default=3)
    ap.add_argument("--steps", type=int, default=20)
    a = ap.parse_args()
    torch.manual_seed(0)
    step = setup()
    for _ in range(a.warm):
        step()
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    k = len(times) // 2
    ms = times[k] if len(times) % 2 else (times[k - 1] + times[k]) / 2
    sys.stdout.write(json.dumps({"workload": name, "ms": ms, "steps": len(times), "threads": torch.get_num_threads(), "torch": torch.__version__}) + "\n")
