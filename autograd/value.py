"""The scalar engine: a ``Value`` holds one float, records the op that made it, and
backpropagates through the graph of Values it depends on.

Each op's forward (a method) stands beside its backward rule (a static method shared by all
its nodes, not a per-node closure): ``rule(out, g)`` returns the gradient of each input given
``g`` = d root / d out, the derivative in one comment. A node keeps its inputs in two slots,
so it is one small object for the garbage collector to track, which is what makes a scalar
engine fast in CPython. Numerics follow PyTorch: overflow gives inf, ``log(0)`` gives -inf, a
negative base to a fractional power gives nan; nothing raises.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from operator import attrgetter
from typing import Union

from autograd import anomaly, capture
from autograd.graph import Node, backpropagate, rule_for

Number = Union[int, float]
Operand = Union["Value", Number]


class Value(Node):
    """A scalar in a computation graph: ``data``, ``grad`` (d root / d self), ``label``."""

    __slots__ = ("data", "grad", "label", "_a", "_b", "_rule", "_pending_grad", "_origin")
    _inputs_of = attrgetter("_a", "_b")
    requires_grad = True  # every Value takes part in backward, as in micrograd

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._a: Value | None = None
        self._b: Value | None = None
        self._rule = None
        self._pending_grad = None

    # -- graph -----------------------------------------------------------------
    def backward(self) -> None:
        """Set d self / d self = 1 and accumulate d self / d node into every node's grad.

        Intermediate grads are recomputed on each call; leaf grads accumulate
        across calls (``+=``), as in PyTorch. The graph stays, so it can be run again.
        """
        backpropagate((self,), (1.0,), retain_graph=True)

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.grad = 0.0  # a Value's grad is always a number

    def _store_grad(self, g: float) -> None:  # leaves accumulate; an intermediate holds this pass's gradient
        self.grad = self.grad + g if self._rule is None else g

    def item(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # -- comparisons: plain bools on the data, for ``autograd.where(x > 0, ...)`` ---
    def __lt__(self, other: Operand) -> bool:
        return self.data < _data(other)

    def __le__(self, other: Operand) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Operand) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _data(other)

    # -- arithmetic: each op, then its backward rule (out._a and out._b are the op's
    # inputs, g is d root / d out; the rule returns d root / d input for each input)
    def __add__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(self.data + other.data, self, other, Value._add_backward)

    @staticmethod
    @rule_for("+")
    def _add_backward(out: Value, g: float) -> tuple[float, float]:  # d(a+b) = da + db
        return g, g

    def __sub__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(self.data - other.data, self, other, Value._sub_backward)

    @staticmethod
    @rule_for("-")
    def _sub_backward(out: Value, g: float) -> tuple[float, float]:  # d(a-b) = da - db
        return g, -g

    def __mul__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(self.data * other.data, self, other, Value._mul_backward)

    @staticmethod
    @rule_for("*")
    def _mul_backward(out: Value, g: float) -> tuple[float, float]:  # d(a*b) = b da + a db
        return out._b.data * g, out._a.data * g

    def __truediv__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(_divide(self.data, other.data), self, other, Value._div_backward)

    @staticmethod
    @rule_for("/")
    def _div_backward(out: Value, g: float) -> tuple[float, float]:  # d(a/b) = da / b - (a/b) db / b
        b = out._b.data
        return _divide(g, b), -_divide(g * out.data, b)

    def __pow__(self, exponent: Number) -> Value:
        if not isinstance(exponent, (int, float)):
            raise TypeError(f"Value ** takes a number exponent, not {type(exponent).__name__}")
        return _result(_power(self.data, exponent), self, Value(exponent), Value._pow_backward)

    @staticmethod
    @rule_for("**")
    def _pow_backward(out: Value, g: float) -> tuple[float, None]:  # d(a**n) = n a**(n-1) da; n is a constant
        n = out._b.data
        if n == 0.0:  # a**0 is constant: its slope is 0 even at a = 0, where n a**(n-1) would be 0 * inf
            return 0.0, None
        return n * _power(out._a.data, n - 1.0) * g, None

    def __neg__(self) -> Value:
        return _result(-self.data, self, None, Value._neg_backward)

    @staticmethod
    @rule_for("neg")
    def _neg_backward(out: Value, g: float) -> tuple[float]:  # d(-a) = -da
        return (-g,)

    def __radd__(self, other: Number) -> Value:
        return _as_value(other) + self

    def __rsub__(self, other: Number) -> Value:
        return _as_value(other) - self

    def __rmul__(self, other: Number) -> Value:
        return _as_value(other) * self

    def __rtruediv__(self, other: Number) -> Value:
        return _as_value(other) / self

    # -- elementwise functions -------------------------------------------------
    def exp(self) -> Value:
        return _result(_exp(self.data), self, None, Value._exp_backward)

    @staticmethod
    @rule_for("exp")
    def _exp_backward(out: Value, g: float) -> tuple[float]:  # d exp(a) = exp(a) da
        return (out.data * g,)

    def log(self) -> Value:
        return _result(_log(self.data), self, None, Value._log_backward)

    @staticmethod
    @rule_for("log")
    def _log_backward(out: Value, g: float) -> tuple[float]:  # d log(a) = da / a
        return (_divide(g, out._a.data),)

    def tanh(self) -> Value:
        return _result(math.tanh(self.data), self, None, Value._tanh_backward)

    @staticmethod
    @rule_for("tanh")
    def _tanh_backward(out: Value, g: float) -> tuple[float]:  # d tanh(a) = (1 - tanh(a)^2) da
        return ((1.0 - out.data * out.data) * g,)

    def sigmoid(self) -> Value:
        return _result(_sigmoid(self.data), self, None, Value._sigmoid_backward)

    @staticmethod
    @rule_for("sigmoid")
    def _sigmoid_backward(out: Value, g: float) -> tuple[float]:  # d s(a) = s(a) (1 - s(a)) da
        return (out.data * (1.0 - out.data) * g,)

    def relu(self) -> Value:
        return _result(0.0 if self.data < 0.0 else self.data, self, None, Value._relu_backward)  # NaN, -0.0 stay

    @staticmethod
    @rule_for("relu")
    def _relu_backward(out: Value, g: float) -> tuple[float]:  # d relu(a) = [a > 0] da (and da for a NaN)
        return (0.0 if out.data <= 0.0 else g,)

    def softplus(self) -> Value:
        """log(1 + e^x), as max(x, 0) + log(1 + e^-|x|) so nothing overflows."""
        x = self.data
        return _result(max(x, 0.0) + math.log1p(math.exp(-abs(x))), self, None, Value._softplus_backward)

    @staticmethod
    @rule_for("softplus")
    def _softplus_backward(out: Value, g: float) -> tuple[float]:  # d log(1 + e^a) = sigmoid(a) da
        return (_sigmoid(out._a.data) * g,)

    def clamp(self, min: float | None = None, max: float | None = None) -> Value:
        if min is None and max is None:
            raise ValueError("clamp needs at least one of min and max")
        x = self.data
        low = float(min) if min is not None and x < min else x  # NaN stays NaN, as in PyTorch
        return _result(float(max) if max is not None and low > max else low, self, None, Value._clamp_backward)

    @staticmethod
    @rule_for("clamp")
    def _clamp_backward(out: Value, g: float) -> tuple[float]:  # d clamp(a) = [min <= a <= max] da
        return (g if out.data == out._a.data else 0.0,)

    def expm1(self) -> Value:
        """e^x - 1, exact for x near 0 where e^x would round to 1."""
        return _result(_expm1(self.data), self, None, Value._expm1_backward)

    @staticmethod
    @rule_for("expm1")
    def _expm1_backward(out: Value, g: float) -> tuple[float]:  # d (e^a - 1) = e^a da
        return ((out.data + 1.0) * g,)

    def erf(self) -> Value:
        """The error function, 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt."""
        return _result(math.erf(self.data), self, None, Value._erf_backward)

    @staticmethod
    @rule_for("erf")
    def _erf_backward(out: Value, g: float) -> tuple[float]:  # d erf(a) = 2/sqrt(pi) e^(-a^2) da
        a = out._a.data
        return (2.0 / math.sqrt(math.pi) * math.exp(-a * a) * g,)

    def abs(self) -> Value:
        return _result(abs(self.data), self, None, Value._abs_backward)

    @staticmethod
    @rule_for("abs")
    def _abs_backward(out: Value, g: float) -> tuple[float]:  # d|a| = sign(a) da
        a = out._a.data
        return (((a > 0.0) - (a < 0.0)) * g,)


def logsumexp(values: Iterable[Value]) -> Value:
    """log sum_i e^x_i, with the largest x (a constant) subtracted first so nothing overflows."""
    values = list(values)
    m = max(v.data for v in values)
    if math.isinf(m):
        m = 0.0
    total = sum(((v - m).exp() for v in values[1:]), (values[0] - m).exp())
    return total.log() + m


# -- helpers ---------------------------------------------------------------
_new = object.__new__


def _result(data: float, a: Value, b: Value | None, rule: object) -> Value:
    """A non-leaf Value made by ``rule``'s op from inputs ``a`` (and ``b``)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._a = a
    out._b = b
    out._rule = rule
    out._pending_grad = None
    if anomaly._depth:
        anomaly.check_forward(out, rule.symbol, (a, b))  # type: ignore[attr-defined]
    if capture._active is not None:
        capture._active.made(out)
    return out


