"""The normal equation w = sum(x y) / sum(x x): the w of least squared error, outlier and all.

    python -m demos.normal_equation [--out runs/demos] [--show]

The blog post "from one weight to a network" notes that the sample-by-sample update trusts the
last sample most: spoil it and the fit is spoilt. So it spoils it, ys[99] = 2, and instead sums the
error over all the samples: the mean squared error (1/n) sum (y - w x)^2 = a w^2 + b w + c, with
a = mean(x^2), b = -2 mean(x y), c = mean(y^2), is a parabola in w whose lowest point is at
w = -b / (2 a) = sum(x y) / sum(x x).

Here that w is compared with numpy's least squares (``np.linalg.lstsq``, they must agree), autograd's
slope of the mean squared error at that w is shown to be 0, and the sample-by-sample update of
demos.fit_online is run on the same data for contrast.

Look at: normal_equation.png. The outlier (ringed) tilts the line only a little, and the
parabola's lowest point is the w of the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from demos import house
from demos._teaching import demo_parser, finish, parse, pyplot


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    args = parse(parser, argv)
    xs, ys = house.get(100, np.random.default_rng(args.seed))
    clean_w = np.sum(xs * ys) / np.sum(xs * xs)
    ys[99] = 2  # the outlier

    sum_xy = 0
    sum_xx = 0
    for i in range(100):
        xi = xs[i]
        yi = ys[i]
        sum_xy += xi * yi
        sum_xx += xi * xi
    w = sum_xy / sum_xx
    least_squares = np.linalg.lstsq(xs[:, None], ys, rcond=None)[0][0]
    print(f"normal equation: w = sum(x y) / sum(x x) = {sum_xy:.4f} / {sum_xx:.4f} = {w:.6f}")
    print(f"numpy's least squares:                              w = {least_squares:.6f}")
    if not np.isclose(w, least_squares, rtol=1e-12):
        raise AssertionError(f"the normal equation gives {w!r} but least squares {least_squares!r}")

    w_tensor = autograd.tensor(w, dtype=autograd.float64, requires_grad=True)
    mse = ((autograd.from_numpy(ys) - w_tensor * autograd.from_numpy(xs)) ** 2).mean()
    mse.backward()
    print(f"autograd's slope of the mean squared error at that w: {float(w_tensor.grad):.1e} (the lowest point)")

    online = 0.5
    for xi, yi in zip(xs, ys):
        online = online + (yi - online * xi) * xi
    print(f"without the outlier w = {clean_w:.4f}; sample by sample (fit_online) with it last, w = {online:.4f}")

    plt = pyplot(args.show)
    fig, (fit_ax, loss_ax) = plt.subplots(1, 2, figsize=(10, 4), width_ratios=[1.2, 1], layout="constrained")
    fig.suptitle("The normal equation w = sum(x y) / sum(x x), with the outlier ys[99] = 2")
    fit_ax.scatter(xs, ys, s=12, label="data")
    fit_ax.plot(xs[99], ys[99], "o", mfc="none", mec="tab:orange", mew=2, ms=10, label="outlier ys[99] = 2")
    fit_ax.plot(xs, w * xs, color="tab:red", lw=2, label=f"normal equation, w = {w:.3f}")
    fit_ax.plot(xs, online * xs, "--", color="tab:purple", label=f"sample by sample, w = {online:.3f}")
    fit_ax.plot(xs, clean_w * xs, ":", color="0.4", label=f"without the outlier, w = {clean_w:.3f}")
    fit_ax.set(xlim=(0, 1.02), ylim=(0, 2.1), xlabel="x", ylabel="y")
    fit_ax.legend(loc="upper left", fontsize=9)
    ws = np.linspace(0, 3, 201)
    a, b, c = np.mean(xs**2), -2 * np.mean(xs * ys), np.mean(ys**2)
    loss_ax.plot(ws, a * ws**2 + b * ws + c, color="0.4", label=f"${a:.3f}\\,w^2 {b:+.3f}\\,w {c:+.3f}$")
    loss_ax.plot(w, a * w**2 + b * w + c, "o", color="tab:red", ms=8, label=f"lowest point, w = -b / 2a = {w:.3f}")
    loss_ax.set(xlabel="w", ylabel="mean squared error on all the data", ylim=(0, None))
    loss_ax.legend(loc="upper center", fontsize=9)
    png = finish(plt, fig, args.out / "normal_equation.png", args.show)
    return {"w": w, "least_squares": least_squares, "slope_at_w": float(w_tensor.grad), "online": online, "png": png}


if __name__ == "__main__":
    main()
