"""Convolutions against torch.nn.functional in float64: random strides, paddings, dilations, groups and
biases in 1, 2 and 3 dims, forward and the gradients of input, weight and bias; the transposed
convolutions the same; second derivatives; and PyTorch's errors for bad input, naming the op."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import convolution
from tests.helpers import assert_close, compare, leaf, random_like, to_torch

FAST = settings(max_examples=30, deadline=None)


@st.composite
def convolutions(draw, transposed=False):
    """(dims, input, weight, bias or None, keyword arguments) of a valid convolution."""
    dims = draw(st.integers(1, 3))
    groups = draw(st.integers(1, 3))
    in_per_group, out_per_group = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = draw(st.lists(st.integers(1, 3), min_size=dims, max_size=dims))
    stride = draw(st.lists(st.integers(1, 3), min_size=dims, max_size=dims))
    dilation = draw(st.lists(st.integers(1, 2), min_size=dims, max_size=dims))
    padding = draw(st.lists(st.integers(0, 2), min_size=dims, max_size=dims))
    named = not transposed and all(s == 1 for s in stride) and draw(st.booleans())
    size = []
    for k, d, p in zip(kernel, dilation, padding):
        extent = d * (k - 1) + 1
        size.append(max(1, extent - (0 if named else 2 * p)) + draw(st.integers(0, 3)))
    batch = draw(st.integers(1, 2))
    if transposed:
        x = random_like((batch, groups * in_per_group, *size), draw(st.integers(0, 99)))
        w = random_like((groups * in_per_group, out_per_group, *kernel), 1)
        extra = [draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation)]
        out = [
            (n - 1) * s - 2 * p + d * (k - 1) + e + 1
            for n, s, p, d, k, e in zip(size, stride, padding, dilation, kernel, extra)
        ]
        assume(min(out) >= 1)
        kwargs = {"stride": stride, "padding": padding, "output_padding": extra, "dilation": dilation}
    else:
        x = random_like((batch, groups * in_per_group, *size), draw(st.integers(0, 99)))
        w = random_like((groups * out_per_group, in_per_group, *kernel), 1)
        chosen = draw(st.sampled_from(["same", "valid"])) if named else padding
        kwargs = {"stride": stride, "padding": chosen, "dilation": dilation}
    b = random_like((groups * out_per_group,), 2) if draw(st.booleans()) else None
    return dims, x, w, b, {**kwargs, "groups": groups}


@FAST
@given(convolutions())
@pytest.mark.filterwarnings("ignore:Using padding='same'")  # torch's note on the extra copy it makes
def test_convolution_and_its_gradients_match_torch(case):
    dims, x, w, b, kwargs = case
    name = f"conv{dims}d"
    inputs = (x, w) if b is None else (x, w, b)
    compare(
        lambda *a: getattr(autograd, name)(*a, **kwargs),
        *inputs,
        torch_fn=lambda *a: getattr(F, name)(*a, **kwargs),
    )


@FAST
@given(convolutions(transposed=True))
def test_transposed_convolution_and_its_gradients_match_torch(case):
    dims, x, w, b, kwargs = case
    name = f"conv_transpose{dims}d"
    inputs = (x, w) if b is None else (x, w, b)
    compare(
        lambda *a: getattr(autograd, name)(*a, **kwargs),
        *inputs,
        torch_fn=lambda *a: getattr(F, name)(*a, **kwargs),
    )


SAME_SIZE = [  # stride 1 and the output of the input's size: the kernel offsets are shifts of the flattened input
    ("conv1d", (2, 3, 9), (4, 3, 3), {"padding": 1}),
    ("conv2d", (3, 4, 5, 6), (6, 2, 4, 3), {"padding": "same", "groups": 2}),  # padding 1 before, 2 after
    ("conv2d", (2, 3, 6, 5), (4, 3, 3, 3), {"padding": 2, "dilation": 2}),
    ("conv3d", (2, 2, 4, 3, 5), (3, 2, 3, 1, 3), {"padding": (1, 0, 1)}),
    ("conv_transpose2d", (2, 3, 5, 4), (3, 4, 3, 3), {"padding": 1}),
    ("conv2d", (2, 3, 2, 1), (4, 3, 5, 3), {"padding": (2, 1)}),  # kernels wider than the input
    ("conv2d", (1, 1, 1, 2), (1, 1, 2, 2), {"padding": 1, "dilation": 2}),  # offsets that read only padding
]


@pytest.mark.parametrize("name, x_shape, w_shape, kwargs", SAME_SIZE, ids=[f"{c[0]}-{c[3]}" for c in SAME_SIZE])
@pytest.mark.filterwarnings("ignore:Using padding='same'")
def test_same_size_convolutions_and_their_gradients_match_torch(name, x_shape, w_shape, kwargs):
    compare(
        lambda x, w, b: getattr(autograd, name)(x, w, b, **kwargs),
        random_like(x_shape),
        random_like(w_shape, 1),
        random_like((w_shape[1] if "transpose" in name else w_shape[0],), 2),
        torch_fn=lambda x, w, b: getattr(F, name)(x, w, b, **kwargs),
    )


@pytest.mark.parametrize("chunk_bytes", [1, 700])  # a sample a chunk, and chunks of a few samples
@pytest.mark.parametrize("name", ["conv2d", "conv_transpose2d"])
def test_convolutions_in_chunks_of_samples_match_torch(name, chunk_bytes, monkeypatch):
    """Large batches are taken a chunk of samples at a time: small chunks here, and torch's results all the same."""
    monkeypatch.setattr(convolution, "CHUNK_BYTES", chunk_bytes)
    w_shape = (4, 3, 3, 2) if name == "conv_transpose2d" else (6, 2, 3, 2)
    kwargs = {"stride": (2, 1), "padding": 1, "groups": 2}
    for x_shape in ((5, 4, 6, 5), (5, 4, 4, 3)):
        compare(
            lambda x, w, b: getattr(autograd, name)(x, w, b, **kwargs),
            random_like(x_shape),
            random_like(w_shape, 1),
            random_like((6,), 2),
            torch_fn=lambda x, w, b: getattr(F, name)(x, w, b, **kwargs),
        )
    compare(  # same size: the flat copies
        lambda x, w: getattr(autograd, name)(x, w, padding=1, groups=2),
        random_like((5, 4, 3, 4)),
        random_like(w_shape[:2] + (3, 3), 1),
        torch_fn=lambda x, w: getattr(F, name)(x, w, padding=1, groups=2),
    )


