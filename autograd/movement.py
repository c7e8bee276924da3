"""Ops that move or copy elements without computing new values: reshapes, permutations, indexing,
``stack`` and ``cat``, and the out-of-place forms of the in-place edits (``x[i] = v``, ``fill_``,
``copy_``). Each op's forward, then its backward rule. Results that share their input's memory
(numpy views) share its version counter too, so an in-place edit of either is seen by both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.arithmetic import Arithmetic, sum_to
from autograd.dtypes import promote_types
from autograd.graph import rule_for
from autograd.shapes import dim_index, dim_indices, shape_args
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import ArrayLike, Tensor

Index = Any


class Movement:
    """Shape, indexing and copying ops of ``Tensor`` (a mixin)."""

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
        if self.ndim == 0:
            return self.reshape(1)
        start, end = dim_index(start_dim, self.ndim), dim_index(end_dim, self.ndim)
        if start > end:
            raise RuntimeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        return self.reshape(self.shape[:start] + (-1,) + self.shape[end + 1 :])

    def permute(self, *dims: int | Sequence[int]) -> Tensor:
        dims = shape_args(dims)
        order = tuple(dim_index(d, self.ndim) for d in dims)
        if sorted(order) != list(range(self.ndim)):
            raise RuntimeError(f"permute: dims {list(dims)} are not a permutation of the tensor's {self.ndim} dims")
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

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Drop dims of size 1: all of them, or those of ``dim`` (others are left as they are)."""
        axes = dim_indices(dim, self.ndim)
        return self.reshape(tuple(n for i, n in enumerate(self.shape) if not (i in axes and n == 1)))

    def unsqueeze(self, dim: int) -> Tensor:
        dim = dim_index(dim, self.ndim + 1)
        return self.reshape(self.shape[:dim] + (1,) + self.shape[dim:])

    def __getitem__(self, index: Index) -> Tensor:
        index, saved = _numpy_index(index)
        data = self.data[index]
        if not isinstance(data, np.ndarray):  # numpy gives a copied scalar for a[i, j]; a[i, j, ...] is a view
            index = (index if isinstance(index, tuple) else (index,)) + (Ellipsis,)
            data = self.data[index]
        return record(data, (self,), Movement._getitem_backward, index, view_of=_view(data, self), saved=saved)

    @staticmethod
    @rule_for("getitem", saves=("index",))
    def _getitem_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # scatter-add into zeros of a's shape
        return (_index_add(g, out._ctx, out._inputs[0].shape, _index_tensors(out)),)

    def __setitem__(self, index: Index, value: ArrayLike) -> None:
        index, saved = _numpy_index(index)
        values = value.data if isinstance(value, Arithmetic) else value
        self._in_place(
            lambda data: data.__setitem__(index, values),
            lambda t: t._index_put(index, value, saved),
            (value,),
            self.data[index] if _is_basic_index(index) else self.data,
        )

    def _index_put(self, index: Index, value: ArrayLike, saved: tuple[tuple[str, Tensor], ...] = ()) -> Tensor:
        """A copy of this Tensor with ``value`` written at ``index``: ``x[index] = value`` as an op."""
        value = value if isinstance(value, Arithmetic) else leaf(np.asarray(value))
        data = self.data.copy()
        data[index] = value.data
        return record(data, (self, value), Movement._index_put_backward, index, saved=saved)

    @staticmethod
    @rule_for("index_put", saves=("index",))
    def _index_put_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # the written places come from value
        a, value = out._inputs
        return g._index_put(out._ctx, 0, _index_tensors(out)), sum_to(g[out._ctx], value.shape).to(value.dtype)

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


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors, all of one shape, stacked along a new dim ``dim``."""
    tensors = _same_dtype("stack", tensors)
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise RuntimeError(f"stack expects each tensor to be equal size, got shapes {[t.shape for t in tensors]}")
    dim = dim_index(dim, tensors[0].ndim + 1)
    return record(np.stack([t.data for t in tensors], axis=dim), tensors, _stack_backward, dim)


@rule_for("stack")
def _stack_backward(out: Tensor, g: Tensor) -> tuple[Tensor, ...]:  # unstack the gradient
    dim = out._ctx
    return tuple(g[(slice(None),) * dim + (i,)] for i in range(len(out._inputs)))


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors joined along ``dim``; their other dims must match."""
    tensors = _same_dtype("cat", tensors)
    for k, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat: zero-dimensional tensor (at position {k}) cannot be concatenated; use stack")
    dim = dim_index(dim, tensors[0].ndim)
    first = tensors[0].shape
    for k, t in enumerate(tensors):
        if t.ndim != len(first) or t.shape[:dim] + t.shape[dim + 1 :] != first[:dim] + first[dim + 1 :]:
            raise RuntimeError(
                f"cat: sizes of tensors must match except in dimension {dim}: tensor 0 has shape {first}, "
                f"tensor {k} has shape {t.shape}"
            )
    return record(np.concatenate([t.data for t in tensors], axis=dim), tensors, _cat_backward, dim)


