"""Tensor operators: ``+ - * / ** @``, unary ``-``, comparisons and logical ops, with numpy's
broadcasting and PyTorch's type promotion. Each op's forward, then its backward rule
``rule(out, g) -> one gradient per input``; ``sum_to`` sums a gradient back over broadcast dims.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.dtypes import _DEFAULT_FOR_RANK, _KIND_RANK, infer_array, result_type
from autograd.graph import Rule, rule_for
from autograd.shapes import broadcast_shape
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import ArrayLike, Tensor


class Arithmetic:
    """Operators of ``Tensor`` (a mixin)."""

    def __add__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return record(_elementwise("+", np.add, a, b), (a, b), Arithmetic._add_backward)

    @staticmethod
    @rule_for("+")
    def _add_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d(a+b) = da + db
        a, b = out._inputs
        return sum_to(g, a.shape), sum_to(g, b.shape)

    def __sub__(self, other: ArrayLike) -> Tensor:
        _refuse_bool_subtraction(self, other)
        a, b = _operands(self, other)
        return record(_elementwise("-", np.subtract, a, b), (a, b), Arithmetic._sub_backward)

    @staticmethod
    @rule_for("-")
    def _sub_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d(a-b) = da - db
        a, b = out._inputs
        return sum_to(g, a.shape), sum_to(-g, b.shape)

    def __mul__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return record(_elementwise("*", np.multiply, a, b), (a, b), Arithmetic._mul_backward)

    @staticmethod
    @rule_for("*", saves={0: (1,), 1: (0,)})
    def _mul_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:  # d(ab) = b da + a db
        a, b = out._inputs
        return (
            sum_to(g * b, a.shape) if a.requires_grad else None,
            sum_to(g * a, b.shape) if b.requires_grad else None,
        )

    def __truediv__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        if a.dtype.kind != "f":  # integer / integer is float32, as in PyTorch (before a number is cast to an int)
            a, b = _operands(self.float(), other)
        with np.errstate(divide="ignore", invalid="ignore"):
            return record(_elementwise("/", np.divide, a, b), (a, b), Arithmetic._div_backward)

    @staticmethod
    @rule_for("/", saves={0: (1,), 1: (0, 1)})
    def _div_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:  # d(a/b) = da/b - (a/b) db/b
        a, b = out._inputs
        return (
            sum_to(g / b, a.shape) if a.requires_grad else None,
            sum_to(-g * ((a / b) / b), b.shape) if b.requires_grad else None,
        )

    def __pow__(self, exponent: ArrayLike) -> Tensor:
        a, b = _operands(self, exponent)
        number = not isinstance(exponent, (Arithmetic, np.ndarray, list, tuple))
        rule = Arithmetic._pow_number_backward if number else Arithmetic._pow_backward
        if a.dtype.kind != "f":
            return record(_elementwise("**", lambda x, n: _integer_power(x, n, exponent), a, b), (a, b), rule)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return record(_elementwise("**", np.power, a, b), (a, b), rule)

    @staticmethod
    @rule_for("**", saves=(0, 1, "out"))
    def _pow_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:
        # d(a^b) = b a^(b-1) da + a^b ln(a) db, with PyTorch's 0 where the formulas give 0 * inf:
        # for b = 0 in the first term, and for a = 0, b >= 0 in the second
        a, b = out._inputs
        ga = sum_to(g * (b * a ** (b - 1)).where(b.data != 0, 0.0), a.shape) if a.requires_grad else None
        gb = sum_to(g * (out * a.log()).where((a.data != 0) | (b.data < 0), 0.0), b.shape) if b.requires_grad else None
        return ga, gb

    @staticmethod
    @rule_for("**", saves=(0,))
    def _pow_number_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, None]:  # d(a^n) = n a^(n-1) da
        return Arithmetic._pow_backward(out, g)[0], None  # a number exponent: the output is not read, as in PyTorch

    def __matmul__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other) if not isinstance(other, Arithmetic) else (self, other)
        _check_matmul(a.shape, b.shape)
        batched = a.ndim >= 2 and b.ndim >= 3  # PyTorch's batched kernel looks at a's dtype before comparing
        if a.dtype.kind == "b" and (batched or b.dtype.kind == "b"):
            raise NotImplementedError("matmul (@) is not implemented for bool tensors, as in PyTorch")
        if a.dtype != b.dtype:  # PyTorch's matmul does not promote
            raise RuntimeError(f"matmul (@) needs operands of one dtype, got {a.dtype} and {b.dtype}: use .to()")
        return record(a.data @ b.data, (a, b), Arithmetic._matmul_backward)

    @staticmethod
    @rule_for("@", saves={0: (1,), 1: (0,)})
    def _matmul_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:  # d(AB) = dA B + A dB
        a, b = out._inputs  # a vector is a row on the left and a column on the right, as in numpy
        a2 = a.unsqueeze(0) if a.ndim == 1 else a
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b
        g2 = g.reshape(np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1]))
        ga = sum_to(g2 @ b2.mT, a2.shape).reshape(a.shape) if a.requires_grad else None
        gb = sum_to(a2.mT @ g2, b2.shape).reshape(b.shape) if b.requires_grad else None
        return ga, gb

    def __neg__(self) -> Tensor:
        if self.dtype.kind == "b":
            raise RuntimeError(
                "negation, the `-` operator, on a bool tensor is not supported: use `~` or logical_not()"
            )
        return record(-self.data, (self,), Arithmetic._neg_backward)

    @staticmethod
    @rule_for("neg")
    def _neg_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d(-a) = -da
        return (-g,)

    def __radd__(self, other: ArrayLike) -> Tensor:
        return _operands(self, other)[1] + self

    def __rsub__(self, other: ArrayLike) -> Tensor:
        _refuse_bool_subtraction(other, self)
        return _operands(self, other)[1] - self

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return _operands(self, other)[1] * self

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        x = self if self.dtype.kind == "f" else self.float()  # floats before a number is cast to an int
        return _operands(x, other)[1] / x

    def __rpow__(self, other: ArrayLike) -> Tensor:
        return _operands(self, other)[1] ** self

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _operands(self, other)[1] @ self

    def matmul(self, other: ArrayLike) -> Tensor:
        return self @ other

    # -- PyTorch's names for the operators, and their in-place forms (``x.add_(y)`` edits x) ----
    def add(self, other: ArrayLike, alpha: float = 1) -> Tensor:
        """self + alpha * other"""
        return self + _times_alpha("add", self, other, alpha)

    def sub(self, other: ArrayLike, alpha: float = 1) -> Tensor:
        """self - alpha * other"""
        return self - _times_alpha("sub", self, other, alpha)

    def mul(self, other: ArrayLike) -> Tensor:
        return self * other

    def div(self, other: ArrayLike, rounding_mode: str | None = None) -> Tensor:
        """self / other; with ``rounding_mode`` "trunc" or "floor" the quotient rounded toward zero or down,
        in the inputs' dtype (integer division stays integer) and with zero gradient, as in PyTorch."""
        if rounding_mode is None:
            return self / other
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(
                f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found {rounding_mode!r}"
            )
        a, b = _operands(self, other)
        if a.dtype.kind != "f" and not b.data.all():
            raise RuntimeError(f"ZeroDivisionError: integer div with rounding_mode={rounding_mode!r} by zero")
        with np.errstate(divide="ignore", invalid="ignore"):
            quotient = _elementwise("div", _ROUNDED_QUOTIENT[rounding_mode], a, b)
        return record(quotient, (a, b), zero_gradient("div"))

    def pow(self, exponent: ArrayLike) -> Tensor:
        return self**exponent

    def neg(self) -> Tensor:
        return -self

    negative = neg

    def square(self) -> Tensor:
        """self * self (a bool tensor squares to int64, as in PyTorch)."""
        x = self.long() if self.dtype.kind == "b" else self
        return x * x

    def add_(self, other: ArrayLike, alpha: float = 1) -> Tensor:
        return self._ufunc_in_place(np.add, _times_alpha("add_", self, other, alpha), Arithmetic.__add__)

    def sub_(self, other: ArrayLike, alpha: float = 1) -> Tensor:
        return self._ufunc_in_place(np.subtract, _times_alpha("sub_", self, other, alpha), Arithmetic.__sub__)

    def mul_(self, other: ArrayLike) -> Tensor:
        return self._ufunc_in_place(np.multiply, other, Arithmetic.__mul__)

    def div_(self, other: ArrayLike, rounding_mode: str | None = None) -> Tensor:
        if rounding_mode is not None:
            return self._in_place_result(lambda t: t.div(other, rounding_mode), (other,))
        return self._ufunc_in_place(np.divide, other, Arithmetic.__truediv__)

    # ``x += y`` edits x in place (bumping its version), as in PyTorch, rather than binding x to a new tensor
    def __iadd__(self, other: ArrayLike) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: ArrayLike) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: ArrayLike) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: ArrayLike) -> Tensor:
        return self.div_(other)

    def _ufunc_in_place(self, ufunc: Callable[..., np.ndarray], other: ArrayLike, op: Callable[..., Tensor]) -> Tensor:
        """``self = op(self, other)`` in place, as numpy's ``ufunc(self, other, out=self)`` when not recorded."""
        values = other.data if isinstance(other, Arithmetic) else other

        def apply(data: np.ndarray) -> None:
            try:
                ufunc(data, values, out=data, casting="same_kind")
            except TypeError:
                raise RuntimeError(
                    f"{ufunc.__name__}_: the result type can't be cast to the desired output type {data.dtype}"
                ) from None
            except ValueError:
                raise RuntimeError(
                    f"{ufunc.__name__}_: an operand of shape {np.shape(values)} does not broadcast to the "
                    f"edited tensor's shape {data.shape}"
                ) from None

        return self._in_place(apply, lambda t: op(t, other), (other,))

    # -- comparisons and logic: boolean tensors, never differentiable --------------
    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return _compare("==", np.equal, self, other)

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return _compare("!=", np.not_equal, self, other)

    def __lt__(self, other: ArrayLike) -> Tensor:
        return _compare("<", np.less, self, other)

    def __le__(self, other: ArrayLike) -> Tensor:
        return _compare("<=", np.less_equal, self, other)

    def __gt__(self, other: ArrayLike) -> Tensor:
        return _compare(">", np.greater, self, other)

    def __ge__(self, other: ArrayLike) -> Tensor:
        return _compare(">=", np.greater_equal, self, other)

    def __and__(self, other: ArrayLike) -> Tensor:
        return _logical("&", np.bitwise_and, self, other)

    def __or__(self, other: ArrayLike) -> Tensor:
        return _logical("|", np.bitwise_or, self, other)

    def __xor__(self, other: ArrayLike) -> Tensor:
        return _logical("^", np.bitwise_xor, self, other)

    def __rand__(self, other: ArrayLike) -> Tensor:
        return _logical("&", np.bitwise_and, self, other)

    def __ror__(self, other: ArrayLike) -> Tensor:
        return _logical("|", np.bitwise_or, self, other)

    def __rxor__(self, other: ArrayLike) -> Tensor:
        return _logical("^", np.bitwise_xor, self, other)

    def __invert__(self) -> Tensor:
        if self.dtype.kind == "f":
            raise TypeError("~ (bitwise not) is only for bool and integer tensors")
        return leaf(~self.data)

    def eq(self, other: ArrayLike) -> Tensor:
        return self == other

    def ne(self, other: ArrayLike) -> Tensor:
        return self != other

    def lt(self, other: ArrayLike) -> Tensor:
        return self < other

    def le(self, other: ArrayLike) -> Tensor:
        return self <= other

    def gt(self, other: ArrayLike) -> Tensor:
        return self > other

    def ge(self, other: ArrayLike) -> Tensor:
        return self >= other

    def logical_not(self) -> Tensor:
        return leaf(np.logical_not(self.data))


