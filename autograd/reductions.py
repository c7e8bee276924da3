"""Reductions of a Tensor: ``sum mean max min amax amin argmax argmin``, the statistics ``var std``,
``prod logsumexp norm``, and ``softmax log_softmax`` along a dim. Each primitive's forward, then its
backward rule with the derivative in a comment; the others are compositions of these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from autograd.dtypes import as_dtype, int64, is_floating
from autograd.elementwise import _floating, _floats
from autograd.graph import rule_for
from autograd.movement import cat
from autograd.shapes import dim_index, dim_indices, numpy_spellings
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class ValuesIndices(NamedTuple):
    """``(values, indices)`` from ``max(dim)`` / ``min(dim)``, as PyTorch's named tuple."""

    values: Tensor
    indices: Tensor


class Reductions:
    """Reductions of ``Tensor`` (a mixin)."""

    @numpy_spellings
    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        """The sum over ``dim`` (all dims by default); integer and bool sums are int64, as in PyTorch."""
        axes = _reduced_dims(dim, self.ndim)
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

    @numpy_spellings
    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        """The mean over ``dim`` (all dims by default) of a floating point tensor, or of this one cast to
        ``dtype`` first; PyTorch takes no integer mean, as it has no integer result to give."""
        x = self if dtype is None else self.to(dtype)
        if not is_floating(x.dtype):
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                f"dtype. Got: {x.dtype} (pass dtype=autograd.float32, or call .float() first)"
            )
        axes = _reduced_dims(dim, self.ndim)
        with np.errstate(invalid="ignore"):  # the mean of nothing is NaN
            data = x.data.sum(axis=axes, keepdims=keepdim) / _count(self.shape, axes)
        return record(data, (x,), Reductions._mean_backward, (axes, keepdim))

    @staticmethod
    @rule_for("mean")
    def _mean_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d mean(a) = da broadcast back / n
        return (Reductions._sum_backward(out, g)[0] / _count(out._inputs[0].shape, out._ctx[0]),)

    @numpy_spellings
    def max(self, dim: int | None = None, keepdim: bool = False) -> Tensor | ValuesIndices:
        """The largest element, or along ``dim`` a ``(values, indices)`` pair, as in PyTorch."""
        if dim is None:
            return self._extreme_of_all("max", np.max)
        return self._extreme_along(np.argmax, dim, keepdim)

    @numpy_spellings
    def min(self, dim: int | None = None, keepdim: bool = False) -> Tensor | ValuesIndices:
        """The smallest element, or along ``dim`` a ``(values, indices)`` pair."""
        if dim is None:
            return self._extreme_of_all("min", np.min)
        return self._extreme_along(np.argmin, dim, keepdim)

    @numpy_spellings
    def amax(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        """The largest element over ``dim`` (all dims by default); ties share the gradient evenly."""
        return self._extreme("amax", np.max, dim, keepdim)

    @numpy_spellings
    def amin(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        """The smallest element over ``dim`` (all dims by default); ties share the gradient evenly."""
        return self._extreme("amin", np.min, dim, keepdim)

    def _extreme(self, name: str, extreme: Any, dim: Any, keepdim: bool) -> Tensor:
        """``amax``/``amin`` over ``dim`` (None or () for all dims)."""
        axes = dim_indices(None if dim == () else dim, self.ndim)
        _check_reducible(name, self.shape, dim, axes)
        data = extreme(self.data, axis=axes, keepdims=keepdim)
        return record(data, (self,), Reductions._extreme_over_backward, (axes, keepdim))

    def _extreme_of_all(self, name: str, extreme: Any) -> Tensor:
        """``max()``/``min()``: the extreme of all elements."""
        _check_reducible(name, self.shape, None, ())
        return record(extreme(self.data), (self,), Reductions._extreme_backward)

    @staticmethod
    @rule_for("max/min", saves=(0, "out"))
    def _extreme_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # to the extreme elements, shared evenly
        a = out._inputs[0].data
        winners = np.isnan(a) if np.isnan(out.data) else a == out.data  # a NaN is the extreme, as in PyTorch
        return ((g / int(winners.sum())).where(winners, 0.0),)

    @staticmethod
    @rule_for("amax/amin", saves=(0, "out"))
    def _extreme_over_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # to each slice's extremes, shared evenly
        # PyTorch's g / count * [a == extreme]: a slice whose extreme is NaN has no winner and gets NaN
        a = out._inputs[0]
        axes, keepdim = out._ctx
        kept = tuple(1 if i in axes else n for i, n in enumerate(a.shape))
        winners = a.data == out.data.reshape(kept)
        with np.errstate(invalid="ignore"):
            share = (winners / winners.sum(axis=axes, keepdims=True)).astype(g.dtype)
        return (g.reshape(kept).expand(a.shape) * share,)

    def _extreme_along(self, arg_extreme: Any, dim: int, keepdim: bool) -> ValuesIndices:
        dim = _nonempty_dim(arg_extreme.__name__.removeprefix("arg"), dim, self.shape)
        if self.ndim == 0:
            return ValuesIndices(self.clone(), leaf(np.zeros((), dtype=int64)))
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

    @numpy_spellings
    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the largest element (of the flattened tensor without ``dim``)."""
        return _arg(np.argmax, self.data, dim, keepdim)

    @numpy_spellings
    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the smallest element (of the flattened tensor without ``dim``)."""
        return _arg(np.argmin, self.data, dim, keepdim)

    @numpy_spellings
    def softmax(self, dim: int) -> Tensor:
        """e^x_i / sum_j e^x_j along ``dim``, computed as e^(x_i - max) so nothing overflows."""
        dim = dim_index(dim, self.ndim)  # PyTorch checks the dim before the dtype
        x = _floating("softmax", self)
        e = np.exp(x.data - x.data.max(axis=dim, keepdims=True, initial=-np.inf))
        return record(e / e.sum(axis=dim, keepdims=True), (self,), Reductions._softmax_backward, dim)

    @staticmethod
    @rule_for("softmax", saves=("out",))
    def _softmax_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # ds_i = s_i (dx_i - sum_j s_j dx_j)
        dim = out._ctx
        return (out * (g - (g * out).sum(dim, keepdim=True)),)

    @numpy_spellings
    def log_softmax(self, dim: int) -> Tensor:
        """x_i - log sum_j e^x_j along ``dim``, with the max subtracted first."""
        dim = dim_index(dim, self.ndim)
        x = _floating("log_softmax", self)
        shifted = x.data - x.data.max(axis=dim, keepdims=True, initial=-np.inf)
        with np.errstate(divide="ignore"):  # only an empty dim sums to 0; any other sum is >= 1
            data = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        return record(data, (self,), Reductions._log_softmax_backward, dim)

    @staticmethod
    @rule_for("log_softmax", saves=("out",))
    def _log_softmax_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # dl_i = dx_i - s_i sum_j dx_j
        dim = out._ctx
        return (g - out.exp() * g.sum(dim, keepdim=True),)

    # -- compositions ----------------------------------------------------------------
    @numpy_spellings
    def var(
        self,
        dim: int | Sequence[int] | bool | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
    ) -> Tensor:
        """sum (x - mean)^2 / (N - correction) over ``dim``: Bessel's correction 1 by default,
        ``unbiased=False`` or ``correction=0`` for the population variance; as ``x.var(False)`` in
        PyTorch, a bool first argument is ``unbiased``."""
        if isinstance(dim, bool):
            dim, unbiased = None, dim
        if unbiased is not None and correction is not None:
            raise TypeError("var()/std(): give unbiased or correction, not both")
        if self.dtype.kind != "f":
            raise RuntimeError(f"std and var only support floating point and complex dtypes, not {self.dtype}")
        correction = (1 if unbiased is None or unbiased else 0) if correction is None else correction
        axes = dim_indices(dim, self.ndim)
        count = math.prod(self.shape[a] for a in axes)
        deviation = self - self.mean(axes, keepdim=True)
        return (deviation * deviation).sum(axes, keepdim) / max(0, count - correction)

    @numpy_spellings
    def std(
        self,
        dim: int | Sequence[int] | bool | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
    ) -> Tensor:
        """The square root of ``var`` (same arguments); its gradient is 0 where it is 0, as in PyTorch."""
        return _root(self.var(dim, unbiased, keepdim, correction=correction), 2)

    @numpy_spellings
    def prod(self, dim: int | None = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        """The product over ``dim`` (a single dim, or all elements); integers and bools multiply in int64,
        as in PyTorch."""
        x = _running_dtype(self, dtype)
        axis = None if dim is None else dim_index(dim, self.ndim)
        data = x.data.prod(axis=axis, keepdims=keepdim and axis is not None) if x.ndim else x.data.copy()
        return record(data, (x,), Reductions._prod_backward, (axis, keepdim))

    @staticmethod
    @rule_for("prod", saves=(0, "out"))
    def _prod_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d prod(a) = prod of the others da
        # PyTorch's: prod / a_i when no a_i is 0, else the product of the others from running products
        # (all 0 at once for a product of all elements holding two zeros or more)
        x, (axis, keepdim) = out._inputs[0], out._ctx
        if x.ndim == 0:
            return (g,)
        product = out
        if axis is not None and not keepdim:
            g, product = g.unsqueeze(axis), out.unsqueeze(axis)
        zeros = int((x.data == 0).sum())
        if not zeros:
            return (g * (product / x),)
        if axis is not None:
            return (g * _product_of_the_others(x, axis),)
        if zeros > 1:
            return (leaf(np.zeros(x.shape, dtype=g.dtype)),)
        return ((g * _product_of_the_others(x.reshape(-1), 0)).reshape(x.shape),)

    @numpy_spellings
    def logsumexp(self, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
        """log sum_i e^x_i over ``dim``, with the largest x (a constant) taken out first so nothing overflows."""
        x, axes = _floats(self), dim_indices(dim, self.ndim)
        largest = x.data.max(axis=axes, keepdims=True, initial=-np.inf)
        largest = np.where(np.isinf(largest), 0, largest).astype(x.dtype)  # all -inf, or an inf: no shift
        total = (x - largest).exp().sum(axes, keepdim=True).log() + largest
        return total if keepdim else total.squeeze(axes)

    def norm(
        self, p: float | str = "fro", dim: int | Sequence[int] | None = None, keepdim: bool = False, dtype: Any = None
    ) -> Tensor:
        """The vector p-norm (sum |x|^p)^(1/p) over ``dim`` (all elements by default): "fro" is 2, inf and
        -inf the largest and smallest |x|, 0 the count of nonzeros. As in PyTorch the gradient is 0 at a
        zero vector and at zero elements, where the formula has no value."""
        if self.dtype.kind != "f":
            raise RuntimeError(f"norm: expected a floating point tensor as input, got {self.dtype}")
        x = self if dtype is None else self.to(dtype)
        if p == "fro":
            if dim is not None and not isinstance(dim, (int, np.integer)) and len(dim) > 2:
                raise RuntimeError(f"norm: p='fro' is a matrix norm, over 1 or 2 dims, not dim={tuple(dim)}")
            p = 2
        elif isinstance(p, str):
            raise NotImplementedError(
                f"norm: p={p!r} is not supported: p is a number, inf, -inf or 'fro' (matrix norms such as "
                f"'nuc' need singular values, which this engine doesn't compute)"
            )
        a = x.abs()
        if p == math.inf:
            return a.amax(dim, keepdim)
        if p == -math.inf:
            return a.amin(dim, keepdim)
        if p == 0:
            return a.sign().sum(dim, keepdim)
        if p == 1:
            return a.sum(dim, keepdim)
        if p == 2:
            total = (x * x).sum(dim, keepdim)
        else:
            nonzero = x.data != 0
            total = (a.where(nonzero, 1.0) ** p).where(nonzero, 0.0 if p > 0 else math.inf).sum(dim, keepdim)
        return _root(total, p)


def _product_of_the_others(x: Tensor, dim: int) -> Tensor:
    """prod_{j != i} x_j along ``dim`` for each i, without dividing (exact with zeros): the running product
    of the elements before i times that of the elements after it."""
    n = x.shape[dim]
    ones = leaf(np.ones(x.shape[:dim] + (1,) + x.shape[dim + 1 :], dtype=x.dtype))
    before = cat([ones, x.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    after = cat([ones, x.narrow(dim, 1, n - 1).flip(dim)], dim).cumprod(dim).flip(dim)
    return before * after


def _running_dtype(x: Tensor, dtype: Any) -> Tensor:
    """``x`` cast to ``dtype`` if given, else integers and bools to int64 (the dtype of their products and
    running sums, as in PyTorch)."""
    if dtype is not None:
        return x.to(as_dtype(dtype))
    return x.to(int64) if x.dtype.kind in "biu" else x


def _root(total: Tensor, p: float) -> Tensor:
    """total^(1/p) (the square root for p = 2) with slope 0 where total is 0, PyTorch's choice for norms and
    std where the formula is 0/0: there the root is taken of 1 and not chosen, so no inf or nan comes back."""
    positive = total.data != 0
    safe = total.where(positive, 1.0)
    return (safe.sqrt() if p == 2 else safe ** (1 / p)).where(positive, 0.0)


def _arg(arg_extreme: Any, data: np.ndarray, dim: int | None, keepdim: bool) -> Tensor:
    if data.dtype.kind == "b":
        raise RuntimeError(f"{arg_extreme.__name__}(): does not support bool input, as in PyTorch: call .int() first")
    if dim is None:
        if data.size == 0:
            raise RuntimeError(f"{arg_extreme.__name__}() of an empty tensor: there is no element to point at")
        index = np.asarray(arg_extreme(data), dtype=int64)
        return leaf(index.reshape((1,) * data.ndim) if keepdim else index)
    dim = _nonempty_dim(arg_extreme.__name__, dim, data.shape)
    if data.ndim == 0:
        return leaf(np.zeros((), dtype=int64))
    indices = arg_extreme(data, axis=dim).astype(int64)
    return leaf(np.expand_dims(indices, dim) if keepdim else indices)


def _reduced_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """The dims ``sum`` and ``mean`` reduce: all of them for None or an empty list, as in PyTorch."""
    return dim_indices(None if isinstance(dim, (tuple, list)) and not dim else dim, ndim)


def _count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    """How many elements a reduction over ``axes`` takes into each result."""
    return math.prod(shape[a] for a in axes)


def _check_reducible(name: str, shape: tuple[int, ...], dim: Any, axes: tuple[int, ...]) -> None:
    """An extreme needs an element to pick: of an empty tensor only along dims that have some, as in PyTorch."""
    if 0 not in shape:
        return
    if dim is None or dim == ():
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            f"Specify the reduction dim with the 'dim' argument."
        )
    for axis in axes:
        if shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")


def _nonempty_dim(op: str, dim: int, shape: tuple[int, ...]) -> int:
    """``dim`` of ``shape`` checked for ``max(dim)`` and the like, which need an element to pick."""
    dim = dim_index(dim, len(shape))
    if shape and shape[dim] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {dim} to have non-zero size.")
    return dim
