"""Functional forms of layers, activations and losses (``torch.nn.functional``), built on autograd's public API.

Everything here serves both engines: a Tensor, or for the scalar engine a ``Value`` (activations)
and lists of Values (losses, softmax over a row), with one formula each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import autograd
from autograd import Function, FunctionCtx, Tensor, Value
from autograd.value import logsumexp
from nn.normalization import batch_norm, layer_norm

relu, sigmoid, tanh, softplus = autograd.relu, autograd.sigmoid, autograd.tanh, autograd.softplus


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, negative_slope * x otherwise."""
    return autograd.where(x > 0, x, x * negative_slope)


def prelu(x: Any, weight: Any) -> Any:
    """x for x > 0, weight * x otherwise; a weight of n slopes applies one per channel (dim 1)."""
    if isinstance(weight, Tensor) and weight.numel() > 1:
        if x.ndim < 2 or x.shape[1] != weight.numel():
            raise ValueError(
                f"prelu: {weight.numel()} slopes need inputs with {weight.numel()} channels in dim 1, got {x.shape}"
            )
        weight = weight.reshape((-1,) + (1,) * (x.ndim - 2))
    return autograd.where(x > 0, x, x * weight)


def softmax(x: Any, dim: int | None = None) -> Any:
    """e^x_i / sum_j e^x_j along ``dim``; on Values, over a list of them (a Value alone is a row of one)."""
    if _is_values(x):
        return _map_row(x, dim, lambda row, lse: [(v - lse).exp() for v in row])
    x = autograd.as_tensor(x)
    return x.softmax(_softmax_dim(x, dim))


def log_softmax(x: Any, dim: int | None = None) -> Any:
    """x_i - log sum_j e^x_j along ``dim``, computed stably; on Values, over a list of them."""
    if _is_values(x):
        return _map_row(x, dim, lambda row, lse: [v - lse for v in row])
    x = autograd.as_tensor(x)
    return x.log_softmax(_softmax_dim(x, dim))


def _softmax_dim(x: Tensor, dim: int | None) -> int:
    """PyTorch's choice when no dim is given: 0 for 0-, 1- and 3-d inputs, else 1."""
    if dim is not None:
        return dim
    return 0 if x.ndim in (0, 1, 3) else 1


def _map_row(x: Any, dim: int | None, f: Callable[[list[Value], Value], list[Value]]) -> Any:
    """``f(row, logsumexp(row))`` for a list of Values (a 1-d row: dim 0, -1 or None), or a Value alone."""
    if dim not in (None, 0, -1):
        raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})")
    row = _values(x)
    out = f(row, logsumexp(row))
    return out[0] if isinstance(x, Value) else out


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


# -- convolution, pooling, normalization, dropout, embedding ------------------------------------
conv1d, conv2d, conv3d = autograd.conv1d, autograd.conv2d, autograd.conv3d
conv_transpose1d, conv_transpose2d, conv_transpose3d = (
    autograd.conv_transpose1d,
    autograd.conv_transpose2d,
    autograd.conv_transpose3d,
)
max_pool1d, max_pool2d, max_pool3d = autograd.max_pool1d, autograd.max_pool2d, autograd.max_pool3d
avg_pool1d, avg_pool2d, avg_pool3d = autograd.avg_pool1d, autograd.avg_pool2d, autograd.avg_pool3d
adaptive_avg_pool1d, adaptive_avg_pool2d = autograd.adaptive_avg_pool1d, autograd.adaptive_avg_pool2d


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each element zeroed with probability p and the rest scaled by 1 / (1 - p), so the expected value
    is kept; the identity when not training. The mask is drawn from autograd's default generator."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    kept = autograd.default_generator.rng.random(input.shape, dtype=np.float32) >= p
    scale = autograd.from_numpy((kept * (1 / (1 - p) if p < 1 else 0.0)).astype(input.dtype))
    return input.mul_(scale) if inplace else input * scale


