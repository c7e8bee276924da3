"""autograd: reverse-mode automatic differentiation on scalars (``Value``) and numpy arrays (``Tensor``).

Names follow PyTorch, so ``import autograd as torch`` ports a PyTorch listing: ``torch.nn``,
``torch.optim``, ``torch.utils.data`` and ``torch.autograd.grad`` resolve too (``nn`` is imported
only when first reached, so this package's own modules never depend on it).
"""

import functools
import sys
import types
from collections.abc import Callable
from typing import Any

from autograd.anomaly import detect_anomaly
from autograd.backprop import backward, grad
from autograd.convolution import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d
from autograd.creation import (
    Generator,
    arange,
    as_tensor,
    default_generator,
    empty,
    empty_like,
    from_numpy,
    full,
    full_like,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    range,
    tensor,
    zeros,
    zeros_like,
)
from autograd.dtypes import (
    bool_,
    device,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    long,
    short,
    uint8,
)
from autograd.elementwise import where
from autograd.function import Function, FunctionCtx, once_differentiable
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.graph import Node
from autograd.movement import cat, stack
from autograd.pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)
from autograd.serialization import load, save
from autograd.tensor import Tensor
from autograd.value import Value
from autograd.viz import draw_dot

float = float32
bool = bool_


def _method_function(name: str) -> Callable[..., Any]:
    """``autograd.<name>(x, ...)`` calling ``x.<name>(...)``: on a Value or Tensor as it is, on an array
    or a number as a Tensor (as ``torch.max(outputs.data, 1)`` in the MNIST blog post needs)."""
    method = getattr(Tensor, name)

    @functools.wraps(method)
    def function(input: Any, *args: Any, **kwargs: Any) -> Any:
        node = input if isinstance(input, Node) else as_tensor(input)
        return getattr(node, name)(*args, **kwargs)

    return function


abs = _method_function("abs")
argmax = _method_function("argmax")
argmin = _method_function("argmin")
clamp = _method_function("clamp")
clip = _method_function("clip")
exp = _method_function("exp")
flatten = _method_function("flatten")
log = _method_function("log")
log_softmax = _method_function("log_softmax")
matmul = _method_function("matmul")
max = _method_function("max")
maximum = _method_function("maximum")
mean = _method_function("mean")
min = _method_function("min")
minimum = _method_function("minimum")
permute = _method_function("permute")
relu = _method_function("relu")
reshape = _method_function("reshape")
sigmoid = _method_function("sigmoid")
softmax = _method_function("softmax")
softplus = _method_function("softplus")
sqrt = _method_function("sqrt")
squeeze = _method_function("squeeze")
sum = _method_function("sum")
tanh = _method_function("tanh")
transpose = _method_function("transpose")
unsqueeze = _method_function("unsqueeze")


def __getattr__(name: str) -> Any:
    """``torch.nn``, ``torch.optim``, ``torch.utils.data`` and ``torch.autograd``, imported when first reached."""
    if name == "nn":
        import nn

        return nn
    if name == "optim":
        from nn import optim

        return optim
    if name == "utils":
        from nn import data

        utils = types.ModuleType("autograd.utils", "torch.utils: data loading is ``utils.data`` (nn.data)")
        utils.data = data
        return utils
    if name == "autograd":  # torch.autograd.grad, .backward, .Function: this package itself
        return sys.modules[__name__]
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


__all__ = [
    "Function",
    "FunctionCtx",
    "Generator",
    "GradcheckError",
    "Node",
    "Tensor",
    "Value",
    "arange",
    "as_tensor",
    "backward",
    "bool",
    "cat",
    "default_generator",
    "detect_anomaly",
    "device",
    "double",
    "draw_dot",
    "empty",
    "empty_like",
    "enable_grad",
    "float",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "grad",
    "gradcheck",
    "half",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_grad_enabled",
    "linspace",
    "load",
    "long",
    "manual_seed",
    "no_grad",
    "once_differentiable",
    "ones",
    "ones_like",
    "rand",
    "randint",
    "randn",
    "randperm",
    "range",
    "save",
    "set_grad_enabled",
    "short",
    "stack",
    "tensor",
    "uint8",
    "where",
    "zeros",
    "zeros_like",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "abs",
    "argmax",
    "argmin",
    "clamp",
    "clip",
    "exp",
    "flatten",
    "log",
    "log_softmax",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "permute",
    "relu",
    "reshape",
    "sigmoid",
    "softmax",
    "softplus",
    "sqrt",
    "squeeze",
    "sum",
    "tanh",
    "transpose",
    "unsqueeze",
]
