"""One weight learned sample by sample: y = w x, and w = w + e x after each sample (e the error).

    python -m demos.fit_online [--quick] [--graph] [--out runs/demos] [--show]

The blog post "from one weight to a network" starts here: 100 points of y = 1.5 x + noise / 10
(its house data), w = 0.5, and for each point in turn the prediction w x, the error e = y - w x
and the update w = w + e x, redrawing the line after each one.

Why that update? The half squared error L = e^2 / 2 has the slope dL/dw = -e x, so w + e x is
a step of gradient descent with learning rate 1. Each step here computes L with autograd's
``Value`` and calls ``backward()``; the slope worked out by hand, -e x, is printed beside
``w.grad`` and the two must agree. ``--graph`` draws the first step's graph (Graphviz).

Look at: the line turning towards the points (fit_online.gif), and w walking along the
parabola of the mean squared error. The points come sorted by x: the first have small x and
barely move w, the last have x near 1 and each sets w close to its own y / x. A bad last
point would spoil the fit, the post's reason to move on to the normal equation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from demos import house
from demos._teaching import Film, agree, demo_parser, mse_parabola, parse, save_graph


def half_squared_error(w: Value, x: float, y: float) -> Value:
    """One sample's forward pass: the prediction w x, the error e = y - w x, and L = e^2 / 2."""
    prediction = w * Value(x, "x")
    prediction.label = "w x"
    error = Value(y, "y") - prediction
    error.label = "e"
    loss = error**2 / 2
    loss.label = "L = e^2 / 2"
    return loss


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    parser.add_argument("--graph", action="store_true", help="draw the graph of step 1 (needs Graphviz)")
    args = parse(parser, argv)
    xs, ys = house.get(100, np.random.default_rng(args.seed))
    film = Film(xs, ys, "y = w x, w = w + e x after each sample", "w", mse_parabola(xs, ys))

    w = 0.5
    film.record(w * xs, (w, np.mean((ys - w * xs) ** 2)), f"start: w = {w}")
    slopes = []
    print(" sample      x      y       e   dL/dw by hand   by autograd       w")
    for i in range(len(xs)):
        xi, yi = xs[i], ys[i]
        w_node = Value(w, "w")
        loss = half_squared_error(w_node, xi, yi)
        loss.backward()
        if i == 0 and args.graph:
            save_graph(loss, args.out / "fit_online_graph.svg")
        e = yi - w * xi  # 误差
        slope = agree(f"dL/dw at sample {i + 1}", -e * xi, w_node.grad)
        slopes.append((-e * xi, w_node.grad))
        w = w - slope  # 根据误差修改w: the post's w = w + e * xi
        film.record(w * xs, (w, np.mean((ys - w * xs) ** 2)), f"sample {i + 1}: e = {e:+.3f}, w = {w:.3f}", used=i)
        if (i + 1) % 10 == 0:
            print(f"{i + 1:7d} {xi:6.3f} {yi:6.3f} {e:+7.3f} {-e * xi:+15.6f} {w_node.grad:+13.6f} {w:7.3f}")

    best = np.sum(xs * ys) / np.sum(xs * xs)
    print(f"w = {w:.4f} after {len(xs)} samples; the w of least mean squared error is {best:.4f} (normal_equation)")
    gif, png = film.save(args.out, "fit_online", frames=10 if args.quick else len(xs) + 1, show=args.show)
    return {"w": w, "slopes": slopes, "gif": gif, "png": png}


if __name__ == "__main__":
    main()
