"""Scans and sorts of a Tensor along a dim: the running sum and product (``cumsum cumprod``), and
``sort argsort topk``, whose values are gathered at the sorted indices so their gradient flows back
to the places the values came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import grad_mode
from autograd.dtypes import as_dtype, int64
from autograd.graph import rule_for
from autograd.reductions import ValuesIndices, _running_dtype
from autograd.shapes import dim_index, numpy_spellings
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class Scans:
    """Running sums and products, and sorting, of ``Tensor`` (a mixin)."""

    @numpy_spellings
    def cumsum(self, dim: int, dtype: Any = None) -> Tensor:
        """y_i = x_0 + ... + x_i along ``dim``; integers and bools sum in int64, as in PyTorch."""
        x, dim = _running_dtype(self, dtype), dim_index(dim, self.ndim)
        return record(_along(np.cumsum, x.data, dim), (x,), Scans._cumsum_backward, dim)

    @staticmethod
    @rule_for("cumsum")
    def _cumsum_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # dx_i = sum_{j >= i} dy_j
        return (_reverse_cumsum(g, out._ctx),)

    def cumsum_(self, dim: int, dtype: Any = None) -> Tensor:
        """``cumsum`` in place, in this tensor's own dtype (an int8 sum wraps around), as PyTorch's."""
        return self._in_place_result(lambda t: t.cumsum(dim, _own_dtype("cumsum_", self, dtype)))

    @numpy_spellings
    def cumprod(self, dim: int, dtype: Any = None) -> Tensor:
        """y_i = x_0 * ... * x_i along ``dim``; integers and bools multiply in int64, as in PyTorch."""
        x, dim = _running_dtype(self, dtype), dim_index(dim, self.ndim)
        return record(_along(np.cumprod, x.data, dim), (x,), Scans._cumprod_backward, dim)

    @staticmethod
    @rule_for("cumprod", saves=(0, "out"))
    def _cumprod_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # dx_i = sum_{j >= i} g_j dy_j / dx_i
        x, dim = out._inputs[0], out._ctx
        return (g if x.ndim == 0 or x.shape[dim] <= 1 else _cumprod_vjp(x, out, g, dim),)  # y = x: PyTorch's g

    def cumprod_(self, dim: int, dtype: Any = None) -> Tensor:
        """``cumprod`` in place, in this tensor's own dtype, as PyTorch's."""
        return self._in_place_result(lambda t: t.cumprod(dim, _own_dtype("cumprod_", self, dtype)))

    @numpy_spellings
    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        """The indices that sort the tensor along ``dim``; nan counts as the largest value, as in
        PyTorch. Always stable: equal values keep their order."""
        dim = dim_index(dim, self.ndim)
        data = self.data.reshape(self.shape or (1,))
        if not descending:
            order = np.argsort(data, axis=dim, kind="stable")
        else:  # by the negated key, nan first; ~ negates integers without overflow and bools too
            key = -data if data.dtype.kind == "f" else ~data
            order = np.lexsort((key, ~np.isnan(data)) if data.dtype.kind == "f" else (key,), axis=dim)
        return leaf(order.astype(int64).reshape(self.shape))

    @numpy_spellings
    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> ValuesIndices:
        """``(values, indices)``: the tensor sorted along ``dim``, and where each value came from."""
        indices = self.argsort(dim, descending, stable)
        return ValuesIndices(self.gather(dim, indices), indices)

    @numpy_spellings
    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:
        """``(values, indices)`` of the ``k`` largest (or smallest) elements along ``dim``, largest first."""
        dim = dim_index(dim, self.ndim)
        size = self.shape[dim] if self.ndim else 1
        if not 0 <= k <= size:
            raise RuntimeError(f"topk: selected index k out of range: k={k} for dimension {dim} of size {size}")
        indices = self.argsort(dim, descending=largest)
        indices = indices.narrow(dim, 0, k) if self.ndim else indices
        return ValuesIndices(self.gather(dim, indices), indices)


def _along(scan: Any, data: np.ndarray, dim: int) -> np.ndarray:
    """``scan(data, axis=dim)`` in data's dtype; a 0-d tensor is its own running sum or product. PyTorch
    has no running sum or product of bools (only of nothing, or of a 0-d tensor)."""
    if data.dtype == bool and data.ndim and data.size:
        raise NotImplementedError(f"{scan.__name__} is not implemented for bool results, as in PyTorch")
    return scan(data, axis=dim, dtype=data.dtype) if data.ndim else data.copy()


def _own_dtype(op: str, x: Tensor, dtype: Any) -> np.dtype:
    """The dtype of an in-place scan: ``x``'s own, which a ``dtype`` given must be, as in PyTorch."""
    if dtype is not None and as_dtype(dtype) != x.dtype:
        raise RuntimeError(
            f"{op}: Bad in-place call: input tensor dtype {x.dtype} and output dtype {dtype} should match"
        )
    return x.dtype


def _cumprod_vjp(x: Tensor, out: Tensor, g: Tensor, dim: int) -> Tensor:
    """sum_{j >= i} g_j dy_j / dx_i for y = cumprod(x), with dy_j / dx_i = prod_{k <= j, k != i} x_k: exact
    with zeros, and to any order when recorded (``create_graph``), as PyTorch's.

    Without zeros that is y_j / x_i. A lane's first zero z splits it: before z the same; from z on every
    product holds x_z, so there it is x_z (1 at z itself) times the same sum for x with x_z set to 1.
    Past z that is 0, a constant unless a higher derivative is wanted: then the next zero is handled the same way.
    """
    zeros = x.data == 0
    if not zeros.any():
        return _reverse_cumsum(g * out, dim) / x
    zeros_so_far = np.cumsum(zeros, axis=dim)
    before, first_zero = zeros_so_far == 0, zeros & (zeros_so_far == 1)
    if grad_mode.is_grad_enabled():
        before_zero = _reverse_cumsum(g * out, dim) / x.where(before, 1.0)
        skipping_zero = x.where(~first_zero, 1.0)
        zero = (x * first_zero).sum(dim, keepdim=True)  # x_z of each lane
        past_zero = (zeros_so_far > 0) & ~first_zero
        from_zero = _cumprod_vjp(skipping_zero, skipping_zero.cumprod(dim), g, dim) * zero.where(past_zero, 1.0)
        return before_zero.where(before, from_zero)
    # first order only, as PyTorch sums it: the terms whose product holds a zero are left out, not added
    # as 0 * g (NaN for an infinite g); at z, the products before z times those from z to the next zero
    before_zero = _reverse_cumsum((g * out).where(before, 0.0), dim) / x.where(before, 1.0)
    segment = zeros_so_far == 1
    from_z = _reverse_cumsum(g.where(segment, 0.0) * x.where(segment & ~first_zero, 1.0).cumprod(dim), dim)
    at_zero = (from_z * x.where(before, 1.0).cumprod(dim)).where(first_zero, 0.0)
    return before_zero.where(before, at_zero)


def _reverse_cumsum(g: Tensor, dim: int) -> Tensor:
    """z_i = g_i + ... + g_last along ``dim``: the adjoint of ``cumsum``."""
    return g.flip(dim).cumsum(dim).flip(dim)
