"""Watch backprop: step through the backward pass of a neuron, a scalar MLP and a Tensor MLP (HTML and GIF).

Each graph is written twice under ``runs/backprop/`` (``--out DIR`` to change): an HTML page that
steps through the forward and backward passes (open it in a browser; it needs no network), and an
animated GIF with one frame per backward step. The neuron is the first blog post's
``k = sigmoid(w * x + b)`` with the squared error ``e = (y - k) ** 2``; the MLPs are the second blog
post's 1-3-1 network of sigmoids, on two points with Values and on a batch of eight with Tensors.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import autograd
import nn
from autograd import Value


def neuron() -> tuple[Value, autograd.record_forward]:
    """The blog post's neuron on one sample (x = 0.8, y = 1), every value named as in the post."""
    x, y = Value(0.8, label="x"), Value(1.0, label="y")
    w, b = Value(0.1, label="w"), Value(0.1, label="b")
    with autograd.record_forward() as forward:
        wx = w * x
        t = wx + b
        k = t.sigmoid()
        d = y - k
        e = d**2
    for value, label in [(wx, "wx"), (t, "t"), (k, "k"), (d, "d"), (e, "e")]:
        value.label = label
    return e, forward


def scalar_mlp() -> tuple[Value, autograd.record_forward]:
    """``nn.MLP(1, [3, 1])`` with sigmoids on two points: each Value is a node, each neuron a box."""
    autograd.manual_seed(0)
    model = nn.MLP(1, [3, 1], activation="sigmoid")
    points = [(0.2, 0.0), (0.7, 1.0)]
    with autograd.record_forward(model) as forward:
        errors = []
        for i, (x, y) in enumerate(points, 1):
            out = model([Value(x, label=f"x{i}")])
            out.label = f"out{i}"
            errors.append((out - y) ** 2)
        loss = sum(errors[1:], errors[0]) / len(points)
    loss.label = "loss"
    return loss, forward


class SimpleModel(nn.Module):
    """The second blog post's model: Linear(1, 3), sigmoid, Linear(3, 1), sigmoid."""

    def __init__(self) -> None:
        self.layer1 = nn.Linear(1, 3)
        self.layer2 = nn.Linear(3, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x: autograd.Tensor) -> autograd.Tensor:
        return self.sigmoid(self.layer2(self.sigmoid(self.layer1(x))))


def tensor_mlp() -> tuple[autograd.Tensor, autograd.record_forward]:
    """The same network on a batch of eight Tensors: a dozen nodes, each a whole array."""
    autograd.manual_seed(0)
    model = SimpleModel()
    xs = autograd.tensor(np.linspace(0.05, 0.95, 8, dtype=np.float32).reshape(-1, 1))
    ys = autograd.tensor((np.arange(8) >= 4).astype(np.float32).reshape(-1, 1))
    xs.label, ys.label = "x", "y"
    with autograd.record_forward(model) as forward:
        loss = nn.MSELoss()(model(xs), ys)
    loss.label = "loss"
    return loss, forward


EXAMPLES = {"neuron": neuron, "scalar_mlp": scalar_mlp, "tensor_mlp": tensor_mlp}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="*", metavar="EXAMPLE", help=f"{', '.join(EXAMPLES)} (default: all)")
    parser.add_argument("--out", type=Path, default=Path("runs/backprop"), help="folder to write into")
    parser.add_argument("--docs-gif", type=Path, help="also write the neuron's GIF here (docs/backprop.gif)")
    args = parser.parse_args(argv)
    for name in args.examples:
        if name not in EXAMPLES:
            parser.error(f"argument EXAMPLE: invalid choice: {name!r} (choose from {', '.join(EXAMPLES)})")
    for name in args.examples or EXAMPLES:
        root, forward = EXAMPLES[name]()
        stepper = autograd.draw_backward(root, args.out / f"{name}.html", forward=forward)
        stepper.save(args.out / f"{name}.gif")
        print(f"{name}: {len(stepper.trace.steps)} steps -> {args.out / name}.html, .gif")
        if name == "neuron":
            print(stepper.trace)
            if args.docs_gif:
                stepper.save(args.docs_gif)


if __name__ == "__main__":
    main()
