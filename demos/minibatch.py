"""Mini-batch gradient descent on y = w x in batches of 10 (the blog post's slicing fixed).

    python -m demos.minibatch [--quick] [--out runs/demos] [--show]

The blog post "from one weight to a network" averages the slope over a batch of 10 samples: with
a = sum(x^2) / 10 and b = -2 sum(x y) / 10 the batch's mean squared error is a w^2 + b w + c, its
slope k = 2 a w + b, and w = w - 0.1 k, for 50 epochs of 10 batches from w = 0.1.

The post slices its batches as ``xs[i::i + 10]``, which is a bug: that is every (i + 10)-th sample
from i, not the 10 samples from i. For i = 0, 10, ..., 90 it picks
    i = 0: 0, 10, 20, ..., 90    i = 10: 10, 30, 50, 70, 90    i = 20: 20, 50, 80
    i = 30: 30, 70    i = 40: 40, 90    i = 50, ..., 90: i alone
so only the 10 samples 0, 10, ..., 90 are ever learned from, and the sums are divided by 10 even
for a batch of 1. Here a batch is ``xs[i:i + 10]``, so each epoch sees all 100 samples once.

Each step's slope is also computed by autograd on a Tensor batch, the batch's mean squared error's
``backward()``, and must equal 2 a w + b (the table prints both).

Look at: minibatch.gif, the ten ringed samples of each batch sliding along the data, and w going
down the parabola more smoothly than one sample at a time (demos.sgd).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from demos import house
from demos._teaching import Film, agree, demo_parser, mse_parabola, parse


def batch_slope(w: float, xsi: np.ndarray, ysi: np.ndarray) -> tuple[float, float]:
    """The slope in w of the batch's mean squared error: by hand, 2 a w + b, and by autograd."""
    a = np.sum(xsi**2) / 10
    b = -2 * np.sum(xsi * ysi) / 10
    w_tensor = autograd.tensor(w, dtype=autograd.float64, requires_grad=True)
    ((autograd.from_numpy(ysi) - w_tensor * autograd.from_numpy(xsi)) ** 2).mean().backward()
    return 2 * a * w + b, float(w_tensor.grad)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    args = parse(parser, argv)
    xs, ys = house.get(100, np.random.default_rng(args.seed))
    picked = sorted({int(k) for i in range(0, 100, 10) for k in np.arange(100)[i :: i + 10]})
    print(f"the post's slice xs[i::i + 10] would only ever pick the samples {picked}")

    film = Film(xs, ys, "Mini-batch gradient descent on y = w x, batches of 10", "w", mse_parabola(xs, ys))
    w = 0.1
    alpha = 0.1  # 学习率,步长
    film.record(w * xs, (w, np.mean((ys - w * xs) ** 2)), f"start: w = {w}")
    slopes = []
    print("epoch  k by hand  by autograd       w")
    for epoch in range(50):
        for i in range(0, 100, 10):  # 每次取10个样本
            xsi = xs[i : i + 10]
            ysi = ys[i : i + 10]
            k, k_autograd = batch_slope(w, xsi, ysi)  # k表示w点的斜率
            slopes.append((k, agree(f"slope at epoch {epoch + 1}, batch {i // 10 + 1}", k, k_autograd)))
            w = w - alpha * k_autograd  # k大于0,要减少w,k小于0,要增加w
            caption = f"epoch {epoch + 1}, samples {i}-{i + 9}: k = {k:+.3f}, w = {w:.3f}"
            film.record(w * xs, (w, np.mean((ys - w * xs) ** 2)), caption, np.arange(i, i + 10), epoch < 5 or i == 90)
        if (epoch + 1) % 5 == 0:
            print(f"{epoch + 1:5d} {k:+10.6f} {k_autograd:+12.6f} {w:7.3f}")

    print(f"w = {w:.4f} after 50 epochs of 10 batches")
    gif, png = film.save(args.out, "minibatch", frames=10 if args.quick else 100, show=args.show)
    return {"w": w, "slopes": slopes, "gif": gif, "png": png}


if __name__ == "__main__":
    main()
