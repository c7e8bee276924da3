"""Ops that move or copy elements without computing new values: reshapes, permutations, ``stack``
and ``cat``, and the out-of-place forms of the in-place edits ``fill_`` and ``copy_`` (indexing has
its own file, ``indexing.py``). Each op's forward, then its backward rule. Results that share their
input's memory (numpy views) share its version counter too, so an in-place edit of either is seen by both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.arithmetic import Arithmetic, sum_to
from autograd.dtypes import promote_types
from autograd.graph import rule_for
from autograd.shapes import dim_index, dim_indices, numpy_spellings, shape_args
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import ArrayLike, Tensor


class Movement:
    """Shape and copying ops of ``Tensor`` (a mixin)."""

    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        shape = shape_args(shape)
        try:
            data = self.data.reshape(shape)
        except ValueError:
            raise RuntimeError(f"shape {list(shape)} is invalid for input of size {self.data.size}") from None
        return record(data, (self,), Movement._reshape_backward, view_of=_view(data, self))

    @staticmethod
    @rule_for("reshape")
    def _reshape_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # reshape the gradient back
        return (g.reshape(out._inputs[0].shape),)

    def view(self, *shape: int | Sequence[int]) -> Tensor:
        return self.reshape(*shape)

    def view_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def expand(self, *shape: int | Sequence[int]) -> Tensor:
        """Broadcast to ``shape`` without copying (-1 keeps a size)."""
        shape = shape_args(shape)
        lead = len(shape) - self.ndim
        if lead < 0:
            raise RuntimeError(f"expand: the shape {list(shape)} has fewer dimensions than the tensor's {self.shape}")
        shape = tuple(self.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape))
        try:
            data = np.broadcast_to(self.data, shape)
        except ValueError:
            raise RuntimeError(
                f"expand: a tensor of shape {self.shape} cannot be expanded to {shape} "
                f"(only dimensions of size 1 can grow)"
            ) from None
        return record(data, (self,), Movement._expand_backward, view_of=self)

    @staticmethod
    @rule_for("expand")
    def _expand_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # sum over the broadcast axes
        return (sum_to(g, out._inputs[0].shape),)

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        start, end = dim_index(start_dim, self.ndim), dim_index(end_dim, self.ndim)
        if self.ndim == 0:
            return self.reshape(1)
        if start > end:
            raise RuntimeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        return self.reshape(self.shape[:start] + (int(np.prod(self.shape[start : end + 1])),) + self.shape[end + 1 :])

    def permute(self, *dims: int | Sequence[int]) -> Tensor:
        dims = shape_args(dims)
        if len(dims) != self.ndim:
            raise RuntimeError(f"permute: {len(dims)} dims {list(dims)} given for a tensor of {self.ndim} dims")
        order = tuple(dim_index(d, self.ndim) for d in dims)
        if len(set(order)) != len(order):
            raise RuntimeError(f"permute: dims {list(dims)} name a dim more than once")
        return record(self.data.transpose(order), (self,), Movement._permute_backward, order, view_of=self)

    @staticmethod
    @rule_for("permute")
    def _permute_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # permute back by the inverse order
        return (g.permute(*np.argsort(out._ctx).tolist()),)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        dims = list(range(self.ndim))
        i, j = dim_index(dim0, self.ndim), dim_index(dim1, self.ndim)
        if self.ndim == 0:
            return self
        dims[i], dims[j] = dims[j], dims[i]
        return self.permute(*dims)

    def t(self) -> Tensor:
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, got shape {self.shape}; use transpose")
        return self.permute(*reversed(range(self.ndim)))

    @property
    def T(self) -> Tensor:
        return self.permute(*reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:
        if self.ndim < 2:
            raise RuntimeError(f"mT needs at least 2 dimensions, got shape {self.shape}")
        return self.transpose(-2, -1)

    @numpy_spellings
    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Drop dims of size 1: all of them, or those of ``dim`` (others are left as they are)."""
        axes = dim_indices(dim, self.ndim)
        return self.reshape(tuple(n for i, n in enumerate(self.shape) if not (i in axes and n == 1)))

    @numpy_spellings
    def unsqueeze(self, dim: int) -> Tensor:
        dim = dim_index(dim, self.ndim + 1)
        return self.reshape(self.shape[:dim] + (1,) + self.shape[dim:])

    def clone(self) -> Tensor:
        """A copy of the data, in the graph: gradients flow back unchanged."""
        return record(self.data.copy(), (self,), Movement._clone_backward)

    @staticmethod
    @rule_for("clone")
    def _clone_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d copy(a) = da
        return (g,)

    def contiguous(self) -> Tensor:
        return self

    def _filled(self, value: Any) -> Tensor:
        """A Tensor of this one's shape and dtype full of ``value``: ``fill_`` as an op."""
        return record(np.full(self.shape, value, dtype=self.dtype), (self,), Movement._filled_backward)

    @staticmethod
    @rule_for("fill_")
    def _filled_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # a constant: no gradient to what was there
        return (g._filled(0),)

    def _replaced_by(self, source: ArrayLike) -> Tensor:
        """``source`` broadcast to this shape and cast to this dtype: ``copy_`` as an op."""
        source = source if isinstance(source, Arithmetic) else leaf(np.asarray(source))
        try:
            data = np.broadcast_to(source.data, self.shape).astype(self.dtype)
        except ValueError:
            raise RuntimeError(f"copy_: a source of shape {source.shape} does not broadcast to {self.shape}") from None
        return record(data, (self, source), Movement._replaced_by_backward)

    @staticmethod
    @rule_for("copy_")
    def _replaced_by_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # all of it comes from source
        source = out._inputs[1]
        return g._filled(0), sum_to(g, source.shape).to(source.dtype)

    # -- slicing, reordering and repeating: compositions of the primitives above ---------
    @numpy_spellings
    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """Elements ``start`` to ``start + length`` along ``dim`` (a negative start counts from the end); a view."""
        dim = dim_index(dim, self.ndim)
        size = self.shape[dim]
        start = start + size if start < 0 else start
        if length < 0:
            raise RuntimeError(f"narrow(): length must be non-negative, got {length}")
        if not 0 <= start <= size or start + length > size:
            raise IndexError(f"narrow(): start {start} + length {length} exceeds dimension {dim} of size {size}")
        return self[(slice(None),) * dim + (slice(start, start + length),)]

    def flip(self, *dims: int | Sequence[int]) -> Tensor:
        """The order of elements reversed along each of ``dims``."""
        out = self.clone()
        for dim in _dim_list(dims, self.ndim):
            if self.ndim:  # a 0-d tensor is its own reverse
                out = out.index_select(dim, np.arange(self.shape[dim] - 1, -1, -1))
        return out

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
        """Elements shifted ``shifts`` places along ``dims``, those pushed off the end coming back at the start;
        without ``dims``, along the flattened tensor."""
        shifts = (shifts,) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
        if not shifts:
            raise RuntimeError("roll: `shifts` required")
        if dims is None:
            if len(shifts) != 1:
                raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims: 0")
            return self.flatten().roll(shifts, 0).reshape(self.shape)
        dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
        if len(shifts) != len(dims):
            raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims: {len(dims)}")
        out = self
        for shift, dim in zip(shifts, dims):
            dim = dim_index(dim, self.ndim)
            size = self.shape[dim] if self.ndim else 1
            split = size - shift % size if size else 0
            if 0 < split < size:
                out = cat([out.narrow(dim, split, size - split), out.narrow(dim, 0, split)], dim)
        return out if out is not self else self.clone()

    def repeat(self, *sizes: int | Sequence[int]) -> Tensor:
        """The whole tensor repeated ``sizes[i]`` times along dim i (numpy's ``tile``); extra leading sizes
        add dims. Broadcasts a copy of each dim of size 1 placed before it, so the gradient sums back."""
        sizes = shape_args(sizes)
        if not sizes:
            raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
        if len(sizes) < self.ndim:
            raise RuntimeError(
                f"repeat: number of dimensions of repeat dims {sizes} can not be smaller than number of "
                f"dimensions of tensor {self.shape}"
            )
        if any(n < 0 for n in sizes):
            raise RuntimeError(f"repeat: trying to create tensor with negative dimension: sizes {sizes}")
        shape = (1,) * (len(sizes) - self.ndim) + self.shape
        copies = self.reshape([m for n in shape for m in (1, n)]).expand(
            [m for r, n in zip(sizes, shape) for m in (r, n)]
        )
        out = copies.reshape([r * n for r, n in zip(sizes, shape)])
        return out if out._base is None else out.clone()  # a copy, as in PyTorch, even when nothing repeats

    def tile(self, *dims: int | Sequence[int]) -> Tensor:
        """``repeat``, with ``dims`` padded by leading 1s when shorter than the tensor's dims."""
        dims = (1,) * (self.ndim - len(shape_args(dims))) + shape_args(dims)
        return self.repeat(dims) if dims else self.clone()

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims: elements on or below the ``diagonal``-th diagonal, others 0."""
        return self._triangle("tril", diagonal, below=True)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims: elements on or above the ``diagonal``-th diagonal, others 0."""
        return self._triangle("triu", diagonal, below=False)

    def _triangle(self, name: str, diagonal: int, below: bool) -> Tensor:
        if self.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions, got shape {self.shape}")
        rows, columns = self.shape[-2:]
        keep = (
            np.tri(rows, columns, diagonal, dtype=bool) if below else ~np.tri(rows, columns, diagonal - 1, dtype=bool)
        )
        return self.where(keep, leaf(np.zeros((), dtype=self.dtype)))

    @numpy_spellings
    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` views of equal size along ``dim`` (the last may be smaller)."""
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        dim = dim_index(dim, self.ndim)
        size = self.shape[dim]
        if size == 0:
            return tuple(self.narrow(dim, 0, 0) for _ in range(chunks))
        return self.split(-(-size // chunks), dim)

    def split(self, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """Views along ``dim``: of ``split_size`` each (the last may be smaller), or of the listed sizes."""
        dim = dim_index(dim, self.ndim)
        size = self.shape[dim]
        if isinstance(split_size_or_sections, (int, np.integer)):
            step = int(split_size_or_sections)
            if step < 0:
                raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
            if step == 0:
                if size:
                    raise RuntimeError(
                        f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}"
                    )
                return (self.narrow(dim, 0, 0),)
            sections = [min(step, size - start) for start in range(0, size, step)] or [0]
        else:
            sections = [int(n) for n in split_size_or_sections]
            if any(n < 0 for n in sections):
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes have only non-negative entries, "
                    f"but got split_sizes={sections}"
                )
            if sum(sections) != size:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                    f"dimension {dim}), but got split_sizes={sections}"
                )
        starts = np.cumsum([0] + sections[:-1]).tolist()
        return tuple(self.narrow(dim, start, n) for start, n in zip(starts, sections))

    # -- picking elements along a dim by index: compositions of indexing -------------------
    @numpy_spellings
    def index_select(self, dim: int, index: ArrayLike) -> Tensor:
        """The slices at ``index`` (a vector of ints) along ``dim``, in that order, repeats allowed."""
        dim = dim_index(dim, self.ndim)
        array = _index_array("index_select", index)
        if array.ndim > 1:
            raise IndexError(f"index_select(): Index is supposed to be a vector, got shape {array.shape}")
        x = self.reshape(1) if self.ndim == 0 else self
        _check_bounds("index_select", array, dim, x.shape[dim])
        picked = x[(slice(None),) * dim + (_as_given(index, array).reshape(-1),)]
        return picked.reshape(()) if self.ndim == 0 else picked

    @numpy_spellings
    def gather(self, dim: int, index: ArrayLike) -> Tensor:
        """out[i][j][k] = self[index[i][j][k]][j][k] for dim 0 (and likewise for the others): values picked
        along ``dim``, ``index`` of the tensor's number of dims."""
        dim = dim_index(dim, self.ndim)
        array = _index_array("gather", index)
        _check_index_shape("gather", array, self, dim)
        return self[_along_dim(_as_given(index, array), dim)]

    @numpy_spellings
    def scatter(self, dim: int, index: ArrayLike, src: ArrayLike | None = None, *, value: Any = None) -> Tensor:
        """A copy with ``src[i][j][k]`` (or the number ``value``) written at ``[index[i][j][k]][j][k]`` for
        dim 0 (and likewise for the others): the inverse of ``gather``."""
        if src is None and value is None:
            raise TypeError("scatter() needs src (a tensor) or value (a number)")
        dim = dim_index(dim, self.ndim)
        array = _index_array("scatter", index)
        _check_index_shape("scatter", array, self, dim)
        index = _as_given(index, array)
        if isinstance(src, Arithmetic):
            if src.dtype != self.dtype:
                raise RuntimeError(
                    f"scatter(): Expected self.dtype to be equal to src.dtype ({self.dtype} != {src.dtype})"
                )
            if src.ndim != index.ndim or any(i > n for i, n in zip(index.shape, src.shape)):
                raise RuntimeError(
                    f"scatter(): Expected index {list(index.shape)} to be no larger size than src {list(src.shape)}"
                )
            value = src[tuple(slice(0, n) for n in index.shape)]
        elif src is not None:
            value = src
        out = self.clone()
        out[_along_dim(index, dim)] = value
        return out


@numpy_spellings
def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors, all of one shape, stacked along a new dim ``dim``."""
    if not tensors:
        raise RuntimeError("stack expects a non-empty list of tensors")
    tensors = _same_dtype(tensors)
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise RuntimeError(f"stack expects each tensor to be equal size, got shapes {[t.shape for t in tensors]}")
    dim = dim_index(dim, tensors[0].ndim + 1)
    return record(np.stack([t.data for t in tensors], axis=dim), tensors, _stack_backward, dim)


@rule_for("stack")
def _stack_backward(out: Tensor, g: Tensor) -> tuple[Tensor, ...]:  # unstack the gradient
    dim = out._ctx
    return tuple(g[(slice(None),) * dim + (i,)] for i in range(len(out._inputs)))


@numpy_spellings
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors joined along ``dim``; their other dims must match. As PyTorch's legacy rule, a 1-d empty
    tensor (shape (0,)) joins any others: it takes part in the dtype only."""
    if not tensors:
        raise ValueError("cat expects a non-empty list of tensors")
    tensors = _same_dtype(tensors)
    for k, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat: zero-dimensional tensor (at position {k}) cannot be concatenated; use stack")
    joined = [(k, t) for k, t in enumerate(tensors) if t.shape != (0,)]
    if not joined:
        return record(np.zeros((0,), dtype=tensors[0].dtype), tensors, _cat_backward, 0)
    (first_k, first), dim = joined[0], dim_index(dim, joined[0][1].ndim)
    for k, t in joined:
        if t.ndim != first.ndim or t.shape[:dim] + t.shape[dim + 1 :] != first.shape[:dim] + first.shape[dim + 1 :]:
            raise RuntimeError(
                f"cat: sizes of tensors must match except in dimension {dim}: tensor {first_k} has shape "
                f"{first.shape}, tensor {k} has shape {t.shape}"
            )
    return record(np.concatenate([t.data for _, t in joined], axis=dim), tensors, _cat_backward, dim)


@rule_for("cat")
def _cat_backward(out: Tensor, g: Tensor) -> tuple[Tensor, ...]:  # split the gradient at the seams
    dim, start, grads = out._ctx, 0, []
    for t in out._inputs:
        if t.shape == (0,):  # skipped, as a 1-d empty tensor is
            grads.append(leaf(np.zeros((0,), dtype=g.dtype)))
            continue
        grads.append(g[(slice(None),) * dim + (slice(start, start + t.shape[dim]),)])
        start += t.shape[dim]
    return tuple(grads)


def _same_dtype(tensors: Sequence[Any]) -> tuple[Tensor, ...]:
    """The tensors (arrays become tensors) cast to their promoted dtype."""
    tensors = tuple(t if isinstance(t, Arithmetic) else leaf(np.asarray(t)) for t in tensors)
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = promote_types(dtype, t.dtype)
    return tuple(t.to(dtype) for t in tensors)


def _view(data: np.ndarray, t: Tensor) -> Tensor | None:
    """``t`` if ``data`` shares its memory (a numpy view), else None."""
    return t if np.may_share_memory(data, t.data) else None


def _dim_list(dims: tuple[Any, ...], ndim: int) -> tuple[int, ...]:
    """``f(0, 1)``, ``f((0, 1))`` or ``f([0])`` as distinct dim indices."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    indices = [dim_index(d, ndim) for d in dims]
    for d in indices:
        if indices.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(indices)


def _index_array(op: str, index: ArrayLike) -> np.ndarray:
    """``index`` (a Tensor, array or list) as an array of int64 or int32, the index dtypes PyTorch's ops take."""
    array = index.data if isinstance(index, Arithmetic) else np.asarray(index)
    if array.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{op}(): Expected dtype int32 or int64 for index, got {array.dtype}")
    return array


def _as_given(index: ArrayLike, array: np.ndarray) -> Tensor | np.ndarray:
    """The index Tensor itself, else its array: indexing with the Tensor saves it for backward, so that
    an in-place edit of it before backward is refused, as in PyTorch."""
    return index if isinstance(index, Arithmetic) else array


def _check_bounds(op: str, index: np.ndarray, dim: int, size: int) -> None:
    if index.size and (index.min() < 0 or index.max() >= size):
        bad = index.min() if index.min() < 0 else index.max()
        raise RuntimeError(f"{op}(): index {bad} is out of bounds for dimension {dim} with size {size}")


def _check_index_shape(op: str, index: np.ndarray, x: Tensor, dim: int) -> None:
    """``index`` has ``x``'s number of dims, is no larger than ``x`` outside ``dim``, and points inside it."""
    if index.ndim != x.ndim:
        raise RuntimeError(
            f"{op}(): Index tensor must have the same number of dimensions as input tensor "
            f"(index {list(index.shape)}, input {list(x.shape)})"
        )
    for d, (i, n) in enumerate(zip(index.shape, x.shape)):
        if d != dim and i > n:
            raise RuntimeError(
                f"{op}(): Size does not match at dimension {d} expected index {list(index.shape)} to be no larger "
                f"than self {list(x.shape)} apart from dimension {dim}"
            )
    _check_bounds(op, index, dim, x.shape[dim] if x.ndim else 1)


def _along_dim(index: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
    """The integer-array index of ``gather``/``scatter``: ``index`` in place of ``dim``, and in every
    other dim its own position (an arange shaped to broadcast along that dim)."""
    return tuple(
        index if d == dim else np.arange(n).reshape((-1,) + (1,) * (index.ndim - d - 1))
        for d, n in enumerate(index.shape)
    )
