"""autograd: reverse-mode automatic differentiation on scalars (``Value``) and numpy arrays (``Tensor``).

Names follow PyTorch, so ``import autograd as torch`` ports a PyTorch listing.
"""

from autograd.factories import (
    Generator,
    arange,
    default_generator,
    full,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    range,
    zeros,
    zeros_like,
)
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.serialization import load, save
from autograd.tensor import (
    Tensor,
    _method_function,
    as_tensor,
    bool_,
    cat,
    device,
    enable_grad,
    float32,
    float64,
    from_numpy,
    grad,
    int32,
    int64,
    is_grad_enabled,
    long,
    maximum,
    no_grad,
    stack,
    tensor,
    uint8,
    where,
)
from autograd.value import Value
from autograd.viz import draw_dot

float = float32
double = float64
bool = bool_

sum = _method_function("sum")
mean = _method_function("mean")
max = _method_function("max")
min = _method_function("min")
argmax = _method_function("argmax")
exp = _method_function("exp")
log = _method_function("log")
sqrt = _method_function("sqrt")
abs = _method_function("abs")
tanh = _method_function("tanh")
sigmoid = _method_function("sigmoid")
relu = _method_function("relu")
softplus = _method_function("softplus")
clamp = _method_function("clamp")
softmax = _method_function("softmax")
log_softmax = _method_function("log_softmax")
matmul = _method_function("matmul")
reshape = _method_function("reshape")
flatten = _method_function("flatten")
transpose = _method_function("transpose")
permute = _method_function("permute")
squeeze = _method_function("squeeze")
unsqueeze = _method_function("unsqueeze")

__all__ = [
    "Generator",
    "GradcheckError",
    "Tensor",
    "Value",
    "abs",
    "arange",
    "argmax",
    "as_tensor",
    "bool",
    "cat",
    "clamp",
    "default_generator",
    "device",
    "double",
    "draw_dot",
    "enable_grad",
    "exp",
    "flatten",
    "float",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "grad",
    "gradcheck",
    "int32",
    "int64",
    "is_grad_enabled",
    "linspace",
    "load",
    "log",
    "log_softmax",
    "long",
    "manual_seed",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "no_grad",
    "ones",
    "ones_like",
    "permute",
    "rand",
    "randint",
    "randn",
    "randperm",
    "range",
    "relu",
    "reshape",
    "save",
    "sigmoid",
    "softmax",
    "softplus",
    "sqrt",
    "squeeze",
    "stack",
    "sum",
    "tanh",
    "tensor",
    "transpose",
    "uint8",
    "unsqueeze",
    "where",
    "zeros",
    "zeros_like",
]