@functools.cache
def zero_gradient(symbol: str) -> Rule:
    """The backward rule of a piecewise-constant op (``floor``, ``sign``, ``div`` with rounding...): zero
    gradient for every input, as PyTorch takes at the jumps too. A constant, so not differentiable again."""

    @rule_for(symbol)
    def zero_backward(out: Tensor, g: Tensor) -> tuple[Tensor, ...]:  # d floor(a) = 0
        return tuple(leaf(np.zeros(x.shape, dtype=g.dtype)) for x in out._inputs)

    return zero_backward


def _trunc_divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b rounded toward zero; integers exactly (the float quotient would lose digits of large int64s)."""
    if a.dtype.kind == "f":
        return np.trunc(a / b)
    quotient = np.floor_divide(a, b)
    return quotient + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)))


_ROUNDED_QUOTIENT = {"trunc": _trunc_divide, "floor": np.floor_divide}  # numpy's floor_divide is Python's //


def _times_alpha(op: str, a: Tensor, other: ArrayLike, alpha: float) -> ArrayLike:
    """``alpha * other`` for ``add``/``sub``; a float alpha with integer tensors raises, as in PyTorch."""
    if isinstance(alpha, float) and _operands(a, other)[0].dtype.kind != "f":
        raise RuntimeError(f"{op}: for integral input tensors, argument alpha must not be a floating point number")
    return other if alpha == 1 else _operands(a, other)[1] * alpha


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """input W^T + b in one op, as ``torch.nn.functional.linear``: (..., in) by a weight of shape
    (out, in) and a bias of shape (out,) to (..., out). A layer is one node with one backward rule,
    where a transpose, a matmul and an add would be three, each with its own temporaries."""
    if weight.ndim != 2 or input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise RuntimeError(
            f"linear: an input of shape {input.shape} and a weight of shape {weight.shape} cannot be multiplied "
            f"(the weight must be (out_features, in_features) with in_features = the input's last size)"
        )
    if bias is not None and bias.shape not in ((weight.shape[0],), ()):
        raise RuntimeError(f"linear: a bias of shape {bias.shape} does not fit a weight of shape {weight.shape}")
    tensors = (input, weight) if bias is None else (input, weight, bias)
    if len({t.dtype for t in tensors}) > 1:
        raise RuntimeError(f"linear needs input, weight and bias of one dtype, got {[str(t.dtype) for t in tensors]}")
    data = input.data @ weight.data.T
    if bias is not None:
        data += bias.data
    return record(data, tensors, _linear_backward)


@rule_for("linear", saves={0: (1,), 1: (0,)})
def _linear_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, ...]:  # d(x W^T + b) = dx W^T + x dW^T + db
    x, w = out._inputs[0], out._inputs[1]
    rows = g.reshape(-1, g.shape[-1])  # every leading dim is a batch dim
    gx = g @ w if x.requires_grad else None
    x_rows = x.reshape(-1, x.shape[-1])
    if not w.requires_grad:
        gw = None
    else:  # one row: the outer product as a broadcast product, which numpy runs 3x faster than a matmul over one term
        gw = rows.mT * x_rows if rows.shape[0] == 1 else rows.mT @ x_rows
    gb = sum_to(rows.sum(0), out._inputs[2].shape) if len(out._inputs) == 3 and out._inputs[2].requires_grad else None
    return gx, gw, gb


def sum_to(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum a broadcast gradient back down to ``shape`` (the adjoint of broadcasting)."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    return g.sum(axes, keepdim=True).reshape(shape)


def _operands(a: Tensor, x: Any) -> tuple[Tensor, Tensor]:
    """Both operands of a binary op as Tensors of the result's dtype, by PyTorch's promotion: a
    number never widens a tensor of its kind, a float number makes an integer tensor float32."""
    if not isinstance(x, Arithmetic):  # not a Tensor (every Tensor is an Arithmetic)
        if isinstance(x, (np.ndarray, list, tuple)):
            x = leaf(x if isinstance(x, np.ndarray) else infer_array(x))
        else:
            number = np.asarray(x)
            rank = _KIND_RANK.get(number.dtype.kind)
            if rank is None or number.ndim:
                raise TypeError(f"unsupported operand type for a Tensor op: {type(x).__name__}")
            dtype = (
                a.dtype
                if rank <= _KIND_RANK[a.dtype.kind]
                else result_type(a.dtype, a.ndim, _DEFAULT_FOR_RANK[rank], None)
            )
            return _as(a, dtype), leaf(number.astype(dtype))
    if x.dtype == a.dtype:
        return a, x
    dtype = result_type(a.dtype, a.ndim, x.dtype, x.ndim)
    return _as(a, dtype), _as(x, dtype)


def _as(t: Tensor, dtype: np.dtype) -> Tensor:
    return t if t.dtype == dtype else t._cast(dtype)


def _elementwise(op: str, ufunc: Callable[..., np.ndarray], a: Tensor, b: Tensor) -> np.ndarray:
    """``ufunc(a, b)`` with broadcasting; a shape mismatch raises naming the op and both shapes."""
    try:
        return ufunc(a.data, b.data)
    except ValueError:
        broadcast_shape(op, a.shape, b.shape)
        raise


def _compare(op: str, ufunc: Callable[..., np.ndarray], a: Tensor, x: Any) -> Tensor:
    if x is None:
        return leaf(np.asarray(op == "!="))
    a, b = _operands(a, x)
    return leaf(_elementwise(op, ufunc, a, b))


def _logical(op: str, ufunc: Callable[..., np.ndarray], a: Tensor, x: Any) -> Tensor:
    a, b = _operands(a, x)
    if a.dtype.kind == "f":
        raise RuntimeError(f"{op} (bitwise) is only for bool and integer tensors, not {a.dtype}")
    return leaf(_elementwise(op, ufunc, a, b))


def _refuse_bool_subtraction(a: Any, b: Any) -> None:
    """PyTorch has no ``a - b`` with a bool tensor (or a Python bool) on either side."""
    if any(np.asarray(x.data if isinstance(x, Arithmetic) else x).dtype.kind == "b" for x in (a, b)):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported: use `^` or logical_xor() "
            "for bools, or convert with .int() first"
        )


def _integer_power(a: np.ndarray, b: np.ndarray, exponent: Any) -> np.ndarray:
    """``a ** b`` for integers (or bools) of one dtype, as PyTorch computes it: a negative entry of an exponent
    tensor gives 1 / a^|b| truncated (0 unless a is 1 or -1); a negative number as the exponent is refused,
    and of bools only ``bools ** True`` and ``bools ** False`` are allowed."""
    if isinstance(exponent, (int, np.integer)) and exponent < 0:
        raise RuntimeError(f"Integers to negative integer powers are not allowed (** {exponent}): use a float tensor")
    if a.dtype.kind == "b":
        if not isinstance(exponent, (bool, np.bool_)):
            raise NotImplementedError('"pow" is not implemented for bool tensors, as in PyTorch: call .int() first')
        return a | ~b  # x ** True is x, x ** False is True
    with np.errstate(over="ignore"):
        powers = np.power(a, np.where(b < 0, 0, b))
    reciprocals = np.where(np.abs(a) == 1, np.where(b % 2 == 0, 1, a), 0)  # 1 / a^|b| for b < 0, truncated
    return np.where(b < 0, reciprocals, powers).astype(a.dtype)


def _check_matmul(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    if not a or not b:
        raise RuntimeError(f"matmul (@) needs tensors of at least 1 dimension, got shapes {a} and {b}")
    inner_b = b[0] if len(b) == 1 else b[-2]
    if a[-1] != inner_b:
        raise RuntimeError(f"matmul (@): shapes {a} and {b} cannot be multiplied ({a[-1]} != {inner_b})")
    if len(a) > 2 and len(b) > 2:
        broadcast_shape("matmul (@) batch dimensions", a[:-2], b[:-2])
