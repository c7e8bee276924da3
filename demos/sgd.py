"""Stochastic gradient descent on y = w x: the slope by hand, 2 x^2 w - 2 x y, and by autograd.

    python -m demos.sgd [--quick] [--graph] [--out runs/demos] [--show]

The blog post "from one weight to a network" writes one sample's squared error as a parabola in w,
e = (y - w x)^2 = x^2 w^2 - 2 x y w + y^2, takes its slope by hand, k = 2 x^2 w - 2 x y, and
steps downhill, w = w - alpha k with alpha = 0.1, one sample at a time from w = 0.1.

Here each step computes e with autograd's ``Value`` and calls ``backward()``: ``w.grad`` is the
slope, and it must equal the post's k at every step (the table prints both), after one point's
parabola is printed with its slope. ``--graph`` draws that point's graph (Graphviz).

Look at: w rolling down the parabola of the whole data's mean squared error (sgd.gif, right).
Each step follows one sample's slope, not this parabola's, so the steps are uneven: tiny for the
first samples (small x, flat parabolas), largest midway, shrinking as w nears the bottom.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from demos import house
from demos._teaching import Film, agree, demo_parser, mse_parabola, parse, save_graph


def squared_error(w: Value, x: float, y: float) -> Value:
    """One sample's forward pass: e = (y - w x)^2."""
    prediction = w * Value(x, "x")
    prediction.label = "w x"
    error = Value(y, "y") - prediction
    error.label = "y - w x"
    loss = error**2
    loss.label = "e = (y - w x)^2"
    return loss


def slope(w: float, x: float, y: float) -> tuple[float, float]:
    """The slope de/dw at w: by hand, 2 x^2 w - 2 x y, and by autograd, after e.backward()."""
    w_node = Value(w, "w")
    squared_error(w_node, x, y).backward()
    return 2 * (x**2) * w + (-2 * x * y), w_node.grad


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    parser.add_argument("--graph", action="store_true", help="draw that one point's graph (needs Graphviz)")
    args = parse(parser, argv)
    xs, ys = house.get(100, np.random.default_rng(args.seed))
    alpha = 0.1  # 学习率,步长
    w = 0.1

    x, y = xs[50], ys[50]  # one point, its error a parabola in w
    w_node = Value(w, "w")
    e = squared_error(w_node, x, y)
    e.backward()
    print(f"one point, x = {x:.4f}, y = {y:.4f}: e = {x**2:.4f} w^2 - {2 * x * y:.4f} w + {y**2:.4f}")
    print(f"  at w = {w} its slope 2 x^2 w - 2 x y = {2 * x**2 * w - 2 * x * y:.6f}, by autograd {w_node.grad:.6f}")
    agree("de/dw at sample 51", 2 * x**2 * w - 2 * x * y, w_node.grad)
    if args.graph:
        save_graph(e, args.out / "sgd_graph.svg")

    film = Film(xs, ys, "SGD on y = w x: w = w - 0.1 k, one sample at a time", "w", mse_parabola(xs, ys))
    film.record(w * xs, (w, np.mean((ys - w * xs) ** 2)), f"start: w = {w}")
    slopes = []
    print(" sample  k by hand  by autograd       w")
    for i in range(len(xs)):
        k, k_autograd = slope(w, xs[i], ys[i])  # 斜率
        agree(f"de/dw at sample {i + 1}", k, k_autograd)
        slopes.append((k, k_autograd))
        w = w - alpha * k_autograd  # k大于0,要减少w,k小于0,要增加w
        film.record(w * xs, (w, np.mean((ys - w * xs) ** 2)), f"sample {i + 1}: k = {k:+.3f}, w = {w:.3f}", used=i)
        if (i + 1) % 10 == 0:
            print(f"{i + 1:7d} {k:+10.6f} {k_autograd:+12.6f} {w:7.3f}")

    print(f"w = {w:.4f} after one pass over the {len(xs)} samples")
    gif, png = film.save(args.out, "sgd", frames=10 if args.quick else len(xs) + 1, show=args.show)
    return {"w": w, "slopes": slopes, "gif": gif, "png": png}


if __name__ == "__main__":
    main()