def _as_value(x: Operand) -> Value:
    if isinstance(x, Value):
        return x
    if isinstance(x, (int, float)):
        return Value(x)
    raise TypeError(f"a Value combines with Values and numbers, not {type(x).__name__}")


def _data(x: Operand) -> float:
    return x.data if isinstance(x, Value) else x


def _divide(x: float, y: float) -> float:
    """x / y with IEEE results instead of ZeroDivisionError: +-inf, or nan for 0/0."""
    if y != 0.0:
        return x / y
    if x == 0.0 or x != x:
        return math.nan
    return math.copysign(math.inf, x) * math.copysign(1.0, y)


def _power(x: float, n: float) -> float:
    """x ** n as PyTorch computes it: nan for a negative base to a fractional power, inf on overflow."""
    if x < 0.0 and not float(n).is_integer():
        return math.nan
    try:
        return float(x**n)
    except (ZeroDivisionError, OverflowError):  # 0 ** negative, or too large
        return math.copysign(math.inf, x) if _is_odd(n) else math.inf


def _is_odd(n: float) -> bool:
    return float(n).is_integer() and n % 2 == 1


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _expm1(x: float) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


def _sigmoid(x: float) -> float:
    """1 / (1 + e^-x), written so that e^t never overflows: t <= 0 in both branches."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
