"""Our engine against PyTorch on whole MNIST epochs: the same model, initial weights, batches and recipe.

    python -m benchmarks.mnist [--seed 0]

Three recipes run on both engines, epoch by epoch in turns: the demo's (``make mnist``: cross-entropy,
Adam with a one-cycle schedule, batch 384, 4 epochs), PyTorch's usual one (cross-entropy, Adam at a
constant lr 1e-3, batch 128) and the blog post's (MSE on one-hot labels, SGD with lr 1, batch 6000).
Both engines start from our model's initial weights and see the same batches in the same order.
Reported for each: training seconds per epoch, and for the demo's recipe the training seconds until
the test accuracy (measured after every epoch, untimed) first reaches 98%.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
import torch

import autograd
from benchmarks.common import ENGINES, THREADS, Data, Engine, load_data
from benchmarks.timing import Timing, machine
from demos import mnist

TARGET = 0.98
RECIPES = {
    "make mnist": mnist.DEFAULT_RECIPE,
    "usual (Adam 1e-3, batch 128)": {**mnist.DEFAULT_RECIPE, "lr": 1e-3, "schedule": "constant", "batch_size": 128},
    "blog post (MSE, SGD lr 1, batch 6000)": {**mnist.DEFAULT_RECIPE, **mnist.PRESETS["blog"]},
}


class Epochs(NamedTuple):
    seconds: list[float]  # training seconds of each epoch
    accuracy: list[float]  # test accuracy after each epoch

    def seconds_to(self, target: float) -> float | None:
        """Training seconds until the test accuracy first reached ``target``, or None."""
        reached = [i for i, a in enumerate(self.accuracy) if a >= target]
        return float(np.sum(self.seconds[: reached[0] + 1])) if reached else None


def training(
    engine: Engine, recipe: dict[str, Any], init: dict[str, np.ndarray], data: Data, seed: int
) -> Iterator[tuple[float, float]]:
    """Train from ``init`` by ``recipe``, one epoch per ``next()``: (training seconds, test accuracy)."""
    model = mnist.build_model(recipe["hidden"], engine.layers)
    model.load_state_dict({name: engine.tensor(array.copy()) for name, array in init.items()})
    optimizer = mnist.make_optimizer(recipe["optimizer"], model.parameters(), recipe["lr"], engine.optim)
    loss_fn = mnist.make_loss(recipe["loss"], engine.functional)
    size, n = recipe["batch_size"], len(data.train_y)
    lrs = mnist.learning_rates(recipe["lr"], recipe["epochs"] * math.ceil(n / size), recipe["schedule"])
    test_x = engine.tensor(data.test_x)
    rng = np.random.default_rng(seed)
    for _ in range(recipe["epochs"]):
        order = rng.permutation(n)
        batches = (
            (engine.tensor(data.train_x[i]), engine.tensor(data.train_y[i]))
            for i in (order[first : first + size] for first in range(0, n, size))
        )
        start = time.perf_counter()
        mnist.train_epoch(model, batches, optimizer, loss_fn, lrs, quiet=True)
        seconds = time.perf_counter() - start
        with engine.no_grad():
            accuracy = float((mnist.predict_logits(model, test_x).argmax(1) == data.test_y).mean())
        yield seconds, accuracy


def run_recipe(recipe: dict[str, Any], data: Data, seed: int = 0) -> dict[str, Epochs]:
    """Both engines through ``recipe``, taking turns epoch by epoch."""
    autograd.manual_seed(seed)
    init = {name: array.copy() for name, array in mnist.build_model(recipe["hidden"]).state_dict().items()}
    runs = {engine.name: training(engine, recipe, init, data, seed) for engine in ENGINES}
    results = {name: Epochs([], []) for name in runs}
    for _ in range(recipe["epochs"]):
        for name, run in runs.items():
            seconds, accuracy = next(run)
            results[name].seconds.append(seconds)
            results[name].accuracy.append(accuracy)
    return results


def measure(epochs: int | None = None, seed: int = 0) -> dict[str, dict[str, Epochs]]:
    """Every recipe on both engines: the demo's for its own 4 epochs, the others for ``epochs`` (default 2)."""
    data = load_data()
    return {
        name: run_recipe({**recipe, "epochs": recipe["epochs"] if name == "make mnist" else epochs or 2}, data, seed)
        for name, recipe in RECIPES.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mnist", description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, help="epochs of the usual and blog recipes (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the initial weights and the batch order")
    args = parser.parse_args(argv)
    torch.set_num_threads(THREADS)
    print("\n".join(machine()))
    for name, results in measure(args.epochs, args.seed).items():
        ours, theirs = (Timing.of(results[e].seconds) for e in ("autograd", "torch"))
        print(
            f"{name}: seconds per epoch autograd {ours.median:.2f}, torch {theirs.median:.2f}, "
            f"ratio {ours.median / theirs.median:.2f}"
        )
        for engine, r in results.items():
            to_target = r.seconds_to(TARGET)
            curve = " ".join(f"{100 * a:.2f}" for a in r.accuracy)
            print(f"  {engine:<9} to 98%: {'never' if to_target is None else f'{to_target:.1f} s'}  accuracy {curve}")


if __name__ == "__main__":
    main()
