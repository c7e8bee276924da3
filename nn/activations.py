"""Activation functions as modules, with PyTorch's names and arguments; each works on a Tensor
and on a ``Value`` (Softmax and LogSoftmax also on a list of Values, a row)."""

from __future__ import annotations

from typing import Any

from autograd import Tensor, Value
from nn import functional as F
from nn.module import Module, Parameter


class ReLU(Module):
    """max(0, x)"""

    def forward(self, x: Any) -> Any:
        return F.relu(x)


class Sigmoid(Module):
    """1 / (1 + e^-x)"""

    def forward(self, x: Any) -> Any:
        return F.sigmoid(x)


class Tanh(Module):
    """(e^x - e^-x) / (e^x + e^-x)"""

    def forward(self, x: Any) -> Any:
        return F.tanh(x)


class LeakyReLU(Module):
    """x for x > 0, negative_slope * x otherwise."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = negative_slope

    def forward(self, x: Any) -> Any:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    """x for x > 0, a * x otherwise, with the slope ``a`` learned (one per channel or one shared)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        self.num_parameters = num_parameters
        self.weight = Parameter(Tensor(num_parameters).fill_(init))

    def forward(self, x: Any) -> Any:
        if isinstance(x, Value):
            raise TypeError(
                "PReLU learns its slope as a Tensor parameter, which a Value can't combine with; "
                "on Values use nn.functional.prelu(x, slope) with a Value slope you train"
            )
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Softmax(Module):
    """e^x_i / sum_j e^x_j along ``dim``."""

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log softmax(x) along ``dim``, computed stably."""

    def forward(self, x: Any) -> Any:
        return F.log_softmax(x, self.dim)
