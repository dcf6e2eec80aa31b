"""PyTorch eager peer of bench/workloads/mfld-2048.gd: MFLD, the Wasserstein step m·∇F plus Langevin noise, with autograd."""
import math
import torch
from common import main


def setup(m=2048, d=16, n=512, lr=0.05, lam=1e-3):
    X = torch.randn(n, d - 1)
    y = torch.tanh(X[:, 0] - X[:, 1])
    theta = torch.randn(m, d)
    noise = math.sqrt(2 * lr * lam)

    def step():
        nonlocal theta
        th = theta.detach().requires_grad_(True)
        f = torch.mean(torch.tanh(X @ th[:, : d - 1].T) * th[:, d - 1], dim=1)
        F = 0.5 * torch.mean((f - y) ** 2) + 1e-4 * torch.mean(torch.sum(th**2, dim=1))
        (g,) = torch.autograd.grad(F, th)
        F.item()
        with torch.no_grad():
            theta = theta - lr * m * g + noise * torch.randn(m, d)

    return step


if __name__ == "__main__":
    main("mfld-2048", setup)
