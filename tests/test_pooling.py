"""Pooling against torch.nn.functional in float64: max and average pools over random kernels, strides,
paddings, dilations and ceil modes, forward and input gradients; adaptive averages; PyTorch's
tie and NaN rules, its indices, second derivatives, and its errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from tests.helpers import assert_close, compare, leaf, random_like, to_torch

FAST = settings(max_examples=30, deadline=None)


@st.composite
def pools(draw, average=False):
    """(dims, input, keyword arguments) of a valid max or average pool."""
    dims = draw(st.integers(1, 2))
    kernel = draw(st.lists(st.integers(1, 3), min_size=dims, max_size=dims))
    stride = draw(st.lists(st.integers(1, 3), min_size=dims, max_size=dims))
    dilation = [1] * dims if average else draw(st.lists(st.integers(1, 2), min_size=dims, max_size=dims))
    extents = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    padding = [draw(st.integers(0, k // 2)) for k in kernel]
    size = [e + draw(st.integers(0, 4)) for e in extents]
    x = random_like((draw(st.integers(1, 2)), draw(st.integers(1, 3)), *size), draw(st.integers(0, 99)))
    kwargs = {"kernel_size": kernel, "stride": stride, "padding": padding, "ceil_mode": draw(st.booleans())}
    if average:
        kwargs["count_include_pad"] = draw(st.booleans())
    else:
        kwargs["dilation"] = dilation
    return dims, x, kwargs


@FAST
@given(pools())
def test_max_pool_matches_torch(case):
    dims, x, kwargs = case
    name = f"max_pool{dims}d"
    compare(lambda x: getattr(autograd, name)(x, **kwargs), x, torch_fn=lambda x: getattr(F, name)(x, **kwargs))
    ours = getattr(autograd, name)(autograd.tensor(x), return_indices=True, **kwargs)[1]
    theirs = getattr(F, name)(torch.tensor(x), return_indices=True, **kwargs)[1]
    assert np.array_equal(ours.numpy(), theirs.numpy())


@FAST
@given(pools(average=True))
def test_avg_pool_matches_torch(case):
    dims, x, kwargs = case
    name = f"avg_pool{dims}d"
    compare(lambda x: getattr(autograd, name)(x, **kwargs), x, torch_fn=lambda x: getattr(F, name)(x, **kwargs))


def test_avg_pool_divisor_override_and_unbatched_input():
    x = random_like((3, 7, 6))
    kwargs = {"kernel_size": (3, 2), "stride": 2, "padding": 1, "ceil_mode": True, "divisor_override": 5}
    compare(lambda x: autograd.avg_pool2d(x, **kwargs), x, torch_fn=lambda x: F.avg_pool2d(x, **kwargs))


@pytest.mark.parametrize("size, output_size", [((7, 6), (3, 4)), ((7, 6), (None, 4)), ((5, 5), 1), ((4, 9), (7, 2))])
def test_adaptive_avg_pool2d_matches_torch(size, output_size):
    compare(
        lambda x: autograd.adaptive_avg_pool2d(x, output_size),
        random_like((2, 3, *size)),
        torch_fn=lambda x: F.adaptive_avg_pool2d(x, output_size),
    )


def test_adaptive_avg_pool1d_matches_torch():
    compare(
        lambda x: autograd.adaptive_avg_pool1d(x, 5),
        random_like((2, 3, 7)),
        torch_fn=lambda x: F.adaptive_avg_pool1d(x, 5),
    )


def test_max_pool_ties_pick_the_first_and_nans_win_as_in_torch():
    x = np.array(
        [[[[1.0, 1.0, 0.0, 2.0], [1.0, 0.0, 2.0, 2.0], [np.nan, 3.0, 5.0, np.nan], [4.0, np.nan, -np.inf, 1]]]]
    )
    ours, ours_index = autograd.max_pool2d(autograd.tensor(x), 2, return_indices=True)
    theirs, their_index = F.max_pool2d(torch.tensor(x), 2, return_indices=True)
    assert_close(ours, theirs)
    assert np.array_equal(ours_index.numpy(), their_index.numpy())


def test_max_pool_of_a_window_of_minus_infinity_picks_its_first_element_inside():
    x = np.full((1, 1, 3, 3), -np.inf)
    ours = autograd.max_pool2d(autograd.tensor(x), 2, 2, padding=1, return_indices=True)[1]
    theirs = F.max_pool2d(torch.tensor(x), 2, 2, padding=1, return_indices=True)[1]
    assert np.array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("stride", [1, 2])  # overlapping windows, and windows that don't overlap
def test_max_pool_second_derivative_matches_torch(stride):
    x = random_like((2, 2, 5, 5))
    results = []
    for lib, make, grad in ((autograd, leaf, autograd.grad), (F, to_torch, torch.autograd.grad)):
        xs = make(x)
        y = lib.max_pool2d(xs * xs, 2, stride)
        upstream = make(random_like(tuple(y.shape), 1))
        (gx,) = grad([y], [xs], [upstream], create_graph=True)
        (gx * make(random_like(tuple(gx.shape), 2), requires_grad=False)).sum().backward()
        results.append((xs.grad, upstream.grad))
    for ours, theirs in zip(*results):
        assert_close(ours, theirs)


def test_gradcheck_of_the_pools():
    x = leaf(random_like((1, 2, 5, 4)))
    assert autograd.gradcheck(lambda x: autograd.max_pool2d(x, 3, 2, 1, ceil_mode=True), (x,))
    assert autograd.gradcheck(lambda x: autograd.avg_pool2d(x, 2, 1, 1, count_include_pad=False), (x,))
    assert autograd.gradcheck(lambda x: autograd.adaptive_avg_pool2d(x, (3, 3)), (x,))


BAD = [
    (
        "max_pool2d",
        (1, 1, 5, 5),
        {"kernel_size": 3, "padding": 2},
        r"max_pool2d: pad should be at most half of kernel size, but got pad=2, kernel_size=3 and dilation=1",
    ),
    ("avg_pool2d", (1, 1, 5, 5), {"kernel_size": 3, "padding": 2}, r"avg_pool2d: pad should be at most half"),
    (
        "max_pool2d",
        (1, 1, 2, 2),
        {"kernel_size": 3},
        r"max_pool2d: Given input size: \(1x2x2\)\. Calculated output size: \(1x0x0\)\. Output size is too small",
    ),
    ("avg_pool2d", (1, 1, 2, 2), {"kernel_size": 3}, r"avg_pool2d: Given input size: \(1x2x2\)"),
    ("max_pool2d", (5, 5), {"kernel_size": 3}, r"Expected 3D \(unbatched\) or 4D \(batched\) input to max_pool2d"),
    ("max_pool1d", (1, 1, 5), {"kernel_size": 0}, r"max_pool1d: non-positive kernel_size is not supported"),
    (
        "adaptive_avg_pool2d",
        (5, 5),
        {"output_size": 3},
        r"adaptive_avg_pool2d\(\): Expected 3D or 4D tensor, but got \[5, 5\]",
    ),
]


@pytest.mark.parametrize("name, shape, kwargs, message", BAD, ids=[case[-1][:30] for case in BAD])
def test_bad_input_raises_pytorchs_error_naming_the_op(name, shape, kwargs, message):
    x = np.zeros(shape, dtype=np.float32)
    with pytest.raises(RuntimeError):  # torch refuses it too
        getattr(F, name)(torch.tensor(x), **kwargs)
    with pytest.raises(RuntimeError, match=message):
        getattr(autograd, name)(autograd.tensor(x), **kwargs)
