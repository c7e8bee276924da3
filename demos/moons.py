"""micrograd's demo: a scalar MLP learns to separate two moons with a max-margin loss.

    python -m demos.moons [--steps 100] [--seed 1] [--out runs/moons]

Prints the loss and training accuracy every 10 steps, then writes the decision
boundary (``decision_boundary.png``) and the graph of a tiny model's loss on one
point (``graph.svg``) into ``--out``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import autograd
import nn
from autograd import Value


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles of ``n`` points in all, with Gaussian noise; labels -1 (upper) and +1 (lower)."""
    rng = np.random.default_rng(seed)
    upper = np.linspace(0, np.pi, n - n // 2)
    lower = np.linspace(0, np.pi, n // 2)
    X = np.vstack(
        [
            np.column_stack([np.cos(upper), np.sin(upper)]),
            np.column_stack([1 - np.cos(lower), 0.5 - np.sin(lower)]),
        ]
    )
    y = np.repeat([-1.0, 1.0], [len(upper), len(lower)])
    return X + rng.normal(scale=noise, size=X.shape), y


def loss_and_accuracy(
    model: Any, X: np.ndarray, y: np.ndarray, value: Callable[[float], Any] = Value, alpha: float = 1e-4
) -> tuple[Any, float]:
    """Max-margin loss ``mean(relu(1 - y * score)) + alpha * sum(p * p)`` and the accuracy of ``sign(score)``.

    ``value`` wraps the inputs, so the benchmark runs the same code on micrograd's engine.
    """
    labels = y.tolist()
    scores = [model([value(a), value(b)]) for a, b in X.tolist()]
    margins = [(1 - yi * score).relu() for yi, score in zip(labels, scores)]
    loss = sum(margins) / len(margins) + alpha * sum(p * p for p in model.parameters())
    accuracy = sum((yi > 0) == (score.data > 0) for yi, score in zip(labels, scores)) / len(labels)
    return loss, accuracy


def train(model: nn.MLP, X: np.ndarray, y: np.ndarray, steps: int = 100, log_every: int = 10) -> list[float]:
    """Full-batch SGD with the learning rate decaying linearly from 1.0 to 0.1; returns the loss per step.

    Prints the loss and accuracy (of the forward pass before each update) every ``log_every`` steps.
    """
    optimizer = nn.optim.SGD(model.parameters(), lr=1.0)
    losses = []
    for k in range(steps):
        loss, accuracy = loss_and_accuracy(model, X, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.param_groups[0]["lr"] = 1.0 - 0.9 * k / steps
        optimizer.step()
        losses.append(loss.data)
        if k % log_every == 0 or k == steps - 1:
            print(f"step {k:3d}  loss {loss.data:.4f}  accuracy {accuracy:.0%}")
    return losses


def plot_decision_boundary(model: nn.MLP, X: np.ndarray, y: np.ndarray, path: Path, h: float = 0.1) -> None:
    """Colour the plane by the sign of the model's score on a grid of step ``h`` and scatter the points on top.

    Contouring the score itself (not its sign) interpolates a smooth boundary between grid points.
    matplotlib is imported here, so that the benchmark can use the data and the loss without it.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = np.arange(X[:, 0].min() - 1, X[:, 0].max() + 1, h)
    ys = np.arange(X[:, 1].min() - 1, X[:, 1].max() + 1, h)
    grid_x, grid_y = np.meshgrid(xs, ys)
    scores = np.array([model([a, b]).data for a, b in zip(grid_x.ravel().tolist(), grid_y.ravel().tolist())])
    fig, ax = plt.subplots(figsize=(6, 5))
    colors = ["tab:red", "tab:blue"]  # for labels -1 and +1
    ax.contourf(grid_x, grid_y, scores.reshape(grid_x.shape), levels=[-np.inf, 0, np.inf], colors=colors, alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=[colors[int(label > 0)] for label in y], s=30, edgecolors="k")
    ax.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), title="MLP(2, [16, 16, 1]) on two moons")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def draw_graph(x: Sequence[float], y: float, path: Path) -> None:
    """Draw the loss of a tiny MLP(2, [2, 1]) on one point, after backward so the grads show.

    The moons model's graph on the whole batch has ~65,000 nodes, far beyond what Graphviz lays
    out; the tiny model shows the same structure (neurons, relu, margin, L2) in about 60 values.
    """
    model = nn.MLP(2, [2, 1])
    loss, _ = loss_and_accuracy(model, np.array([x]), np.array([y]))
    loss.label = "loss"
    loss.backward()
    path.write_bytes(autograd.draw_dot(loss, params=dict(model.named_parameters())).pipe(format="svg"))


def main(argv: Sequence[str] | None = None) -> float:
    """Train on the moons, save the pictures, and return the final training accuracy."""
    parser = argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="SGD steps (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the data and the weights (default 1)")
    parser.add_argument("--out", type=Path, default=Path("runs/moons"), help="output folder (default runs/moons)")
    args = parser.parse_args(argv)

    autograd.manual_seed(args.seed)
    X, y = make_moons(100, noise=0.1, seed=args.seed)
    model = nn.MLP(2, [16, 16, 1])
    print(f"MLP(2, [16, 16, 1]) with {sum(1 for _ in model.parameters())} parameters, {len(y)} points")
    train(model, X, y, steps=args.steps)
    _, accuracy = loss_and_accuracy(model, X, y)
    print(f"final training accuracy {accuracy:.0%}")

    args.out.mkdir(parents=True, exist_ok=True)
    plot_decision_boundary(model, X, y, args.out / "decision_boundary.png")
    draw_graph(X[0].tolist(), float(y[0]), args.out / "graph.svg")
    print(f"wrote {args.out / 'decision_boundary.png'} and {args.out / 'graph.svg'}")
    return accuracy


if __name__ == "__main__":
    main()
