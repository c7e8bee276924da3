"""Timings taken in turns, with their spread, and a description of the machine they were taken on
(CPU, BLAS and threads). Imports neither engine's heavy peers, so the scalar benchmark's heap stays small."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_info


class Timing(NamedTuple):
    """Seconds over repeats: the median is the figure, min and max show the spread."""

    low: float
    median: float
    high: float

    @staticmethod
    def of(seconds: Sequence[float]) -> Timing:
        return Timing(min(seconds), statistics.median(seconds), max(seconds))


PAUSE = 0.3  # seconds between two runs' turns: longer than a thread pool spins waiting for work


def in_turns(runs: dict[str, Callable[[], None]], repeat: int, inner: int = 1) -> dict[str, Timing]:
    """Seconds per call of each of ``runs``, ``repeat`` times after one warm-up round, the runs taking
    turns so that a change in the machine's load hits them alike; ``inner`` calls per timing.

    Each turn starts after a pause: the thread pools of BLAS libraries (numpy's OpenBLAS, PyTorch's
    OpenMP) keep spinning for a while after their last call, and would take the cores from the next run.
    """
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(repeat + 1):
        for name, run in runs.items():
            time.sleep(PAUSE)
            start = time.perf_counter()
            for _ in range(inner):
                run()
            if round_:
                seconds[name].append((time.perf_counter() - start) / inner)
    return {name: Timing.of(s) for name, s in seconds.items()}


def machine() -> list[str]:
    """Lines describing where the numbers were taken: CPU, Python, and the BLAS and threads of each engine."""
    with open("/proc/cpuinfo") as info:
        cpu = next(
            (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), platform.machine()
        )
    pools = "; ".join(f"{p['internal_api']} {p['version']} with {p['num_threads']} threads" for p in threadpool_info())
    lines = [
        f"{cpu}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; Python {platform.python_version()}",
        f"numpy {np.__version__}: {pools}",
    ]
    torch = sys.modules.get("torch")
    if torch is not None:
        blas = "MKL" if torch.backends.mkl.is_available() else "no MKL"
        dnn = ", oneDNN" if torch.backends.mkldnn.is_available() else ""
        lines.append(f"torch {torch.__version__}: {torch.get_num_threads()} threads, {blas}{dnn}")
    return lines
