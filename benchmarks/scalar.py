"""The scalar engine against micrograd 0.1.0 (PyPI) on one step of the moons demo.

    python -m benchmarks.scalar [--repeat 5]

The workload is ``demos.moons.loss_and_accuracy`` on the 100-point batch with
MLP(2, [16, 16, 1]) (forward every point, max-margin loss + L2), then
``backward()``: the same code and the same weights on both engines. Each
repetition builds a fresh graph and frees it after the timed region, for both
engines alike (ours is freed by reference counting; micrograd's closures make
reference cycles that only ``gc.collect()`` frees).
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

import autograd
import nn
from autograd.graph import topological_order
from demos.moons import loss_and_accuracy, make_moons

TARGETS = {"shipped": 8.0, "no_gc": 2.0, "bytes": 128}


def step(model: Any, value: Callable[[float], Any], data: tuple[Any, Any]) -> Any:
    """One forward+backward of the moons batch; returns the loss node."""
    loss, _ = loss_and_accuracy(model, *data, value=value)
    loss.backward()
    return loss


def seconds(model: Any, value: Callable[[float], Any], data: tuple[Any, Any], repeat: int, gc_on: bool) -> float:
    """Median wall time of ``repeat`` steps after one warm-up, with the cyclic GC on or off while timing."""
    times = []
    for _ in range(repeat + 1):
        gc.collect()  # free the previous graph, outside the timed region
        if not gc_on:
            gc.disable()
        start = time.perf_counter()
        loss = step(model, value, data)
        times.append(time.perf_counter() - start)
        gc.enable()
        del loss
    gc.collect()
    return statistics.median(times[1:])


def graph_size(
    model: Any, value: Callable[[float], Any], data: tuple[Any, Any], inputs_of: Callable
) -> tuple[int, float]:
    """Nodes in one forward graph, and the bytes allocated (tracemalloc) to build it per node."""
    gc.collect()
    tracemalloc.start()
    loss, _ = loss_and_accuracy(model, *data, value=value)
    allocated, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nodes = len(topological_order((loss,), inputs_of))
    return nodes, allocated / nodes


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def copy_weights(source: Iterable[Any], target: Iterable[Any]) -> None:
    """Give micrograd's MLP our initial weights (both list parameters in the same order)."""
    for ours, theirs in zip(source, target, strict=True):
        theirs.data = ours.data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions after one warm-up (default 5)")
    args = parser.parse_args(argv)
    try:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        print("micrograd is not installed: pip install micrograd==0.1.0 (make bench installs it)", file=sys.stderr)
        return 1

    X, y = make_moons(100, noise=0.1, seed=0)
    data = (X, y)
    autograd.manual_seed(0)
    ours = nn.MLP(2, [16, 16, 1])
    theirs = MicroMLP(2, [16, 16, 1])
    copy_weights(ours.parameters(), theirs.parameters())
    our_loss = step(ours, autograd.Value, data).data
    their_loss = step(theirs, MicroValue, data).data
    if abs(our_loss - their_loss) > 1e-9 * abs(our_loss):
        print(f"the engines disagree: loss {our_loss!r} (ours) vs {their_loss!r} (micrograd)", file=sys.stderr)
        return 1

    print(f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}")
    print(f"machine: {platform.machine()} {platform.processor()}".rstrip())
    print(f"micrograd {importlib.metadata.version('micrograd')}; same weights, same loss {our_loss:.6f} on both")
    print(f"workload: moons forward+backward, 100 points, MLP(2, [16, 16, 1]); median of {args.repeat} after 1 warm-up")

    ours_t = seconds(ours, autograd.Value, data, args.repeat, gc_on=True)
    shipped_t = seconds(theirs, MicroValue, data, args.repeat, gc_on=True)
    no_gc_t = seconds(theirs, MicroValue, data, args.repeat, gc_on=False)
    ours_nodes, ours_bytes = graph_size(ours, autograd.Value, data, attrgetter("inputs"))
    their_nodes, their_bytes = graph_size(theirs, MicroValue, data, attrgetter("_prev"))

    print()
    print(f"{'engine':<34}{'s / step':>10}{'nodes':>9}{'bytes / node':>14}")
    print(f"{'autograd.Value (GC on)':<34}{ours_t:>10.4f}{ours_nodes:>9,}{ours_bytes:>14.0f}")
    print(f"{'micrograd as shipped (GC on)':<34}{shipped_t:>10.4f}{their_nodes:>9,}{their_bytes:>14.0f}")
    print(f"{'micrograd, GC off while timed':<34}{no_gc_t:>10.4f}")
    print()
    shipped, no_gc = shipped_t / ours_t, no_gc_t / ours_t
    print(
        f"micrograd as shipped / ours: {shipped:5.1f}x  (target >= {TARGETS['shipped']:g}x: "
        f"{verdict(shipped >= TARGETS['shipped'])})"
    )
    print(
        f"micrograd GC off / ours:     {no_gc:5.1f}x  (target >= {TARGETS['no_gc']:g}x: "
        f"{verdict(no_gc >= TARGETS['no_gc'])})"
    )
    print(
        f"bytes per node, ours:        {ours_bytes:5.0f}   (target <= {TARGETS['bytes']}: "
        f"{verdict(ours_bytes <= TARGETS['bytes'])})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
