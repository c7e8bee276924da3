"""Every dtype through the reductions and the binary ops, against torch: the same values and result dtype, or
the same error type where torch refuses (mean of integers, argmax of bools, softmax of integers, bool - bool,
integers to negative powers...). Binary ops run over all dtype pairs, with tensors of dims, 0-d tensors and
Python numbers on either side, which is where PyTorch's type promotion differs from numpy's."""

import itertools
import operator

import numpy as np
import pytest
import torch

import autograd
from tests.helpers import dtype_name

ERRORS = (IndexError, ValueError, TypeError, RuntimeError)
DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64")


def outcome(fn, *args):
    try:
        return fn(*args)
    except ERRORS as error:
        return error


def assert_same(ours, theirs, what: str) -> None:
    """Same error kind, or the same dtypes and values (max(dim) gives a pair)."""
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"{what}: torch raised {theirs!r}, we gave {ours!r}"
        kind = next(k for k in ERRORS if isinstance(theirs, k))
        assert isinstance(ours, kind), f"{what}: we raised {ours!r}, torch {theirs!r}"
        return
    assert not isinstance(ours, Exception), f"{what}: we raised {ours!r}, torch gave {theirs!r}"
    pairs = zip(ours, theirs, strict=True) if isinstance(theirs, tuple) else [(ours, theirs)]
    for got, want in pairs:
        assert dtype_name(got) == dtype_name(want), f"{what}: dtype {got.dtype}, torch {want.dtype}"
        got, want = np.asarray(got.data, dtype=np.float64), want.numpy().astype(np.float64)
        assert got.shape == want.shape, f"{what}: shape {got.shape}, torch {want.shape}"
        np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True, err_msg=what)


def both(data, dtype: str) -> tuple[autograd.Tensor, torch.Tensor]:
    return autograd.tensor(data, dtype=dtype), torch.tensor(data, dtype=getattr(torch, dtype))


# -- reductions ----------------------------------------------------------------------------------------
REDUCTIONS = {
    "sum": lambda x: x.sum(),
    "sum_dim": lambda x: x.sum(1),
    "sum_own_dtype": lambda x: x.sum(dtype=x.dtype),
    "mean": lambda x: x.mean(),
    "mean_dim_float64": lambda x: x.mean(
        0, dtype=autograd.float64 if isinstance(x, autograd.Tensor) else torch.float64
    ),
    "max": lambda x: x.max(),
    "min": lambda x: x.min(),
    "max_dim": lambda x: tuple(x.max(1)),
    "min_dim_keepdim": lambda x: tuple(x.min(0, keepdim=True)),
    "argmax": lambda x: x.argmax(),
    "argmin": lambda x: x.argmin(),
    "argmax_dim": lambda x: x.argmax(1),
    "argmin_dim_keepdim": lambda x: x.argmin(0, keepdim=True),
    "softmax": lambda x: x.softmax(1),
    "log_softmax": lambda x: x.log_softmax(0),
}


def reduction_data(dtype: str) -> np.ndarray:
    """Values that tell min from -max(-x), and wrapping around from widening: the extremes of an integer dtype."""
    if dtype == "bool":
        return np.array([[False, True, True], [False, False, True]])
    if dtype.startswith(("int", "uint")):
        limits = np.iinfo(dtype)
        return np.array([[0, 5, limits.max], [limits.min, 1, 5]], dtype=dtype)
    return np.array([[0, 5, 1e3], [-1e3, 1, 5]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_of_every_dtype_like_torch(name, dtype):
    fn = REDUCTIONS[name]
    ours, theirs = both(reduction_data(dtype), dtype)
    assert_same(outcome(fn, ours), outcome(fn, theirs), f"{name}[{dtype}]")


def test_min_of_unsigned_is_the_smallest():
    """min used to be -max(-x), which wraps around for uint8: [0, 5].min() gave 5."""
    assert autograd.tensor([0, 5], dtype=autograd.uint8).min().item() == 0
    assert autograd.tensor([0, 5], dtype=autograd.uint8).minimum(autograd.tensor(3, dtype=autograd.uint8)).tolist() == [
        0,
        3,
    ]


# -- binary ops ------------------------------------------------------------------------------------------
BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
    "==": operator.eq,
    "<": operator.lt,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
}
TENSOR_PAIRS = {
    "maximum": lambda a, b: a.maximum(b),
    "minimum": lambda a, b: a.minimum(b),
    "where": lambda a, b: a.where(a == b, b) if isinstance(a, autograd.Tensor) else torch.where(a == b, a, b),
    "stack": lambda a, b: (autograd if isinstance(a, autograd.Tensor) else torch).stack([a, b.expand_as(a)]),
    "cat": lambda a, b: (autograd if isinstance(a, autograd.Tensor) else torch).cat([a, b.unsqueeze(0)]),
}
LEFT, RIGHT = np.array([[1, 2, 3], [0, 4, 1]]), np.array([2, 0, 1])
NUMBERS = [True, False, 2, -3, 0, 2.5, -0.5, 0.0]


def operands(dtype: str, zero_d: bool, values: np.ndarray) -> tuple[autograd.Tensor, torch.Tensor]:
    """A tensor of dims, or a 0-d one, of ``dtype``, for both libraries."""
    return both(values.flat[1] if zero_d else values, dtype)


@pytest.mark.parametrize("name", BINARY)
def test_binary_op_promotes_every_dtype_pair_like_torch(name):
    """All 64 dtype pairs, each as tensor-tensor, tensor-0d, 0d-tensor and 0d-0d."""
    op = BINARY[name]
    for (left, right), (left_0d, right_0d) in itertools.product(
        itertools.product(DTYPES, DTYPES), itertools.product([False, True], repeat=2)
    ):
        (a, a_torch), (b, b_torch) = operands(left, left_0d, LEFT), operands(right, right_0d, RIGHT)
        what = f"{left}{'(0-d)' if left_0d else ''} {name} {right}{'(0-d)' if right_0d else ''}"
        assert_same(outcome(op, a, b), outcome(op, a_torch, b_torch), what)


@pytest.mark.parametrize("name", BINARY)
def test_binary_op_with_a_number_like_torch(name):
    """A Python number on either side never widens a tensor of its own kind; a float one makes ints float32."""
    op = BINARY[name]
    for dtype, number, zero_d in itertools.product(DTYPES, NUMBERS, [False, True]):
        a, a_torch = operands(dtype, zero_d, LEFT)
        assert_same(outcome(op, a, number), outcome(op, a_torch, number), f"{dtype} {name} {number!r}")
        assert_same(outcome(op, number, a), outcome(op, number, a_torch), f"{number!r} {name} {dtype}")


@pytest.mark.parametrize("name", TENSOR_PAIRS)
def test_tensor_pair_ops_promote_like_torch(name):
    fn = TENSOR_PAIRS[name]
    for left, right in itertools.product(DTYPES, DTYPES):
        (a, a_torch), (b, b_torch) = both(LEFT, left), both(RIGHT, right)
        assert_same(outcome(fn, a, b), outcome(fn, a_torch, b_torch), f"{name}({left}, {right})")
