"""Every op taking ``dim`` against torch, for every dim in and around the valid range: the same result (and
gradient) for a valid dim, negative ones included, and the same error type for a bad one, PyTorch's
``IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 7)`` for one out of range."""

import re

import numpy as np
import pytest
import torch

import autograd
from tests.helpers import assert_close, backward_both, leaf, to_torch

ERRORS = (IndexError, ValueError, TypeError, RuntimeError)

# name: function(library, x, dim), run on autograd and on torch alike
OPS = {
    "sum": lambda lib, x, d: x.sum(d),
    "sum_keepdim": lambda lib, x, d: x.sum(d, keepdim=True),
    "sum_list": lambda lib, x, d: x.sum([d]),
    "sum_two_dims": lambda lib, x, d: x.sum((-1, d)),
    "mean": lambda lib, x, d: x.mean(d),
    "mean_keepdim": lambda lib, x, d: x.mean((d,), keepdim=True),
    "max": lambda lib, x, d: x.max(d),
    "max_keepdim": lambda lib, x, d: x.max(d, keepdim=True),
    "min": lambda lib, x, d: x.min(d),
    "argmax": lambda lib, x, d: x.argmax(d),
    "argmin_keepdim": lambda lib, x, d: x.argmin(d, keepdim=True),
    "softmax": lambda lib, x, d: x.softmax(d),
    "log_softmax": lambda lib, x, d: x.log_softmax(d),
    "squeeze": lambda lib, x, d: x.squeeze(d),
    "squeeze_list": lambda lib, x, d: x.squeeze((d,)),
    "unsqueeze": lambda lib, x, d: x.unsqueeze(d),
    "flatten_start": lambda lib, x, d: x.flatten(d),
    "flatten_end": lambda lib, x, d: x.flatten(0, d),
    "transpose": lambda lib, x, d: x.transpose(d, -1),
    "permute": lambda lib, x, d: x.permute([*range(x.ndim - 1), d]),
    "flip": lambda lib, x, d: x.flip(d),
    "size": lambda lib, x, d: x.size(d),
    "stack": lambda lib, x, d: lib.stack([x, x * 2], d),
    "cat": lambda lib, x, d: lib.cat([x, x * 2], d),
    **{
        f"module_{name}": lambda lib, x, d, name=name: getattr(lib, name)(x, d)
        for name in ("sum mean max min argmax argmin softmax log_softmax squeeze unsqueeze flatten".split())
    },
    "module_flip": lambda lib, x, d: lib.flip(x, [d]),
    "module_transpose": lambda lib, x, d: lib.transpose(x, 0, d),
    "module_permute": lambda lib, x, d: lib.permute(x, [d, *range(1, x.ndim)]),
}

SHAPES = [(), (3,), (2, 3), (2, 1, 3), (0, 3)]


def outcome(fn, *args):
    try:
        return fn(*args)
    except ERRORS as error:
        return error


def error_kind(error: Exception) -> type:
    return next(kind for kind in ERRORS if isinstance(error, kind))


def parts(result) -> list:
    """A result as a list of tensors or numbers: max(dim) gives two, the others one."""
    return list(result) if isinstance(result, tuple) and not isinstance(result, torch.Size) else [result]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", OPS)
def test_dims_like_torch(name, shape):
    """Every dim from -ndim - 2 to ndim + 1 (0-d tensors take 0 and -1, as in PyTorch)."""
    fn = OPS[name]
    x = np.random.default_rng(0).permutation(int(np.prod(shape))).reshape(shape) * 0.5  # no ties for max
    for dim in range(-len(shape) - 2, len(shape) + 2):
        ours_x, torch_x = leaf(x), to_torch(x)
        ours, theirs = outcome(fn, autograd, ours_x, dim), outcome(fn, torch, torch_x, dim)
        if isinstance(theirs, Exception):
            assert isinstance(ours, Exception), f"dim {dim}: torch raised {theirs!r}, we did not"
            assert error_kind(ours) is error_kind(theirs), f"dim {dim}: we raised {ours!r}, torch {theirs!r}"
            continue
        assert not isinstance(ours, Exception), f"dim {dim}: we raised {ours!r}"
        for got, want in zip(parts(ours), parts(theirs), strict=True):
            assert_close(got, want)
        first, torch_first = parts(ours)[0], parts(theirs)[0]
        if isinstance(torch_first, torch.Tensor) and torch_first.requires_grad:
            backward_both(first, torch_first)
            assert_close(ours_x.grad, torch_x.grad)
        else:
            assert not getattr(first, "requires_grad", False)


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        (lambda: autograd.zeros(4, 3).sum(7), "Dimension out of range (expected to be in range of [-2, 1], but got 7)"),
        (lambda: autograd.zeros(4, 3).unsqueeze(9), "(expected to be in range of [-3, 2], but got 9)"),
        (lambda: autograd.stack([autograd.zeros(3)], dim=77), "(expected to be in range of [-2, 1], but got 77)"),
        (lambda: autograd.zeros(()).squeeze(10), "(expected to be in range of [-1, 0], but got 10)"),
        (lambda: autograd.sum(autograd.zeros(2), -2), "(expected to be in range of [-1, 0], but got -2)"),
        (lambda: autograd.cat([autograd.zeros(())]), "zero-dimensional tensor (at position 0) cannot be concatenated"),
        (lambda: autograd.zeros(0, 3).max(0), "max(): Expected reduction dim 0 to have non-zero size"),
        (lambda: autograd.zeros(()).size(0), "Dimension specified as 0 but tensor has no dimensions"),
        (lambda: autograd.zeros(2, 3).sum((0, -2)), "names a dimension more than once"),
    ],
)
def test_dim_errors_give_pytorchs_message(fn, message):
    with pytest.raises(ERRORS, match=re.escape(message)):
        fn()


@pytest.mark.parametrize("lib", [autograd, torch], ids=["autograd", "torch"])
def test_a_dim_is_any_integer_but_not_a_bool_or_float(lib):
    """A numpy int or a 0-d integer tensor names a dim, as in PyTorch; a bool or a float is a TypeError."""
    x = lib.ones(2, 3)
    for dim in (np.int64(1), lib.tensor(1)):
        assert tuple(x.sum(dim).shape) == (2,) and tuple(x.softmax(dim).shape) == (2, 3)
    for bad in (True, 1.0):
        with pytest.raises(TypeError):
            x.sum(bad)
        with pytest.raises(TypeError):
            x.softmax(bad)


def test_sum_over_no_dims_sums_all_as_in_pytorch():
    x = np.arange(6.0).reshape(2, 3)
    for dim in ((), []):
        assert_close(leaf(x).sum(dim), to_torch(x).sum(dim))
        assert_close(leaf(x).mean(dim, keepdim=True), to_torch(x).mean(dim, keepdim=True))
    assert isinstance(outcome(autograd.cat, []), ValueError) and isinstance(outcome(torch.cat, []), ValueError)
    assert isinstance(outcome(autograd.stack, []), RuntimeError) and isinstance(outcome(torch.stack, []), RuntimeError)
