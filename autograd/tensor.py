"""The array engine: a ``Tensor`` wraps a numpy array, records the op that made
it, and backpropagates with PyTorch's semantics.

Each op's forward (a method) stands beside its backward rule, a static method
``rule(out, grad) -> one gradient per input`` with the derivative in one comment.
Rules are written with Tensor ops, so with ``create_graph=True`` the backward
pass is itself recorded and can be differentiated again; otherwise it runs
under ``no_grad`` and records nothing.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, Union

import numpy as np

from autograd.graph import rule_for, topological_order

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
long = int64
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)

ArrayLike = Union["Tensor", np.ndarray, float, int, bool, Sequence[Any]]
Rule = Callable[["Tensor", "Tensor"], tuple[Union["Tensor", None], ...]]
Index = Any

_inputs_of = attrgetter("_inputs")


# -- grad mode -------------------------------------------------------------------
class _GradMode:
    enabled = True


class no_grad(contextlib.ContextDecorator):
    """Context manager and decorator under which no op is recorded (``torch.no_grad``)."""

    def __enter__(self) -> None:
        self._before = _GradMode.enabled
        _GradMode.enabled = False

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._before


class enable_grad(no_grad):
    """Context manager and decorator that turns recording back on (``torch.enable_grad``)."""

    def __enter__(self) -> None:
        self._before = _GradMode.enabled
        _GradMode.enabled = True


def is_grad_enabled() -> bool:
    return _GradMode.enabled


class device:
    """A device name, as in ``torch.device``. Only the CPU exists here."""

    def __init__(self, name: str | device = "cpu") -> None:
        name = name.type if isinstance(name, device) else str(name)
        if name.split(":")[0] != "cpu":
            raise RuntimeError(f"device {name!r} is not available: this engine runs on the CPU only (use 'cpu')")
        self.type = "cpu"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (device, str)) and device(other).type == self.type

    def __hash__(self) -> int:
        return hash(self.type)

    def __repr__(self) -> str:
        return "device(type='cpu')"


# -- Tensor ----------------------------------------------------------------------
class Tensor:
    """An n-dimensional array in a computation graph (float32 by default, as in PyTorch).

    ``Tensor(data)`` always makes float32 like ``torch.Tensor``; ``Tensor(2, 3)``
    makes a 2 x 3 tensor of zeros. ``autograd.tensor`` infers the dtype instead.
    """

    __slots__ = ("data", "grad", "requires_grad", "label", "_inputs", "_rule", "_ctx", "_retains_grad")
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected op
    __hash__ = object.__hash__  # == is elementwise, identity is the hash (graphs keep Tensors in sets)

    def __init__(self, *data: Any) -> None:
        if all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in data):
            array = np.zeros(data or (0,), dtype=float32)  # Tensor() is empty, as in PyTorch
        elif len(data) == 1:
            source = data[0].data if isinstance(data[0], Tensor) else data[0]
            array = np.array(source, dtype=float32)
        else:
            raise TypeError(f"Tensor() takes data or integer sizes, got {data!r}")
        _init_leaf(self, array, False)

    # -- attributes --------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def device(self) -> device:
        return device("cpu")

    @property
    def is_leaf(self) -> bool:
        """True for a Tensor made by the user rather than by a recorded op."""
        return self._rule is None

    @property
    def op(self) -> str:
        """The name of the op that made this Tensor ("" for a leaf)."""
        return self._rule.symbol if self._rule is not None else ""  # type: ignore[attr-defined]

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        return self._inputs

    def dim(self) -> int:
        return self.data.ndim

    def size(self, dim: int | None = None) -> tuple[int, ...] | int:
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self) -> int:
        return self.data.size

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on a Tensor that requires grad. Use tensor.detach().numpy() instead."
            )
        return self.data

    def item(self) -> float | int | bool:
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, this one has shape {self.shape}")
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def detach(self) -> Tensor:
        """The same data, cut from the graph."""
        return _leaf(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad:
            _check_differentiable(self.data.dtype)
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep this non-leaf Tensor's ``.grad`` after backward (leaves keep theirs anyway)."""
        self._retains_grad = True

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4)
        extra = ""
        if self.dtype not in (float32, int64, bool_):
            extra += f", dtype={self.dtype}"
        if self._rule is not None:
            extra += f", grad_fn=<{self.op}>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        return self.data.__index__()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return (self[i] for i in range(len(self)))

    # -- dtype and device --------------------------------------------------------
    def to(self, *args: Any, dtype: Any = None) -> Tensor:
        """``to(dtype)``, ``to(device)`` or ``to(device, dtype)``; only the CPU exists."""
        for arg in args:
            if isinstance(arg, (str, device)):
                device(arg)
            else:
                dtype = arg
        return self if dtype is None or np.dtype(dtype) == self.dtype else self._cast(np.dtype(dtype))

    def cpu(self) -> Tensor:
        return self

    def float(self) -> Tensor:
        return self.to(float32)

    def double(self) -> Tensor:
        return self.to(float64)

    def long(self) -> Tensor:
        return self.to(int64)

    def int(self) -> Tensor:
        return self.to(int32)

    def bool(self) -> Tensor:
        return self.to(bool_)

    def type(self, dtype: Any) -> Tensor:
        return self.to(dtype)

    def _cast(self, dtype: np.dtype) -> Tensor:
        if not (_is_float(dtype) and _is_float(self.dtype)):
            return _leaf(self.data.astype(dtype))
        return _make(self.data.astype(dtype), (self,), Tensor._cast_backward)

    @staticmethod
    @rule_for("cast")
    def _cast_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d cast(a) = cast back(da)
        return (g.to(out._inputs[0].dtype),)

    # -- backward ----------------------------------------------------------------
    def backward(self, gradient: ArrayLike | None = None, retain_graph: bool = False) -> None:
        """Accumulate d self / d leaf into the ``.grad`` of every leaf that requires grad.

        A one-element tensor needs no ``gradient`` (it is 1); any other needs one
        of its own shape (the vector in the vector-Jacobian product).
        """
        if not self.requires_grad:
            raise RuntimeError("this tensor does not require grad and has no grad_fn: nothing to differentiate")
        seed = _seed_gradient(self, gradient)
        _backpropagate((self,), (seed,), retain_graph=retain_graph, create_graph=False)

    # -- arithmetic: each op, then its backward rule, rule(out, g) -> one gradient per input
    # (None where an input needs none), written with Tensor ops so it can be differentiated again
    def __add__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return _make(a.data + b.data, (a, b), Tensor._add_backward)

    @staticmethod
    @rule_for("+")
    def _add_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d(a+b) = da + db
        a, b = out._inputs
        return sum_to(g, a.shape), sum_to(g, b.shape)

    def __sub__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return _make(a.data - b.data, (a, b), Tensor._sub_backward)

    @staticmethod
    @rule_for("-")
    def _sub_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d(a-b) = da - db
        a, b = out._inputs
        return sum_to(g, a.shape), sum_to(-g, b.shape)

    def __mul__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return _make(a.data * b.data, (a, b), Tensor._mul_backward)

    @staticmethod
    @rule_for("*")
    def _mul_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d(ab) = b da + a db
        a, b = out._inputs
        return sum_to(g * b, a.shape), sum_to(g * a, b.shape)

    def __truediv__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        dtype = np.result_type(a.dtype, b.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            data = np.divide(a.data, b.data, dtype=dtype if _is_float(dtype) else float32)
        return _make(data, (a, b), Tensor._div_backward)

    @staticmethod
    @rule_for("/")
    def _div_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d(a/b) = da/b - (a/b) db/b
        a, b = out._inputs
        return sum_to(g / b, a.shape), sum_to(-g * out / b, b.shape)

    def __pow__(self, exponent: ArrayLike) -> Tensor:
        a, b = _operands(self, exponent)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            data = a.data**b.data
        return _make(data, (a, b), Tensor._pow_backward)

    @staticmethod
    @rule_for("**")
    def _pow_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor | None]:  # d(a^b) = b a^(b-1) da + a^b ln(a) db
        a, b = (
            out._inputs
        )  # PyTorch's conventions where the formulas give 0 * inf: slope 0 for b = 0, and for a = 0, b >= 0
        ga = sum_to(g * where(b.data == 0, 0.0, b * a ** (b - 1)), a.shape) if a.requires_grad else None
        gb = sum_to(g * where((a.data == 0) & (b.data >= 0), 0.0, out * a.log()), b.shape) if b.requires_grad else None
        return ga, gb

    def __matmul__(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        _check_matmul(a.shape, b.shape)
        return _make(a.data @ b.data, (a, b), Tensor._matmul_backward)

    @staticmethod
    @rule_for("@")
    def _matmul_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:  # d(AB) = dA B + A dB
        a, b = out._inputs
        a2, b2, g2 = a, b, g  # a vector is a row on the left and a column on the right, as in numpy
        if a.ndim == 1:
            a2, g2 = a.unsqueeze(0), g2.unsqueeze(-2)
        if b.ndim == 1:
            b2, g2 = b.unsqueeze(-1), g2.unsqueeze(-1)
        ga = sum_to(g2 @ b2.mT, a2.shape) if a.requires_grad else None
        gb = sum_to(a2.mT @ g2, b2.shape) if b.requires_grad else None
        if a.ndim == 1 and ga is not None:
            ga = ga.reshape(a.shape)
        if b.ndim == 1 and gb is not None:
            gb = gb.reshape(b.shape)
        return ga, gb

    def __neg__(self) -> Tensor:
        return _make(-self.data, (self,), Tensor._neg_backward)

    @staticmethod
    @rule_for("neg")
    def _neg_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d(-a) = -da
        return (-g,)

    def __radd__(self, other: ArrayLike) -> Tensor:
        return _operand(other, self) + self

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return _operand(other, self) - self

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return _operand(other, self) * self

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return _operand(other, self) / self

    def __rpow__(self, other: ArrayLike) -> Tensor:
        return _operand(other, self) ** self

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _operand(other, self) @ self

    def matmul(self, other: ArrayLike) -> Tensor:
        return self @ other

    # -- comparisons: boolean tensors, never differentiable --------------------
    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return _leaf(self.data == _operand(other, self).data)

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return _leaf(self.data != _operand(other, self).data)

    def __lt__(self, other: ArrayLike) -> Tensor:
        return _leaf(self.data < _operand(other, self).data)

    def __le__(self, other: ArrayLike) -> Tensor:
        return _leaf(self.data <= _operand(other, self).data)

    def __gt__(self, other: ArrayLike) -> Tensor:
        return _leaf(self.data > _operand(other, self).data)

    def __ge__(self, other: ArrayLike) -> Tensor:
        return _leaf(self.data >= _operand(other, self).data)

    def eq(self, other: ArrayLike) -> Tensor:
        return self == other

    # -- elementwise -------------------------------------------------------------
    def exp(self) -> Tensor:
        with np.errstate(over="ignore"):
            return _make(np.exp(self.data), (self,), Tensor._exp_backward)

    @staticmethod
    @rule_for("exp")
    def _exp_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d e^a = e^a da
        return (g * out,)

    def log(self) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _make(np.log(self.data), (self,), Tensor._log_backward)

    @staticmethod
    @rule_for("log")
    def _log_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d ln a = da / a
        return (g / out._inputs[0],)

    def sqrt(self) -> Tensor:
        with np.errstate(invalid="ignore"):
            return _make(np.sqrt(self.data), (self,), Tensor._sqrt_backward)

    @staticmethod
    @rule_for("sqrt")
    def _sqrt_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d sqrt(a) = da / (2 sqrt(a))
        return (g / (2 * out),)

    def abs(self) -> Tensor:
        return _make(np.abs(self.data), (self,), Tensor._abs_backward)

    @staticmethod
    @rule_for("abs")
    def _abs_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d|a| = sign(a) da
        return (g * np.sign(out._inputs[0].data),)

    def tanh(self) -> Tensor:
        return _make(np.tanh(self.data), (self,), Tensor._tanh_backward)

    @staticmethod
    @rule_for("tanh")
    def _tanh_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d tanh(a) = (1 - tanh^2 a) da
        return (g * (1 - out * out),)

    def sigmoid(self) -> Tensor:
        return _make(_stable_sigmoid(self.data), (self,), Tensor._sigmoid_backward)

    @staticmethod
    @rule_for("sigmoid")
    def _sigmoid_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d s(a) = s(a)(1 - s(a)) da
        return (g * out * (1 - out),)

    def softplus(self) -> Tensor:
        """log(1 + e^x), as max(x, 0) + log(1 + e^-|x|) so nothing overflows."""
        return _make(np.logaddexp(0, self.data), (self,), Tensor._softplus_backward)

    @staticmethod
    @rule_for("softplus")
    def _softplus_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d log(1 + e^a) = sigmoid(a) da
        return (g * out._inputs[0].sigmoid(),)

    def relu(self) -> Tensor:
        return _make(np.maximum(self.data, 0), (self,), Tensor._relu_backward)

    @staticmethod
    @rule_for("relu")
    def _relu_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d relu(a) = [a > 0] da
        return (g * (out.data > 0),)

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:
        if min is None and max is None:
            raise ValueError("clamp needs at least one of min and max")
        return _make(np.clip(self.data, min, max), (self,), Tensor._clamp_backward, (min, max))

    @staticmethod
    @rule_for("clamp")
    def _clamp_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d clamp(a) = [min <= a <= max] da
        a, (low, high) = out._inputs[0].data, out._ctx
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        return (g * inside,)

    def maximum(self, other: ArrayLike) -> Tensor:
        a, b = _operands(self, other)
        return _make(np.maximum(a.data, b.data), (a, b), Tensor._maximum_backward)

    @staticmethod
    @rule_for("maximum")
    def _maximum_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # to the larger input; ties split
        a, b = out._inputs
        share_a = (a.data > b.data) + 0.5 * (a.data == b.data)
        return sum_to(g * share_a.astype(g.dtype), a.shape), sum_to(g * (1 - share_a).astype(g.dtype), b.shape)

    def where(self, condition: ArrayLike, other: ArrayLike) -> Tensor:
        return where(condition, self, other)

    # -- reductions --------------------------------------------------------------
    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        axes = _axes(dim, self.ndim)
        return _make(self.data.sum(axis=axes, keepdims=keepdim), (self,), Tensor._sum_backward, (axes, keepdim))

    @staticmethod
    @rule_for("sum")
    def _sum_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d sum(a) = da broadcast back
        a = out._inputs[0]
        axes, keepdim = out._ctx
        if not keepdim:
            g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(a.shape)))
        return (g.expand(a.shape),)

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        _check_differentiable(self.dtype, "mean")
        axes = _axes(dim, self.ndim)
        count = int(np.prod([self.shape[a] for a in axes])) if axes else 1
        return self.sum(dim, keepdim) / count

    def max(self, dim: int | None = None, keepdim: bool = False) -> Tensor | tuple[Tensor, Tensor]:
        """The largest element, or with ``dim`` a ``(values, indices)`` pair, as in PyTorch."""
        if isinstance(dim, (Tensor, np.ndarray)):
            return self.maximum(dim)
        if dim is None:
            return _make(self.data.max(), (self,), Tensor._max_all_backward)
        dim = dim % self.ndim
        indices = np.expand_dims(self.data.argmax(axis=dim), dim)
        values = _make(np.take_along_axis(self.data, indices, dim), (self,), Tensor._max_dim_backward, (dim, indices))
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return _MaxResult((values, _leaf(indices)))

    @staticmethod
    @rule_for("max")
    def _max_dim_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # to the index max(dim) returned
        a = out._inputs[0]
        dim, indices = out._ctx
        picked = np.arange(a.shape[dim]).reshape((-1,) + (1,) * (a.ndim - dim - 1)) == indices
        return (g.expand(a.shape) * picked.astype(g.dtype),)

    @staticmethod
    @rule_for("max")
    def _max_all_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # to the maximal elements, shared evenly
        a = out._inputs[0].data
        winners = a == out.data
        return (g * (winners / winners.sum()).astype(g.dtype),)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Tensor | tuple[Tensor, Tensor]:
        """The smallest element, or with ``dim`` a ``(values, indices)`` pair."""
        result = (-self).max(dim, keepdim)
        if dim is None:
            return -result
        return _MaxResult((-result[0], result[1]))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        if dim is None:
            index = np.asarray(self.data.argmax())
            return _leaf(index.reshape((1,) * self.ndim) if keepdim else index)
        indices = self.data.argmax(axis=dim)
        return _leaf(np.expand_dims(indices, dim) if keepdim else indices)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return (-self).argmax(dim, keepdim)

    def softmax(self, dim: int) -> Tensor:
        """e^x_i / sum_j e^x_j along ``dim``, computed as e^(x_i - max) so nothing overflows."""
        shifted = self.data - self.data.max(axis=dim, keepdims=True)
        e = np.exp(shifted)
        return _make(e / e.sum(axis=dim, keepdims=True), (self,), Tensor._softmax_backward, dim)

    @staticmethod
    @rule_for("softmax")
    def _softmax_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # ds_i = s_i (dx_i - sum_j s_j dx_j)
        dim = out._ctx
        return (out * (g - (g * out).sum(dim, keepdim=True)),)

    def log_softmax(self, dim: int) -> Tensor:
        """x_i - log sum_j e^x_j along ``dim``, with the max subtracted first."""
        shifted = self.data - self.data.max(axis=dim, keepdims=True)
        data = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        return _make(data, (self,), Tensor._log_softmax_backward, dim)

    @staticmethod
    @rule_for("log_softmax")
    def _log_softmax_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # dl_i = dx_i - s_i sum_j dx_j
        dim = out._ctx
        return (g - out.exp() * g.sum(dim, keepdim=True),)

    # -- shape -------------------------------------------------------------------
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        shape = _shape_args(shape)
        return _make(self.data.reshape(shape), (self,), Tensor._reshape_backward)

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
        shape = _shape_args(shape)
        lead = len(shape) - self.ndim
        shape = tuple(self.shape[i - lead] if n == -1 else n for i, n in enumerate(shape))
        return _make(np.broadcast_to(self.data, shape), (self,), Tensor._expand_backward)

    @staticmethod
    @rule_for("expand")
    def _expand_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # sum over the broadcast axes
        return (sum_to(g, out._inputs[0].shape),)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_dim % self.ndim, end_dim % self.ndim
        return self.reshape(self.shape[:start] + (-1,) + self.shape[end + 1 :])

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        dims = list(range(self.ndim))
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
        return self.permute(*dims)

    def t(self) -> Tensor:
        if self.ndim > 2:
            raise ValueError(f"t() expects a tensor with <= 2 dimensions, got shape {self.shape}")
        return self.permute(*reversed(range(self.ndim)))

    @property
    def T(self) -> Tensor:
        return self.permute(*reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:
        return self.transpose(-2, -1)

    def permute(self, *dims: int | Sequence[int]) -> Tensor:
        dims = tuple(d % max(self.ndim, 1) for d in _shape_args(dims))
        return _make(self.data.transpose(dims), (self,), Tensor._permute_backward, dims)

    @staticmethod
    @rule_for("permute")
    def _permute_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # permute back by the inverse order
        return (g.permute(*np.argsort(out._ctx).tolist()),)

    def squeeze(self, dim: int | None = None) -> Tensor:
        if dim is None:
            shape = tuple(n for n in self.shape if n != 1)
        elif self.ndim and self.shape[dim] == 1:
            shape = self.shape[: dim % self.ndim] + self.shape[dim % self.ndim + 1 :]
        else:
            return self
        return self.reshape(shape)

    def unsqueeze(self, dim: int) -> Tensor:
        dim = dim % (self.ndim + 1)
        return self.reshape(self.shape[:dim] + (1,) + self.shape[dim:])

    def __getitem__(self, index: Index) -> Tensor:
        index = _numpy_index(index)
        return _make(self.data[index], (self,), Tensor._getitem_backward, index)

    @staticmethod
    @rule_for("getitem")
    def _getitem_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # scatter-add into zeros of a's shape
        return (_index_add(g, out._ctx, out._inputs[0].shape),)

    def __setitem__(self, index: Index, value: ArrayLike) -> None:
        if self.requires_grad and _GradMode.enabled:
            raise RuntimeError("in-place assignment to a tensor that requires grad; do it under no_grad()")
        self.data[_numpy_index(index)] = value.data if isinstance(value, Tensor) else value

    # -- in-place helpers (used under no_grad by init and optimizers) -----------
    def zero_(self) -> Tensor:
        self.data[...] = 0
        return self

    def fill_(self, value: float) -> Tensor:
        self.data[...] = value
        return self

    def copy_(self, source: ArrayLike) -> Tensor:
        self.data[...] = source.data if isinstance(source, Tensor) else source
        return self


class _MaxResult(tuple):
    """``(values, indices)`` from ``max(dim)``, also readable as ``.values`` and ``.indices``."""

    @property
    def values(self) -> Tensor:
        return self[0]

    @property
    def indices(self) -> Tensor:
        return self[1]


# -- module-level ops, each followed by its backward rule ------------------------------
def _index_add(g: Tensor, index: Index, shape: tuple[int, ...]) -> Tensor:
    """zeros(shape) with g added at ``index`` (repeated indices add up); the adjoint of ``a[index]``."""
    data = np.zeros(shape, dtype=g.dtype)
    if _is_basic_index(index):
        data[index] = g.data
    else:
        np.add.at(data, index, g.data)
    return _make(data, (g,), _index_add_backward, index)


@rule_for("index_add")
def _index_add_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d(scatter g) = gather dg
    return (g[out._ctx],)


def sum_to(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum a broadcast gradient back down to ``shape`` (the adjoint of broadcasting)."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    return g.sum(axes, keepdim=True).reshape(shape)


def where(condition: ArrayLike, input: ArrayLike, other: ArrayLike) -> Tensor:
    """``input`` where ``condition`` holds, else ``other`` (broadcast together)."""
    condition = np.asarray(condition.data if isinstance(condition, Tensor) else condition, dtype=bool)
    input = as_tensor(input)
    other = _operand(other, input)
    return _make(np.where(condition, input.data, other.data), (input, other), _where_backward, condition)


@rule_for("where")
def _where_backward(out: Tensor, g: Tensor) -> tuple[Tensor, Tensor]:  # d where(c, a, b) = c da + !c db
    a, b = out._inputs
    condition = out._ctx
    zero = np.zeros((), dtype=g.dtype)
    return sum_to(where(condition, g, zero), a.shape), sum_to(where(condition, zero, g), b.shape)


def stack(tensors: Sequence[ArrayLike], dim: int = 0) -> Tensor:
    tensors = tuple(as_tensor(t) for t in tensors)
    dim = dim % (tensors[0].ndim + 1)
    return _make(np.stack([t.data for t in tensors], axis=dim), tensors, _stack_backward, dim)


@rule_for("stack")
def _stack_backward(out: Tensor, g: Tensor) -> tuple[Tensor, ...]:  # unstack the gradient
    dim = out._ctx
    return tuple(g[(slice(None),) * dim + (i,)] for i in range(len(out._inputs)))


def cat(tensors: Sequence[ArrayLike], dim: int = 0) -> Tensor:
    tensors = tuple(as_tensor(t) for t in tensors)
    dim = dim % tensors[0].ndim
    return _make(np.concatenate([t.data for t in tensors], axis=dim), tensors, _cat_backward, dim)


@rule_for("cat")
def _cat_backward(out: Tensor, g: Tensor) -> tuple[Tensor, ...]:  # split the gradient at the seams
    dim = out._ctx
    ends = np.cumsum([t.shape[dim] for t in out._inputs]).tolist()
    return tuple(g[(slice(None),) * dim + (slice(end - t.shape[dim], end),)] for t, end in zip(out._inputs, ends))


def maximum(input: ArrayLike, other: ArrayLike) -> Tensor:
    return as_tensor(input).maximum(other)


# -- the backward pass ------------------------------------------------------------
def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: ArrayLike | Sequence[ArrayLike] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """d outputs / d inputs as a tuple of Tensors, without touching any ``.grad``.

    With ``create_graph=True`` the results are recorded too, so they can be
    differentiated again (second derivatives, Hessian-vector products).
    """
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    elif isinstance(grad_outputs, (Tensor, np.ndarray)):
        grad_outputs = (grad_outputs,)
    for out in outputs:
        if not out.requires_grad:
            raise RuntimeError("an output does not require grad and has no grad_fn: nothing to differentiate")
    seeds = tuple(_seed_gradient(out, g) for out, g in zip(outputs, grad_outputs))
    retain_graph = create_graph if retain_graph is None else retain_graph
    found = _backpropagate(outputs, seeds, retain_graph, create_graph, capture=inputs)
    results = tuple(found.get(x) for x in inputs)
    if not allow_unused and any(r is None for r in results):
        raise RuntimeError("one of the inputs was not used to compute the outputs (pass allow_unused=True)")
    return results


def _backpropagate(
    roots: Sequence[Tensor],
    seeds: Sequence[Tensor],
    retain_graph: bool,
    create_graph: bool,
    capture: Sequence[Tensor] | None = None,
) -> dict[Tensor, Tensor]:
    """Run every backward rule once, consumers first, summing each node's gradient.

    Without ``capture`` the leaves' ``.grad`` accumulate (``backward``); with it,
    the gradients of the ``capture`` Tensors are returned instead (``grad``).
    """
    grads: dict[Tensor, Tensor] = {}
    for root, seed in zip(roots, seeds):
        grads[root] = grads[root] + seed if root in grads else seed
    wanted = set(capture) if capture is not None else set()
    found: dict[Tensor, Tensor] = {}
    with enable_grad() if create_graph else no_grad(), np.errstate(all="ignore"):  # masked 0 * inf is expected
        for node in reversed(topological_order(roots, _inputs_of)):
            g = grads.pop(node, None)
            if g is None:
                continue
            if node in wanted:
                found[node] = g
            elif capture is None and (node._rule is None or node._retains_grad):
                node.grad = g.data.astype(node.dtype) if node.grad is None else node.grad + g.data
            if node._rule is None:
                continue
            for parent, pg in zip(node._inputs, node._rule(node, g)):
                if pg is None or not parent.requires_grad:
                    continue
                assert pg.shape == parent.shape, (
                    f"{node.op} backward gave a {pg.shape} gradient for a {parent.shape} input"
                )
                grads[parent] = grads[parent] + pg if parent in grads else pg
            if not retain_graph:
                node._ctx, node._rule = None, _released(node._rule)
    return found


@functools.cache
def _released(rule: Rule) -> Rule:
    """What ``rule`` becomes once backward has run without ``retain_graph``: same name, refuses to run."""

    @rule_for(rule.symbol)  # type: ignore[attr-defined]
    def released(out: Tensor, g: Tensor) -> tuple[()]:
        raise RuntimeError(
            "Trying to backward through the graph a second time: the first backward() released it. "
            "Pass retain_graph=True to the first backward() to keep it."
        )

    return released


def _seed_gradient(out: Tensor, gradient: ArrayLike | None) -> Tensor:
    """The gradient backward starts from: 1 for a one-element output, else the caller's."""
    if gradient is None:
        if out.data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; this output has shape {out.shape}, "
                f"so pass a gradient of that shape to backward()"
            )
        return _leaf(np.ones(out.shape, dtype=out.dtype))
    gradient = as_tensor(gradient)
    if gradient.shape != out.shape:
        raise RuntimeError(f"gradient has shape {gradient.shape} but the output has shape {out.shape}")
    return gradient if gradient.dtype == out.dtype else gradient.to(out.dtype)


# -- making tensors -----------------------------------------------------------------
_new = object.__new__


def _init_leaf(t: Tensor, data: np.ndarray, requires_grad: bool) -> None:
    t.data = data
    t.grad = None
    t.requires_grad = requires_grad
    t.label = ""
    t._inputs = ()
    t._rule = None
    t._ctx = None
    t._retains_grad = False


def _leaf(data: np.ndarray, requires_grad: bool = False) -> Tensor:
    t = _new(Tensor)
    _init_leaf(t, np.asarray(data), requires_grad)
    return t


def _make(data: np.ndarray, inputs: tuple[Tensor, ...], rule: Rule, ctx: Any = None) -> Tensor:
    """The result of an op: recorded with its inputs and rule if grad mode is on and any input needs grad."""
    out = _leaf(data)
    if _GradMode.enabled and any(t.requires_grad for t in inputs):
        out.requires_grad = True
        out._inputs = inputs
        out._rule = rule
        out._ctx = ctx
    return out


def tensor(data: ArrayLike, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new leaf Tensor, copying ``data``; dtype inferred as ``torch.tensor`` does.

    Python floats become float32 and ints int64; a numpy array keeps its dtype.
    """
    data, has_numpy_float64 = _plain(data)
    array = np.array(data, dtype=dtype)
    if dtype is None and array.dtype == float64 and not has_numpy_float64:
        array = array.astype(float32)
    if requires_grad:
        _check_differentiable(array.dtype)
    return _leaf(array, requires_grad)


def _plain(data: Any) -> tuple[Any, bool]:
    """``data`` with Tensors replaced by their arrays, and whether it holds numpy float64 values
    (which keep their dtype, while Python floats become float32)."""
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, (np.ndarray, np.generic)):
        return data, data.dtype == float64
    if isinstance(data, (list, tuple)):
        items = [_plain(x) for x in data]
        return [x for x, _ in items], any(f for _, f in items)
    return data, False


def as_tensor(data: ArrayLike, dtype: Any = None) -> Tensor:
    """``data`` itself if it is a Tensor (of that dtype), else a new Tensor sharing memory where possible."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray):
        return _leaf(data if dtype is None else data.astype(dtype, copy=False))
    return tensor(data, dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A Tensor that shares ``array``'s memory and dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}")
    return _leaf(array)


# -- small helpers --------------------------------------------------------------------
_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def _operands(a: Tensor, x: Any) -> tuple[Tensor, Tensor]:
    """Both operands of a binary op as Tensors; an integer one meeting a float one is cast to its
    dtype (PyTorch computes int64 * 2.5 in float32, where numpy would choose float64)."""
    b = _operand(x, a)
    if a.dtype.kind != b.dtype.kind:
        if b.dtype.kind == "f":
            a = a.to(b.dtype)
        elif a.dtype.kind == "f":
            b = b.to(a.dtype)
    return a, b


def _operand(x: Any, like: Tensor) -> Tensor:
    """The other operand of a binary op as a Tensor.

    A scalar (Python or numpy number, 0-d array) takes ``like``'s dtype unless it
    is of a higher kind (a float with an integer tensor gives float32), as in PyTorch.
    """
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray) and x.ndim > 0:
        return _leaf(x)
    if isinstance(x, (list, tuple)):
        return tensor(x)
    scalar = np.asarray(x)
    if _KIND_RANK[scalar.dtype.kind] <= _KIND_RANK.get(like.dtype.kind, 2):
        return _leaf(scalar.astype(like.dtype))
    return _leaf(scalar.astype(float32 if scalar.dtype.kind == "f" else int64))


def _is_float(dtype: np.dtype) -> bool:
    return np.issubdtype(dtype, np.floating)


def _check_differentiable(dtype: np.dtype, what: str = "requires_grad") -> None:
    if not _is_float(dtype):
        raise RuntimeError(f"{what} needs a floating point tensor, not {dtype} (use .float())")


def _check_matmul(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    if not a or not b:
        raise RuntimeError(f"matmul needs tensors of at least 1 dimension, got shapes {a} and {b}")
    inner_b = b[0] if len(b) == 1 else b[-2]
    if a[-1] != inner_b:
        raise RuntimeError(f"shapes {a} and {b} cannot be multiplied ({a[-1]} != {inner_b})")


def _axes(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if ndim == 0:  # a 0-d tensor accepts dim 0 or -1, as in PyTorch, and has no axis to reduce
        if any(d not in (0, -1) for d in dims):
            raise IndexError(f"dimension out of range (expected to be in range of [-1, 0], but got {dims})")
        return ()
    return tuple(sorted(d % ndim for d in dims))


def _shape_args(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(int(n) for n in shape)


def _numpy_index(index: Index) -> Index:
    """An index with Tensors replaced by their arrays and lists by integer arrays."""
    if isinstance(index, tuple):
        return tuple(_numpy_index(i) for i in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic_index(index: Index) -> bool:
    """True when ``index`` uses only ints, slices, None and Ellipsis: it selects each element once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis))) for p in parts)


def _stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) with e^t only ever taken of t <= 0, so nothing overflows."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _method_function(name: str) -> Callable[..., Any]:
    """``autograd.<name>(x, ...)`` calling ``Tensor.<name>``, for Tensors, arrays and numbers alike."""
    method = getattr(Tensor, name)

    @functools.wraps(method)
    def function(input: ArrayLike, *args: Any, **kwargs: Any) -> Any:
        return method(as_tensor(input), *args, **kwargs)

    return function
