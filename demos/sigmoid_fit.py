"""sigmoid(w x + b) fit to a step: the chain rule by hand, equal to autograd's at every step.

    python -m demos.sigmoid_fit [--quick] [--epochs 1000] [--graph] [--out runs/demos] [--show]

The blog post "from one weight to a network" makes data no line fits: y is 0 for the lower half of
the xs and 1 for the upper half. It passes a line t = w x + b through k = sigmoid(t) = 1 / (1 + e^-t)
and, for the squared error e = (y - k)^2, multiplies the slopes along the way (the chain rule):
    de/dk = -2 (y - k)    dk/dt = k (1 - k)    dt/dw = x    dt/db = 1
    de/dw = de/dk dk/dt dt/dw        de/db = de/dk dk/dt dt/db
then steps w and b by 0.1 times their slopes, sample by sample, for 1000 epochs from w = b = 0.1.

Here each step computes e with autograd's ``Value`` and calls ``backward()``; ``w.grad`` and
``b.grad`` must equal the chain-rule products at every step (the table prints both), which is all
backpropagation is. ``--graph`` draws the first step's graph (Graphviz).

Look at: sigmoid_fit.gif, the S-curve sharpening and sliding until it steps where the data steps,
while the mean squared error (right) falls. The post redraws every 100 epochs; here every 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from demos import house
from demos._teaching import Film, agree, demo_parser, parse, save_graph


def squared_error(w: Value, b: Value, x: float, y: float) -> Value:
    """One sample's forward pass: t = w x + b, k = sigmoid(t), e = (y - k)^2."""
    t = w * Value(x, "x") + b
    t.label = "t = w x + b"
    k = t.sigmoid()
    k.label = "k = sigmoid(t)"
    e = (Value(y, "y") - k) ** 2
    e.label = "e = (y - k)^2"
    return e


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    parser.add_argument("--epochs", type=int, default=1000, help="epochs (default 1000, the post's; 30 with --quick)")
    parser.add_argument("--graph", action="store_true", help="draw the graph of step 1 (needs Graphviz)")
    args = parse(parser, argv)
    epochs = 30 if args.quick else args.epochs
    xs, ys = house.get_steps(100, np.random.default_rng(args.seed))

    def sigmoid_curve(w: float, b: float) -> np.ndarray:
        return 1 / (1 + np.exp(-(w * xs + b)))

    film = Film(xs, ys, "z = sigmoid(w x + b) on the step data", "epoch", ylim=(-0.2, 1.2))
    w = 0.1
    b = 0.1
    film.record(sigmoid_curve(w, b), (0, np.mean((ys - sigmoid_curve(w, b)) ** 2)), f"start: w = {w}, b = {b}")
    slopes = []
    print(" epoch  de/dw by hand  by autograd  de/db by hand  by autograd       w       b")
    for j in range(epochs):
        for i in range(len(xs)):
            xi = xs[i]
            yi = ys[i]
            w_node, b_node = Value(w, "w"), Value(b, "b")
            loss = squared_error(w_node, b_node, xi, yi)
            loss.backward()
            if args.graph and j == 0 and i == 0:
                save_graph(loss, args.out / "sigmoid_fit_graph.svg")
            t = w * xi + b
            k = 1 / (1 + np.exp(-t))
            dedk = -2 * (yi - k)
            dkdt = k * (1 - k)
            dtdw = xi
            dtdb = 1
            dedw = dedk * dkdt * dtdw
            dedb = dedk * dkdt * dtdb
            agree(f"de/dw at epoch {j + 1}, sample {i + 1}", dedw, w_node.grad)
            agree(f"de/db at epoch {j + 1}, sample {i + 1}", dedb, b_node.grad)
            slopes.append((dedw, w_node.grad, dedb, b_node.grad))
            alpha = 0.1  # 学习率,步长
            w = w - alpha * w_node.grad
            b = b - alpha * b_node.grad
        mse = np.mean((ys - sigmoid_curve(w, b)) ** 2)
        film.record(sigmoid_curve(w, b), (j + 1, mse), f"epoch {j + 1}: w = {w:.2f}, b = {b:+.2f}, mse {mse:.4f}")
        if (j + 1) % max(epochs // 10, 1) == 0:
            print(
                f"{j + 1:6d} {dedw:+14.4e} {w_node.grad:+12.4e} {dedb:+14.4e} {b_node.grad:+12.4e} {w:7.2f} {b:+7.2f}"
            )

    accuracy = np.mean((sigmoid_curve(w, b) > 0.5) == (ys > 0.5))
    print(f"w = {w:.3f}, b = {b:.3f}: the curve crosses 0.5 at x = -b / w = {-b / w:.3f}, {accuracy:.0%} right")
    gif, png = film.save(args.out, "sigmoid_fit", frames=10 if args.quick else 101, show=args.show)
    return {"w": w, "b": b, "accuracy": accuracy, "slopes": slopes, "gif": gif, "png": png}


if __name__ == "__main__":
    main()
