"""``gradcheck``: compare analytic gradients with central differences, for Value and Tensor functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.backprop import grad
from autograd.grad_mode import no_grad
from autograd.graph import Node


class GradcheckError(RuntimeError):
    """An analytic gradient disagrees with its finite-difference estimate."""


def gradcheck(
    fn: Callable[..., Any],
    inputs: Node | Sequence[Node],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check d fn(*inputs) / d input against (f(x + eps) - f(x - eps)) / 2 eps, element by element.

    Tensors should be float64 (float32 differences are too coarse at eps=1e-6). Returns True, or
    raises ``GradcheckError`` naming the worst element, both values and their difference. Every
    ``.grad`` is left as it was.
    """
    inputs = (inputs,) if isinstance(inputs, Node) else tuple(inputs)
    wrt = [x for x in inputs if isinstance(x, Node) and x.requires_grad]
    analytic = _analytic_jacobians(fn, inputs, wrt)
    for k, (x, jacobian) in enumerate(zip(wrt, analytic)):
        numeric = _numeric_jacobian(fn, inputs, x, eps)
        error = np.abs(jacobian - numeric) - (atol + rtol * np.abs(numeric))
        if error.size and (np.nanmax(error) > 0 or np.isnan(error).any()):
            out, element = np.unravel_index(np.nanargmax(np.where(np.isnan(error), np.inf, error)), error.shape)
            a, n = float(jacobian[out, element]), float(numeric[out, element])
            raise GradcheckError(
                f"gradient of output element {out} with respect to element {element} of input {k} "
                f"(shape {np.shape(x.data)}): analytic {a!r}, numerical {n!r}, difference {abs(a - n)!r} "
                f"(tolerance atol={atol} + rtol={rtol} * |numerical|)"
            )
    return True


def _outputs(fn: Callable[..., Any], inputs: tuple[Any, ...]) -> np.ndarray:
    """fn(*inputs) as a flat float64 vector."""
    out = fn(*inputs)
    return np.array(out.data, dtype=np.float64).reshape(-1)  # a copy: out may be a view of an input


def _numeric_jacobian(fn: Callable[..., Any], inputs: tuple[Any, ...], x: Node, eps: float) -> np.ndarray:
    """Jacobian (outputs x elements of x) by central differences."""
    columns = []
    with no_grad():
        for i in range(np.size(x.data)):
            original = _get(x, i)
            _set(x, i, original + eps)
            plus = _outputs(fn, inputs)
            _set(x, i, original - eps)
            minus = _outputs(fn, inputs)
            _set(x, i, original)
            columns.append((plus - minus) / (2 * eps))
    return np.stack(columns, axis=1)


def _analytic_jacobians(fn: Callable[..., Any], inputs: tuple[Any, ...], wrt: list[Node]) -> list[np.ndarray]:
    """One Jacobian per input in ``wrt``, a row per output element, by reverse mode (``autograd.grad``)."""
    out = fn(*inputs)
    rows = []
    for j in range(np.size(out.data)):
        upstream = np.zeros(np.shape(out.data))
        upstream.flat[j] = 1
        grads = grad(out, wrt, grad_outputs=upstream, retain_graph=True, allow_unused=True)
        rows.append(
            [np.zeros(np.size(x.data)) if g is None else np.ravel(getattr(g, "data", g)) for x, g in zip(wrt, grads)]
        )
    return [
        np.array([row[k] for row in rows], dtype=np.float64).reshape(np.size(out.data), -1) for k in range(len(wrt))
    ]


def _get(x: Node, i: int) -> float:
    return float(np.ravel(x.data)[i])


def _set(x: Node, i: int, v: float) -> None:
    """Set element ``i`` of ``x``'s data: in place in a Tensor's array, by assignment for a Value's float."""
    if isinstance(x.data, np.ndarray):
        x.data.flat[i] = v
    else:
        x.data = v
