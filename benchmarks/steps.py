"""One training step of the MNIST MLP on each engine, at the batch sizes we train with.

    python -m benchmarks.steps [--batches 1,32,128,1024,6000] [--repeat 7]

A step is what a training loop does per batch: forward (784-200-200-200-10, ReLU), cross-entropy,
zero_grad, backward, Adam. Every engine starts from the same weights and sees the same batch; the
engines take turns within each repeat, so a change in the machine's load hits them alike. Peers:
PyTorch, and MyGrad and tinygrad (CPU) where they are installed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd
import nn

SIZES = (784, 200, 200, 200, 10)
Step = Callable[[], None]


def initial_weights(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(weight, bias) per layer, float32, as our nn.Linear initializes them."""
    autograd.manual_seed(seed)
    layers = [nn.Linear(a, b) for a, b in zip(SIZES, SIZES[1:])]
    return [(layer.weight.data.copy(), layer.bias.data.copy()) for layer in layers]


def batch(size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((size, SIZES[0]), dtype=np.float32), rng.integers(0, SIZES[-1], size)


def ours(weights: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, y: np.ndarray) -> Step:
    layers = []
    for w, b in weights:
        layer = nn.Linear(*w.shape[::-1])
        layer.load_state_dict({"weight": w, "bias": b})
        layers += [layer, nn.ReLU()]
    model = nn.Sequential(*layers[:-1])
    optimizer = nn.optim.Adam(model.parameters(), lr=1e-3)
    inputs, targets = autograd.from_numpy(x), autograd.from_numpy(y)

    def step() -> None:
        loss = nn.functional.cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def pytorch(weights: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, y: np.ndarray) -> Step:
    import torch

    layers: list[Any] = []
    for w, b in weights:
        layer = torch.nn.Linear(*w.shape[::-1])
        layer.load_state_dict({"weight": torch.from_numpy(w.copy()), "bias": torch.from_numpy(b.copy())})
        layers += [layer, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)

    def step() -> None:
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def mygrad(weights: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, y: np.ndarray) -> Step:
    """MyGrad has no layers or optimizers: the same MLP from its ops, and Adam in numpy as PyTorch does it."""
    import mygrad as mg
    from mygrad.nnet.losses import softmax_crossentropy

    params = [mg.tensor(a.copy()) for w, b in weights for a in (w.T, b)]
    moments = [(np.zeros_like(p.data), np.zeros_like(p.data)) for p in params]
    steps = [0]

    def step() -> None:
        h = x
        for k in range(0, len(params), 2):
            h = mg.matmul(h, params[k]) + params[k + 1]
            if k < len(params) - 2:
                h = mg.maximum(h, 0)
        loss = softmax_crossentropy(h, y)
        loss.backward()
        steps[0] += 1
        for p, (m, v) in zip(params, moments):
            m *= 0.9
            m += 0.1 * p.grad
            v *= 0.999
            v += 0.001 * p.grad**2
            p.data -= 1e-3 / (1 - 0.9 ** steps[0]) * m / (np.sqrt(v / (1 - 0.999 ** steps[0])) + 1e-8)

    return step


def tinygrad(weights: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, y: np.ndarray) -> Step:
    from tinygrad import Tensor
    from tinygrad.helpers import Context
    from tinygrad.nn.optim import Adam

    params = [Tensor(a.copy()) for w, b in weights for a in (w.T.copy(), b)]
    optimizer = Adam(params, lr=1e-3)
    inputs, targets = Tensor(x).is_param_(False), Tensor(y.astype(np.int32)).is_param_(False)

    def step() -> None:
        with Context(TRAINING=1):
            h = inputs
            for k in range(0, len(params), 2):
                h = h @ params[k] + params[k + 1]
                if k < len(params) - 2:
                    h = h.relu()
            loss = h.sparse_categorical_crossentropy(targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss.realize()

    return step


ENGINES: dict[str, Callable[..., Step]] = {"autograd": ours, "torch": pytorch, "mygrad": mygrad, "tinygrad": tinygrad}


def available(names: list[str]) -> list[str]:
    """The engines among ``names`` whose package imports (ours and PyTorch always; the peers if installed)."""
    found = []
    for name in names:
        try:
            __import__(name)
        except ImportError:
            continue
        found.append(name)
    return found


def time_steps(size: int, engines: list[str], repeat: int) -> dict[str, list[float]]:
    """Seconds per step of each engine, ``repeat`` times after a warm-up, the engines taking turns."""
    weights, (x, y) = initial_weights(), batch(size)
    steps = {name: ENGINES[name](weights, x, y) for name in engines}
    for step in steps.values():  # warm-up: caches, allocator, tinygrad's kernels
        step()
        step()
    inner = max(1, int(256 / size))  # several steps per timing at small batches, where one step is ~0.1 ms
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(repeat):
        for name, step in steps.items():
            start = time.perf_counter()
            for _ in range(inner):
                step()
            times[name].append((time.perf_counter() - start) / inner)
    return times


def main(argv: list[str] | None = None) -> dict[int, dict[str, list[float]]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.steps", description=__doc__.split("\n")[0])
    parser.add_argument("--batches", default="1,32,128,1024,6000", help="batch sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions per engine and batch size")
    parser.add_argument("--peers", default="mygrad,tinygrad", help="further engines to time where installed")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(2)
    engines = ["autograd", "torch"] + available(args.peers.split(",") if args.peers else [])
    results = {}
    for size in (int(b) for b in args.batches.split(",")):
        results[size] = times = time_steps(size, engines, args.repeat)
        cells = "  ".join(f"{name} {1e3 * statistics.median(t):8.3f} ms" for name, t in times.items())
        ratio = statistics.median(times["autograd"]) / statistics.median(times["torch"])
        print(f"batch {size:>5}: {cells}  ours/torch {ratio:.2f}")
    return results


if __name__ == "__main__":
    main()
