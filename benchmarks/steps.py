"""One training step on each engine: the MNIST MLP at the batch sizes we train with, and the MNIST CNN.

    python -m benchmarks.steps [--batches 1,32,128,1024,6000] [--repeat 7]

A step is what a training loop does per batch: forward, cross-entropy, zero_grad, backward, Adam
(lr 1e-3). Every engine starts from the same weights and sees the same batch; they take turns
within each repeat. The MLP is 784-200-200-200-10 with ReLU; the CNN is ``demos.mnist.build_cnn``.
Peers besides PyTorch, where installed: MyGrad and tinygrad (CPU), on the MLP.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import autograd
from benchmarks.common import ENGINES, THREADS, Engine
from benchmarks.timing import Timing, in_turns
from demos import mnist

HIDDEN = [200, 200, 200]
Step = Callable[[], None]


def model_step(engine: Engine, model: Any, x: np.ndarray, y: np.ndarray) -> Step:
    """One cross-entropy + Adam step of ``model`` (an nn or torch.nn module) on one batch."""
    optimizer = engine.optim.Adam(model.parameters(), lr=1e-3)
    inputs, targets = engine.tensor(x), engine.tensor(y)

    def step() -> None:
        loss = engine.functional.cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def same_model(build: Callable[[Any], Any], init: dict[str, np.ndarray], engine: Engine) -> Any:
    model = build(engine.layers)
    model.load_state_dict({name: engine.tensor(array.copy()) for name, array in init.items()})
    return model


def mygrad_step(init: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> Step:
    """MyGrad has no layers or optimizers: the same MLP from its ops, and Adam in numpy as PyTorch does it."""
    import mygrad as mg
    from mygrad.nnet.losses import softmax_crossentropy

    arrays = list(init.values())  # weight, bias, weight, bias, ... in layer order
    params = [mg.tensor(a.T.copy() if a.ndim == 2 else a.copy()) for a in arrays]
    moments = [(np.zeros_like(p.data), np.zeros_like(p.data)) for p in params]
    count = [0]

    def step() -> None:
        h = x
        for k in range(0, len(params), 2):
            h = mg.matmul(h, params[k]) + params[k + 1]
            if k < len(params) - 2:
                h = mg.maximum(h, 0)
        softmax_crossentropy(h, y).backward()
        count[0] += 1
        for p, (m, v) in zip(params, moments):
            m *= 0.9
            m += 0.1 * p.grad
            v *= 0.999
            v += 0.001 * p.grad**2
            p.data -= 1e-3 / (1 - 0.9 ** count[0]) * m / (np.sqrt(v / (1 - 0.999 ** count[0])) + 1e-8)

    return step


def tinygrad_step(init: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> Step:
    from tinygrad import Tensor
    from tinygrad.helpers import Context
    from tinygrad.nn.optim import Adam

    params = [Tensor(a.T.copy() if a.ndim == 2 else a.copy()) for a in init.values()]
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


PEERS: dict[str, Callable[..., Step]] = {"mygrad": mygrad_step, "tinygrad": tinygrad_step}


def installed(names: list[str]) -> list[str]:
    """The peers among ``names`` that import and run a first op (tinygrad's CPU device needs clang)."""
    found = []
    for name in names:
        try:
            PEERS[name]({"w": np.ones((1, 1), np.float32), "b": np.zeros(1, np.float32)}, *batch(1, features=1))()
        except Exception:  # noqa: BLE001 - not installed, or installed without what it needs to run
            continue
        found.append(name)
    return found


def batch(size: int, channels_first: bool = False, features: int = 784, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random images (flat, or 1 x 28 x 28) and labels in 0..9, or in 0..0 for ``features`` of 1."""
    rng = np.random.default_rng(seed)
    shape = (size, 1, 28, 28) if channels_first else (size, features)
    return rng.standard_normal(shape, dtype=np.float32), rng.integers(0, min(10, features), size)


def mlp_step(size: int, repeat: int, peers: list[str]) -> dict[str, Timing]:
    """Seconds per MLP step of ours, PyTorch's and the peers', at batch ``size``."""
    autograd.manual_seed(0)
    init = {k: a.copy() for k, a in mnist.build_model(HIDDEN).state_dict().items()}
    x, y = batch(size)
    runs = {
        engine.name: model_step(engine, same_model(lambda m: mnist.build_model(HIDDEN, m), init, engine), x, y)
        for engine in ENGINES
    }
    runs.update({name: PEERS[name](init, x, y) for name in peers})
    return in_turns(runs, repeat, inner=max(1, 256 // size))  # several steps a timing where one is ~0.1 ms


def cnn_step(size: int, repeat: int) -> dict[str, Timing]:
    """Seconds per CNN step of ours and PyTorch's at batch ``size``."""
    autograd.manual_seed(0)
    init = {k: a.copy() for k, a in mnist.build_cnn().state_dict().items()}
    x, y = batch(size, channels_first=True)
    return in_turns({e.name: model_step(e, same_model(mnist.build_cnn, init, e), x, y) for e in ENGINES}, repeat)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.steps", description=__doc__.split("\n")[0])
    parser.add_argument("--batches", default="1,32,128,1024,6000", help="MLP batch sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions per engine and batch size")
    parser.add_argument("--peers", default="mygrad,tinygrad", help="further engines to time where installed")
    args = parser.parse_args(argv)
    torch.set_num_threads(THREADS)
    peers = installed(args.peers.split(",")) if args.peers else []
    for size in (int(b) for b in args.batches.split(",")):
        times = mlp_step(size, args.repeat, peers)
        cells = "  ".join(f"{name} {1e3 * t.median:8.3f} ms" for name, t in times.items())
        print(f"MLP batch {size:>5}: {cells}  ours/torch {times['autograd'].median / times['torch'].median:.2f}")
    times = cnn_step(128, args.repeat)
    print(
        f"CNN batch   128: autograd {1e3 * times['autograd'].median:.1f} ms  torch {1e3 * times['torch'].median:.1f} ms"
        f"  ours/torch {times['autograd'].median / times['torch'].median:.2f}"
    )


if __name__ == "__main__":
    main()
