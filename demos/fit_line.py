"""A weight and a bias: y = w x + b, each moved by its own slope after each sample.

    python -m demos.fit_line [--quick] [--graph] [--out runs/demos] [--show]

The blog post "from one weight to a network" flips its data (the xs reversed, the ys not), so the
points fall from about 1.55 to 0: no line through the origin fits, the line needs a height b. With
e = (y - (w x + b))^2 it works out both slopes by hand,
    de/dw = 2 x^2 w + 2 x (b - y)        de/db = 2 b - 2 (y - w x),
and steps each, w = w - 0.1 de/dw and b = b - 0.1 de/db, sample by sample for 15 epochs.

Here each step computes e with autograd's ``Value``; ``w.grad`` and ``b.grad`` must equal the two
slopes by hand at every step (the table prints both). ``--graph`` draws the first step's graph.

Look at: fit_line.gif. The samples come in order, x falling from 1 to 0, and the line chases
each one: it rises and swings through the first epoch, and each new epoch, starting again at the
far end, kicks the mean squared error up (right), less each time. After 15 epochs the line falls
but w (about -1.15) is still short of the data's slope -1.5: small steps, one sample at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from demos import house
from demos._teaching import Film, agree, demo_parser, parse, save_graph


def squared_error(w: Value, b: Value, x: float, y: float) -> Value:
    """One sample's forward pass: e = (y - (w x + b))^2."""
    prediction = w * Value(x, "x") + b
    prediction.label = "w x + b"
    error = Value(y, "y") - prediction
    error.label = "y - (w x + b)"
    loss = error**2
    loss.label = "e"
    return loss


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    parser.add_argument("--graph", action="store_true", help="draw the graph of step 1 (needs Graphviz)")
    args = parse(parser, argv)
    xs, ys = house.get_flipped(100, np.random.default_rng(args.seed))
    film = Film(xs, ys, "y = w x + b on the flipped data, sample by sample for 15 epochs", "step", legend="upper right")
    w = 0.1
    b = 0.1
    alpha = 0.1  # 学习率,步长
    film.record(w * xs + b, (0, np.mean((ys - w * xs - b) ** 2)), f"start: w = {w}, b = {b}")
    slopes = []
    print("epoch  de/dw by hand  by autograd  de/db by hand  by autograd       w       b")
    for epoch in range(15):  # 15表示epoch
        for i in range(100):
            xi = xs[i]
            yi = ys[i]
            w_node, b_node = Value(w, "w"), Value(b, "b")
            loss = squared_error(w_node, b_node, xi, yi)
            loss.backward()
            if args.graph and epoch == 0 and i == 0:
                save_graph(loss, args.out / "fit_line_graph.svg")
            dw = 2 * (xi**2) * w + 2 * xi * (b - yi)
            db = 2 * b - 2 * (yi - w * xi)
            agree(f"de/dw at epoch {epoch + 1}, sample {i + 1}", dw, w_node.grad)
            agree(f"de/db at epoch {epoch + 1}, sample {i + 1}", db, b_node.grad)
            slopes.append((dw, w_node.grad, db, b_node.grad))
            w = w - alpha * w_node.grad
            b = b - alpha * b_node.grad
            step = epoch * 100 + i + 1
            caption = f"epoch {epoch + 1}, sample {i + 1}: w = {w:+.3f}, b = {b:.3f}"
            film.record(w * xs + b, (step, np.mean((ys - w * xs - b) ** 2)), caption, used=i)
        print(f"{epoch + 1:5d} {dw:+14.6f} {w_node.grad:+12.6f} {db:+14.6f} {b_node.grad:+12.6f} {w:+7.3f} {b:7.3f}")

    print(f"w = {w:.4f}, b = {b:.4f} after 15 epochs")
    gif, png = film.save(args.out, "fit_line", frames=10 if args.quick else 100, show=args.show)
    return {"w": w, "b": b, "slopes": slopes, "gif": gif, "png": png}


if __name__ == "__main__":
    main()
