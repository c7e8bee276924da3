"""Elementwise functions of a Tensor: ``exp log sqrt abs tanh sigmoid softplus relu clamp``,
``maximum minimum``, and ``where masked_fill``. Each op's forward, then its backward rule with the
derivative in a comment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.arithmetic import Arithmetic, _elementwise, _operands, sum_to
from autograd.dtypes import infer_array
from autograd.graph import rule_for
from autograd.tensor import leaf, record
from autograd.value import Value

if TYPE_CHECKING:
    from autograd.tensor import ArrayLike, Tensor


class Elementwise:
    """Elementwise functions of ``Tensor`` (a mixin)."""

    def exp(self) -> Tensor:
        with np.errstate(over="ignore"):
            return record(np.exp(_floats(self).data), (self,), Elementwise._exp_backward)

    @staticmethod
    @rule_for("exp", saves=("out",))
    def _exp_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d e^a = e^a da
        return (g * out,)

    def log(self) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return record(np.log(_floats(self).data), (self,), Elementwise._log_backward)

    @staticmethod
    @rule_for("log", saves=(0,))
    def _log_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d ln a = da / a
        return (g / out._inputs[0],)

    def sqrt(self) -> Tensor:
        with np.errstate(invalid="ignore"):
            return record(np.sqrt(_floats(self).data), (self,), Elementwise._sqrt_backward)

    @staticmethod
    @rule_for("sqrt", saves=("out",))
    def _sqrt_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d sqrt(a) = da / (2 sqrt(a))
        return (g / (2 * out),)

    def abs(self) -> Tensor:
        _refuse_bools("abs", self, NotImplementedError)
        return record(np.abs(self.data), (self,), Elementwise._abs_backward)

    @staticmethod
    @rule_for("abs", saves=(0,))
    def _abs_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d|a| = sign(a) da
        a = out._inputs[0].data
        return (g * np.where(np.isnan(a), 0, np.sign(a)),)  # PyTorch's sign of NaN is 0

    def tanh(self) -> Tensor:
        return record(np.tanh(_floats(self).data), (self,), Elementwise._tanh_backward)

    @staticmethod
    @rule_for("tanh", saves=("out",))
    def _tanh_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d tanh(a) = (1 - tanh^2 a) da
        return (g * (1 - out * out),)

    def sigmoid(self) -> Tensor:
        x = _floats(self).data
        e = np.exp(-np.abs(x))  # 1 / (1 + e^-x) with e^t only ever taken of t <= 0, so nothing overflows
        return record(np.where(x >= 0, 1 / (1 + e), e / (1 + e)), (self,), Elementwise._sigmoid_backward)

    @staticmethod
    @rule_for("sigmoid", saves=("out",))
    def _sigmoid_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d s(a) = s(a)(1 - s(a)) da
        return (g * out * (1 - out),)

    def softplus(self) -> Tensor:
        """log(1 + e^x), as max(x, 0) + log(1 + e^-|x|) so nothing overflows."""
        return record(np.logaddexp(0, _floating("softplus", self).data), (self,), Elementwise._softplus_backward)

    @staticmethod
    @rule_for("softplus", saves=(0,))
    def _softplus_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d log(1 + e^a) = sigmoid(a) da
        return (g * out._inputs[0].sigmoid(),)

    def relu(self) -> Tensor:
        _refuse_bools("relu", self, RuntimeError)
        return record(_limited(self.data, 0, None), (self,), Elementwise._relu_backward)

    @staticmethod
    @rule_for("relu", saves=("out",))
    def _relu_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d relu(a) = [a > 0] da (and da for a NaN)
        return (g.where(~(out.data <= 0), 0.0),)  # where, not g * mask: an infinite g stays 0 off the mask

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:
        """Each element limited to [min, max] (either may be None)."""
        if min is None and max is None:
            raise ValueError("clamp needs at least one of min and max")
        a = self
        for bound in (min, max):  # float bounds make an integer tensor's result float, as in PyTorch
            a = a if bound is None else _operands(a, bound)[0]
        return record(_limited(a.data, min, max), (a,), Elementwise._clamp_backward, (min, max))

    @staticmethod
    @rule_for("clamp", saves=(0,))
    def _clamp_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d clamp(a) = [min <= a <= max] da
        a, (low, high) = out._inputs[0].data, out._ctx
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        return (g.where(inside, 0.0),)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        return self.clamp(min, max)

    def maximum(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return record(_elementwise("maximum", _first_on_ties(np.maximum), a, b), (a, b), Elementwise._maximum_backward)

    @staticmethod
    @rule_for("maximum", saves=(0, 1))
    def _maximum_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # to the larger input; ties split
        return _to_picked(out, g, np.greater)

    def minimum(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return record(_elementwise("minimum", _first_on_ties(np.minimum), a, b), (a, b), Elementwise._minimum_backward)

    @staticmethod
    @rule_for("minimum", saves=(0, 1))
    def _minimum_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # to the smaller input; ties split
        return _to_picked(out, g, np.less)

    def where(self, condition: ArrayLike, other: ArrayLike) -> Tensor:
        """``self`` where ``condition`` holds, else ``other`` (all three broadcast together)."""
        saved = (("condition", condition),) if isinstance(condition, Arithmetic) and condition.dtype == bool else ()
        mask = condition.data if saved else np.array(getattr(condition, "data", condition), dtype=bool)
        a, b = _operands(self, other)
        try:
            if b.ndim == 0 and not b.data and a.dtype.kind == "f" and np.isfinite(a.data).all():
                data = a.data * mask  # the same, several times faster than np.where for the usual where(mask, g, 0)
            else:
                data = np.where(mask, a.data, b.data)
        except ValueError:
            raise RuntimeError(
                f"where: condition {mask.shape}, input {a.shape} and other {b.shape} do not broadcast"
            ) from None
        return record(data, (a, b), Elementwise._where_backward, mask, saved=saved)

    @staticmethod
    @rule_for("where", saves=("condition",))
    def _where_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d where(c, a, b) = c da + !c db
        a, b = out._inputs
        mask, zero = out._ctx, np.zeros((), dtype=g.dtype)
        return sum_to(g.where(mask, zero), a.shape), sum_to(leaf(zero).where(mask, g), b.shape)

    def masked_fill(self, mask: ArrayLike, value: ArrayLike) -> Tensor:
        """``value`` (a number or 0-d tensor, cast to this dtype) where the bool ``mask`` is True, else this
        tensor's element; mask and tensor broadcast together. A mask Tensor is saved, as ``where``'s condition."""
        mask = mask if isinstance(mask, Arithmetic) else np.asarray(mask)
        if mask.dtype != bool:
            raise RuntimeError(f"masked_fill only supports boolean masks, but got mask with dtype {mask.dtype}")
        if isinstance(value, Arithmetic):
            if value.ndim:
                raise RuntimeError(
                    f"masked_fill only supports a 0-dimensional value tensor, but got tensor with {value.ndim} "
                    f"dimension(s)"
                )
            fill = value.to(self.dtype)
        else:
            fill = leaf(np.asarray(value).astype(self.dtype))
        return fill.where(mask, self)


def _to_picked(out: Tensor, g: Tensor, wins: Any) -> tuple[Tensor, Tensor]:
    """The gradients of maximum (``wins`` = np.greater) or minimum (np.less), as PyTorch's: all of g
    to the input picked, half to each where they tie, all of it to both where one is NaN."""
    a, b = out._inputs
    tie, zero = a.data == b.data, np.zeros((), dtype=g.dtype)
    g_or_half = g.where(~tie, g / 2)
    return (
        sum_to(g_or_half.where(~wins(b.data, a.data), zero), a.shape),
        sum_to(g_or_half.where(~wins(a.data, b.data), zero), b.shape),
    )


def where(condition: ArrayLike, input: ArrayLike, other: ArrayLike) -> Any:
    """``input`` where ``condition`` holds, else ``other`` (``torch.where``). A plain bool condition,
    as a Value comparison gives, picks one of the two whole, so it serves the scalar engine too: a
    number picked beside a Value becomes a constant Value (``where(x < 0, 0.0, x)`` is a Value)."""
    if isinstance(condition, (bool, np.bool_)) and not isinstance(input, Arithmetic | np.ndarray):
        chosen = input if condition else other
        if isinstance(input, Value) or isinstance(other, Value):
            return chosen if isinstance(chosen, Value) else Value(chosen)
        return chosen
    if not isinstance(input, Arithmetic):
        if isinstance(other, Arithmetic):
            return _operands(other, input)[1].where(condition, other)
        input = leaf(infer_array(input))
    return input.where(condition, other)


def _refuse_bools(op: str, t: Tensor, error: type[Exception]) -> None:
    """Raise ``error`` for a bool tensor, as PyTorch does (NotImplementedError for abs, RuntimeError for relu)."""
    if t.dtype.kind == "b":
        raise error(f"{op} is not implemented for bool tensors, as in PyTorch: call .int() first")


def _first_on_ties(ufunc: Any) -> Any:
    """np.maximum or np.minimum giving its first argument on a tie, as PyTorch does (numpy gives the
    second): the sign of a zero then survives, and 1 / maximum(-0.0, 0.0) is -inf in both."""
    return lambda a, b: ufunc(b, a)


def _limited(x: np.ndarray, low: Any, high: Any) -> np.ndarray:
    """``x`` limited to [low, high] (None: no limit), keeping x on a tie (relu(-0.0) is -0.0) and
    NaN as NaN, as PyTorch does; with low > high everything is high."""
    if low is not None:
        x = np.maximum(low, x)
    return x if high is None else np.minimum(high, x)


def _floating(op: str, t: Tensor) -> Tensor:
    """``t``, for an op that PyTorch computes on floating point tensors only (softmax, softplus...)."""
    if t.dtype.kind != "f":
        raise NotImplementedError(f"{op} is not implemented for {t.dtype} tensors, as in PyTorch: use .float() first")
    return t


def _floats(t: Tensor) -> Tensor:
    """``t`` itself if floating point, else as float32: exp, log and the like of integers are floats."""
    return t if t.dtype.kind == "f" else t.float()
