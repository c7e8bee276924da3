"""What the blog-post demos share: their command line, matplotlib without a display, the check that a
gradient by hand equals autograd's, and ``Film``, the animated fit that replaces the posts' ``plt.pause``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import autograd


def demo_parser(module: str, doc: str | None) -> argparse.ArgumentParser:
    """A demo's command line, named as it is run (``python -m demos.sgd``), its docstring as the help."""
    return argparse.ArgumentParser(
        prog=f"python -m {module}", description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Add the options every demo takes (``--quick``, ``--out``, ``--show``, ``--seed``) to a demo's own
    parser, parse ``argv`` and make the output folder. ``--show`` stays on only where there is a display."""
    parser.add_argument("--quick", action="store_true", help="a reduced run that takes seconds")
    parser.add_argument("--out", type=Path, default=Path("runs/demos"), help="folder for pictures (runs/demos)")
    parser.add_argument("--show", action="store_true", help="also open the pictures in a window, given a display")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the data and weights (default 0)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    has_display = sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if args.show and not has_display:
        print("--show: there is no display here, so the pictures are only saved")
        args.show = False
    return args


def pyplot(show: bool = False) -> Any:
    """matplotlib.pyplot, drawing off screen (Agg) unless the pictures are to be shown."""
    import matplotlib

    if not show:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def finish(plt: Any, fig: Any, path: Path, show: bool) -> Path:
    """Save ``fig`` as ``path`` (a PNG), show it if asked, close it; say where it went."""
    fig.savefig(path, dpi=80, bbox_inches="tight")
    print(f"wrote {path}")
    if show:
        plt.show()
    plt.close(fig)
    return path


def save_graph(root: Any, path: Path) -> Path:
    """Render the graph that computed ``root`` (values, ops, grads) as an SVG with ``autograd.draw_dot``."""
    path.write_bytes(autograd.draw_dot(root).pipe(format="svg"))
    print(f"wrote {path}")
    return path


def agree(what: str, by_hand: Any, by_autograd: Any, rtol: float = 1e-9) -> Any:
    """Stop with both unless the derivative (or loss) worked out by hand equals autograd's to rounding:
    ``rtol`` 1e-9 for float64 work, looser for float32."""
    if not np.allclose(by_hand, by_autograd, rtol=rtol, atol=rtol * 1e-3):
        raise AssertionError(f"{what}: {by_hand!r} by hand but {by_autograd!r} by autograd")
    return by_autograd


def mse_parabola(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean squared error of y = w x on all the data, for w from 0 to 2: a parabola in w."""
    ws = np.linspace(0, 2, 101)
    return ws, ((ys - ws[:, None] * xs) ** 2).mean(1)


class Film:
    """The fit as it moves: the data with the model's curve (left) and the loss the steps walk down (right).

    ``record`` keeps one step (cheap); ``save`` draws ``frames`` of the steps, evenly spaced from the
    first to the last, into an animated GIF, and the last step into a PNG. On the right, each step is a
    point (its x is ``w`` over a drawn loss curve, or the step number) and the path so far is drawn.
    """

    def __init__(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        title: str,
        loss_xlabel: str,
        loss_curve: tuple[np.ndarray, np.ndarray] | None = None,
        ylim: tuple[float, float] = (0, 1.6),
        legend: str = "upper left",
    ) -> None:
        self.xs, self.ys, self.title, self.ylim, self.legend = xs, ys, title, ylim, legend
        self.loss_xlabel, self.loss_curve = loss_xlabel, loss_curve
        self.curves: list[np.ndarray] = []
        self.points: list[tuple[float, float]] = []
        self.captions: list[str] = []
        self.used: list[np.ndarray] = []
        self.frames: list[int] = []

    def record(
        self, curve: np.ndarray, point: tuple[float, float], caption: str, used: Any = (), frame: bool = True
    ) -> None:
        """One step: the model's predictions at ``xs``, its (x, loss) point, a line of text, the indices
        of the samples the step learned from (ringed), and whether it may be a frame (else only a point
        on the path)."""
        if frame:
            self.frames.append(len(self.curves))
        self.curves.append(np.asarray(curve, dtype=float))
        self.points.append((float(point[0]), float(point[1])))
        self.captions.append(caption)
        self.used.append(np.atleast_1d(np.asarray(used, dtype=int)))

    def save(self, out: Path, name: str, frames: int, show: bool = False) -> tuple[Path, Path]:
        """Write ``out/name.gif``, ``frames`` of the steps (all if there are fewer), and ``out/name.png``."""
        from matplotlib.animation import FuncAnimation, PillowWriter

        plt = pyplot(show)
        count = min(frames, len(self.frames))
        steps = [self.frames[(len(self.frames) - 1) * k // max(count - 1, 1)] for k in range(count)]
        fig, draw = self._figure(plt)
        gif, png = out / f"{name}.gif", out / f"{name}.png"
        draw(len(self.curves) - 1)
        fig.savefig(png, dpi=80)
        fig.set_layout_engine("none")  # keep the last step's layout, so the axes hold still in the GIF
        writer = PillowWriter(fps=10)
        with writer.saving(fig, gif, dpi=80):
            for step in steps:
                draw(step)
                writer.grab_frame()
        print(f"wrote {gif} ({count} frames) and {png}")
        if show:
            animation = FuncAnimation(fig, draw, frames=steps, interval=100)  # noqa: F841  (kept alive while shown)
            plt.show()
        plt.close(fig)
        return gif, png

    def _figure(self, plt: Any) -> tuple[Any, Any]:
        """The figure's fixed parts, and ``draw(step)``, which sets the moving ones to a step's."""
        fig, (fit_ax, loss_ax) = plt.subplots(1, 2, figsize=(10, 4), width_ratios=[1.2, 1], layout="constrained")
        fig.suptitle(self.title)
        order = np.argsort(self.xs)
        fit_ax.scatter(self.xs, self.ys, s=12, color="tab:blue", label="data")
        (fit_line,) = fit_ax.plot([], [], color="tab:red", lw=2, label="model")
        label = "learned from" if any(len(used) for used in self.used) else "_nolegend_"
        (ringed,) = fit_ax.plot([], [], "o", mfc="none", mec="tab:orange", mew=2, ms=9, label=label, clip_on=False)
        ringed.set_in_layout(False)  # an empty unclipped line would collapse the layout
        fit_ax.set(xlim=(0, 1), ylim=self.ylim, xlabel="x", ylabel="y")
        fit_ax.legend(loc=self.legend)
        caption = fit_ax.set_title("", fontsize=10)

        points = np.array(self.points)
        if self.loss_curve is not None:
            loss_ax.plot(*self.loss_curve, color="0.6")
        (path_line,) = loss_ax.plot([], [], ".-", color="tab:red", lw=1, ms=3)
        (now,) = loss_ax.plot([], [], "o", color="tab:red", ms=8)
        low, high = (self.loss_curve[0].min(), self.loss_curve[0].max()) if self.loss_curve else (0, points[-1, 0])
        top = max(points[:, 1].max(), self.loss_curve[1].max() if self.loss_curve else 0) * 1.05
        loss_ax.set(xlim=(low, high), ylim=(0, top), xlabel=self.loss_xlabel)
        loss_ax.set_ylabel("mean squared error on all the data")

        def draw(step: int) -> None:
            fit_line.set_data(self.xs[order], self.curves[step][order])
            caption.set_text(self.captions[step])
            ringed.set_data(self.xs[self.used[step]], self.ys[self.used[step]])
            path_line.set_data(points[: step + 1, 0], points[: step + 1, 1])
            now.set_data(points[step : step + 1, 0], points[step : step + 1, 1])

        return fig, draw
