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
from tests.helpers import as_numpy, assert_close, compare, leaf, random_like, to_torch

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


def assert_second_derivatives_match_torch(x: np.ndarray, pool: str, *args) -> None:
    """d/dx and d/d(upstream) of <gradient of pool(x * x), v>, ours against torch's."""
    results = []
    for lib, make, grad in ((autograd, leaf, autograd.grad), (F, to_torch, torch.autograd.grad)):
        xs = make(x)
        y = getattr(lib, pool)(xs * xs, *args)
        upstream = make(random_like(tuple(y.shape), 1))
        (gx,) = grad([y], [xs], [upstream], create_graph=True)
        (gx * make(random_like(tuple(gx.shape), 2), requires_grad=False)).sum().backward()
        results.append((xs.grad, upstream.grad))
    for ours, theirs in zip(*results):
        assert_close(ours, theirs)


@pytest.mark.parametrize("stride", [1, 2])  # overlapping windows, and windows that don't overlap
def test_max_pool_second_derivative_matches_torch(stride):
    assert_second_derivatives_match_torch(random_like((2, 2, 5, 5)), "max_pool2d", 2, stride)


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


# -- the tiled max pool (kernel = stride, no padding or dilation): its own, faster path -------------------
@st.composite
def tiled_pools(draw):
    """(dims, input, kernel) of a max pool whose windows tile the input (with a remainder no window reaches),
    its values drawn from a few, so that windows tie, with some NaNs and infinities."""
    dims = draw(st.integers(1, 3))
    kernel = draw(st.lists(st.integers(1, 3), min_size=dims, max_size=dims))
    size = [k * draw(st.integers(1, 3)) + draw(st.integers(0, k - 1)) for k in kernel]
    rng = np.random.default_rng(draw(st.integers(0, 999)))
    choices = np.array([-1.0, 0.0, 2.0, np.nan, np.inf, -np.inf])
    weights = [0.3, 0.3, 0.3, 0.04, 0.03, 0.03] if draw(st.booleans()) else [1 / 3, 1 / 3, 1 / 3, 0, 0, 0]
    x = rng.choice(choices, size=(draw(st.integers(1, 2)), draw(st.integers(1, 3)), *size), p=weights)
    return dims, x, kernel


@settings(max_examples=60, deadline=None)
@given(tiled_pools())
def test_tiled_max_pool_ties_nans_and_gradients_match_torch(case):
    """The first max of a window gets its gradient, or its last NaN: the upstream gradient's values show which."""
    dims, x, kernel = case
    name = f"max_pool{dims}d"
    compare(lambda x: getattr(autograd, name)(x, kernel), x, torch_fn=lambda x: getattr(F, name)(x, kernel))


def test_tiled_max_pool_sends_an_infinite_gradient_to_the_pick_alone():
    x = np.array([[[[1.0, 3.0, 2.0, 2.0], [0.0, 3.0, 2.0, 1.0]]]])
    upstream = np.array([[[[np.inf, -np.inf]]]])
    grads = []
    for lib, make in ((autograd, leaf), (F, to_torch)):
        xs = make(x)
        lib.max_pool2d(xs, 2).backward(make(upstream, requires_grad=False))
        grads.append(xs.grad)
    assert_close(*grads)
    assert np.count_nonzero(as_numpy(grads[0])) == 2


def test_tiled_max_pool_of_a_channel_major_float32_input_matches_torch():
    """A convolution's result is channel-major in memory: the pool keeps that layout and torch's values."""
    x = np.ascontiguousarray(random_like((3, 2, 6, 4)).astype(np.float32)).swapaxes(0, 1)  # (N, C, H, W)
    upstream = random_like((2, 3, 3, 2), 1).astype(np.float32)
    xs, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ys, yt = autograd.max_pool2d(xs, 2), F.max_pool2d(xt, 2)
    assert ys.dtype == autograd.float32 and ys.data.swapaxes(0, 1).flags.c_contiguous
    ys.backward(autograd.tensor(upstream))
    yt.backward(torch.tensor(upstream))
    assert_close(ys, yt, rtol=0, atol=0)
    assert_close(xs.grad, xt.grad, rtol=0, atol=0)
    assert xs.grad.swapaxes(0, 1).flags.c_contiguous


@pytest.mark.parametrize("dims, kernel", [(1, 3), (2, (2, 3)), (3, 2)])
def test_tiled_max_pool_second_derivative_matches_torch(dims, kernel):
    x = np.round(random_like((2, 2, *[7] * dims)), 1)  # rounded: ties
    assert_second_derivatives_match_torch(x, f"max_pool{dims}d", kernel)
