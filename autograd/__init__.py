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

# The Tensor first: the modules of its ops (arithmetic, elementwise...) are its mixins and import from it.
from autograd.tensor import Tensor  # isort: split

from autograd.anomaly import detect_anomaly
from autograd.arithmetic import linear
from autograd.backprop import backward, grad
from autograd.capture import record_forward
from autograd.convolution import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d
from autograd.creation import (
    Generator,
    arange,
    as_tensor,
    default_generator,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    manual_seed,
    multinomial,
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
from autograd.stepper import draw_backward
from autograd.trace import trace_backward, trace_forward
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
flip = _method_function("flip")
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

acos = _method_function("acos")
add = _method_function("add")
amax = _method_function("amax")
amin = _method_function("amin")
argsort = _method_function("argsort")
asin = _method_function("asin")
atan = _method_function("atan")
ceil = _method_function("ceil")
chunk = _method_function("chunk")
cos = _method_function("cos")
cosh = _method_function("cosh")
cumprod = _method_function("cumprod")
cumsum = _method_function("cumsum")
div = _method_function("div")
erf = _method_function("erf")
exp2 = _method_function("exp2")
expm1 = _method_function("expm1")
fix = _method_function("fix")
flip = _method_function("flip")
floor = _method_function("floor")
frac = _method_function("frac")
gather = _method_function("gather")
index_select = _method_function("index_select")
log10 = _method_function("log10")
log1p = _method_function("log1p")
log2 = _method_function("log2")
logsumexp = _method_function("logsumexp")
masked_fill = _method_function("masked_fill")
mul = _method_function("mul")
narrow = _method_function("narrow")
neg = _method_function("neg")
negative = _method_function("negative")
norm = _method_function("norm")
pow = _method_function("pow")
prod = _method_function("prod")
reciprocal = _method_function("reciprocal")
roll = _method_function("roll")
round = _method_function("round")
rsqrt = _method_function("rsqrt")
scatter = _method_function("scatter")
sign = _method_function("sign")
sin = _method_function("sin")
sinh = _method_function("sinh")
sort = _method_function("sort")
split = _method_function("split")
square = _method_function("square")
std = _method_function("std")
sub = _method_function("sub")
tan = _method_function("tan")
tile = _method_function("tile")
topk = _method_function("topk")
tril = _method_function("tril")
triu = _method_function("triu")
trunc = _method_function("trunc")
var = _method_function("var")


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
    "abs",
    "acos",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "add",
    "amax",
    "amin",
    "arange",
    "argmax",
    "argmin",
    "argsort",
    "as_tensor",
    "asin",
    "atan",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "backward",
    "bool",
    "cat",
    "ceil",
    "chunk",
    "clamp",
    "clip",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cos",
    "cosh",
    "cumprod",
    "cumsum",
    "default_generator",
    "detect_anomaly",
    "device",
    "div",
    "double",
    "draw_backward",
    "draw_dot",
    "empty",
    "empty_like",
    "enable_grad",
    "erf",
    "exp",
    "exp2",
    "expm1",
    "eye",
    "fix",
    "flatten",
    "flip",
    "float",
    "float16",
    "float32",
    "float64",
    "floor",
    "frac",
    "from_numpy",
    "full",
    "full_like",
    "gather",
    "grad",
    "gradcheck",
    "half",
    "index_select",
    "int16",
    "int32",
    "int64",
    "int8",
    "is_grad_enabled",
    "linear",
    "linspace",
    "load",
    "log",
    "log10",
    "log1p",
    "log2",
    "log_softmax",
    "logsumexp",
    "long",
    "manual_seed",
    "masked_fill",
    "matmul",
    "max",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mul",
    "multinomial",
    "narrow",
    "neg",
    "negative",
    "no_grad",
    "norm",
    "once_differentiable",
    "ones",
    "ones_like",
    "permute",
    "pow",
    "prod",
    "rand",
    "randint",
    "randn",
    "randperm",
    "range",
    "reciprocal",
    "record_forward",
    "relu",
    "reshape",
    "roll",
    "round",
    "rsqrt",
    "save",
    "scatter",
    "set_grad_enabled",
    "short",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "softmax",
    "softplus",
    "sort",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "sub",
    "sum",
    "tan",
    "tanh",
    "tensor",
    "tile",
    "topk",
    "trace_backward",
    "trace_forward",
    "transpose",
    "tril",
    "triu",
    "trunc",
    "uint8",
    "unsqueeze",
    "var",
    "where",
    "zeros",
    "zeros_like",
]
