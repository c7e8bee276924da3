"""Normalization, as PyTorch's: ``batch_norm`` and ``layer_norm`` (also in ``nn.functional``) and their
layers ``BatchNorm1d BatchNorm2d`` (with running statistics kept as buffers) and ``LayerNorm``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

import autograd
from autograd import Function, FunctionCtx, Tensor
from nn.module import Module, Parameter


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1). Training normalizes by the
    batch's statistics (the biased variance) and moves the running ones towards them by ``momentum``
    (with the unbiased variance); otherwise the running statistics are used."""
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of at least 2 dims (N, C, ...), got size {list(input.shape)}")
    shape = (1, input.shape[1]) + (1,) * (input.ndim - 2)
    if training:
        if input.numel() // max(input.shape[1], 1) <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {list(input.shape)}"
            )
        return BatchNormalize.apply(input, weight, bias, running_mean, running_var, momentum, eps)
    if running_mean is None or running_var is None:
        raise ValueError("batch_norm: running_mean and running_var are needed when not training")
    scale = (running_var.reshape(shape) + eps) ** -0.5
    if weight is not None:
        scale = scale * weight.reshape(shape)
    y = (input - running_mean.reshape(shape)) * scale
    return y if bias is None else y + bias.reshape(shape)


class BatchNormalize(Function):
    """y = x_hat * weight + bias with x_hat = (x - mean) / sqrt(var + eps) by the batch's own statistics
    (the biased variance), as one op that also moves the running statistics, when given, towards them
    by ``momentum`` (with the unbiased variance), as PyTorch's does. Its backward is the closed form

        dx = weight / sqrt(var + eps) * (g - mean(g) - x_hat * mean(g * x_hat)),  dweight = sum(g * x_hat),
        dbias = sum(g)   (means and sums over all dims but the channels),

    which is a few passes over the data where the chain of ops it stands for takes several times more.
    Both directions work on numpy arrays viewed as (C, N, L) rows (contiguous for a convolution's
    channel-major result), reuse the arrays they make in place, and keep x - mean rather than x_hat:
    one pass fewer each way. Under ``create_graph`` the backward is Tensor ops instead, x_hat recomputed
    from x, so the gradient has a gradient."""

    @staticmethod
    def forward(
        ctx: FunctionCtx,
        x: Tensor,
        weight: Tensor | None,
        bias: Tensor | None,
        running_mean: Tensor | None,
        running_var: Tensor | None,
        momentum: float,
        eps: float,
    ) -> Tensor:
        rows = _channel_rows(x.data)
        count = rows.shape[1] * rows.shape[2]
        mean = rows.mean((1, 2), keepdims=True)
        centered = rows - mean  # C-contiguous (C, N, L), as the backward's arrays and the result are
        var = _row_dots(centered, centered) / count
        if running_mean is not None:
            running_mean.mul_(1 - momentum).add_(autograd.from_numpy(mean.reshape(-1) * momentum))
        if running_var is not None:
            running_var.mul_(1 - momentum).add_(autograd.from_numpy(var.reshape(-1) * (momentum * count / (count - 1))))
        inv_std = (var + eps) ** -0.5
        ctx.save_for_backward(x, weight, bias)
        ctx.centered, ctx.inv_std, ctx.eps = centered, inv_std, eps
        y = centered * (inv_std if weight is None else inv_std * weight.data.reshape(-1, 1, 1))
        if bias is not None:
            y += bias.data.reshape(-1, 1, 1)
        return autograd.from_numpy(_from_channel_rows(y, x.shape))

    @staticmethod
    def backward(ctx: FunctionCtx, g: Tensor) -> tuple[Tensor | None, ...]:
        x, weight, bias = ctx.saved_tensors
        if autograd.is_grad_enabled():
            gx, gw, gb = BatchNormalize._differentiable_backward(x, weight, g, ctx.eps)
        else:
            gx, gw, gb = BatchNormalize._numpy_backward(ctx.centered, ctx.inv_std, weight, g, x.shape)
        return gx, gw if weight is not None else None, gb if bias is not None else None, None, None, None, None

    @staticmethod
    def _numpy_backward(
        centered: np.ndarray, inv_std: np.ndarray, weight: Tensor | None, g: Tensor, shape: tuple[int, ...]
    ) -> tuple[Tensor, Tensor, Tensor]:
        """The closed form in four passes over the data after the two sums: dx = scale (g - mean(g) - (x - mean)
        k), with k = inv_std^2 mean(g (x - mean)) and scale = weight inv_std."""
        g_rows = _channel_rows(g.data)
        count = g_rows.shape[1] * g_rows.shape[2]
        g_sum, g_centered = g_rows.sum((1, 2), keepdims=True), _row_dots(g_rows, centered)
        gx = centered * (inv_std * inv_std * g_centered / count)
        np.subtract(g_rows, gx, out=gx)
        gx -= g_sum / count
        gx *= inv_std if weight is None else inv_std * weight.data.reshape(-1, 1, 1)
        grads = _from_channel_rows(gx, shape), (g_centered * inv_std).reshape(-1), g_sum.reshape(-1)
        return tuple(autograd.from_numpy(a) for a in grads)

    @staticmethod
    def _differentiable_backward(
        x: Tensor, weight: Tensor | None, g: Tensor, eps: float
    ) -> tuple[Tensor, Tensor, Tensor]:
        """The closed form in Tensor ops, x_hat recomputed from x, so that it is differentiated too."""
        axes = (0, *range(2, x.ndim))
        centered = x - x.mean(axes, keepdim=True)
        inv_std = ((centered * centered).mean(axes, keepdim=True) + eps) ** -0.5
        normalized = centered * inv_std
        g_sum, g_normalized_sum = g.sum(axes, keepdim=True), (g * normalized).sum(axes, keepdim=True)
        count = x.numel() // g_sum.numel()
        scale = inv_std if weight is None else inv_std * weight.reshape(inv_std.shape)
        gx = (g - g_sum / count - normalized * (g_normalized_sum / count)) * scale
        return gx, g_normalized_sum.reshape(-1), g_sum.reshape(-1)


