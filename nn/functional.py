"""Functional forms of activations and losses (``torch.nn.functional``).

Losses take Tensors, or lists of ``Value`` for the scalar engine (same formulas).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Tensor, Value
from autograd.graph import rule_for
from autograd.tensor import _make as tensor_op
from autograd.value import _result as value_op

relu, sigmoid, tanh, softplus = autograd.relu, autograd.sigmoid, autograd.tanh, autograd.softplus


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, negative_slope * x otherwise."""
    x = autograd.as_tensor(x)
    return autograd.where(x.data > 0, x, x * negative_slope)


def prelu(x: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, weight * x otherwise; a weight of n slopes applies one per channel (dim 1)."""
    x = autograd.as_tensor(x)
    if weight.numel() > 1:
        if x.ndim < 2 or x.shape[1] != weight.numel():
            raise ValueError(
                f"prelu: {weight.numel()} slopes need inputs with {weight.numel()} channels in dim 1, got {x.shape}"
            )
        weight = weight.reshape((-1,) + (1,) * (x.ndim - 2))
    return autograd.where(x.data > 0, x, x * weight)


def _softmax_dim(x: Tensor, dim: int | None) -> int:
    """PyTorch's choice when no dim is given: 0 for 0-, 1- and 3-d inputs, else 1."""
    if dim is not None:
        return dim
    return 0 if x.ndim in (0, 1, 3) else 1


def softmax(x: Tensor, dim: int | None = None) -> Tensor:
    x = autograd.as_tensor(x)
    return x.softmax(_softmax_dim(x, dim))


def log_softmax(x: Tensor, dim: int | None = None) -> Tensor:
    x = autograd.as_tensor(x)
    return x.log_softmax(_softmax_dim(x, dim))


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x W^T + b, with W of shape (out_features, in_features)."""
    y = x @ weight.T
    return y if bias is None else y + bias


def one_hot(labels: Any, num_classes: int = -1) -> Tensor:
    """int64 tensor with a 1 at each label's index in a new last dimension."""
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if not np.issubdtype(labels.dtype, np.integer):
        raise RuntimeError(f"one_hot needs integer class labels, got {labels.dtype}")
    if num_classes < 0:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise RuntimeError(f"one_hot: labels must lie in [0, {num_classes}), got {labels.min()}..{labels.max()}")
    return autograd.from_numpy((labels[..., None] == np.arange(num_classes)).astype(np.int64))


# -- losses ----------------------------------------------------------------------------
def _reduce(loss: Any, reduction: str) -> Any:
    """Apply ``reduction``: "mean", "sum" or "none" (works on a Tensor or a list of Values)."""
    if reduction == "none":
        return loss
    if isinstance(loss, list):
        total = sum(loss[1:], loss[0]) if loss else Value(0.0)
        return total * (1.0 / len(loss)) if reduction == "mean" and loss else total
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}")


def _is_values(x: Any) -> bool:
    """True for a Value or a (nested) list of them: the scalar engine's inputs."""
    return isinstance(x, Value) or (isinstance(x, (list, tuple)) and any(_is_values(v) for v in x))


def _values(x: Any) -> list[Value]:
    items = [x] if isinstance(x, (Value, int, float)) else list(x)
    return [v if isinstance(v, Value) else Value(v) for v in items]


def _same_shape(name: str, input: Tensor, target: Tensor) -> None:
    if input.shape != target.shape:
        raise ValueError(
            f"{name}: input shape {input.shape} and target shape {target.shape} differ; "
            f"they must match (reshape one, e.g. target.view(-1, 1))"
        )


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """mean((input - target)^2)"""
    if _is_values(input):
        xs, ys = _values(input), _values(target)
        return _reduce([(x - y) ** 2 for x, y in zip(xs, ys, strict=True)], reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    _same_shape("mse_loss", input, target)
    return _reduce((input - target) ** 2, reduction)


# Binary cross-entropy is one op with its own backward rule, as in PyTorch, so that its gradient
# at p = 0 and p = 1 is PyTorch's finite (p - y) / max(p (1 - p), eps) rather than 0 * inf.
_BCE_EPS = float(np.float32(1e-12))  # PyTorch's EPSILON is this float32 constant, 9.99999996e-13


def _clamped_log(x: np.ndarray | float) -> np.ndarray:
    """log x, clamped at -100 as PyTorch's BCE does."""
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(x), -100.0)