def test_channel_major_input_gives_torchs_values_and_a_channel_major_gradient():
    """A convolution's result is channel-major in memory (its matrix product's layout); the next one reads it so."""
    x = np.ascontiguousarray(random_like((3, 2, 5, 6))).swapaxes(0, 1)  # (N, C, H, W), channel-major
    w = random_like((4, 3, 3, 3), 1)
    for padding in (1, 0):  # same size, and not
        xs, xt = autograd.from_numpy(x.copy(order="K")).requires_grad_(), to_torch(x)
        ys, yt = autograd.conv2d(xs, leaf(w), padding=padding), F.conv2d(xt, to_torch(w), padding=padding)
        assert_close(ys, yt)
        assert ys.data.swapaxes(0, 1).flags.c_contiguous
        upstream = random_like(tuple(yt.shape), 3)
        ys.backward(autograd.tensor(upstream))
        yt.backward(torch.tensor(upstream))
        assert_close(xs.grad, xt.grad)
        assert xs.grad.swapaxes(0, 1).flags.c_contiguous


@pytest.mark.parametrize("name", ["conv2d", "conv_transpose2d"])
def test_second_derivatives_match_torch(name):
    """d/d(x, w, upstream) of <r, grad of the op>: each of the op's backward rules differentiated again."""
    x = random_like((2, 4, 6, 5))
    w = random_like((4, 3, 3, 2) if name == "conv_transpose2d" else (6, 2, 3, 2), 1)
    b = random_like((6,), 2)
    kwargs = {"stride": (2, 1), "padding": (1, 1), "dilation": (1, 2), "groups": 2}
    if name == "conv_transpose2d":
        kwargs["output_padding"] = (1, 0)
    results = []
    for lib, make, grad in ((autograd, leaf, autograd.grad), (F, to_torch, torch.autograd.grad)):
        xs, ws, bs = make(x), make(w), make(b)
        y = getattr(lib, name)(xs, ws, bs, **kwargs)
        upstream = make(random_like(tuple(y.shape), 3))
        gx, gw, gb = grad([y], [xs, ws, bs], [upstream], create_graph=True)
        weights = [make(random_like(tuple(t.shape), 4 + i), requires_grad=False) for i, t in enumerate((gx, gw, gb))]
        ((gx * weights[0]).sum() + (gw * weights[1]).sum() + (gb * gb * weights[2]).sum()).backward()
        results.append((xs.grad, ws.grad, upstream.grad))
    for ours, theirs in zip(*results):
        assert_close(ours, theirs)


def test_gradcheck_against_finite_differences():
    x, w, b = leaf(random_like((1, 2, 5, 4))), leaf(random_like((4, 1, 2, 3), 1)), leaf(random_like((4,), 2))
    assert autograd.gradcheck(lambda x, w, b: autograd.conv2d(x, w, b, stride=2, padding=1, groups=2), (x, w, b))
    wt = leaf(random_like((2, 3, 3, 2), 3))
    assert autograd.gradcheck(
        lambda x, w: autograd.conv_transpose2d(x, w, stride=(2, 1), output_padding=(1, 0)), (x, wt)
    )


def test_float32_in_float32_out_and_unbatched_input():
    x, w = random_like((3, 7, 7)).astype(np.float32), random_like((5, 3, 3, 3), 1).astype(np.float32)
    ours = autograd.conv2d(autograd.tensor(x), autograd.tensor(w), padding=1)
    theirs = F.conv2d(torch.tensor(x), torch.tensor(w), padding=1)
    assert ours.dtype == autograd.float32 and ours.shape == (5, 7, 7)
    assert_close(ours, theirs, rtol=1e-5, atol=1e-5)


