"""Our engine against PyTorch on one training step of the MNIST CNN (``demos.mnist.build_cnn``).

    python -m benchmarks.cnn [--steps 20] [--batch-size 128] [--seed 0]

Both engines train the same model from the same initial weights on the same batches (cross-entropy,
Adam at lr 1e-3) and take turns, a few steps each, so that both see the machine in the same state.
Printed on one line: the median milliseconds per step (forward, backward and update) of each, and
their ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

import autograd
from benchmarks.mnist import ENGINES, Engine, load_data
from demos import mnist

TURN = 5  # steps an engine takes before the other's turn


def timed_steps(
    engine: Engine, model: object, optimizer: object, batches: list[tuple[np.ndarray, np.ndarray]]
) -> list[float]:
    """Seconds of each training step on ``batches``."""
    loss_fn = mnist.make_loss("ce", engine.functional)
    seconds = []
    for images, labels in batches:
        batch = (engine.tensor(images), engine.tensor(labels))
        start = time.perf_counter()
        mnist.train_epoch(model, [batch], optimizer, loss_fn, iter([1e-3]), quiet=True)
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cnn", description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=20, help="timed steps per engine (default: 20)")
    parser.add_argument("--batch-size", type=int, default=128, help="images per step (default: 128)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the initial weights and the batches")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    data = load_data()
    autograd.manual_seed(args.seed)
    init = {name: array.copy() for name, array in mnist.build_cnn().state_dict().items()}
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(data.train_y))
    size = args.batch_size
    batches = [
        (data.train_x[i], data.train_y[i]) for i in (order[k * size : (k + 1) * size] for k in range(args.steps + TURN))
    ]
    runs = {}
    for engine in ENGINES:
        model = mnist.build_cnn(engine.layers)
        model.load_state_dict({name: engine.tensor(array.copy()) for name, array in init.items()})
        optimizer = mnist.make_optimizer("adam", model.parameters(), 1e-3, engine.optim)
        timed_steps(engine, model, optimizer, batches[:TURN])  # warm up: first-call costs, memory pools
        runs[engine.name] = (engine, model, optimizer, [])
    for first in range(TURN, TURN + args.steps, TURN):
        for engine, model, optimizer, seconds in runs.values():
            seconds += timed_steps(engine, model, optimizer, batches[first : first + TURN])
    ours, theirs = (1000 * np.median(runs[name][3]) for name in ("autograd", "torch"))
    print(
        f"MNIST CNN training step, batch {size}: autograd {ours:.1f} ms, torch {theirs:.1f} ms "
        f"(median of {args.steps} steps each); autograd / torch {ours / theirs:.2f}x"
    )


if __name__ == "__main__":
    main()
