"""Convolution in any number of spatial dims: ONE op, im2col and a matrix product, with its backward rules.

im2col lays each output position's window of the zero-padded input out as one column of a matrix, so
the convolution is one matrix product per group of channels. With ``x_pad`` the padded input, ``s``
the stride and ``d`` the dilation, the op and its two adjoints are::

    convolution(x, w)            y[n, o, p] = sum_{c, q} x_pad[n, c, p s + q d] w[o, c, q]
    convolution_transpose(g, w)  dx: each g[n, o, p] sent back through w to the inputs it read (col2im)
    convolution_weight(x, g)     dw[o, c, q] = sum_{n, p} g[n, o, p] x_pad[n, c, p s + q d]

Each one's backward rule is made of the other two, so gradients are differentiable again
(``create_graph=True``), and ``conv_transpose*d`` is ``convolution_transpose`` itself: the adjoint of
the convolution whose output has the shape of its input.

Matrices run over output positions in (channel, sample, position) order, so results come out as
channel-major memory behind the usual (sample, channel, ...) shape: the next layer's im2col reads it
along its rows, and the gradient that comes back is laid out as the matrix product wants it. The batch
is taken a chunk of samples at a time (``CHUNK_BYTES``), so that each im2col matrix is still in cache
when its product reads it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd.graph import rule_for
from autograd.tensor import record

if TYPE_CHECKING:
    from autograd.tensor import Tensor

Size = int | Sequence[int]


class Geometry(NamedTuple):
    """How a kernel sweeps the spatial dims of an input: per dim, the kernel's size, stride and
    dilation, the padding (before, after), and the input's and output's sizes; channels in ``groups``."""

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    in_size: tuple[int, ...]
    out_size: tuple[int, ...]
    groups: int = 1


def geometry(
    in_size: Sequence[int],
    kernel: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
    padding: Sequence[tuple[int, int]],
    groups: int = 1,
) -> Geometry:
    """The Geometry of a sweep; each output size is floor((n + before + after - d (k - 1) - 1) / s) + 1."""
    out_size = tuple(
        (n + lo + hi - d * (k - 1) - 1) // s + 1
        for n, k, s, d, (lo, hi) in zip(in_size, kernel, stride, dilation, padding)
    )
    return Geometry(tuple(kernel), tuple(stride), tuple(dilation), tuple(padding), tuple(in_size), out_size, groups)


# -- the public functions, as torch.nn.functional's ------------------------------------------------
def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Size = 1,
    padding: Size | str = 0,
    dilation: Size = 1,
    groups: int = 1,
) -> Tensor:
    """1-d convolution of (N, C_in, L) by a weight of shape (C_out, C_in / groups, k)."""
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Size = 1,
    padding: Size | str = 0,
    dilation: Size = 1,
    groups: int = 1,
) -> Tensor:
    """2-d convolution of (N, C_in, H, W) by a weight of shape (C_out, C_in / groups, kH, kW)."""
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Size = 1,
    padding: Size | str = 0,
    dilation: Size = 1,
    groups: int = 1,
) -> Tensor:
    """3-d convolution of (N, C_in, D, H, W) by a weight of shape (C_out, C_in / groups, kD, kH, kW)."""
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
) -> Tensor:
    """The adjoint of conv1d: (N, C_in, L) by a weight of shape (C_in, C_out / groups, k)."""
    return _conv_transpose(
        "conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
) -> Tensor:
    """The adjoint of conv2d: (N, C_in, H, W) by a weight of shape (C_in, C_out / groups, kH, kW)."""
    return _conv_transpose(
        "conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
) -> Tensor:
    """The adjoint of conv3d: (N, C_in, D, H, W) by a weight of shape (C_in, C_out / groups, kD, kH, kW)."""
    return _conv_transpose(
        "conv_transpose3d", 3, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def _conv(
    op: str,
    dims: int,
    x: Tensor,
    w: Tensor,
    b: Tensor | None,
    stride: Size,
    padding: Size | str,
    dilation: Size,
    groups: int,
) -> Tensor:
    x, unbatched = batched(op, dims, x)
    _check_operands(op, dims, x, w, b, groups, transposed=False)
    stride, dilation = sizes(op, "stride", stride, dims), sizes(op, "dilation", dilation, dims)
    kernel = w.shape[2:]
    if isinstance(padding, str):
        pads = _named_padding(op, padding, kernel, stride, dilation)
    else:
        pads = tuple((p, p) for p in sizes(op, "padding", padding, dims, least=0))
    geo = geometry(x.shape[2:], kernel, stride, dilation, pads, groups)
    check_fits(op, geo)
    y = convolution(x, w, b, geo)
    return y.squeeze(0) if unbatched else y


def _conv_transpose(
    op: str,
    dims: int,
    x: Tensor,
    w: Tensor,
    b: Tensor | None,
    stride: Size,
    padding: Size,
    output_padding: Size,
    groups: int,
    dilation: Size,
) -> Tensor:
    if isinstance(padding, str):
        raise TypeError(f"{op}(): argument 'padding' must be an int or a tuple of ints, not the string {padding!r}")
    x, unbatched = batched(op, dims, x)
    _check_operands(op, dims, x, w, b, groups, transposed=True)
    stride, dilation = sizes(op, "stride", stride, dims), sizes(op, "dilation", dilation, dims)
    padding = sizes(op, "padding", padding, dims, least=0)
    extra = sizes(op, "output_padding", output_padding, dims, least=0)
    if any(e >= s and e >= d for e, s, d in zip(extra, stride, dilation)):
        raise RuntimeError(
            f"{op}: output padding must be smaller than either stride or dilation, but got "
            f"output_padding={list(extra)}, stride={list(stride)}, dilation={list(dilation)}"
        )
    kernel = w.shape[2:]
    in_size = tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        for n, k, s, d, p, e in zip(x.shape[2:], kernel, stride, dilation, padding, extra)
    )
    if any(n < 1 for n in in_size):
        raise RuntimeError(
            f"{op}: Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated output size per "
            f"channel: ({' x '.join(map(str, in_size))}). Output size is too small"
        )
    geo = geometry(in_size, kernel, stride, dilation, tuple((p, p) for p in padding), groups)
    geo = geo._replace(out_size=x.shape[2:])  # output_padding beyond the stride is out of every window's reach
    y = convolution_transpose(x, w, b, geo)
    return y.squeeze(0) if unbatched else y


# -- the op and its two adjoints --------------------------------------------------------------------
def convolution(x: Tensor, w: Tensor, b: Tensor | None, geo: Geometry) -> Tensor:
    """x (*) w + b: each group's weight matrix times its im2col matrix, a chunk of samples at a time."""
    n, groups = x.shape[0], geo.groups
    y = np.empty((w.shape[0], n, *geo.out_size), dtype=x.dtype)  # channel-major, as the matrices are
    for chunk in _chunks(n, x.shape[1], geo, x.dtype):
        _per_group(_weight_matrix(w.data, groups), im2col(x.data[chunk], geo), _matrix(y[:, chunk], groups))
    y = y.swapaxes(0, 1)
    if b is not None:
        y += b.data.reshape((-1,) + (1,) * len(geo.kernel))
    return record(y, (x, w) if b is None else (x, w, b), _convolution_backward, geo)


