"""PyTorch eager peer of bench/workloads/ifgsm-mlp.gd: iterative FGSM on an MLP 784-512-512-10 (batch 256) with autograd."""
import torch
from common import main


def setup(batch=256, lr=0.003, eps=0.03):
    X = torch.rand(batch, 784)
    W1, b1 = 0.05 * torch.randn(784, 512), 0.01 * torch.randn(512)
    W2, b2 = 0.05 * torch.randn(512, 512), 0.01 * torch.randn(512)
    W3, b3 = 0.05 * torch.randn(512, 10), 0.01 * torch.randn(10)
    Y = torch.softmax(4 * torch.randn(batch, 10), dim=1)
    delta = torch.zeros(batch, 784)

    def step():
        nonlocal delta
        dl = delta.detach().requires_grad_(True)
        h1 = torch.relu((X + dl) @ W1 + b1)
        h2 = torch.relu(h1 @ W2 + b2)
        logits = h2 @ W3 + b3
        loss = -torch.mean(torch.sum(Y * torch.log_softmax(logits, dim=1), dim=1))
        (g,) = torch.autograd.grad(loss, dl)
        loss.item()
        with torch.no_grad():
            delta = torch.clamp(delta + lr * torch.sign(g), -eps, eps)

    return step


if __name__ == "__main__":
    main("ifgsm-mlp", setup)
