"""Our engine against PyTorch on the MNIST network: the same model, initial weights, batches and recipe.

    python -m benchmarks.mnist [--epochs N] [--seed 0]

Two recipes run on both engines: the demo's default (``demos.mnist.DEFAULT_RECIPE``) and
PyTorch's usual reference (cross-entropy, Adam at a constant lr 1e-3, batch 128). Both engines
start from our model's initial weights and see the same batches in the same order, from one
permutation per epoch. Printed for each: training seconds per epoch, training seconds until the
test accuracy first reaches 98% (it is measured after every epoch, untimed) and the final accuracy.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np
import torch
from threadpoolctl import threadpool_info

import autograd
import nn
from demos import mnist

TARGET = 0.98
REFERENCE = {**mnist.DEFAULT_RECIPE, "lr": 1e-3, "schedule": "constant", "batch_size": 128, "epochs": 8}


class Engine(NamedTuple):
    """What the shared training code needs from an engine: its modules and how to make its tensors."""

    name: str
    layers: ModuleType
    optim: ModuleType
    functional: ModuleType
    tensor: Callable[[np.ndarray], Any]
    no_grad: Callable[[], Any]


ENGINES = (
    Engine("autograd", nn, nn.optim, nn.functional, autograd.from_numpy, autograd.no_grad),
    Engine("torch", torch.nn, torch.optim, torch.nn.functional, torch.from_numpy, torch.no_grad),
)


class Data(NamedTuple):
    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray


def load_data() -> Data:
    """MNIST normalized as the demo trains on it, as float32 images and int64 labels."""
    splits = [mnist.whole(mnist.load_dataset("mnist", None, train, normalize=True)) for train in (True, False)]
    (train_x, train_y), (test_x, test_y) = splits
    return Data(train_x.numpy(), train_y, test_x.numpy(), test_y)


def run(
    engine: Engine, recipe: dict[str, Any], init: dict[str, np.ndarray], data: Data, seed: int
) -> list[tuple[float, float]]:
    """Train from ``init`` by ``recipe``; (training seconds, test accuracy) for each epoch."""
    model = mnist.build_model(recipe["hidden"], engine.layers)
    model.load_state_dict({name: engine.tensor(array.copy()) for name, array in init.items()})
    optimizer = mnist.make_optimizer(recipe["optimizer"], model.parameters(), recipe["lr"], engine.optim)
    loss_fn = mnist.make_loss(recipe["loss"], engine.functional)
    size, n = recipe["batch_size"], len(data.train_y)
    lrs = mnist.learning_rates(recipe["lr"], recipe["epochs"] * math.ceil(n / size), recipe["schedule"])
    test_x = engine.tensor(data.test_x)
    rng = np.random.default_rng(seed)
    results = []
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
        results.append((seconds, accuracy))
    return results


def summary(results: list[tuple[float, float]]) -> tuple[float, float | None, float]:
    """Mean seconds per epoch, training seconds until the accuracy first reached TARGET (or None), final accuracy."""
    seconds = np.cumsum([s for s, _ in results])
    reached = next((seconds[i] for i, (_, accuracy) in enumerate(results) if accuracy >= TARGET), None)
    return seconds[-1] / len(results), reached, results[-1][1]


def describe(recipe: dict[str, Any]) -> str:
    return (
        f"{recipe['loss']} + {recipe['optimizer']} lr {recipe['lr']:g} ({recipe['schedule']}), "
        f"batch {recipe['batch_size']}, {recipe['epochs']} epochs"
    )


def print_environment() -> None:
    """The BLAS libraries numpy calls (and their threads) and PyTorch's threading."""
    for pool in threadpool_info():
        print(
            f"threadpoolctl: {pool['internal_api']} {pool['version']}, {pool['num_threads']} threads ({pool['prefix']})"
        )
    print("torch: " + "\n       ".join(torch.__config__.parallel_info().splitlines()[:4]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mnist", description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, help="epochs for every recipe (default: each recipe's own)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the initial weights and the batch order")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    print_environment()
    data = load_data()
    for title, recipe in (("default recipe", mnist.DEFAULT_RECIPE), ("PyTorch reference recipe", REFERENCE)):
        recipe = {**recipe, "epochs": args.epochs or recipe["epochs"]}
        autograd.manual_seed(args.seed)
        init = {name: array.copy() for name, array in mnist.build_model(recipe["hidden"]).state_dict().items()}
        print(f"\n{title}: {describe(recipe)}")
        print(f"  {'engine':<9} {'s/epoch':>8} {'to 98%':>8} {'final':>7}  test accuracy per epoch")
        rows = {}
        for engine in ENGINES:
            results = run(engine, recipe, init, data, args.seed)
            rows[engine.name] = per_epoch, reached, final = summary(results)
            curve = " ".join(f"{100 * accuracy:.2f}" for _, accuracy in results)
            to_target = f"{reached:.1f} s" if reached is not None else "never"
            print(f"  {engine.name:<9} {per_epoch:>6.2f} s {to_target:>8} {final:>7.2%}  {curve}")
        (ours, ours_reached, _), (theirs, theirs_reached, _) = rows["autograd"], rows["torch"]
        ratio = f"; time to 98%: {ours_reached / theirs_reached:.2f}x" if ours_reached and theirs_reached else ""
        print(f"  autograd / torch: seconds per epoch {ours / theirs:.2f}x{ratio}")


if __name__ == "__main__":
    main()
