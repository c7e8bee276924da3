"""Functional forms of layers, activations, padding and losses (``torch.nn.functional``), built on
autograd's public API.

Everything here serves both engines: a Tensor, or for the scalar engine a ``Value`` (activations)
and lists of Values (losses, softmax over a row), with one formula each. The activations are
compositions of ops both engines have, with ``autograd.where`` choosing between pieces, so their
values and gradients (at the kinks too) are PyTorch's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Function, FunctionCtx, Tensor, Value
from autograd.value import logsumexp
from nn.normalization import batch_norm, layer_norm

relu, sigmoid, tanh = autograd.relu, autograd.sigmoid, autograd.tanh


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


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    """x for x > 0, alpha (e^x - 1) otherwise."""
    return _in_place("elu", input, inplace, lambda x: _elu(x, alpha))


def celu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    """x for x > 0, alpha (e^(x / alpha) - 1) otherwise."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _in_place("celu", input, inplace, lambda x: _elu(x, alpha, input_scale=1 / alpha))


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Any, inplace: bool = False) -> Any:
    """scale * elu(x, alpha) with the self-normalizing constants alpha = 1.6733, scale = 1.0507."""
    return _in_place("selu", input, inplace, lambda x: _elu(x, SELU_ALPHA, SELU_SCALE))


def _elu(x: Any, alpha: float, scale: float = 1.0, input_scale: float = 1.0) -> Any:
    """scale * (x if x > 0 else alpha (e^(input_scale x) - 1)). At 0 PyTorch takes the negative side's
    slope and no curvature, so 0 has its own piece: the line through 0 of that slope. The exponential is
    taken of min(x, 0), so the pieces not chosen stay finite and pass back no nan."""
    negative = alpha * (x.clamp(max=0) * input_scale).expm1()
    out = autograd.where(x > 0, x, autograd.where(x < 0, negative, alpha * input_scale * x))
    return out if scale == 1 else scale * out


def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Any:
    """x clamped to [min_val, max_val]; the gradient is 0 at the two ends too, as in PyTorch."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val cannot be greater than max_val ({min_val} > {max_val})")
    return _in_place("hardtanh", input, inplace, lambda x: _clip_flat(x, min_val, max_val))


def relu6(input: Any, inplace: bool = False) -> Any:
    """min(max(0, x), 6): hardtanh on [0, 6]."""
    return hardtanh(input, 0.0, 6.0, inplace)


def _clip_flat(x: Any, low: float, high: float) -> Any:
    """low for x <= low, high for x >= high, else x: flat, so of slope 0, at the ends themselves."""
    return autograd.where(x <= low, low, autograd.where(x >= high, high, x))


def hardsigmoid(input: Any, inplace: bool = False) -> Any:
    """0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 in between."""
    return _in_place(
        "hardsigmoid", input, inplace, lambda x: autograd.where(x <= -3, 0.0, autograd.where(x >= 3, 1.0, (x + 3) / 6))
    )


def hardswish(input: Any, inplace: bool = False) -> Any:
    """0 for x <= -3, x for x >= 3, x (x + 3) / 6 in between."""

    def f(x: Any) -> Any:
        inside = x.clamp(-3, 3)  # the middle piece of a finite x, so an infinite x passes back no nan
        return autograd.where(x <= -3, 0.0, autograd.where(x >= 3, x, inside * (inside + 3) / 6))

    return _in_place("hardswish", input, inplace, f)


def silu(input: Any, inplace: bool = False) -> Any:
    """x * sigmoid(x) (the swish)."""
    return _in_place("silu", input, inplace, lambda x: x * x.sigmoid())


def mish(input: Any, inplace: bool = False) -> Any:
    """x * tanh(softplus(x))."""
    return _in_place("mish", input, inplace, lambda x: x * x.softplus().tanh())


def softsign(input: Any) -> Any:
    """x / (1 + |x|)"""
    return input / (input.abs() + 1)


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    """log(1 + e^(beta x)) / beta, or x itself where beta x > threshold (as PyTorch, for speed and
    to stay linear where the difference is below rounding)."""
    scaled = input if beta == 1 else input * beta
    smooth = scaled.softplus() if beta == 1 else scaled.softplus() / beta
    return autograd.where(scaled > threshold, input, smooth)


def logsigmoid(input: Any) -> Any:
    """log(sigmoid(x)) = -softplus(-x), computed without overflow."""
    return -(-input).softplus()


GELU_APPROXIMATIONS = ("none", "tanh")


def gelu(input: Any, approximate: str = "none") -> Any:
    """x * Phi(x), Phi the standard normal's cumulative distribution: x/2 (1 + erf(x / sqrt 2)); with
    ``approximate="tanh"``, x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    if approximate == "none":
        return input * 0.5 * (1 + (input * math.sqrt(0.5)).erf())
    if approximate == "tanh":
        inner = math.sqrt(2) * (2 / math.sqrt(math.pi)) * 0.5 * (input + 0.044715 * (input * input * input))
        return 0.5 * input * (1 + inner.tanh())
    raise RuntimeError(f"approximate argument must be either none or tanh, not {approximate!r}")