def test_weight_gradient_needs_no_input_gradient():
    """A first layer: the input needs no gradient, so none is computed, and the weight's is right."""
    x, w = random_like((2, 1, 6, 6)), random_like((3, 1, 3, 3), 1)
    ours_w, theirs_w = leaf(w), to_torch(w)
    autograd.conv2d(leaf(x, requires_grad=False), ours_w).sum().backward()
    F.conv2d(to_torch(x, requires_grad=False), theirs_w).sum().backward()
    assert_close(ours_w.grad, theirs_w.grad)


BAD = [
    (
        "conv2d",
        (2, 2, 5, 5),
        (4, 3, 3, 3),
        {},
        r"conv2d: Given groups=1, weight of size \[4, 3, 3, 3\], expected "
        r"input\[2, 2, 5, 5\] to have 3 channels, but got 2 channels instead",
    ),
    (
        "conv2d",
        (2, 3, 2, 2),
        (4, 3, 3, 3),
        {},
        r"conv2d: Calculated padded input size per channel: \(2 x 2\)\. "
        r"Kernel size: \(3 x 3\)\. Kernel size can't be greater than actual input size",
    ),
    ("conv2d", (1, 3, 5, 5), (4, 3, 3, 3), {"dilation": 3}, r"Kernel size: \(7 x 7\)"),
    (
        "conv2d",
        (2, 4, 5, 5),
        (3, 2, 3, 3),
        {"groups": 2},
        r"conv2d: Given groups=2, expected weight to be divisible by 2 at dimension 0",
    ),
    ("conv2d", (2, 3, 5, 5), (4, 1, 3, 3), {"groups": 2}, r"expected input\[2, 3, 5, 5\] to have 2 channels"),
    (
        "conv1d",
        (2, 3, 5, 5),
        (4, 3, 3),
        {},
        r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d, but got input of size: \[2, 3, 5, 5\]",
    ),
    ("conv2d", (1, 3, 5, 5), (4, 3, 3, 3), {"stride": 0}, r"conv2d: non-positive stride is not supported"),
    ("conv2d", (1, 3, 5, 5), (4, 3, 3, 3), {"padding": -1}, r"conv2d: negative padding is not supported"),
    ("conv2d", (1, 3, 5, 5), (4, 3, 3, 3), {"stride": (1, 2, 3)}, r"conv2d: expected stride to be a single integer"),
    (
        "conv2d",
        (1, 3, 5, 5),
        (4, 3, 3, 3),
        {"padding": "same", "stride": 2},
        r"padding='same' is not supported for strided convolutions",
    ),
    ("conv2d", (1, 3, 5, 5), (4, 3, 3, 3), {"padding": "full"}, r"conv2d: Invalid padding string: 'full'"),
    ("conv2d", (1, 3, 5, 5), (4, 3, 3, 3), {"bias": np.zeros(3)}, r"expected bias to be 1-dimensional with 4 elements"),
    (
        "conv_transpose2d",
        (1, 3, 5, 5),
        (4, 2, 3, 3),
        {},
        r"conv_transpose2d: Given transposed=1, weight of size "
        r"\[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 4 channels, but got 3 channels instead",
    ),
    (
        "conv_transpose2d",
        (1, 4, 5, 5),
        (4, 2, 3, 3),
        {"stride": 2, "output_padding": 2},
        r"conv_transpose2d: output padding must be smaller than either stride or dilation",
    ),
    ("conv_transpose2d", (1, 4, 5, 5), (4, 2, 3, 3), {"groups": 3}, r"expected weight to be divisible by 3"),
    (
        "conv_transpose2d",
        (1, 1, 2, 2),
        (1, 1, 1, 1),
        {"padding": 1},
        r"conv_transpose2d: Given input size per channel: "
        r"\(2 x 2\)\. Calculated output size per channel: \(0 x 0\)\. Output size is too small",
    ),
]


@pytest.mark.parametrize("name, x_shape, w_shape, kwargs, message", BAD, ids=[case[-1][:40] for case in BAD])
def test_bad_input_raises_pytorchs_error_naming_the_op(name, x_shape, w_shape, kwargs, message):
    kwargs = {k: autograd.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    torch_kwargs = {k: torch.tensor(v.data) if isinstance(v, autograd.Tensor) else v for k, v in kwargs.items()}
    x, w = np.zeros(x_shape, dtype=np.float32), np.zeros(w_shape, dtype=np.float32)
    with pytest.raises(RuntimeError):  # torch refuses it too
        getattr(F, name)(torch.tensor(x), torch.tensor(w), **torch_kwargs)
    with pytest.raises(RuntimeError, match=message):
        getattr(autograd, name)(autograd.tensor(x), autograd.tensor(w), **kwargs)


def test_mixed_dtypes_and_integer_inputs_are_refused():
    x, w = autograd.zeros(1, 3, 5, 5), autograd.zeros(4, 3, 3, 3, dtype=autograd.float64)
    with pytest.raises(RuntimeError, match=r"conv2d: Input type \(float32\) and weight type \(float64\)"):
        autograd.conv2d(x, w)
    with pytest.raises(RuntimeError, match="conv2d: expected a floating point input, got int64"):
        autograd.conv2d(x.long(), w.long())
