"""``gradcheck``: compare analytic gradients with central differences, for Value and Tensor functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Union

import numpy as np

from autograd.graph import topological_order
from autograd.tensor import Tensor, grad, no_grad
from autograd.value import Value
from autograd.value import _inputs_of as value_inputs

Input = Union[Value, Tensor]


class GradcheckError(RuntimeError):
    """An analytic gradient disagrees with its finite-difference estimate."""


def gradcheck(
    fn: Callable[..., Any],
    inputs: Input | Sequence[Input],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check d fn(*inputs) / d input against (f(x + eps) - f(x - eps)) / 2 eps, element by element.

    Tensors should be float64 (float32 differences are too coarse at eps=1e-6).
    Returns True, or raises ``GradcheckError`` naming the worst element, both
    values and their difference.
    """
    inputs = (inputs,) if isinstance(inputs, (Value, Tensor)) else tuple(inputs)
    wrt = [x for x in inputs if isinstance(x, Value) or x.requires_grad]
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


def _outputs(fn: Callable[..., Any], inputs: tuple[Input, ...]) -> np.ndarray:
    """fn(*inputs) as a flat float64 vector."""
    out = fn(*inputs)
    return np.array(out.data, dtype=np.float64).reshape(-1)  # a copy: out may be a view of an input


def _numeric_jacobian(fn: Callable[..., Any], inputs: tuple[Input, ...], x: Input, eps: float) -> np.ndarray:
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


def _analytic_jacobians(fn: Callable[..., Any], inputs: tuple[Input, ...], wrt: list[Input]) -> list[np.ndarray]:
    """One Jacobian per input in ``wrt``, a row per output element, by reverse mode."""
    out = fn(*inputs)
    if isinstance(out, Value):
        nodes = topological_order((out,), value_inputs)
        saved = [v.grad for v in nodes]
        for v in nodes:
            v.grad = 0.0
        out.backward()
        jacobians = [np.array([[x.grad]]) for x in wrt]
        for v, g in zip(nodes, saved):  # leave every grad as the caller had it, as torch's gradcheck does
            v.grad = g
        return jacobians
    rows = []
    for j in range(out.data.size):
        seed = np.zeros(out.shape, dtype=out.dtype)
        seed.flat[j] = 1
        grads = grad(out, wrt, grad_outputs=seed, retain_graph=True, allow_unused=True)
        rows.append([np.zeros(x.data.size) if g is None else g.data.reshape(-1) for x, g in zip(wrt, grads)])
    return [np.array([row[k] for row in rows], dtype=np.float64).reshape(out.data.size, -1) for k in range(len(wrt))]


def _get(x: Input, i: int) -> float:
    return x.data if isinstance(x, Value) else float(x.data.flat[i])


def _set(x: Input, i: int, v: float) -> None:
    if isinstance(x, Value):
        x.data = v
    else:
        x.data.flat[i] = v