def _in_place(name: str, input: Any, inplace: bool, f: Callable[[Any], Any]) -> Any:
    """``f(input)``; with ``inplace=True`` written into ``input``, which only a Tensor outside the graph
    allows here (this engine records no in-place activation for backward)."""
    if not inplace:
        return f(input)
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(inplace=True) needs a Tensor: a Value is never edited in place")
    if autograd.is_grad_enabled() and input.requires_grad:
        raise RuntimeError(
            f"{name}(inplace=True) on a tensor that requires grad: this engine does not record in-place "
            f"activations for backward; use inplace=False (the result is the same)"
        )
    return input.copy_(f(input))


# -- padding -----------------------------------------------------------------------------
PAD_MODES = ("constant", "reflect", "replicate", "circular")


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """``input`` padded on its last ``len(pad) // 2`` dims, PyTorch's order: ``pad`` = (before, after) for
    the last dim, then for the one before it, and so on; a negative pad crops. "constant" fills ``value``
    (0 by default), "reflect" mirrors without repeating the edge, "replicate" repeats the edge and
    "circular" wraps around; the last three pad any number of dims (PyTorch's, at most three)."""
    if mode not in PAD_MODES:
        raise NotImplementedError(f"pad: unrecognised padding mode {mode!r}; use one of {', '.join(PAD_MODES)}")
    if len(pad) % 2:
        raise RuntimeError(f"pad: padding length must be divisible by 2, got {len(pad)}")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(
            f"pad: padding length should be less than or equal to two times the input dimension but got padding "
            f"length {len(pad)} and input of dimension {input.ndim}"
        )
    if mode != "constant" and value not in (None, 0):
        raise RuntimeError(f'pad: padding mode "{mode}" doesn\'t take in value argument')
    out = input
    for k in range(len(pad) // 2):
        dim, before, after = input.ndim - 1 - k, pad[2 * k], pad[2 * k + 1]
        if mode in ("constant", "circular") and min(before, after) < 0:  # these crop first, as in PyTorch
            out = out.narrow(dim, max(-before, 0), out.shape[dim] + min(before, 0) + min(after, 0))
            before, after = max(before, 0), max(after, 0)
        if mode == "constant":
            out = _pad_constant(out, dim, before, after, value or 0)
        elif before or after:
            out = out.index_select(dim, _pad_source(mode, out.shape, dim, before, after))
    return out


def _pad_constant(x: Tensor, dim: int, before: int, after: int, value: float) -> Tensor:
    """``x`` with ``before`` and ``after`` elements of ``value`` added along ``dim``."""

    def filler(n: int) -> list[Tensor]:
        return [autograd.full(x.shape[:dim] + (n,) + x.shape[dim + 1 :], value, dtype=x.dtype)] if n else []

    parts = filler(before) + [x] + filler(after)
    return autograd.cat(parts, dim) if len(parts) > 1 else x


def _pad_source(mode: str, shape: tuple[int, ...], dim: int, before: int, after: int) -> np.ndarray:
    """For each position of the padded ``dim``, the index of the input element it copies."""
    n = shape[dim]
    if mode == "reflect" and not (before < n and after < n):
        raise RuntimeError(
            f"pad: padding size should be less than the corresponding input dimension, but got: padding "
            f"({before}, {after}) at dimension {dim} of input {list(shape)}"
        )
    if mode == "circular" and not (before <= n and after <= n):
        raise RuntimeError(
            f"pad: padding ({before}, {after}) at dimension {dim} of size {n} wraps around more than once"
        )
    if n == 0 or n + before + after <= 0:
        raise RuntimeError(
            f"pad: dimension {dim} of input {list(shape)} is too small for {mode} padding ({before}, {after})"
        )
    positions = np.arange(-before, n + after)
    if mode == "reflect":
        return (n - 1) - np.abs((n - 1) - np.abs(positions))
    if mode == "replicate":
        return np.clip(positions, 0, n - 1)
    return positions % n


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
    """x W^T + b, with W of shape (out_features, in_features): one op, ``autograd.linear``."""
    return autograd.linear(autograd.as_tensor(x), weight, bias)


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
        probabilities = np.asarray(p.data)
        if not ((probabilities >= 0) & (probabilities <= 1)).all():  # NaN is refused too, as in PyTorch
            raise RuntimeError(
                "binary_cross_entropy: all elements of input should be between 0 and 1 (probabilities); "
                "for logits use binary_cross_entropy_with_logits"
            )
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
        return (1 - y) * x + (-x).softplus()

    return _pointwise_loss("binary_cross_entropy_with_logits", loss, input, target, reduction)


def nll_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-input[n, target[n]]: the negative log-likelihood of the target class, given log-probabilities."""
    _check_reduction(reduction)
    if _is_values(input):
        return _per_row("nll_loss", input, target, reduction, lambda row, t: -row[t])
    return _picked("nll_loss", autograd.as_tensor(input), autograd.as_tensor(target), reduction)


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """-log softmax(input)[target], from logits; ``target`` holds class indices or class probabilities."""
    _check_reduction(reduction)
    if _is_values(input):
        return _per_row("cross_entropy", input, target, reduction, lambda row, t: logsumexp(row) - row[t])
    input, target = autograd.as_tensor(input), autograd.as_tensor(target)
    class_dim = 1 if input.ndim >= 2 else 0
    if np.issubdtype(target.dtype, np.floating) and target.ndim == input.ndim:  # class probabilities
        if target.shape != input.shape:
            raise ValueError(
                f"cross_entropy: class-probability target shape {target.shape} and input shape {input.shape} "
                "differ; they must match"
            )
        return _reduce(-(target * input.log_softmax(class_dim)).sum(class_dim), reduction)
    return _picked("cross_entropy", input.log_softmax(class_dim), target, reduction)


def _picked(name: str, logp: Tensor, target: Tensor, reduction: str) -> Tensor:
    """-logp[n, target[n]] of (N, C, ...) or (C,) log-probabilities and class-index targets, reduced."""
    classes = _check_class_targets(name, logp, target)
    picked = _class_dim_last(logp).reshape(-1, classes)[np.arange(target.numel()), target.data.reshape(-1)]
    return _reduce(-picked.reshape(target.shape), reduction)


def _per_row(name: str, input: Any, target: Any, reduction: str, loss: Callable[[list[Value], int], Value]) -> Any:
    """``loss(row, t)`` of each scalar-engine row of scores and its class index, reduced; a single row
    (a list of Values) takes an int target."""
    single = isinstance(target, (int, np.integer))
    rows = [_values(input)] if single else [_values(row) for row in input]
    targets = [int(target)] if single else [int(t) for t in target]
    if len(rows) != len(targets):
        raise ValueError(f"{name}: {len(rows)} rows of scores and {len(targets)} targets; there must be one per row")
    for row, t in zip(rows, targets):
        _check_class_range(name, np.array([t]), len(row))
    return _reduce([loss(row, t) for row, t in zip(rows, targets)], reduction)


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
    if class_dim and target.ndim and target.shape[0] != input.shape[0]:  # PyTorch's message for this common slip
        raise ValueError(
            f"{name}: expected input batch_size ({input.shape[0]}) to match target batch_size ({target.shape[0]}); "
            f"input shape {input.shape}, target shape {target.shape}"
        )
    if target.shape != expected:
        raise ValueError(f"{name}: input shape {input.shape} needs a target of shape {expected}, got {target.shape}")
    classes = input.shape[class_dim]
    _check_class_range(name, target.data, classes)
    return classes


def _check_class_range(name: str, targets: np.ndarray, classes: int) -> None:
    """Class indices must lie in [0, classes): a negative one would silently pick from the end."""
    wrong = targets[(targets < 0) | (targets >= classes)]
    if wrong.size:
        raise IndexError(f"{name}: target {wrong[0]} is out of bounds for {classes} classes (valid: 0..{classes - 1})")


__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "celu",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "gelu",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "logsigmoid",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "mish",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "pad",
    "prelu",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "softsign",
    "tanh",
]