def _bce(p: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
    """-(y log p + (1 - y) log(1 - p))"""
    return -(y * _clamped_log(p) + (1 - y) * _clamped_log(1 - np.asarray(p)))


@rule_for("binary_cross_entropy")
def _bce_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:
    p, y = out.inputs  # dL/dp = (p - y) / (p (1 - p)), dL/dy = log(1 - p) - log p
    gp = g * (p - y) / (p * (1 - p)).clamp(min=_BCE_EPS) if p.requires_grad else None
    gy = g * ((1 - p).log().clamp(min=-100.0) - p.log().clamp(min=-100.0)) if y.requires_grad else None
    return gp, gy


@rule_for("binary_cross_entropy")
def _bce_value_backward(out: Value) -> None:
    p, y = out._a, out._b  # the same derivatives for one Value
    p.grad += (p.data - y.data) / max(p.data * (1.0 - p.data), _BCE_EPS) * out.grad
    y.grad += float(_clamped_log(1.0 - p.data) - _clamped_log(p.data)) * out.grad


def binary_cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-(y log p + (1 - y) log(1 - p)), each log clamped at -100."""
    if _is_values(input):
        pairs = zip(_values(input), _values(target), strict=True)
        return _reduce([value_op(float(_bce(p.data, y.data)), p, y, _bce_value_backward) for p, y in pairs], reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    _same_shape("binary_cross_entropy", input, target)
    loss = tensor_op(_bce(input.data, target.data).astype(input.dtype), (input, target), _bce_backward)
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, reduction: str = "mean") -> Any:
    """BCE of sigmoid(x) without forming it: (1 - y) x + log(1 + e^-x), the log-sum-exp kept stable."""
    if _is_values(input):
        xs, ys = _values(input), _values(target)
        losses = [(1.0 - y) * x + _softplus_value(-x) for x, y in zip(xs, ys, strict=True)]
        return _reduce(losses, reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    _same_shape("binary_cross_entropy_with_logits", input, target)
    return _reduce((1 - target) * input + (-input).softplus(), reduction)


def _softplus_value(x: Value) -> Value:
    """log(1 + e^x) for a Value: x + log(1 + e^-x) for x > 0, so e^t never overflows."""
    return x + (1.0 + (-x).exp()).log() if x.data > 0 else (1.0 + x.exp()).log()


def _class_dim_last(input: Tensor) -> Tensor:
    """(N, C, d1, ...) -> (N * d1 * ..., C): PyTorch keeps classes in dim 1."""
    if input.ndim <= 2:
        return input
    return input.permute(0, *range(2, input.ndim), 1).reshape(-1, input.shape[1])


def nll_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-input[n, target[n]]: the negative log-likelihood of the target class, given log-probabilities."""
    if _is_values(input):
        rows, targets = _rows(input, target)
        return _reduce([-row[t] for row, t in zip(rows, targets)], reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    classes = _check_class_targets("nll_loss", input, target)
    logp = _class_dim_last(input).reshape(-1, classes)
    picked = logp[np.arange(logp.shape[0]), target.data.reshape(-1)]
    loss = -picked.reshape(target.shape)
    return _reduce(loss, reduction)


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-log softmax(input)[target], from logits; ``target`` holds class indices or class probabilities."""
    if _is_values(input):
        rows, targets = _rows(input, target)
        return _reduce([_log_sum_exp(row) - row[t] for row, t in zip(rows, targets)], reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    class_dim = 1 if input.ndim >= 2 else 0
    logp = input.log_softmax(class_dim)
    if np.issubdtype(target.dtype, np.floating) and target.shape == input.shape:
        return _reduce(-(target * logp).sum(class_dim), reduction)
    return nll_loss(logp, target, reduction)


def _check_class_targets(name: str, input: Tensor, target: Tensor) -> int:
    """Validate class-index targets against (N, C, ...) or (C,) scores; return C."""
    class_dim = 1 if input.ndim >= 2 else 0
    expected = input.shape[:class_dim] + input.shape[class_dim + 1 :]
    if not np.issubdtype(target.dtype, np.integer):
        raise RuntimeError(
            f"{name}: class-index targets must be integers (int64), got {target.dtype} of shape {target.shape}; "
            f"for class probabilities pass a float target of the input's shape {input.shape}"
        )
    if target.shape != expected:
        raise ValueError(f"{name}: input shape {input.shape} needs a target of shape {expected}, got {target.shape}")
    classes = input.shape[class_dim]
    if target.data.size and (target.data.min() < 0 or target.data.max() >= classes):
        raise IndexError(f"{name}: target {target.data.max()} is out of bounds for {classes} classes")
    return classes


def _rows(input: Any, target: Any) -> tuple[list[list[Value]], list[int]]:
    """Scalar-engine scores as a list of rows (one row for a single sample) and int targets."""
    if isinstance(target, (int, np.integer)):
        return [_values(input)], [int(target)]
    return [_values(row) for row in input], [int(t) for t in target]


def _log_sum_exp(row: Sequence[Value]) -> Value:
    """log sum_i e^x_i, with the largest x (a constant) subtracted first so nothing overflows."""
    m = max(v.data for v in row)
    total = sum(((v - m).exp() for v in row[1:]), (row[0] - m).exp())
    return total.log() + m
