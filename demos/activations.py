"""The first blog post's activations (sigmoid, tanh, ReLU, PReLU, softmax) and their derivatives.

    python -m demos.activations [--out runs/demos] [--show]

The blog post plots sigmoid, tanh, ReLU and PReLU over ``torch.range(-5., 5., 0.1)``, then shows
that softmax turns a row of scores into shares that sum to 1. Here the same functions run on
``autograd.range(-5., 5., 0.1)`` and ``backward()`` gives each one's derivative: for a function
applied element by element, the gradient of ``y.sum()`` holds dy_i / dx_i. Nothing is derived by hand.

- PReLU, max(x, a x), learns its slope a (0.25 to start): ``backward()`` also gives d sum(y) / da,
  the sum of the negative xs, which training would use to move a.
- softmax over the rows (x, 0): each row sums to 1, and its first share is exactly sigmoid(x);
  softmax generalises sigmoid to more than two choices.

Look at: activations.png. Sigmoid's slope is at most 0.25 and nearly 0 beyond |x| = 4 (the
"vanishing gradient" the post warns of); tanh's reaches 1; ReLU's is 0 or 1; PReLU's is a or 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd as torch
import nn
from demos._teaching import agree, demo_parser, finish, parse, pyplot

TITLES = {
    "sigmoid": "sigmoid  1 / (1 + e^-x)",
    "tanh": "tanh  (e^x - e^-x) / (e^x + e^-x)",
    "ReLU": "ReLU  max(0, x)",
    "PReLU": "PReLU  max(x, a x), a = 0.25 learned",
    "softmax": "softmax over rows (x, 0): f(x) = first share",
}


def with_derivative(f: Callable[[torch.Tensor], torch.Tensor]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x = range(-5, 5, 0.1), f(x) and df/dx at each x by autograd (the gradient of f(x).sum())."""
    x = torch.range(-5.0, 5.0, 0.1).requires_grad_()
    y = f(x)
    y.sum().backward()
    return x.detach().numpy(), y.detach().numpy(), x.grad


def describe(name: str, t: torch.Tensor) -> None:
    """The post's describeTensor: the type, shape and values of a tensor."""
    print(f"{name}: type {t.dtype}, shape {tuple(t.shape)}, values {t}")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    args = parse(parser, argv)
    torch.manual_seed(args.seed)

    relu = nn.ReLU()
    prelu = nn.PReLU(num_parameters=1)
    curves = {
        "sigmoid": with_derivative(torch.sigmoid),
        "tanh": with_derivative(torch.tanh),
        "ReLU": with_derivative(relu),
        "PReLU": with_derivative(prelu),
    }
    x = curves["ReLU"][0]
    slope_grad = float(prelu.weight.grad[0])
    print(f"PReLU: d sum(y) / da = {slope_grad:.2f} by autograd, the sum of the negative xs = {x[x < 0].sum():.2f}")
    agree("PReLU's d sum(y) / da", float(x[x < 0].sum()), slope_grad)

    softmax = nn.Softmax(dim=1)
    x_input = torch.randn(1, 3)
    y_output = softmax(x_input)  # y_output对应向量中所有分量加总为1
    describe("x_input", x_input)
    describe("y_output", y_output)
    print(f"torch.sum(y_output, dim=1) = {torch.sum(y_output, dim=1)}")
    rows = []

    def first_share(x: torch.Tensor) -> torch.Tensor:
        shares = softmax(torch.stack([x, torch.zeros_like(x)], 1))  # rows (x, 0)
        rows.append(shares.detach().numpy())
        return shares[:, 0]

    curves["softmax"] = with_derivative(first_share)
    row_sums = rows[0].sum(1)
    print(
        f"softmax over the {len(row_sums)} rows (x, 0): each row sums to 1 (largest miss {abs(row_sums - 1).max():.1e})"
    )

    plt = pyplot(args.show)
    fig, axes = plt.subplots(2, 3, figsize=(13, 7), layout="constrained")
    fig.suptitle("The blog post's activation functions over range(-5, 5, 0.1), and their derivatives by autograd")
    for ax, (name, (x, y, dy)) in zip(axes.flat, curves.items()):
        ax.plot(x, y, color="tab:blue", lw=2, label="f(x)")
        ax.plot(x, dy, "--", color="tab:red", lw=2, label="df/dx (autograd)")
        ax.axhline(0, color="0.7", lw=0.8)
        ax.set(title=TITLES[name], xlabel="x")
        ax.legend(loc="upper left", fontsize=9)
    axes.flat[4].plot(x, rows[0][:, 1], color="tab:green", lw=1, label="second share, 1 - sigmoid(x)")
    axes.flat[4].plot(x, row_sums, ":", color="k", label="row sum")
    axes.flat[4].legend(loc="center left", fontsize=9)
    summary = axes.flat[5]
    for name, (x, _, dy) in list(curves.items())[:4]:
        summary.plot(x, dy, lw=2, label=name)
    summary.set(title="the derivatives together", xlabel="x", ylabel="df/dx")
    summary.legend(loc="upper left", fontsize=9)
    png = finish(plt, fig, args.out / "activations.png", args.show)
    derivatives = {name: dy for name, (_, _, dy) in curves.items()}
    return {"x": x, "derivatives": derivatives, "prelu_slope_grad": slope_grad, "row_sums": row_sums, "png": png}


if __name__ == "__main__":
    main()
