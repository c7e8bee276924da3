"""Normalization layers, as PyTorch's: ``BatchNorm1d BatchNorm2d`` (with running statistics kept as
buffers) and ``LayerNorm``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import autograd
from autograd import Tensor
from nn import functional as F
from nn.module import Module, Parameter


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
        return F.batch_norm(
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
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        affine = f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        return f"{self.normalized_shape}, eps={self.eps}, {affine}"