def _channel_rows(a: np.ndarray) -> np.ndarray:
    """(N, C, *spatial) viewed as (C, N, L): C-contiguous when ``a`` is channel-major in memory, as a
    convolution's result is, so that per-channel sums run along contiguous memory."""
    return a.reshape(a.shape[0], a.shape[1], math.prod(a.shape[2:])).swapaxes(0, 1)


def _from_channel_rows(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The inverse of ``_channel_rows``: a view of shape (N, C, *spatial)."""
    return rows.swapaxes(0, 1).reshape(shape)


def _row_dots(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum(a * b) per channel, shaped (C, 1, 1): one BLAS dot product each, with no temporary array,
    and closer to the exact sum in float32 than a plain running sum (numpy's einsum)."""
    rows = a.shape[0]
    return (a.reshape(rows, 1, -1) @ b.reshape(rows, -1, 1)).reshape(rows, 1, 1)


def layer_norm(
    input: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias over the last dims, those of ``normalized_shape``."""
    normalized = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if input.shape[input.ndim - len(normalized) :] != normalized or len(normalized) > input.ndim:
        raise RuntimeError(
            f"layer_norm: Given normalized_shape={list(normalized)}, expected input with shape "
            f"[*, {', '.join(map(str, normalized))}], but got input of size {list(input.shape)}"
        )
    axes = tuple(range(input.ndim - len(normalized), input.ndim))
    centered = input - input.mean(axes, keepdim=True)
    y = centered * ((centered * centered).mean(axes, keepdim=True) + eps) ** -0.5
    if weight is not None:
        y = y * weight
    return y if bias is None else y + bias


class _BatchNorm(Module):
    """Normalizes each channel (dim 1) by the batch's mean and variance while training, and keeps
    running estimates of them (``running_mean``, ``running_var``, buffers) to use in eval mode.

    ``momentum`` weighs each new batch in the running estimates; None averages all batches so far
    (``num_batches_tracked`` counts them). ``weight`` starts at 1 and ``bias`` at 0."""

    expected_dims: tuple[int, ...]

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
    ) -> None:
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = Parameter(autograd.ones(num_features)) if affine else None
        self.bias = Parameter(autograd.zeros(num_features)) if affine else None
        tracked = track_running_stats
        self.register_buffer("running_mean", autograd.zeros(num_features) if tracked else None)
        self.register_buffer("running_var", autograd.ones(num_features) if tracked else None)
        self.register_buffer("num_batches_tracked", autograd.tensor(0) if tracked else None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in self.expected_dims:
            wanted = " or ".join(f"{n}D" for n in self.expected_dims)
            raise ValueError(f"{type(self).__name__}: expected {wanted} input (got {input.ndim}D input)")
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}({self.num_features}) got an input of shape {input.shape}: "
                f"dim 1 must have {self.num_features} channels"
            )
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # a cumulative average of every batch so far
                momentum = 1.0 / int(self.num_batches_tracked.item())
        use_batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        update = not self.training or self.track_running_stats  # in training, only tracked statistics move
        return batch_norm(
            input,
            self.running_mean if update else None,
            self.running_var if update else None,
            self.weight,
            self.bias,
            use_batch_stats,
            momentum,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) inputs, per channel C."""

    expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) inputs, per channel C."""

    expected_dims = (4,)


class LayerNorm(Module):
    """Normalizes each sample over its last dims (``normalized_shape``), then scales by ``weight``
    (starting at 1) and shifts by ``bias`` (starting at 0), elementwise."""

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
    ) -> None:
        self.normalized_shape = (
            (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
        )
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.weight = Parameter(autograd.ones(self.normalized_shape)) if elementwise_affine else None
        self.bias = Parameter(autograd.zeros(self.normalized_shape)) if elementwise_affine and bias else None

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        affine = f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        return f"{self.normalized_shape}, eps={self.eps}, {affine}"
