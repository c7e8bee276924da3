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


class _InPlaceOption(Module):
    """An activation with PyTorch's ``inplace`` flag (see ``nn.functional``: only outside the graph)."""

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class ELU(_InPlaceOption):
    """x for x > 0, alpha (e^x - 1) otherwise."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, x: Any) -> Any:
        return F.elu(x, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class CELU(ELU):
    """x for x > 0, alpha (e^(x / alpha) - 1) otherwise."""

    def forward(self, x: Any) -> Any:
        return F.celu(x, self.alpha, self.inplace)


class SELU(_InPlaceOption):
    """scale * elu(x, alpha) with the self-normalizing constants alpha = 1.6733, scale = 1.0507."""

    def forward(self, x: Any) -> Any:
        return F.selu(x, self.inplace)


class Hardtanh(_InPlaceOption):
    """x clamped to [min_val, max_val], with gradient 0 at the ends."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        if max_val <= min_val:
            raise ValueError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        super().__init__(inplace)
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x: Any) -> Any:
        return F.hardtanh(x, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + (", inplace=True" if self.inplace else "")


class ReLU6(Hardtanh):
    """min(max(0, x), 6)"""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardsigmoid(_InPlaceOption):
    """0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 in between."""

    def forward(self, x: Any) -> Any:
        return F.hardsigmoid(x, self.inplace)


class Hardswish(_InPlaceOption):
    """0 for x <= -3, x for x >= 3, x (x + 3) / 6 in between."""

    def forward(self, x: Any) -> Any:
        return F.hardswish(x, self.inplace)


class SiLU(_InPlaceOption):
    """x * sigmoid(x)"""

    def forward(self, x: Any) -> Any:
        return F.silu(x, self.inplace)


class Mish(_InPlaceOption):
    """x * tanh(softplus(x))"""

    def forward(self, x: Any) -> Any:
        return F.mish(x, self.inplace)


class Softsign(Module):
    """x / (1 + |x|)"""

    def forward(self, x: Any) -> Any:
        return F.softsign(x)


class Softplus(Module):
    """log(1 + e^(beta x)) / beta, and x where beta x > threshold."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Any) -> Any:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class LogSigmoid(Module):
    """log(sigmoid(x))"""

    def forward(self, x: Any) -> Any:
        return F.logsigmoid(x)


class GELU(Module):
    """x * Phi(x), Phi the standard normal's distribution function; ``approximate="tanh"`` for its tanh form."""

    def __init__(self, approximate: str = "none") -> None:
        if approximate not in F.GELU_APPROXIMATIONS:
            raise RuntimeError(f"approximate argument must be either none or tanh, not {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        return F.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"
