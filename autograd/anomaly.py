"""``detect_anomaly``: stop at the first NaN or inf an op makes, in forward or backward, and say
which op made it and on which line of your program that op was created."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

_depth = 0
_PACKAGES = tuple(
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), name) + os.sep
    for name in ("autograd", "nn")
)


class detect_anomaly(contextlib.ContextDecorator):
    """Context manager and decorator: an op whose result, or a backward rule whose gradient, holds a
    NaN or inf that its inputs did not raises ``RuntimeError`` naming the op and where it was created.

    While it is on, every op remembers the line that created it (``file:line``), as PyTorch's
    anomaly mode keeps each node's traceback; outside it nothing is checked or kept."""

    def __enter__(self) -> None:
        global _depth
        _depth += 1

    def __exit__(self, *exc: object) -> None:
        global _depth
        _depth -= 1


def enabled() -> bool:
    return _depth > 0


@contextlib.contextmanager
def backward_pass() -> Iterator[None]:
    """While the backward pass runs, the ops inside backward rules are not checked one by one: the
    gradient each rule returns is (``check_backward``), and the error names the rule's op."""
    global _depth
    depth, _depth = _depth, 0
    try:
        yield
    finally:
        _depth = depth


def _call_site() -> str:
    """``file:line`` of the innermost frame outside this library: the user's line that made the op."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGES):
        frame = frame.f_back
    if frame is None:
        return "an unknown line"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _finite(x: Any) -> bool:
    data = np.asarray(getattr(x, "data", x))
    return bool(np.isfinite(data).all()) if data.dtype.kind in "fc" else True


def check_forward(out: Any, symbol: str, inputs: Iterable[Any]) -> None:
    """Remember where ``out`` was made; raise if it holds a NaN or inf while all its inputs were finite."""
    site = out._origin = _call_site()
    if not _finite(out) and all(x is None or _finite(x) for x in inputs):
        raise RuntimeError(
            f"detect_anomaly: the op '{symbol}' created at {site} produced {_describe(out)} from finite inputs"
        )


def check_backward(node: Any, input_grads: Iterable[Any]) -> None:
    """Raise if ``node``'s backward rule gave an input a NaN or inf gradient."""
    for k, g in enumerate(input_grads):
        if g is not None and not _finite(g):
            site = getattr(node, "_origin", None) or "a line run before detect_anomaly was on"
            raise RuntimeError(
                f"detect_anomaly: the backward of '{node.op}' (created at {site}) returned {_describe(g)} "
                f"as the gradient of its input {k}"
            )


def _describe(x: Any) -> str:
    """ "NaN", "inf" or "-inf": the first of them that ``x`` holds."""
    data = np.asarray(getattr(x, "data", x))
    if np.isnan(data).any():
        return "NaN"
    return "inf" if (data == np.inf).any() else "-inf"