@rule_for("convolution", saves=(0, 1))
def _convolution_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, ...]:
    # dy = dx (*) w + x (*) dw + db: the adjoints in x and w, and g summed over all but the channels
    x, w = out._inputs[:2]
    geo = out._ctx
    gx, gw = _adjoints(g.data, w.data if x.requires_grad else None, x.data if w.requires_grad else None, geo)
    gx = None if gx is None else record(gx, (g, w), _convolution_transpose_backward, geo)
    gw = None if gw is None else record(gw, (x, g), _convolution_weight_backward, geo)
    return (gx, gw) + _bias_gradient(out, g)


def convolution_transpose(g: Tensor, w: Tensor, b: Tensor | None, geo: Geometry) -> Tensor:
    """The adjoint of ``convolution(., w)`` (+ b): the weights times g's matrix, folded back (col2im)."""
    x = _adjoints(g.data, w.data, None, geo)[0]
    if b is not None:
        x += b.data.reshape((-1,) + (1,) * len(geo.kernel))
    return record(x, (g, w) if b is None else (g, w, b), _convolution_transpose_backward, geo)


@rule_for("convolution_transpose", saves=(0, 1))
def _convolution_transpose_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, ...]:
    # <g, T(a, w)> = <g (*) w, a>: a's gradient is the convolution of g, w's correlates g with a
    a, w = out._inputs[:2]
    geo = out._ctx
    ga = convolution(g, w, None, geo) if a.requires_grad else None
    gw = convolution_weight(g, a, geo) if w.requires_grad else None
    return (ga, gw) + _bias_gradient(out, g)