@rule_for("cat")
def _cat_backward(out: Tensor, g: Tensor) -> tuple[Tensor, ...]:  # split the gradient at the seams
    dim = out._ctx
    ends = np.cumsum([t.shape[dim] for t in out._inputs]).tolist()
    return tuple(g[(slice(None),) * dim + (slice(end - t.shape[dim], end),)] for t, end in zip(out._inputs, ends))


def _same_dtype(op: str, tensors: Sequence[Any]) -> tuple[Tensor, ...]:
    """The tensors (arrays become tensors) cast to their promoted dtype; at least one is needed."""
    tensors = tuple(t if isinstance(t, Arithmetic) else leaf(np.asarray(t)) for t in tensors)
    if not tensors:
        raise RuntimeError(f"{op} expects a non-empty list of tensors")
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = promote_types(dtype, t.dtype)
    return tuple(t.to(dtype) for t in tensors)


def _index_add(g: Tensor, index: Index, shape: tuple[int, ...], saved: tuple[tuple[str, Tensor], ...] = ()) -> Tensor:
    """zeros(shape) with g added at ``index`` (repeated indices add up); the adjoint of ``a[index]``.
    ``saved``: the Tensors the index came from, checked again if this is differentiated in turn."""
    data = np.zeros(shape, dtype=g.dtype)
    if _is_basic_index(index):
        data[index] = g.data
    else:
        np.add.at(data, index, g.data)
    return record(data, (g,), _index_add_backward, index, saved=saved)


@rule_for("index_add", saves=("index",))
def _index_add_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d(scatter g) = gather dg
    return (g[out._ctx],)


def _index_tensors(out: Tensor) -> tuple[tuple[str, Tensor], ...]:
    """The Tensors of ``out``'s index (saved by getitem or index_put), for the ops of its backward."""
    return tuple((what, t) for what, t, _, _ in out._saved or () if what == "index")


def _view(data: np.ndarray, t: Tensor) -> Tensor | None:
    """``t`` if ``data`` shares its memory (a numpy view), else None."""
    return t if np.may_share_memory(data, t.data) else None


def _numpy_index(index: Index) -> tuple[Index, tuple[tuple[str, Tensor], ...]]:
    """The index for numpy, and the Tensors in it: their arrays are used as they are (the rule
    reads them, and an edit of one is refused like any saved tensor's); lists and arrays are copied."""
    if isinstance(index, tuple):
        parts = [_numpy_index(i) for i in index]
        return tuple(p for p, _ in parts), tuple(t for _, saved in parts for t in saved)
    if isinstance(index, Arithmetic):
        return index.data, (("index", index),)
    if isinstance(index, (list, np.ndarray)):
        return np.array(index), ()
    return index, ()


def _is_basic_index(index: Index) -> bool:
    """True when ``index`` uses only ints, slices, None and Ellipsis: it selects each element once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis))) for p in parts)