def embedding(input: Any, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Row ``input[...]`` of ``weight`` for each index; the row at ``padding_idx`` gets no gradient."""
    indices = autograd.as_tensor(input)
    if indices.dtype.kind not in "iu":
        raise RuntimeError(f"embedding: indices must be integers (int64 or int32), got {indices.dtype}")
    rows = weight.shape[0]
    if indices.numel() and (indices.data.min() < 0 or indices.data.max() >= rows):
        bad = indices.data[(indices.data < 0) | (indices.data >= rows)].flat[0]
        raise IndexError(f"embedding: index out of range in self: indices must lie in [0, {rows}), got {bad}")
    out = weight[indices]
    if padding_idx is None:
        return out
    padding = (indices.data == padding_idx % rows)[..., None]
    return autograd.where(padding, out.detach(), out)


# -- losses ----------------------------------------------------------------------------
REDUCTIONS = ("mean", "sum", "none")


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """mean((input - target)^2)"""
    return _pointwise_loss("mse_loss", lambda x, y: (x - y) ** 2, input, target, reduction)


class BinaryCrossEntropy(Function):
    """-(y log p + (1 - y) log(1 - p)), each log clamped at -100, as one op (as in PyTorch), so that
    its gradient at p = 0 and p = 1 is the finite (p - y) / max(p (1 - p), eps), not 0 * inf."""

    EPS = float(np.float32(1e-12))  # PyTorch's EPSILON is this float32 constant, 9.99999996e-13

    @staticmethod
    def forward(ctx: FunctionCtx, p: Any, y: Any) -> Any:
        ctx.save_for_backward(p, y)
        return -(y * p.log().clamp(min=-100.0) + (1 - y) * (1 - p).log().clamp(min=-100.0))

    @staticmethod
    def backward(ctx: FunctionCtx, g: Any) -> tuple[Any, Any]:
        p, y = ctx.saved_tensors  # dL/dp = (p - y) / (p (1 - p)), dL/dy = log(1 - p) - log p
        gp = g * (p - y) / (p * (1 - p)).clamp(min=BinaryCrossEntropy.EPS) if ctx.needs_input_grad[0] else None
        gy = g * ((1 - p).log().clamp(min=-100.0) - p.log().clamp(min=-100.0)) if ctx.needs_input_grad[1] else None
        return gp, gy


def binary_cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-(y log p + (1 - y) log(1 - p)), each log clamped at -100."""
    return _pointwise_loss("binary_cross_entropy", BinaryCrossEntropy.apply, input, target, reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, reduction: str = "mean") -> Any:
    """BCE of sigmoid(x) without forming it: (1 - y) x + log(1 + e^-x), the softplus kept stable."""

    def loss(x: Any, y: Any) -> Any:
        return (1 - y) * x + softplus(-x)

    return _pointwise_loss("binary_cross_entropy_with_logits", loss, input, target, reduction)


def nll_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-input[n, target[n]]: the negative log-likelihood of the target class, given log-probabilities."""
    _check_reduction(reduction)
    if _is_values(input):
        rows, targets = _rows(input, target)
        return _reduce([-row[t] for row, t in zip(rows, targets)], reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    classes = _check_class_targets("nll_loss", input, target)
    logp = _class_dim_last(input).reshape(-1, classes)
    picked = logp[np.arange(logp.shape[0]), target.data.reshape(-1)]
    return _reduce(-picked.reshape(target.shape), reduction)


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-log softmax(input)[target], from logits; ``target`` holds class indices or class probabilities."""
    _check_reduction(reduction)
    if _is_values(input):
        rows, targets = _rows(input, target)
        return _reduce([logsumexp(row) - row[t] for row, t in zip(rows, targets)], reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    class_dim = 1 if input.ndim >= 2 else 0
    logp = input.log_softmax(class_dim)
    if np.issubdtype(target.dtype, np.floating) and target.shape == input.shape:
        return _reduce(-(target * logp).sum(class_dim), reduction)
    return nll_loss(logp, target, reduction)


def _pointwise_loss(name: str, loss: Callable[[Any, Any], Any], input: Any, target: Any, reduction: str) -> Any:
    """``loss(x, y)`` of each input and its target, reduced: on Tensors of one shape at once, on lists
    of Values pair by pair."""
    _check_reduction(reduction)
    if _is_values(input):
        xs, ys = _values(input), _values(target)
        if len(xs) != len(ys):
            raise ValueError(f"{name}: {len(xs)} inputs and {len(ys)} targets; there must be one target per input")
        return _reduce([loss(x, y) for x, y in zip(xs, ys)], reduction)
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    if input.shape != target.shape:
        raise ValueError(
            f"{name}: input shape {input.shape} and target shape {target.shape} differ; "
            f"they must match (reshape one, e.g. target.view(-1, 1))"
        )
    return _reduce(loss(input, target), reduction)


def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}")


def _reduce(loss: Any, reduction: str) -> Any:
    """Apply ``reduction`` to a Tensor of losses, or to a list of Value losses."""
    if reduction == "none":
        return loss
    if isinstance(loss, list):
        total = sum(loss[1:], loss[0]) if loss else Value(0.0)
        return total * (1.0 / len(loss)) if reduction == "mean" and loss else total
    return loss.mean() if reduction == "mean" else loss.sum()


def _is_values(x: Any) -> bool:
    """True for a Value or a (nested) list of them: the scalar engine's inputs."""
    return isinstance(x, Value) or (isinstance(x, (list, tuple)) and any(_is_values(v) for v in x))


def _values(x: Any) -> list[Value]:
    items = [x] if isinstance(x, (Value, int, float)) else list(x)
    return [v if isinstance(v, Value) else Value(v) for v in items]


def _class_dim_last(input: Tensor) -> Tensor:
    """(N, C, d1, ...) -> (N * d1 * ..., C): PyTorch keeps classes in dim 1."""
    if input.ndim <= 2:
        return input
    return input.permute(0, *range(2, input.ndim), 1).reshape(-1, input.shape[1])


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


__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cross_entropy",
    "dropout",
    "embedding",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "prelu",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
]
