"""Pooling over the windows convolution.py sweeps: the max of each window, its average, and the
adaptive average that picks the windows from the output size wanted. ``max_pool*d`` and
``avg_pool*d`` take PyTorch's arguments (``ceil_mode``, ``count_include_pad``, ...).

The max sends each window's gradient to the element it picked; windows that tile the input (kernel =
stride, no padding: the common case) take a faster path to the same picks. The average is a convolution
by a kernel of ones divided by the window's size, so it shares the convolution's backward rules.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from autograd.convolution import Geometry, Size, batched, convolution, flat_steps, geometry, pad, sizes, windows
from autograd.graph import rule_for
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import Tensor


def max_pool1d(
    input: Tensor,
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """The max of each window of (N, C, L); with ``return_indices``, also where each max was in L."""
    return _max_pool("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(
    input: Tensor,
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """The max of each window of (N, C, H, W); with ``return_indices``, also where each max was in H * W."""
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(
    input: Tensor,
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """The max of each window of (N, C, D, H, W); with ``return_indices``, also where each max was in D * H * W."""
    return _max_pool("max_pool3d", 3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def avg_pool1d(
    input: Tensor,
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """The mean of each window of (N, C, L); zero padding counts in the mean if ``count_include_pad``."""
    return _avg_pool("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(
    input: Tensor,
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window of (N, C, H, W); ``divisor_override`` replaces the window size as divisor."""
    return _avg_pool(
        "avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def avg_pool3d(
    input: Tensor,
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window of (N, C, D, H, W); ``divisor_override`` replaces the window size as divisor."""
    return _avg_pool(
        "avg_pool3d", 3, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def adaptive_avg_pool1d(input: Tensor, output_size: Size) -> Tensor:
    """(N, C, L) averaged down to (N, C, output_size), output i over [floor(i L / out), ceil((i + 1) L / out))."""
    return _adaptive_avg_pool("adaptive_avg_pool1d", 1, input, output_size)


def adaptive_avg_pool2d(input: Tensor, output_size: Size | Sequence[int | None]) -> Tensor:
    """(N, C, H, W) averaged down to (N, C, *output_size); a None size keeps the input's."""
    return _adaptive_avg_pool("adaptive_avg_pool2d", 2, input, output_size)


# -- max ----------------------------------------------------------------------------------------------
def _max_pool(
    op: str,
    dims: int,
    x: Tensor,
    kernel_size: Size,
    stride: Size | None,
    padding: Size,
    dilation: Size,
    ceil_mode: bool,
    return_indices: bool,
) -> Tensor | tuple[Tensor, Tensor]:
    x, unbatched = batched(op, dims, x)
    geo = _pool_geometry(op, x.shape, kernel_size, stride, padding, dilation, ceil_mode)
    if not return_indices and _tiles_the_input(geo):
        y = _tiled_max_pool(x, geo.kernel)
        return y.squeeze(0) if unbatched else y
    values, picked = _window_max(windows(pad(x.data, geo.padding, -np.inf), geo), geo, bool(np.isnan(x.data).any()))
    index = _kernel_offsets(geo)[picked]
    index += _window_starts(geo)
    picks = Picks(index, any(s < d * (k - 1) + 1 for k, s, d in zip(geo.kernel, geo.stride, geo.dilation)))
    y = record(values, (x,), _max_pool_backward, picks)
    index = picks.index
    if unbatched:
        y, index = y.squeeze(0), index[0]
    return (y, leaf(index)) if return_indices else y


class Picks(NamedTuple):
    """Where a max pool found each window's max in the input's flattened spatial dims, and whether
    windows overlap (then one element can be picked by several)."""

    index: np.ndarray
    overlapping: bool


@rule_for("max_pool")
def _max_pool_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d max(window) = d(the element picked)
    return (_scatter(g, out._ctx, out._inputs[0].data),)


def _window_max(view: np.ndarray, geo: Geometry, has_nan: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each window's max and its position in the kernel, picked as PyTorch picks it: the first max, the
    last NaN (a NaN is the max), or in a window of -inf its first element inside the input.

    Whole-array passes, one kernel position at a time and without branches, as that is many times
    faster than a masked copy or an argmax over each small window; results are laid out in memory as
    the input is, so the ops that follow run in step with it."""
    candidates = [view[(..., *offset)] for offset in np.ndindex(*geo.kernel)]
    best = np.full_like(candidates[0], -np.inf)
    for candidate in candidates:
        np.maximum(best, candidate, out=best)  # a NaN propagates
    picked = np.zeros_like(best, dtype=np.min_scalar_type(-len(candidates)))
    step, hit = np.empty_like(picked), np.empty_like(best, dtype=bool)
    for position in reversed(range(len(candidates))):  # picked = position where it holds the max: the first wins
        np.equal(candidates[position], best, out=hit)
        np.subtract(position, picked, out=step)
        step *= hit
        picked += step
    if has_nan:
        for position, candidate in enumerate(candidates):
            np.copyto(picked, position, where=np.isnan(candidate))
    np.copyto(picked, _first_inside(geo), where=best == -np.inf)
    return best, picked


def _first_inside(geo: Geometry) -> np.ndarray:
    """For each window, the kernel position (flattened) of its first element inside the input, not the padding."""
    firsts = [
        np.maximum(0, -(-(lo - np.arange(n) * s) // d))  # the least q with p s + q d >= lo
        for n, s, d, (lo, _) in zip(geo.out_size, geo.stride, geo.dilation, geo.padding)
    ]
    return np.ravel_multi_index(np.ix_(*firsts), geo.kernel)


def _window_starts(geo: Geometry) -> np.ndarray:
    """Where each window starts in the input's flattened spatial dims (negative inside the padding)."""
    steps = flat_steps(geo.in_size)
    starts = [
        (np.arange(n) * s - lo) * step for n, s, (lo, _), step in zip(geo.out_size, geo.stride, geo.padding, steps)
    ]
    return sum(np.ix_(*starts), np.zeros((), dtype=np.int64))


def _kernel_offsets(geo: Geometry) -> np.ndarray:
    """How far each kernel position (flattened) lies from its window's start, in the input's flattened spatial dims."""
    steps = flat_steps(geo.in_size)
    offsets = [np.arange(k) * d * step for k, d, step in zip(geo.kernel, geo.dilation, steps)]
    return sum(np.ix_(*offsets), np.zeros((), dtype=np.int64)).reshape(-1)


def _scatter(g: Tensor, picks: Picks, like: np.ndarray) -> Tensor:
    """Zeros shaped and laid out as ``like`` (the pool's input), with each g[n, c, p] added where window p
    of plane (n, c) picked its max."""
    n, c = like.shape[:2]
    out = zeros_in_layout(like, g.dtype)
    planes = out.reshape(n, c, -1)  # a view: each plane's spatial dims are contiguous
    index = picks.index.reshape(n, c, -1)
    if picks.overlapping:
        plane_start = np.arange(n * c).reshape(n, c, 1) * planes.shape[2]
        np.add.at(planes.reshape(-1), (index + plane_start).reshape(-1), g.data.reshape(-1))
    else:  # each element picked once at most
        np.put_along_axis(planes, index, g.data.reshape(n, c, -1), axis=2)
    return record(out, (g,), _scatter_backward, picks)


@rule_for("max_pool_backward")
def _scatter_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # the adjoint of a scatter is the gather
    return (_gather(g, out._ctx),)


def zeros_in_layout(like: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Zeros of ``like``'s shape, channel-major in memory if ``like`` is (a convolution's result is), else C order."""
    if like.ndim > 2 and not like.flags.c_contiguous and like.swapaxes(0, 1).flags.c_contiguous:
        return np.zeros_like(like.swapaxes(0, 1), dtype=dtype).swapaxes(0, 1)
    return np.zeros(like.shape, dtype=dtype)


def _gather(x: Tensor, picks: Picks) -> Tensor:
    """The max pool's forward, given its picks: x[n, c, index[n, c, p]] over the flattened spatial dims."""
    n, c = x.shape[:2]
    index = picks.index
    values = np.take_along_axis(x.data.reshape(n, c, -1), index.reshape(n, c, -1), 2).reshape(index.shape)
    return record(values, (x,), _max_pool_backward, picks)


# -- max over windows that tile the input: the common case, faster ------------------------------------
def _tiles_the_input(geo: Geometry) -> bool:
    """Whether the windows are the input's tiles (kernel = stride, no padding or dilation), but for a
    remainder at the end of a dim that no window reaches."""
    no_padding = all(lo == hi == 0 for lo, hi in geo.padding)
    return geo.kernel == geo.stride and no_padding and all(d == 1 for d in geo.dilation)


def _tiled_max_pool(x: Tensor, kernel: tuple[int, ...]) -> Tensor:
    """The max of each tile, folded one dim at a time; the picks are made again NaN-aware only if a NaN came out."""
    tiles = _tiles(x.data, kernel)
    values, picks = _fold_max(tiles, nan_aware=False)
    if np.isnan(values).any():
        values, picks = _fold_max(tiles, nan_aware=True)
    return record(values, (x,), _tiled_max_backward, TilePicks(kernel, picks))


class TilePicks(NamedTuple):
    """Per dim folded by a tiled max pool, the first first: which of the ``kernel`` elements each max came from."""

    kernel: tuple[int, ...]
    picks: list[np.ndarray]


@rule_for("max_pool")
def _tiled_max_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d max(window) = d(the element picked)
    return (_tiled_scatter(g, out._ctx, out._inputs[0].data),)


def _tiles(x: np.ndarray, kernel: tuple[int, ...]) -> np.ndarray:
    """A view of x's tiles, shape (N, C, out_1, k_1, out_2, k_2, ...); a remainder past the last tile is left out."""
    outs = [n // k for n, k in zip(x.shape[2:], kernel)]
    inside = x[(slice(None), slice(None), *(slice(o * k) for o, k in zip(outs, kernel)))]
    return inside.reshape(x.shape[:2] + tuple(n for o, k in zip(outs, kernel) for n in (o, k)))


def _kernel_axes(tiles: np.ndarray) -> range:
    """The axes of ``tiles`` that run within a tile, the first first."""
    return range(3, tiles.ndim, 2)


def _part(a: np.ndarray, axis: int, j: int) -> np.ndarray:
    """The view of ``a`` at index j along ``axis``."""
    return a[(slice(None),) * axis + (j,)]


def _fold_max(tiles: np.ndarray, nan_aware: bool) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each tile's max and, per kernel axis, which element it came from: the one PyTorch's loop over the
    tile in row-major order picks (taking an element if it is > the max so far, or NaN), that is the first
    max, or the last NaN. Folded one dim at a time from the first, whose slices are the longest runs of
    memory, so the fewest and fastest passes; a tie between elements of different rows then goes to the
    one earlier in the tile, which ``position`` (over the dims folded so far) tells."""
    best, position, picks = tiles, None, []
    index_type = np.min_scalar_type(-math.prod(tiles.shape[3::2]))
    axes = _kernel_axes(tiles)
    for folded, axis in enumerate(axes):
        k, axis = tiles.shape[axis], axis - folded  # each fold removes an axis before this one
        values = [_part(best, axis, j) for j in range(k)]
        positions = [None if position is None else _part(position, axis, j) for j in range(k)]
        best, before, pick = values[0], positions[0], np.zeros_like(values[0], dtype=index_type)  # laid out as x
        for j in range(1, k):
            take = _takes(values[j], best, positions[j], before, nan_aware)
            np.maximum(pick, take * index_type.type(j), out=pick)  # the last j taken (a masked write is far slower)
            if before is not None and (j < k - 1 or folded < len(axes) - 1):  # read again
                before = before + take * (positions[j] - before)
            best = np.maximum(best, values[j])  # a NaN propagates
        if folded < len(axes) - 1:
            position = pick if before is None else before * index_type.type(k) + pick
        picks.append(pick)
    return best, picks


def _takes(
    value: np.ndarray, best: np.ndarray, position: np.ndarray | None, before: np.ndarray | None, nan_aware: bool
) -> np.ndarray:
    """Where ``value`` (further along the axis) replaces ``best`` in PyTorch's row-major loop: if greater, or
    equal and earlier in the tile (its ``position`` over the dims folded before is less; a pass only where
    ties are), or NaN and later."""
    take = value > best
    if position is not None:
        ties = value == best
        if ties.any():
            take |= ties & (position < before)
    if nan_aware:
        later = True if position is None else position >= before
        take |= np.isnan(value) & (~np.isnan(best) | later)
    return take


def _tiled_scatter(g: Tensor, tile_picks: TilePicks, like: np.ndarray) -> Tensor:
    """Zeros shaped and laid out as ``like`` (the pool's input), with each g[n, c, p] where tile p of plane
    (n, c) picked its max: spread back one kernel axis at a time, the last folded first, as g times a mask
    of the picks (0 * g is 0 as g is finite; else a select)."""
    kernel, picks = tile_picks
    whole = all(n % k == 0 for n, k in zip(like.shape[2:], kernel))
    grad = (np.empty_like if whole else np.zeros_like)(like, dtype=g.dtype)
    tiles = _tiles(grad, kernel)
    finite = bool(np.isfinite(g.data).all())
    spread = g.data
    for folded in reversed(range(len(picks))):
        target = tiles if folded == 0 else np.empty_like(_after_folding(tiles, folded))
        axis = _kernel_axes(tiles)[folded] - folded
        for j in range(tiles.shape[axis + folded]):
            if finite:
                np.multiply(spread, picks[folded] == j, out=_part(target, axis, j))
            else:
                _part(target, axis, j)[...] = np.where(picks[folded] == j, spread, 0)
        spread = target
    return record(grad, (g,), _tiled_scatter_backward, tile_picks)


def _after_folding(tiles: np.ndarray, folded: int) -> np.ndarray:
    """A view of ``tiles`` with its first ``folded`` kernel axes taken at 0: the shape the fold has after them."""
    return tiles[tuple(0 if a in _kernel_axes(tiles)[:folded] else slice(None) for a in range(tiles.ndim))]


@rule_for("max_pool_backward")
def _tiled_scatter_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # the adjoint of a scatter is the gather
    return (_tiled_gather(g, out._ctx),)


def _tiled_gather(x: Tensor, tile_picks: TilePicks) -> Tensor:
    """The tiled max pool's forward, given its picks: the element each tile picked, one kernel axis at a time."""
    tiles = _tiles(x.data, tile_picks.kernel)
    best = tiles
    for folded, (axis, pick) in enumerate(zip(_kernel_axes(tiles), tile_picks.picks)):
        parts = [_part(best, axis - folded, j) for j in range(tiles.shape[axis])]
        best = parts[0].copy()
        for j, part in enumerate(parts[1:], start=1):
            np.copyto(best, part, where=pick == j)
    return record(best, (x,), _tiled_max_backward, tile_picks)


# -- average ----------------------------------------------------------------------------------------------
def _avg_pool(
    op: str,
    dims: int,
    x: Tensor,
    kernel_size: Size,
    stride: Size | None,
    padding: Size,
    ceil_mode: bool,
    count_include_pad: bool,
    divisor_override: int | None,
) -> Tensor:
    x, unbatched = batched(op, dims, x)
    geo = _pool_geometry(op, x.shape, kernel_size, stride, padding, 1, ceil_mode)
    n, c = x.shape[:2]
    ones = leaf(np.ones((1, 1, *geo.kernel), dtype=x.dtype))
    sums = convolution(x.reshape(n * c, 1, *geo.in_size), ones, None, geo).reshape(n, c, *geo.out_size)
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError(f"{op}: divisor must be not zero")
        y = sums / divisor_override
    else:
        y = sums / leaf(_window_sizes(geo, sizes(op, "padding", padding, dims, least=0), count_include_pad, x.dtype))
    return y.squeeze(0) if unbatched else y


def _window_sizes(geo: Geometry, padding: tuple[int, ...], count_include_pad: bool, dtype: np.dtype) -> np.ndarray:
    """How many elements each window averages: those of the input, and with ``count_include_pad`` the
    padding asked for too (never the extra that a ``ceil_mode`` window reaches past it)."""
    counted = np.ones((1, 1, *geo.in_size), dtype=dtype)
    if count_include_pad:
        counted = pad(counted, tuple((p, p) for p in padding), 1.0)
        beyond = tuple((lo - p, hi - p) for (lo, hi), p in zip(geo.padding, padding))
    else:
        beyond = geo.padding
    view = windows(pad(counted, beyond), geo)
    return view.sum(axis=tuple(range(-len(geo.kernel), 0)))[0, 0]


def _adaptive_avg_pool(op: str, dims: int, x: Tensor, output_size: Size | Sequence[int | None]) -> Tensor:
    if x.ndim not in (dims + 1, dims + 2) or 0 in x.shape[-dims:]:
        raise RuntimeError(f"{op}(): Expected {dims + 1}D or {dims + 2}D tensor, but got {list(x.shape)}")
    wanted = (output_size,) * dims if isinstance(output_size, (int, np.integer)) else tuple(output_size)
    if len(wanted) != dims:
        raise RuntimeError(f"{op}: output_size must be an int or {dims} values, got {output_size!r}")
    wanted = tuple(n if size is None else size for size, n in zip(wanted, x.shape[-dims:]))
    if any(size < 1 for size in wanted):
        raise RuntimeError(f"{op}: output_size must be positive, got {output_size!r}")
    y = x
    for axis, (n, size) in enumerate(zip(x.shape[-dims:], wanted), start=x.ndim - dims):
        averages = leaf(_averaging_matrix(n, size).astype(x.dtype))  # y contracted with it along axis
        y = (y.transpose(axis, -1) @ averages.T).transpose(axis, -1)
    return y


def _averaging_matrix(n: int, size: int) -> np.ndarray:
    """(size, n): row i averages [floor(i n / size), ceil((i + 1) n / size)), PyTorch's adaptive windows."""
    matrix = np.zeros((size, n))
    for i in range(size):
        start, end = i * n // size, -(-(i + 1) * n // size)
        matrix[i, start:end] = 1 / (end - start)
    return matrix


# -- the windows, checked as PyTorch checks them ---------------------------------------------------------------
def _pool_geometry(
    op: str,
    shape: tuple[int, ...],
    kernel_size: Size,
    stride: Size | None,
    padding: Size,
    dilation: Size,
    ceil_mode: bool,
) -> Geometry:
    """The windows of a pool: stride defaults to the kernel size; with ``ceil_mode`` a last, partial
    window is kept if it starts inside the input or its left padding, padded further as it needs."""
    dims = len(shape) - 2
    kernel = sizes(op, "kernel_size", kernel_size, dims)
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) else stride
    stride, dilation = sizes(op, "stride", stride, dims), sizes(op, "dilation", dilation, dims)
    padding = sizes(op, "padding", padding, dims, least=0)
    out_size, pads = [], []
    for n, k, s, d, p in zip(shape[2:], kernel, stride, dilation, padding):
        extent = d * (k - 1) + 1
        if p > k // 2:
            raise RuntimeError(
                f"{op}: pad should be at most half of kernel size, but got pad={p}, kernel_size={k} and dilation={d}"
            )
        out = (n + 2 * p - extent + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (out - 1) * s >= n + p:
            out -= 1
        out_size.append(out)
        pads.append((p, max(p, (out - 1) * s + extent - n - p)))
    if any(out < 1 for out in out_size):
        given = "x".join(map(str, shape[1:]))
        calculated = "x".join(map(str, (shape[1], *out_size)))
        raise RuntimeError(
            f"{op}: Given input size: ({given}). Calculated output size: ({calculated}). Output size is too small"
        )
    return geometry(shape[2:], kernel, stride, dilation, pads)
