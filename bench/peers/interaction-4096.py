"""PyTorch eager peer of bench/workloads/interaction-4096.gd: the pairwise interaction energy by broadcasting, Wasserstein step m·∇F."""
import torch
from common import main


def setup(m=4096, lr=0.01):
    theta = 0.25 * torch.randn(m, 2)

    def step():
        nonlocal theta
        th = theta.detach().requires_grad_(True)
        diff = th[:, None, :] - th[None, :, :]
        r2 = torch.sum(diff**2, dim=2)
        F = 0.5 * torch.mean(r2**2 / 4 - r2 / 2)
        (g,) = torch.autograd.grad(F, th)
        F.item()
        with torch.no_grad():
            theta = theta - lr * m * g

    return step


if __name__ == "__main__":
    main("interaction-4096", setup)
