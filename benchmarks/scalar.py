"""The scalar engine against micrograd 0.1.0 (PyPI) on one step of the moons demo.

    python -m benchmarks.scalar [--repeat 5] [--steps 10]

The workload is ``demos.moons.loss_and_accuracy`` on the 100-point batch with
MLP(2, [16, 16, 1]) (forward every point, max-margin loss + L2), then
``backward()``: the same code and the same weights on both engines. It is timed
two ways: one step from a collected heap, its graph freed after the timing; and
a loop of steps as training runs them, each graph freed while the next is built
(ours by reference counting, micrograd's, whose closures make reference cycles,
by the cyclic garbage collector), which is what the demo pays.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import math
import os
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
from demos.moons import loss_and_accuracy, make_moons

Case = tuple[Any, Callable[[float], Any], bool]  # model, its engine's Value, GC on while timed


def step(model: Any, value: Callable[[float], Any], data: tuple[Any, Any]) -> Any:
    """One forward+backward of the moons batch; returns the loss node."""
    loss, _ = loss_and_accuracy(model, *data, value=value)
    loss.backward()
    return loss


def timed_step(model: Any, value: Callable[[float], Any], data: tuple[Any, Any], gc_on: bool) -> float:
    """Wall time of one forward+backward from a collected heap, the cyclic GC on or off; the graph is freed after."""
    gc.collect()
    if not gc_on:
        gc.disable()
    start = time.perf_counter()
    loss = step(model, value, data)
    elapsed = time.perf_counter() - start
    gc.enable()
    del loss
    return elapsed


def median_seconds(cases: dict[str, Case], data: tuple[Any, Any], repeat: int) -> dict[str, float]:
    """Median of ``repeat`` timed steps per case after one warm-up round.

    The cases take turns, so a change in the machine's load or memory state hits all of them alike.
    """
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat + 1):
        for name, (model, value, gc_on) in cases.items():
            times[name].append(timed_step(model, value, data, gc_on))
    gc.collect()
    return {name: statistics.median(t[1:]) for name, t in times.items()}


def loop_seconds(model: Any, value: Callable[[float], Any], data: tuple[Any, Any], gc_on: bool, steps: int) -> float:
    """Seconds per step over ``steps`` consecutive forward+backward steps, as a training loop runs them:
    each step's graph is freed while the next is built, so its freeing (reference counting for ours,
    the cyclic GC for micrograd's closures) is paid inside the timed loop, as it is in the demo."""
    gc.collect()
    if not gc_on:
        gc.disable()
    start = time.perf_counter()
    for _ in range(steps):
        loss = step(model, value, data)
    elapsed = time.perf_counter() - start
    gc.enable()
    del loss
    gc.collect()
    return elapsed / steps


def graph_size(
    model: Any, value: Callable[[float], Any], data: tuple[Any, Any], inputs_of: Callable[[Any], Any]
) -> tuple[int, float]:
    """Nodes in one forward graph, and the bytes (tracemalloc) that building it allocated per new node
    (every node but the parameters, which existed before)."""
    gc.collect()
    tracemalloc.start()
    loss, _ = loss_and_accuracy(model, *data, value=value)
    allocated, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nodes = count_nodes(loss, inputs_of)
    return nodes, allocated / (nodes - len(list(model.parameters())))


def count_nodes(root: Any, inputs_of: Callable[[Any], Any]) -> int:
    """How many nodes the graph of ``root`` has, for either engine's node type."""
    seen, stack = {id(root)}, [root]
    while stack:
        for parent in inputs_of(stack.pop()):
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def copy_weights(source: Iterable[Any], target: Iterable[Any]) -> None:
    """Give micrograd's MLP our initial weights (both list parameters in the same order)."""
    for ours, theirs in zip(source, target, strict=True):
        theirs.data = ours.data


def same_results(ours: nn.MLP, theirs: Any, loss: float, their_loss: float) -> bool:
    """Whether the two engines computed the same loss and parameter gradients (to rounding)."""
    pairs = [(loss, their_loss)] + [(p.grad, q.grad) for p, q in zip(ours.parameters(), theirs.parameters())]
    return all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in pairs)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main(argv: Sequence[str] | None = None) -> int:
    """Check that both engines compute the same thing, then time them and print the table; 1 if that fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions after one warm-up (default 5)")
    parser.add_argument("--steps", type=int, default=10, help="steps of the timed training loop (default 10)")
    args = parser.parse_args(argv)
    try:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        print("micrograd is not installed: pip install micrograd==0.1.0 (make bench installs it)", file=sys.stderr)
        return 1

    data = make_moons(100, noise=0.1, seed=0)
    autograd.manual_seed(0)
    ours = nn.MLP(2, [16, 16, 1])
    theirs = MicroMLP(2, [16, 16, 1])
    copy_weights(ours.parameters(), theirs.parameters())
    loss = step(ours, autograd.Value, data).data
    if not same_results(ours, theirs, loss, step(theirs, MicroValue, data).data):
        print("the engines disagree on the loss or the gradients: the workloads are not the same", file=sys.stderr)
        return 1

    print(f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"micrograd {importlib.metadata.version('micrograd')}: same weights, same loss ({loss:.6f}) and gradients")
    print(f"workload: moons forward+backward, 100 points, MLP(2, [16, 16, 1]); median of {args.repeat} after 1 warm-up")

    cases = {
        "autograd.Value (GC on)": (ours, autograd.Value, True),
        "micrograd as shipped (GC on)": (theirs, MicroValue, True),
        "micrograd, GC off while timed": (theirs, MicroValue, False),
    }
    seconds = median_seconds(cases, data, args.repeat)
    sizes = {
        autograd.Value: graph_size(ours, autograd.Value, data, attrgetter("inputs")),
        MicroValue: graph_size(theirs, MicroValue, data, attrgetter("_prev")),
    }

    print(f"\n{'engine':<16}{'nodes':>9}{'bytes / node':>14}")
    for name, value in (("autograd", autograd.Value), ("micrograd", MicroValue)):
        nodes, per_node = sizes[value]
        print(f"{name:<16}{nodes:>9,}{per_node:>14.0f}")
    loops = [loop_seconds(model, value, data, gc_on, args.steps) for model, value, gc_on in cases.values()]
    timings = {
        "one step, graph freed after timing": tuple(seconds.values()),
        f"a loop of {args.steps} steps (as the demo)": tuple(loops),
    }
    print(f"\nseconds per step{'':<24}{'ours':>8}{'micrograd':>11}{'GC off':>8}{'shipped/ours':>14}{'GC off/ours':>13}")
    for label, (ours_t, shipped_t, no_gc_t) in timings.items():
        ratios = f"{shipped_t / ours_t:>13.1f}x{no_gc_t / ours_t:>12.2f}x"
        print(f"{label:<40}{ours_t:>8.4f}{shipped_t:>11.4f}{no_gc_t:>8.4f}{ratios}")
    shipped = min(shipped_t / ours_t for ours_t, shipped_t, _ in timings.values())
    no_gc = min(no_gc_t / ours_t for ours_t, _, no_gc_t in timings.values())
    per_node = sizes[autograd.Value][1]
    print("\ntargets, judged on the lower of the two timings:")
    print(f"micrograd as shipped / ours   {shipped:5.1f}x   target >= 8x    {verdict(shipped >= 8)}")
    print(f"micrograd with GC off / ours  {no_gc:5.2f}x   target >= 2x    {verdict(no_gc >= 2)}")
    print(f"bytes per node, ours          {per_node:5.0f}    target <= 128   {verdict(per_node <= 128)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
