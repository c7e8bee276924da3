"""Convolution layers with PyTorch's parameter names, shapes and default init: ``Conv1d Conv2d Conv3d``
and their adjoints ``ConvTranspose1d ConvTranspose2d ConvTranspose3d``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from autograd import Tensor
from nn import functional as F
from nn import init
from nn.module import Module, Parameter

Size = int | Sequence[int]


def _ntuple(value: Size, dims: int) -> tuple[int, ...]:
    return (value,) * dims if isinstance(value, int) else tuple(value)


class _ConvNd(Module):
    """What the convolutions share: the weight (out, in / groups, *kernel), or (in, out / groups, *kernel)
    when transposed, and the bias, both U(-1/sqrt(fan_in), 1/sqrt(fan_in)) as in PyTorch
    (kaiming_uniform_ with a=sqrt(5) for the weight)."""

    dims: int
    transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Size,
        stride: Size,
        padding: Size | str,
        dilation: Size,
        groups: int,
        bias: bool,
        padding_mode: str,
        output_padding: Size = 0,
    ) -> None:
        name = type(self).__name__
        if groups < 1 or in_channels % groups:
            raise ValueError(f"{name}: in_channels must be divisible by groups (got {in_channels} and {groups})")
        if out_channels % groups:
            raise ValueError(f"{name}: out_channels must be divisible by groups (got {out_channels} and {groups})")
        if padding_mode != "zeros":
            raise ValueError(f"{name}: padding_mode {padding_mode!r} is not supported; only 'zeros' is")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _ntuple(kernel_size, self.dims)
        self.stride, self.dilation = _ntuple(stride, self.dims), _ntuple(dilation, self.dims)
        self.padding = padding if isinstance(padding, str) else _ntuple(padding, self.dims)
        self.output_padding = _ntuple(output_padding, self.dims)
        self.padding_mode = padding_mode
        shape = (in_channels, out_channels // groups) if self.transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(Tensor(*shape, *self.kernel_size))
        self.bias = Parameter(Tensor(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self.dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self.dims:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + (", bias=False" if self.bias is None else "")


class _Conv(_ConvNd):
    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Size,
        stride: Size = 1,
        padding: Size | str = 0,
        dilation: Size = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
    ) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)

    def forward(self, input: Tensor) -> Tensor:
        conv = (F.conv1d, F.conv2d, F.conv3d)[self.dims - 1]
        return conv(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv1d(_Conv):
    """(N, C_in, L) -> (N, C_out, L_out): ``out_channels`` filters of ``kernel_size`` swept along L."""

    dims = 1


class Conv2d(_Conv):
    """(N, C_in, H, W) -> (N, C_out, H_out, W_out): ``out_channels`` filters of ``kernel_size`` swept over H x W."""

    dims = 2


class Conv3d(_Conv):
    """(N, C_in, D, H, W) -> (N, C_out, D_out, H_out, W_out): filters swept over D x H x W."""

    dims = 3


class _ConvTranspose(_ConvNd):
    transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Size,
        stride: Size = 1,
        padding: Size = 0,
        output_padding: Size = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Size = 1,
        padding_mode: str = "zeros",
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            output_padding,
        )

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        """``output_size`` picks among the sizes the stride leaves possible (it sets ``output_padding``)."""
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self.dims - 1]
        extra = self.output_padding if output_size is None else self._output_padding(input, output_size)
        return conv(input, self.weight, self.bias, self.stride, self.padding, extra, self.groups, self.dilation)

    def _output_padding(self, input: Tensor, output_size: Sequence[int]) -> tuple[int, ...]:
        wanted = tuple(output_size)[-self.dims :]
        extra: list[Any] = []
        for i, size in enumerate(wanted):
            n, k, s, p, d = (
                input.shape[i - self.dims],
                self.kernel_size[i],
                self.stride[i],
                self.padding[i],
                self.dilation[i],
            )
            smallest = (n - 1) * s - 2 * p + d * (k - 1) + 1
            if not smallest <= size < smallest + s:
                raise ValueError(
                    f"{type(self).__name__}: requested an output size of {list(wanted)}, but valid sizes range from "
                    f"{smallest} to {smallest + s - 1} in dim {i} (for an input of size {list(input.shape)})"
                )
            extra.append(size - smallest)
        return tuple(extra)


class ConvTranspose1d(_ConvTranspose):
    """(N, C_in, L) -> (N, C_out, L_out): the adjoint of Conv1d, which upsamples by its stride."""

    dims = 1


class ConvTranspose2d(_ConvTranspose):
    """(N, C_in, H, W) -> (N, C_out, H_out, W_out): the adjoint of Conv2d, which upsamples by its stride."""

    dims = 2


class ConvTranspose3d(_ConvTranspose):
    """(N, C_in, D, H, W) -> (N, C_out, D_out, H_out, W_out): the adjoint of Conv3d."""

    dims = 3
