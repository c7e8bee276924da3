"""The first blog post's losses (MSE, cross-entropy, BCE) and their gradients, each also by hand.

    python -m demos.losses [--out runs/demos] [--show]

The blog post calls ``nn.MSELoss`` on outputs [1, 2] and targets [3, 4] (it prints 4.0),
``nn.CrossEntropyLoss`` on random scores for 3 samples of 5 classes with the classes [1, 0, 4],
and ``nn.BCELoss`` on 4 sigmoid probabilities with the labels [1, 0, 1, 0]. Here the same calls
run on this engine, and each loss is also computed from its formula with numpy:
    MSE  mean((o - t)^2)    cross-entropy  mean(-log softmax(o)[t])    BCE  mean(-t log p - (1 - t) log(1 - p))
and so is its gradient, beside the one ``backward()`` gives:
    dMSE/do = 2 (o - t) / n    dCE/do = (softmax(o) - one_hot(t)) / n    dBCE/dz = (sigmoid(z) - t) / n
(the last through the sigmoid, z being the scores before it: the same "prediction minus target"
as cross-entropy's).

Look at: losses.png, each loss and its slope as one prediction moves. The squared error's slope
grows with the miss. Cross-entropy's slope in the score stays between -1 and 0 while the loss grows
without bound as the wrong class wins; BCE taken on the probability p has a slope that explodes
near the wrong end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd as torch
import nn
from demos._teaching import agree, demo_parser, finish, parse, pyplot

FLOAT32 = 1e-5  # hand and autograd agree to float32 rounding


def softmax(o: np.ndarray) -> np.ndarray:
    e = np.exp(o - o.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def show(name: str, loss: float, loss_by_hand: float, grad: np.ndarray, grad_by_hand: np.ndarray, formula: str) -> None:
    """Print a loss and its gradient, each by autograd and by hand, the gradients row beside row."""
    print(f"{name}: {loss}   by hand: {loss_by_hand:.6f}")
    print("  " + "gradient by autograd".ljust(9 * grad.shape[1]) + "   by hand, " + formula)
    for row, row_by_hand in zip(grad, grad_by_hand):
        print("  " + "".join(f"{g:+9.4f}" for g in row) + "   " + "".join(f"{g:+9.4f}" for g in row_by_hand))


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    args = parse(parser, argv)
    torch.manual_seed(args.seed)

    mse_loss = nn.MSELoss()
    outputs = torch.Tensor([1, 2]).requires_grad_()
    targets = torch.Tensor([3, 4])
    loss = mse_loss(outputs, targets)  # [(3-1)^2 + (4-2)^2] / 2
    loss.backward()
    o, t = outputs.detach().numpy(), targets.numpy()
    mse = agree("MSE", np.mean((o - t) ** 2), loss.item(), FLOAT32)
    agree("dMSE/do", 2 * (o - t) / len(o), outputs.grad, FLOAT32)
    show("MSELoss", loss.item(), np.mean((o - t) ** 2), outputs.grad[None], 2 * (o - t)[None] / len(o), "2 (o - t) / n")

    ce_loss = nn.CrossEntropyLoss()
    outputs = torch.randn(3, 5).requires_grad_()
    print(outputs)
    targets = torch.tensor([1, 0, 4], dtype=torch.int64)
    loss = ce_loss(outputs, targets)
    loss.backward()
    o, t = outputs.detach().numpy().astype(np.float64), targets.numpy()
    ce_hand = np.mean(-np.log(softmax(o)[np.arange(3), t]))
    ce = agree("cross-entropy", ce_hand, loss.item(), FLOAT32)
    grad_hand = (softmax(o) - np.eye(5)[t]) / 3
    agree("dCE/do", grad_hand, outputs.grad, FLOAT32)
    show("CrossEntropyLoss", loss.item(), ce_hand, outputs.grad, grad_hand, "(softmax(o) - one_hot(t)) / 3")

    bce_loss = nn.BCELoss()
    sigmoid = nn.Sigmoid()
    scores = torch.randn(4, 1).requires_grad_()
    probabilities = sigmoid(scores)  # 把分量取值在0,1之间
    targets = torch.tensor([1, 0, 1, 0], dtype=torch.float32).view(4, 1)
    loss = bce_loss(probabilities, targets)
    print(probabilities)
    loss.backward()
    p, t = probabilities.detach().numpy().astype(np.float64), targets.numpy()
    bce_hand = np.mean(-t * np.log(p) - (1 - t) * np.log(1 - p))
    bce = agree("BCE", bce_hand, loss.item(), FLOAT32)
    agree("dBCE/dz", (p - t) / 4, scores.grad, FLOAT32)
    show("BCELoss", loss.item(), bce_hand, scores.grad.T, (p - t).T / 4, "(sigmoid(z) - t) / 4")

    plt = pyplot(args.show)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    fig.suptitle("Each loss (solid) and its slope by autograd (dashed) as one prediction moves")
    o = torch.linspace(-1, 7, 161).requires_grad_()
    mse_curve = nn.MSELoss(reduction="none")(o, torch.full((161,), 3.0))
    mse_curve.sum().backward()
    curve(axes[0], o, mse_curve, "MSE, target 3", "output o")
    z = torch.linspace(-6, 6, 121).requires_grad_()
    rows = torch.stack([z, torch.zeros_like(z)], 1)  # scores (z, 0), the right class 0
    ce_curve = nn.CrossEntropyLoss(reduction="none")(rows, torch.zeros(121, dtype=torch.int64))
    ce_curve.sum().backward()
    curve(axes[1], z, ce_curve, "cross-entropy of scores (z, 0), class 0 the right one", "score z of the right class")
    for label, color in ((1.0, "tab:blue"), (0.0, "tab:green")):
        p = torch.linspace(0.01, 0.99, 99).requires_grad_()
        bce_curve = nn.BCELoss(reduction="none")(p, torch.full((99,), label))
        bce_curve.sum().backward()
        curve(axes[2], p, bce_curve, "BCE on a probability p", "probability p", f"target {label:.0f}", color)
    axes[2].set_ylim(-10, 10)
    png = finish(plt, fig, args.out / "losses.png", args.show)
    return {
        "mse": mse,
        "cross_entropy": ce,
        "cross_entropy_by_hand": ce_hand,
        "bce": bce,
        "bce_by_hand": bce_hand,
        "png": png,
    }


def curve(
    ax: Any, x: torch.Tensor, loss: torch.Tensor, title: str, xlabel: str, label: str = "", color: str = "tab:blue"
) -> None:
    """Plot a loss over x and its slope, x.grad (after backward)."""
    ax.plot(x.detach().numpy(), loss.detach().numpy(), color=color, lw=2, label=f"loss {label}")
    ax.plot(x.detach().numpy(), x.grad, "--", color=color, lw=1.5, label=f"slope {label}")
    ax.axhline(0, color="0.7", lw=0.8)
    ax.set(title=title, xlabel=xlabel)
    ax.legend(fontsize=9)


if __name__ == "__main__":
    main()
