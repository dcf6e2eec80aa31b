"""PyTorch eager peer of bench/workloads/mirror-simplex-1m.gd: exponentiated gradient with autograd."""
import torch
from common import main


def setup(n=1_000_000, lr=1.0):
    c = torch.rand(n)
    p = torch.full((n,), 1.0 / n)

    def step():
        nonlocal p
        q = p.detach().requires_grad_(True)
        loss = torch.dot(c, q) + 0.01 * torch.sum(q * torch.log(q))
        (g,) = torch.autograd.grad(loss, q)
        loss.item()
        with torch.no_grad():
            u = p * torch.exp(-lr * g)
            p = u / u.sum()

    return step


if __name__ == "__main__":
    main("mirror-simplex-1m", setup)
