"""The scalar engine: a ``Value`` holds one float, records the op that made it,
and backpropagates through the graph of Values it depends on.

Each op's forward (a method) stands beside its backward rule (a static method
shared by all its nodes, not a per-node closure), with the derivative in one comment. A node
keeps its inputs in two slots, so it is one small object for the garbage
collector to track, which is what makes a scalar engine fast in CPython.
Numerics follow PyTorch: overflow gives inf, ``log(0)`` gives -inf, a
negative base to a fractional power gives nan; nothing raises.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from operator import attrgetter
from typing import Union

from autograd.graph import rule_for, topological_order

Number = Union[int, float]
Operand = Union["Value", Number]
Rule = Callable[["Value"], None]

_inputs_of = attrgetter("_a", "_b")


class Value:
    """A scalar in a computation graph: ``data``, ``grad`` (d root / d self), ``label``."""

    __slots__ = ("data", "grad", "label", "_a", "_b", "_rule")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._a: Value | None = None
        self._b: Value | None = None
        self._rule: Rule | None = None

    # -- graph -----------------------------------------------------------------
    @property
    def op(self) -> str:
        """The symbol of the op that made this Value ("" for a leaf)."""
        return self._rule.symbol if self._rule is not None else ""  # type: ignore[attr-defined]

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The Values this one was computed from (empty for a leaf)."""
        return tuple(v for v in (self._a, self._b) if v is not None)

    def backward(self) -> None:
        """Set d self / d self = 1 and accumulate d self / d node into every node's grad.

        Intermediate grads are recomputed on each call; leaf grads accumulate
        across calls (``+=``), as in PyTorch.
        """
        order = topological_order((self,), _inputs_of)
        for node in order:
            if node._rule is not None:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):
            if node._rule is not None:
                node._rule(node)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # -- arithmetic: each op, then its backward rule (out._a and out._b are the op's
    # inputs, out.grad is d root / d out; the rule adds each input's share to its grad)
    def __add__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(self.data + other.data, self, other, Value._add_backward)

    @staticmethod
    @rule_for("+")
    def _add_backward(out: Value) -> None:  # d(a+b) = da + db
        out._a.grad += out.grad
        out._b.grad += out.grad

    def __sub__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(self.data - other.data, self, other, Value._sub_backward)

    @staticmethod
    @rule_for("-")
    def _sub_backward(out: Value) -> None:  # d(a-b) = da - db
        out._a.grad += out.grad
        out._b.grad -= out.grad

    def __mul__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(self.data * other.data, self, other, Value._mul_backward)

    @staticmethod
    @rule_for("*")
    def _mul_backward(out: Value) -> None:  # d(a*b) = b da + a db
        a, b = out._a, out._b
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    def __truediv__(self, other: Operand) -> Value:
        other = _as_value(other)
        return _result(_divide(self.data, other.data), self, other, Value._div_backward)

    @staticmethod
    @rule_for("/")
    def _div_backward(out: Value) -> None:  # d(a/b) = da / b - (a/b) db / b
        a, b = out._a, out._b
        a.grad += _divide(out.grad, b.data)
        b.grad -= _divide(out.grad * out.data, b.data)

    def __pow__(self, exponent: Number) -> Value:
        if not isinstance(exponent, (int, float)):
            raise TypeError(f"Value ** takes a number exponent, not {type(exponent).__name__}")
        return _result(_power(self.data, exponent), self, Value(exponent), Value._pow_backward)

    @staticmethod
    @rule_for("**")
    def _pow_backward(out: Value) -> None:  # d(a**n) = n a**(n-1) da; n is a constant
        a, n = out._a, out._b.data
        if n != 0.0:  # a**0 is constant: its slope is 0 even at a = 0, where n a**(n-1) would be 0 * inf
            a.grad += n * _power(a.data, n - 1.0) * out.grad

    def __neg__(self) -> Value:
        return _result(-self.data, self, None, Value._neg_backward)

    @staticmethod
    @rule_for("neg")
    def _neg_backward(out: Value) -> None:  # d(-a) = -da
        out._a.grad -= out.grad

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
    def _exp_backward(out: Value) -> None:  # d exp(a) = exp(a) da
        out._a.grad += out.data * out.grad

    def log(self) -> Value:
        return _result(_log(self.data), self, None, Value._log_backward)

    @staticmethod
    @rule_for("log")
    def _log_backward(out: Value) -> None:  # d log(a) = da / a
        out._a.grad += _divide(out.grad, out._a.data)

    def tanh(self) -> Value:
        return _result(math.tanh(self.data), self, None, Value._tanh_backward)

    @staticmethod
    @rule_for("tanh")
    def _tanh_backward(out: Value) -> None:  # d tanh(a) = (1 - tanh(a)^2) da
        out._a.grad += (1.0 - out.data * out.data) * out.grad

    def sigmoid(self) -> Value:
        return _result(_sigmoid(self.data), self, None, Value._sigmoid_backward)

    @staticmethod
    @rule_for("sigmoid")
    def _sigmoid_backward(out: Value) -> None:  # d s(a) = s(a) (1 - s(a)) da
        out._a.grad += out.data * (1.0 - out.data) * out.grad

    def relu(self) -> Value:
        return _result(self.data if self.data > 0.0 else 0.0, self, None, Value._relu_backward)

    @staticmethod
    @rule_for("relu")
    def _relu_backward(out: Value) -> None:  # d relu(a) = [a > 0] da
        if out.data > 0.0:
            out._a.grad += out.grad


# -- helpers ---------------------------------------------------------------
_new = object.__new__


def _result(data: float, a: Value, b: Value | None, rule: Rule) -> Value:
    """A non-leaf Value made by ``rule``'s op from inputs ``a`` (and ``b``)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._a = a
    out._b = b
    out._rule = rule
    return out


def _as_value(x: Operand) -> Value:
    return x if isinstance(x, Value) else Value(x)


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
    except ZeroDivisionError:  # 0 ** negative
        return math.copysign(math.inf, x) if _is_odd(n) else math.inf
    except OverflowError:
        return math.copysign(math.inf, x) if _is_odd(n) else math.inf


def _is_odd(n: float) -> bool:
    return float(n).is_integer() and n % 2 == 1


def _exp(x: float) -> float:
    try:
        return math.exp(x)
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