def convolution_weight(x: Tensor, g: Tensor, geo: Geometry) -> Tensor:
    """The adjoint of ``convolution(x, .)``: x's windows correlated with g."""
    return record(_adjoints(g.data, None, x.data, geo)[1], (x, g), _convolution_weight_backward, geo)


@rule_for("convolution_weight", saves=(0, 1))
def _convolution_weight_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:
    # <g, W(x, y)> = <x (*) g, y>: x's gradient is y sent back through g, y's is x convolved by g
    x, y = out._inputs
    geo = out._ctx
    gx = convolution_transpose(y, g, None, geo) if x.requires_grad else None
    gy = convolution(x, g, None, geo) if y.requires_grad else None
    return gx, gy


def _adjoints(
    g: np.ndarray, w: np.ndarray | None, x: np.ndarray | None, geo: Geometry
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The convolution's two adjoints applied to g, in one sweep over chunks of samples (each chunk of g
    read while in cache): with ``w``, the input's gradient (w^T g folded back by col2im, channel-major);
    with ``x``, the weight's (x's columns times g^T, summed over the chunks: BLAS is many times slower on
    g columns^T, long and thin as it is)."""
    n, groups, kernel = g.shape[0], geo.groups, math.prod(geo.kernel)
    in_channels = w.shape[1] * groups if w is not None else x.shape[1]
    gx = None if w is None else np.zeros((in_channels, n, *geo.in_size), dtype=g.dtype)
    gw = None if x is None else np.zeros((groups, in_channels // groups * kernel, g.shape[1] // groups), g.dtype)
    part = None if x is None else np.empty_like(gw)
    for chunk in _chunks(n, in_channels, geo, g.dtype):
        g_matrix = _matrix(g[chunk].swapaxes(0, 1), groups)
        if x is not None:
            _per_group(im2col(x[chunk], geo), g_matrix.transpose(0, 2, 1), part)
            gw += part
        if w is not None:
            columns = np.empty((groups, in_channels // groups * kernel, g_matrix.shape[2]), dtype=g.dtype)
            _per_group(_weight_matrix(w, groups).transpose(0, 2, 1), g_matrix, columns)
            col2im(columns, gx[:, chunk], geo)
    gx = None if gx is None else gx.swapaxes(0, 1)
    gw = None if gw is None else gw.transpose(0, 2, 1).reshape(g.shape[1], in_channels // groups, *geo.kernel)
    return gx, gw


def _bias_gradient(out: Tensor, g: Tensor) -> tuple[Tensor | None, ...]:
    """(d bias,) when the op had one (g summed over all dims but the channels), else ()."""
    if len(out._inputs) < 3:
        return ()
    return (g.sum((0, *range(2, g.ndim))) if out._inputs[2].requires_grad else None,)


# -- im2col, col2im and the matrices ------------------------------------------------------------------
def windows(padded: np.ndarray, geo: Geometry) -> np.ndarray:
    """A view of shape (N, C, *out_size, *kernel): [n, c, p, q] is padded[n, c, p s + q d]."""
    spatial = tuple(range(2, padded.ndim))
    extent = tuple(d * (k - 1) + 1 for k, d in zip(geo.kernel, geo.dilation))
    view = sliding_window_view(padded, extent, axis=spatial)
    positions = tuple(slice(None, s * (n - 1) + 1, s) for s, n in zip(geo.stride, geo.out_size))
    return view[(slice(None), slice(None), *positions, *(slice(None, None, d) for d in geo.dilation))]


def pad(x: np.ndarray, padding: Sequence[tuple[int, int]], value: float = 0.0) -> np.ndarray:
    """``x`` with its spatial dims (all after the first two) padded by ``value``."""
    if not any(lo or hi for lo, hi in padding):
        return x
    return np.pad(x, ((0, 0), (0, 0), *padding), constant_values=value)


def im2col(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """The (G, C/G * K, N * L) matrices of x's windows: a column per (sample, output position), a
    row per (channel, kernel offset), for each of G groups; K and L count kernel and output positions.

    Built one kernel offset at a time, each a block copy of the input positions it reads (zero where it
    reads the padding), from x's channel-major memory: no padded copy of x, and reads in memory order."""
    n, c = x.shape[:2]
    flat = _same_size(geo)
    planes = _planes(x.swapaxes(0, 1), flat)
    columns = np.empty((c, math.prod(geo.kernel), n, *geo.out_size), dtype=x.dtype)
    for k, offset in enumerate(np.ndindex(*geo.kernel)):
        to, source = _reads(offset, geo, n, flat)
        _planes(columns[:, k], flat)[(slice(None), *to)] = planes[(slice(None), *source)]
    _zero_padding_reads(columns, geo)
    return columns.reshape(geo.groups, c // geo.groups * math.prod(geo.kernel), -1)


def col2im(columns: np.ndarray, planes: np.ndarray, geo: Geometry) -> None:
    """The adjoint of im2col: each kernel offset's block added back to the input positions it was read
    from, in ``planes`` (C, N, *in). ``columns`` is used up: its entries that read the padding are zeroed."""
    c, n = planes.shape[:2]
    flat = _same_size(geo)
    columns = columns.reshape(c, math.prod(geo.kernel), n, *geo.out_size)
    _zero_padding_reads(columns, geo)
    for k, offset in enumerate(np.ndindex(*geo.kernel)):
        to, source = _reads(offset, geo, n, flat)
        _planes(planes, flat)[(slice(None), *source)] += _planes(columns[:, k], flat)[(slice(None), *to)]


def _same_size(geo: Geometry) -> bool:
    """Whether the output has the input's size at stride 1 (3 x 3 with padding 1, 'same'): then one kernel
    offset reads the input at one shift of its flattened (N, *spatial) positions, so its block copy is one
    long run per channel, many times faster than runs of a row each."""
    return geo.out_size == geo.in_size and all(s == 1 for s in geo.stride)


def _planes(a: np.ndarray, flat: bool) -> np.ndarray:
    """(C, N, *spatial), or with ``flat`` (C, N * L): a view if ``a`` is contiguous past its first dim."""
    return a.reshape(a.shape[0], -1) if flat else a


@functools.lru_cache(maxsize=1024)
def _reads(offset: tuple[int, ...], geo: Geometry, n: int, flat: bool) -> tuple[tuple[slice, ...], tuple[slice, ...]]:
    """For one kernel offset: the output positions whose window reads inside the input there and the input
    positions they read, per (N, *spatial) dim; with ``flat``, over N * L at one shift, where the reads past
    a row's or sample's end stand for padding reads (zeroed by ``_zero_padding_reads``)."""
    if not flat:
        outs, ins = _overlap(offset, geo)
        return (slice(None), *outs), (slice(None), *ins)
    steps = flat_steps(geo.in_size)
    shift = sum((q * d - lo) * step for q, d, (lo, _), step in zip(offset, geo.dilation, geo.padding, steps))
    total = n * math.prod(geo.in_size)
    first = max(0, -shift)
    end = max(first, min(total, total - shift))  # first: none, if the shift reaches past every position
    return (slice(first, end),), (slice(first + shift, end + shift),)


def _zero_padding_reads(columns: np.ndarray, geo: Geometry) -> None:
    """Zero the entries of the (C, K, N, *out) columns whose window reads the padding: per dim and kernel
    index along it, the output positions before and after those that read inside the input (one
    assignment each, for all the kernel offsets with that index)."""
    dims = len(geo.kernel)
    blocks = columns.reshape(columns.shape[0], *geo.kernel, *columns.shape[2:])  # (C, *kernel, N, *out)
    for d, k in enumerate(geo.kernel):
        for q in range(k):
            inside = _inside(q, d, geo)[0]
            for outside in (slice(0, inside.start), slice(inside.stop, geo.out_size[d])):
                if outside.start < outside.stop:
                    at = [slice(None)] * blocks.ndim
                    at[1 + d], at[2 + dims + d] = q, outside
                    blocks[tuple(at)] = 0


def _overlap(offset: tuple[int, ...], geo: Geometry) -> tuple[tuple[slice, ...], tuple[slice, ...]]:
    """For one kernel offset: per spatial dim, the output positions whose window reads inside the input
    there, and the input positions they read (``_inside``)."""
    outs, ins = zip(*(_inside(q, d, geo) for d, q in enumerate(offset)))
    return outs, ins


@functools.cache
def _inside(q: int, d: int, geo: Geometry) -> tuple[slice, slice]:
    """For kernel index q along spatial dim d: the output positions p whose window reads inside the input
    there, and the input positions they read, i = p s + q dilation - lo (empty slices if none does)."""
    size, out, s, dilation, (lo, _) = geo.in_size[d], geo.out_size[d], geo.stride[d], geo.dilation[d], geo.padding[d]
    shift = q * dilation - lo  # the input position that output position 0 reads
    first, last = max(0, -(shift // s)), min(out - 1, (size - 1 - shift) // s)
    if last < first:  # every window reads the padding there
        return slice(0, 0), slice(0, 0)
    return slice(first, last + 1), slice(first * s + shift, last * s + shift + 1, s)


def flat_steps(size: Sequence[int]) -> list[int]:
    """How far one step along each dim moves in the flattened dims (C-order strides, in elements)."""
    return [math.prod(size[i + 1 :]) for i in range(len(size))]


def _weight_matrix(w: np.ndarray, groups: int) -> np.ndarray:
    """(G, O / G, C / G * K): each group's weights, one row per output channel."""
    return w.reshape(groups, w.shape[0] // groups, -1)


def _matrix(planes: np.ndarray, groups: int) -> np.ndarray:
    """(C, N, *spatial) -> (G, C / G, N * L): a view where the samples are contiguous, as a chunk's are."""
    return planes.reshape(groups, planes.shape[0] // groups, -1)


def _per_group(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """out[g] = a[g] b[g] for each group g, one BLAS call each (numpy's stacked matmul is far slower)."""
    for a_g, b_g, out_g in zip(a, b, out):
        np.matmul(a_g, b_g, out=out_g)


CHUNK_BYTES = 4 << 20
"""About the size of the im2col matrix the convolutions make per chunk of samples: small enough to stay in
cache between its making and the product that reads it, and never a matrix of the whole batch."""


def _chunks(n: int, channels: int, geo: Geometry, dtype: np.dtype) -> list[slice]:
    """The batch of ``n`` samples in about equal chunks whose im2col matrices take at most CHUNK_BYTES each."""
    per_sample = channels * math.prod(geo.kernel) * math.prod(geo.out_size) * np.dtype(dtype).itemsize
    size = max(1, -(-n // max(1, -(-n * per_sample // CHUNK_BYTES))))
    return [slice(start, min(n, start + size)) for start in range(0, n, size)]


# -- checking arguments as PyTorch does ----------------------------------------------------------------
def batched(op: str, dims: int, x: Tensor) -> tuple[Tensor, bool]:
    """``x`` with a batch dim (added to an unbatched input), and whether it was added."""
    if x.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {op}, but got input of size: "
            f"{list(x.shape)}"
        )
    if x.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating point input, got {x.dtype} (convert it with .float())")
    return (x.unsqueeze(0), True) if x.ndim == dims + 1 else (x, False)


def sizes(op: str, name: str, value: Size, dims: int, least: int = 1) -> tuple[int, ...]:
    """An int or a sequence of ``dims`` ints as a tuple, each at least ``least``."""
    values = (value,) * dims if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) != dims or not all(isinstance(v, (int, np.integer)) for v in values):
        raise RuntimeError(
            f"{op}: expected {name} to be a single integer value or a list of {dims} values to match the "
            f"convolution dimensions, but got {name}={value!r}"
        )
    if any(v < least for v in values):
        raise RuntimeError(
            f"{op}: {'negative' if least == 0 else 'non-positive'} {name} is not supported: {name}={value!r}"
        )
    return tuple(int(v) for v in values)


def check_fits(op: str, geo: Geometry) -> None:
    """The (dilated) kernel must fit in the padded input."""
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(geo.in_size, geo.padding))
    extent = tuple(d * (k - 1) + 1 for k, d in zip(geo.kernel, geo.dilation))
    if any(e > p for e, p in zip(extent, padded)):
        raise RuntimeError(
            f"{op}: Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size: ({' x '.join(map(str, extent))}). Kernel size can't be greater than actual input size"
        )


def _named_padding(
    op: str, padding: str, kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int]
) -> tuple[tuple[int, int], ...]:
    """'valid' is no padding; 'same' pads d (k - 1) in all, the odd one after, so the output keeps the input's size."""
    if padding == "valid":
        return tuple((0, 0) for _ in kernel)
    if padding != "same":
        raise RuntimeError(f"{op}: Invalid padding string: {padding!r} (use 'same', 'valid' or numbers)")
    if any(s != 1 for s in stride):
        raise RuntimeError(f"{op}: padding='same' is not supported for strided convolutions")
    return tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation))


def _check_operands(op: str, dims: int, x: Tensor, w: Tensor, b: Tensor | None, groups: int, transposed: bool) -> None:
    """Weight and bias shapes and dtypes against the input, with PyTorch's messages (prefixed by the op)."""
    if w.ndim != dims + 2:
        layout = "in_channels, out_channels / groups" if transposed else "out_channels, in_channels / groups"
        raise RuntimeError(f"{op}: weight must have {dims + 2} dims ({layout}, *kernel), got size {list(w.shape)}")
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise RuntimeError(f"{op}: non-positive groups is not supported: groups={groups!r}")
    if w.shape[0] % groups:
        raise RuntimeError(
            f"{op}: Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight "
            f"of size {list(w.shape)} instead"
        )
    expected = w.shape[0] if transposed else w.shape[1] * groups
    if x.shape[1] != expected:
        given = "transposed=1" if transposed else f"groups={groups}"
        raise RuntimeError(
            f"{op}: Given {given}, weight of size {list(w.shape)}, expected input{list(x.shape)} to have {expected} "
            f"channels, but got {x.shape[1]} channels instead"
        )
    out_channels = w.shape[1] * groups if transposed else w.shape[0]
    if b is not None and b.shape != (out_channels,):
        raise RuntimeError(
            f"{op}: Given weight of size {list(w.shape)}, expected bias to be 1-dimensional with {out_channels} "
            f"elements, but got bias of size {list(b.shape)} instead"
        )
    for name, t in (("weight", w), ("bias", b)):
        if t is not None and t.dtype != x.dtype:
            raise RuntimeError(f"{op}: Input type ({x.dtype}) and {name} type ({t.dtype}) should be the same")
