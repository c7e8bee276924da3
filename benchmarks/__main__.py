"""``make bench``: every benchmark in one run and one table, ours against PyTorch and the other peers.

    python -m benchmarks [--repeat 7]

Rows: one training step of the MNIST MLP at batch 1, 32, 128, 1024 and 6000 and of the CNN at 128
(``benchmarks.steps``); seconds per epoch of three MNIST recipes and the time to 98% of ``make
mnist``'s (``benchmarks.mnist``); the scalar engine's moons step against micrograd as shipped and
with its garbage collector off, and bytes per node (``benchmarks.scalar``, in a process of its own, as
the demo runs: no PyTorch in its heap). Each timing is the median of its repeats, with the spread of
ours (min..max); ratios are ours / peer, so below 1 is faster.
"""

from __future__ import annotations

import argparse
from typing import NamedTuple

import torch

from benchmarks import mnist, scalar, steps
from benchmarks.common import THREADS
from benchmarks.timing import Timing, machine


class Row(NamedTuple):
    what: str
    ours: Timing
    peer: str
    theirs: float
    target: str  # how ours / peer should compare, e.g. "<= 1.0"
    others: str = ""  # further peers


def ratio_met(ratio: float, target: str) -> bool:
    sign, bound = target.split()
    return ratio <= float(bound) if sign == "<=" else ratio >= float(bound)


def step_rows(repeat: int) -> list[Row]:
    peers = steps.installed(list(steps.PEERS))
    rows = []
    for size, target in ((1, "<= 1.2"), (32, "<= 1.2"), (128, "<= 1.0"), (1024, "<= 1.0"), (6000, "<= 1.0")):
        t = steps.mlp_step(size, repeat, peers)
        others = ", ".join(f"{p} {ms(t[p].median)} ({t['autograd'].median / t[p].median:.2f})" for p in peers)
        rows.append(Row(f"MLP step, batch {size}", t["autograd"], "torch", t["torch"].median, target, others))
    t = steps.cnn_step(128, repeat)
    rows.append(Row("CNN step, batch 128", t["autograd"], "torch", t["torch"].median, "<= 1.2"))
    return rows


def epoch_rows() -> list[Row]:
    rows = []
    for name, results in mnist.measure().items():
        ours, theirs = results["autograd"], results["torch"]
        rows.append(Row(f"epoch, {name}", Timing.of(ours.seconds), "torch", Timing.of(theirs.seconds).median, "<= 1.0"))
        if name == "make mnist":
            ours_98, theirs_98 = ours.seconds_to(mnist.TARGET), theirs.seconds_to(mnist.TARGET)
            if ours_98 is not None and theirs_98 is not None:
                once = Timing(ours_98, ours_98, ours_98)
                rows.append(Row("make mnist: training time to 98%", once, "torch", theirs_98, "<= 1.0"))
    return rows


def scalar_rows(repeat: int) -> tuple[list[Row], scalar.Results]:
    results = scalar.measure_alone(repeat)
    ours = results.one_step["autograd"]
    loop = results.loop
    rows = [
        Row("moons step (Value), one step", ours, "micrograd", results.one_step["micrograd"].median, "<= 0.125"),
        Row(
            "  against micrograd with its GC off",
            ours,
            "GC off",
            results.one_step["micrograd, GC off"].median,
            "<= 0.5",
        ),
        Row("moons, in a loop of steps", Timing(*(loop["autograd"],) * 3), "micrograd", loop["micrograd"], "<= 0.125"),
        Row(
            "  against micrograd with its GC off",
            Timing(*(loop["autograd"],) * 3),
            "GC off",
            loop["micrograd, GC off"],
            "<= 0.5",
        ),
    ]
    return rows, results


def ms(seconds: float) -> str:
    return f"{1e3 * seconds:.3f} ms" if seconds < 0.1 else f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions of each step (default 7)")
    args = parser.parse_args(argv)
    torch.set_num_threads(THREADS)
    rows, results = scalar_rows(args.repeat)  # in a process of its own, without PyTorch's objects in its heap
    rows = step_rows(args.repeat) + epoch_rows() + rows
    print("\n".join(machine()))
    print(f"\n{'':<46}{'ours':>11}  {'peer':<20}{'ours/peer':>10}  {'target':<18}{'ours min..max':>22}  other peers")
    for row in rows:
        ratio = row.ours.median / row.theirs
        verdict = "met" if ratio_met(ratio, row.target) else "NOT met"
        spread = f"{ms(row.ours.low)}..{ms(row.ours.high)}"
        peer = f"{row.peer} {ms(row.theirs)}"
        print(
            f"{row.what:<46}{ms(row.ours.median):>11}  {peer:<20}{ratio:>10.2f}  {row.target:<10}{verdict:<8}"
            f"{spread:>22}  {row.others}"
        )
    sizes = results.bytes_per_node
    print(
        f"\nscalar graph: {results.nodes:,} nodes, {sizes['autograd']:.0f} bytes per node (target <= 128), "
        f"micrograd {sizes['micrograd']:.0f}"
    )


if __name__ == "__main__":
    main()
