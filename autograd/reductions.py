"""Reductions of a Tensor: ``sum mean max min argmax argmin``, and ``softmax log_softmax``
along a dim. Each op's forward, then its backward rule with the derivative in a comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from autograd.dtypes import as_dtype, check_differentiable, int64
from autograd.elementwise import _floating_only
from autograd.graph import rule_for
from autograd.shapes import dim_index, dim_indices
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class ValuesIndices(NamedTuple):
    """``(values, indices)`` from ``max(dim)`` / ``min(dim)``, as PyTorch's named tuple."""

    values: Tensor
    indices: Tensor


class Reductions:
    """Reductions of ``Tensor`` (a mixin)."""

    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        """The sum over ``dim`` (all dims by default); integer and bool sums are int64, as in PyTorch."""
        axes = dim_indices(dim, self.ndim)
        dtype = as_dtype(dtype) if dtype is not None else int64 if self.dtype.kind in "biu" else None
        return record(
            self.data.sum(axis=axes, keepdims=keepdim, dtype=dtype), (self,), Reductions._sum_backward, (axes, keepdim)
        )

    @staticmethod
    @rule_for("sum")
    def _sum_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d sum(a) = da broadcast back
        a = out._inputs[0]
        axes, keepdim = out._ctx
        if not keepdim:
            g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(a.shape)))
        return (g.expand(a.shape).to(a.dtype),)

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """The mean over ``dim`` (all dims by default); floating point tensors only, as in PyTorch."""
        check_differentiable(self.dtype, "mean")
        axes = dim_indices(dim, self.ndim)
        with np.errstate(invalid="ignore"):  # the mean of nothing is NaN
            data = self.data.sum(axis=axes, keepdims=keepdim) / _count(self.shape, axes)
        return record(data, (self,), Reductions._mean_backward, (axes, keepdim))

    @staticmethod
    @rule_for("mean")
    def _mean_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d mean(a) = da broadcast back / n
        return (Reductions._sum_backward(out, g)[0] / _count(out._inputs[0].shape, out._ctx[0]),)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Tensor | ValuesIndices:
        """The largest element, or along ``dim`` a ``(values, indices)`` pair, as in PyTorch."""
        if dim is None:
            return self._extreme(np.max)
        return self._extreme_along(np.argmax, dim, keepdim)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Tensor | ValuesIndices:
        """The smallest element, or along ``dim`` a ``(values, indices)`` pair."""
        if dim is None:
            return self._extreme(np.min)
        return self._extreme_along(np.argmin, dim, keepdim)

    def _extreme(self, extreme: Any) -> Tensor:
        if self.data.size == 0:
            raise RuntimeError(f"{extreme.__name__}() of an empty tensor: there is no element to return; pass dim")
        return record(extreme(self.data), (self,), Reductions._extreme_backward)

    @staticmethod
    @rule_for("max/min", saves=(0, "out"))
    def _extreme_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # to the extreme elements, shared evenly
        a = out._inputs[0].data
        winners = np.isnan(a) if np.isnan(out.data) else a == out.data  # a NaN is the extreme, as in PyTorch
        return ((g / int(winners.sum())).where(winners, 0.0),)

    def _extreme_along(self, arg_extreme: Any, dim: int, keepdim: bool) -> ValuesIndices:
        dim = dim_index(dim, self.ndim)
        if self.ndim == 0:
            return ValuesIndices(self.clone(), leaf(np.zeros((), dtype=int64)))
        _check_not_empty(arg_extreme.__name__.removeprefix("arg"), self.shape, dim)
        indices = leaf(np.expand_dims(arg_extreme(self.data, axis=dim), dim))
        values = record(
            np.take_along_axis(self.data, indices.data, dim),
            (self,),
            Reductions._extreme_along_backward,
            (dim, indices.data),
            saved=(("indices", indices),),  # returned to the user, who may edit them
        )
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return ValuesIndices(values, indices)

    @staticmethod
    @rule_for("max/min", saves=("indices",))
    def _extreme_along_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # to the index max/min(dim) returned
        a = out._inputs[0]
        dim, indices = out._ctx
        picked = np.arange(a.shape[dim]).reshape((-1,) + (1,) * (a.ndim - dim - 1)) == indices
        return (g.expand(a.shape).where(picked, 0.0),)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the largest element (of the flattened tensor without ``dim``)."""
        return _arg(np.argmax, self.data, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the smallest element (of the flattened tensor without ``dim``)."""
        return _arg(np.argmin, self.data, dim, keepdim)

    def softmax(self, dim: int) -> Tensor:
        """e^x_i / sum_j e^x_j along ``dim``, computed as e^(x_i - max) so nothing overflows."""
        dim = dim_index(dim, self.ndim)
        x = _floating_only(self, "softmax")
        e = np.exp(x.data - x.data.max(axis=dim, keepdims=True, initial=-np.inf))
        return record(e / e.sum(axis=dim, keepdims=True), (self,), Reductions._softmax_backward, dim)

    @staticmethod
    @rule_for("softmax", saves=("out",))
    def _softmax_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # ds_i = s_i (dx_i - sum_j s_j dx_j)
        dim = out._ctx
        return (out * (g - (g * out).sum(dim, keepdim=True)),)

    def log_softmax(self, dim: int) -> Tensor:
        """x_i - log sum_j e^x_j along ``dim``, with the max subtracted first."""
        dim = dim_index(dim, self.ndim)
        x = _floating_only(self, "log_softmax")
        shifted = x.data - x.data.max(axis=dim, keepdims=True, initial=-np.inf)
        with np.errstate(divide="ignore"):  # log 0 along an empty dim, whose result is empty anyway
            data = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        return record(data, (self,), Reductions._log_softmax_backward, dim)

    @staticmethod
    @rule_for("log_softmax", saves=("out",))
    def _log_softmax_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # dl_i = dx_i - s_i sum_j dx_j
        dim = out._ctx
        return (g - out.exp() * g.sum(dim, keepdim=True),)


def _arg(arg_extreme: Any, data: np.ndarray, dim: int | None, keepdim: bool) -> Tensor:
    if dim is None:
        if data.size == 0:
            raise RuntimeError(f"{arg_extreme.__name__}() of an empty tensor: there is no element to point at")
        index = np.asarray(arg_extreme(data), dtype=int64)
        return leaf(index.reshape((1,) * data.ndim) if keepdim else index)
    dim = dim_index(dim, data.ndim)
    if data.ndim == 0:
        return leaf(np.zeros((), dtype=int64))
    _check_not_empty(arg_extreme.__name__, data.shape, dim)
    indices = arg_extreme(data, axis=dim).astype(int64)
    return leaf(np.expand_dims(indices, dim) if keepdim else indices)


def _count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    """How many elements a reduction over ``axes`` takes into each result."""
    return int(np.prod([shape[a] for a in axes]))


def _check_not_empty(op: str, shape: tuple[int, ...], dim: int) -> None:
    if shape[dim] == 0:
        raise IndexError(f"{op}(): dim {dim} of the tensor of shape {shape} has size 0: there is no element to pick")
