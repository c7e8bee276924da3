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
import json
import math
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

import autograd
import nn
from benchmarks.timing import Timing, machine
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


def step_seconds(cases: dict[str, Case], data: tuple[Any, Any], repeat: int) -> dict[str, Timing]:
    """``repeat`` timed steps per case after one warm-up round.

    The cases take turns, so a change in the machine's load or memory state hits all of them alike.
    """
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat + 1):
        for name, (model, value, gc_on) in cases.items():
            times[name].append(timed_step(model, value, data, gc_on))
    gc.collect()
    return {name: Timing.of(t[1:]) for name, t in times.items()}


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


class Results(NamedTuple):
    nodes: int  # in one forward graph of ours
    bytes_per_node: dict[str, float]  # ours, micrograd
    one_step: dict[str, Timing]  # per case: one step from a collected heap
    loop: dict[str, float]  # per case: seconds per step in a loop of steps


def measure(repeat: int = 5, steps: int = 10) -> Results:
    """Check that both engines compute the same thing, then time them; RuntimeError if micrograd is
    missing or the engines disagree (the workloads would not be the same)."""
    try:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        raise RuntimeError(
            "micrograd is not installed: pip install micrograd==0.1.0 (make bench installs it)"
        ) from None
    data = make_moons(100, noise=0.1, seed=0)
    autograd.manual_seed(0)
    ours = nn.MLP(2, [16, 16, 1])
    theirs = MicroMLP(2, [16, 16, 1])
    copy_weights(ours.parameters(), theirs.parameters())
    loss = step(ours, autograd.Value, data).data
    if not same_results(ours, theirs, loss, step(theirs, MicroValue, data).data):
        raise RuntimeError("the engines disagree on the loss or the gradients: the workloads are not the same")
    cases = {
        "autograd": (ours, autograd.Value, True),
        "micrograd": (theirs, MicroValue, True),
        "micrograd, GC off": (theirs, MicroValue, False),
    }
    nodes, ours_bytes = graph_size(ours, autograd.Value, data, attrgetter("inputs"))
    _, their_bytes = graph_size(theirs, MicroValue, data, attrgetter("_prev"))
    return Results(
        nodes,
        {"autograd": ours_bytes, "micrograd": their_bytes},
        step_seconds(cases, data, repeat),
        {name: loop_seconds(model, value, data, gc_on, steps) for name, (model, value, gc_on) in cases.items()},
    )


def measure_alone(repeat: int = 5) -> Results:
    """``measure`` in a process of its own, whose heap holds what the moons demo's holds: a process that
    has imported PyTorch has hundreds of thousands more objects for every full collection of the cyclic
    garbage collector to walk, and both engines' steps pay that walk."""
    command = [sys.executable, "-m", "benchmarks.scalar", "--repeat", str(repeat), "--json"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip())
    found = json.loads(done.stdout)
    one_step = {name: Timing(*t) for name, t in found["one_step"].items()}
    return Results(found["nodes"], found["bytes_per_node"], one_step, found["loop"])


def main(argv: Sequence[str] | None = None) -> int:
    """Time both engines and print the table (or, with ``--json``, the results); 1 if they cannot be compared."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions after one warm-up (default 5)")
    parser.add_argument("--steps", type=int, default=10, help="steps of the timed training loop (default 10)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON, for python -m benchmarks")
    args = parser.parse_args(argv)
    try:
        results = measure(args.repeat, args.steps)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(results._asdict()))
        return 0
    print("\n".join(machine()))
    print(f"moons forward+backward, 100 points, MLP(2, [16, 16, 1]): {results.nodes:,} nodes")
    sizes = results.bytes_per_node
    print(f"bytes per node: autograd {sizes['autograd']:.0f}, micrograd {sizes['micrograd']:.0f}")
    for name, t in results.one_step.items():
        loop = results.loop[name]
        print(
            f"{name:<18} one step {t.median:.4f} s (min {t.low:.4f}, max {t.high:.4f}); in a loop {loop:.4f} s a step"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
