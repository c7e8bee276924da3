"""The array engine: a ``Tensor`` wraps a numpy array, records the op that made it, and
backpropagates with PyTorch's semantics.

This file holds what every Tensor has: its attributes, conversions, backward, and in-place
edits with their version counter. The ops are mixins, one file per kind (``arithmetic``,
``elementwise``, ``pointwise_math``, ``reductions``, ``scans``, ``movement``, ``indexing``): each op's
forward (a method) stands beside its backward rule, a static method ``rule(out, g) -> one gradient per
input`` written with Tensor ops, so that with ``create_graph=True`` the backward pass is itself
recorded and can be differentiated again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, Union

import numpy as np

from autograd import anomaly, capture, grad_mode
from autograd.dtypes import as_dtype, bool_, cast_number, check_differentiable, device, float32, int64, is_floating
from autograd.graph import Node, Rule, rule_for
from autograd.shapes import dim_index

ArrayLike = Union["Tensor", np.ndarray, float, int, bool, Sequence[Any]]
_TYPE_NAMES = {
    name: f"torch.{kind}Tensor"
    for name, kind in [
        ("float16", "Half"),
        ("float32", "Float"),
        ("float64", "Double"),
        ("int8", "Char"),
        ("int16", "Short"),
        ("int32", "Int"),
        ("int64", "Long"),
        ("uint8", "Byte"),
        ("bool", "Bool"),
    ]
}


# -- making Tensors: the ops in the mixins below make their results with these two ---------------
def leaf(data: np.ndarray, requires_grad: bool = False) -> Tensor:
    """A Tensor holding ``data`` (not copied) that no op made."""
    t = _new(Tensor)
    t.data = data if type(data) is np.ndarray else np.asarray(data)  # numpy reductions give scalars
    t.grad = None
    t.requires_grad = requires_grad
    t.label = ""
    t._inputs = ()
    t._rule = None
    t._ctx = None
    t._retains_grad = False
    t._version_counter = [0]
    t._saved_versions = None
    t._base = None
    t._pending_grad = None
    return t


def record(
    data: np.ndarray, inputs: tuple[Tensor, ...], rule: Rule, ctx: Any = None, view_of: Tensor | None = None
) -> Tensor:
    """The result of an op, recorded with its inputs and backward rule when grad mode is on and an
    input requires grad. ``view_of``: the result shares that input's memory (and version counter)."""
    out = leaf(data)
    if view_of is not None:
        out._version_counter = view_of._version_counter
        out._base = view_of._base if view_of._base is not None else view_of
    if grad_mode._enabled and any(t.requires_grad for t in inputs):
        out.requires_grad = True
        out._inputs = inputs
        out._rule = rule
        out._ctx = ctx
        if rule.saves:  # type: ignore[attr-defined]
            out._saved_versions = out._saved_tensor_versions()
        if capture._active is not None:
            capture._active.made(out)
    if anomaly._depth:
        anomaly.check_forward(out, rule.symbol, inputs)  # type: ignore[attr-defined]
    return out


_new = object.__new__

# The mixins import ``leaf`` and ``record`` from this module, so they are imported after them.
from autograd.arithmetic import Arithmetic  # noqa: E402
from autograd.elementwise import Elementwise  # noqa: E402
from autograd.indexing import Indexing  # noqa: E402
from autograd.movement import Movement  # noqa: E402
from autograd.pointwise_math import PointwiseMath  # noqa: E402
from autograd.reductions import Reductions  # noqa: E402
from autograd.scans import Scans  # noqa: E402


class Tensor(Node, Arithmetic, Elementwise, PointwiseMath, Reductions, Scans, Movement, Indexing):
    """An n-dimensional array in a computation graph (float32 by default, as in PyTorch).

    ``Tensor(data)`` always makes float32 like ``torch.Tensor``; ``Tensor(2, 3)`` makes a 2 x 3
    tensor of zeros. ``autograd.tensor`` infers the dtype instead.
    """

    __slots__ = (
        "data",
        "grad",
        "requires_grad",
        "label",
        "_inputs",
        "_rule",
        "_ctx",
        "_retains_grad",
        "_version_counter",
        "_saved_versions",
        "_base",
        "_pending_grad",
    )
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected op
    __hash__ = object.__hash__  # == is elementwise, identity is the hash (graphs keep Tensors in sets)
    _inputs_of = attrgetter("_inputs")

    def __init__(self, *data: Any) -> None:
        if all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in data):
            array = np.zeros(data or (0,), dtype=float32)  # Tensor() is empty, as in PyTorch
        elif len(data) == 1:
            source = data[0].data if isinstance(data[0], Tensor) else data[0]
            array = np.array(source, dtype=float32)
        else:
            raise TypeError(f"Tensor() takes data or integer sizes, got {data!r}")
        _init_from(self, leaf(array))

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
    def retains_grad(self) -> bool:
        return self._retains_grad

    @property
    def _version(self) -> int:
        """How many in-place edits this Tensor's memory has had (shared with its views), as in PyTorch."""
        return self._version_counter[0]

    def dim(self) -> int:
        return self.data.ndim

    def size(self, dim: int | None = None) -> tuple[int, ...] | int:
        if dim is None:
            return self.data.shape
        index = dim_index(dim, self.ndim)
        if self.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self.data.shape[index]

    def numel(self) -> int:
        return self.data.size

    def is_floating_point(self) -> bool:
        return is_floating(self.dtype)

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
            raise RuntimeError(
                f"a Tensor with {self.data.size} elements cannot be converted to a Python number: "
                f"item() needs exactly one (shape {self.shape})"
            )
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def detach(self) -> Tensor:
        """The same data (shared, with its version counter), cut from the graph."""
        out = leaf(self.data)
        out._version_counter = self._version_counter
        return out

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad:
            check_differentiable(self.dtype)
        elif not self.is_leaf:
            raise RuntimeError("requires_grad_(False) is only for leaves; use detach() to cut a result from the graph")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep this non-leaf Tensor's ``.grad`` after backward (leaves keep theirs anyway)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on a Tensor that has requires_grad=False")
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
        if self.data.size != 1:
            raise RuntimeError(f"Boolean value of a Tensor with {self.data.size} elements is ambiguous")
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
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(other_tensor)``; only the CPU exists."""
        for arg in args:
            if isinstance(arg, (str, device)):
                device(arg)
            elif isinstance(arg, Tensor):
                dtype = arg.dtype
            else:
                dtype = arg
        if dtype is None:
            return self
        dtype = as_dtype(dtype)
        return self if dtype == self.dtype else self._cast(dtype)

    def cpu(self) -> Tensor:
        return self

    def float(self) -> Tensor:
        return self.to(float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(bool_)

    def type(self, dtype: Any = None) -> Tensor | str:
        """With no dtype, PyTorch's name of this tensor's type ("torch.FloatTensor"); else ``to(dtype)``."""
        return _TYPE_NAMES[self.dtype.name] if dtype is None else self.to(dtype)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def _cast(self, dtype: np.dtype) -> Tensor:
        if not (is_floating(dtype) and is_floating(self.dtype)):
            return leaf(self.data.astype(dtype))  # to or from a dtype without gradients
        return record(self.data.astype(dtype), (self,), Tensor._cast_backward)

    @staticmethod
    @rule_for("cast")
    def _cast_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d cast(a) = cast back(da)
        return (g.to(out._inputs[0].dtype),)

    def multinomial(self, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
        """Category indices drawn with probabilities proportional to this tensor's weights (``multinomial``)."""
        from autograd.creation import multinomial  # creation.py imports this module

        return multinomial(self, num_samples, replacement, generator=generator)

    # -- backward ----------------------------------------------------------------
    def backward(
        self,
        gradient: ArrayLike | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Sequence[Tensor] | None = None,
    ) -> None:
        """Accumulate d self / d leaf into the ``.grad`` of every leaf that requires grad.

        A one-element tensor needs no ``gradient`` (it is 1); any other needs one of its own
        shape (the vector in the vector-Jacobian product).
        """
        from autograd.backprop import backward  # backprop.py imports this module

        backward((self,), None if gradient is None else (gradient,), retain_graph, create_graph, inputs)

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.grad = None if set_to_none or self.grad is None else np.zeros_like(self.grad)

    def _store_grad(self, g: Tensor) -> None:  # leaves (and retain_grad() ones) accumulate into .grad
        if self._rule is None or self._retains_grad:
            self.grad = g.data.astype(self.dtype) if self.grad is None else self.grad + g.data

    def _saved_tensor_versions(self) -> tuple[int, ...]:
        return tuple(t._version_counter[0] for t in self._saved_tensors())

    def _saved_tensors(self) -> list[Tensor]:
        return [self if s == "out" else self._inputs[s] for s in self._rule.saves]  # type: ignore[union-attr]

    def _check_saved(self) -> None:
        if self._saved_versions is None:
            return
        for what, t, seen in zip(self._rule.saves, self._saved_tensors(), self._saved_versions):  # type: ignore[union-attr]
            if t._version_counter[0] != seen:
                role = "output" if what == "out" else f"input {what}"
                raise RuntimeError(
                    f"one of the tensors needed for gradient computation has been modified by an inplace "
                    f"operation: the {role} of '{self.op}', a {t.dtype} tensor of shape {t.shape}, is at "
                    f"version {t._version_counter[0]}; the op saw version {seen}. Edit a clone (x.clone()) "
                    f"instead, or edit after backward."
                )

    def _release(self) -> None:
        self._ctx, self._saved_versions, self._rule = None, None, _released(self.op)

    # -- in-place edits: every one bumps the version counter ---------------------
    def _in_place(
        self, apply: Callable[[np.ndarray], Any], compute: Callable[[Tensor], Tensor], operands: Sequence[Any] = ()
    ) -> Tensor:
        """Edit this Tensor in place, as PyTorch's ``x.op_()`` does: ``apply(self.data)`` edits the
        array (views see the change) and the version counter goes up. When grad mode records the
        edit, ``compute(previous)`` is the same edit as an op: this Tensor takes the op's place in
        the graph, and its previous self lives on as the op's input (holding a copy of the old values
        when the op's backward reads them, as ``x.mul_(y)`` does for y's gradient)."""
        recorded = (  # an integer or bool tensor has no gradient, whatever is written into it
            grad_mode._enabled
            and is_floating(self.dtype)
            and (self.requires_grad or any(getattr(x, "requires_grad", False) for x in operands))
        )
        if recorded and self.requires_grad and self.is_leaf:
            raise RuntimeError(
                "a leaf Tensor that requires grad is being used in an in-place operation: "
                "do it under autograd.no_grad(), or on a clone"
            )
        if recorded and self._base is not None:
            raise RuntimeError(
                "an in-place edit of a view of a tensor in the graph is not recorded by this engine: "
                "use an out-of-place op (e.g. torch.where or torch.cat) instead"
            )
        if not self.data.flags.writeable:
            raise RuntimeError(f"this tensor of shape {self.shape} is a broadcast view: clone() it before editing it")
        if not recorded:
            apply(self.data)
            self._version_counter[0] += 1
            return self
        previous = _graph_copy(self)
        result = compute(previous)
        if any(s != "out" and result._inputs[s] is previous for s in result._rule.saves):  # type: ignore[union-attr]
            previous.data, previous._version_counter = self.data.copy(), [self._version]  # read after this edit
        self._write(result)
        self._version_counter[0] += 1
        self.requires_grad = True
        self._inputs, self._rule, self._ctx = result._inputs, result._rule, result._ctx
        self._saved_versions = self._saved_tensor_versions() if self._rule.saves else None  # type: ignore[union-attr]
        return self

    def _write(self, result: Tensor) -> None:
        """Copy an in-place op's result into this Tensor's memory: it must have this shape, and a dtype
        that casts to this one within its kind (a float result can't go into an integer tensor)."""
        if result.shape != self.shape:
            raise RuntimeError(
                f"an in-place result of shape {result.shape} doesn't fit the edited tensor's shape {self.shape}"
            )
        if not np.can_cast(result.dtype, self.dtype, "same_kind"):
            raise RuntimeError(f"result type {result.dtype} can't be cast to the desired output type {self.dtype}")
        np.copyto(self.data, result.data, casting="unsafe")

    def _in_place_result(self, op: Callable[[Tensor], Tensor], operands: Sequence[Any] = ()) -> Tensor:
        """``self = op(self)`` in place, the general form of ``x.exp_()``, ``x.clamp_(0, 1)``...: ``op``'s
        result is written into this Tensor's memory and, when grad mode records the edit, it is the op."""
        return self._in_place(lambda data: self._write(op(leaf(data))), op, operands)

    def zero_(self) -> Tensor:
        return self.fill_(0)

    def fill_(self, value: Any) -> Tensor:
        """Set every element to ``value``; no gradient flows to what was there before."""
        value = cast_number(value.item() if isinstance(value, Tensor) else value, self.dtype)
        return self._in_place(lambda data: data.fill(value), lambda t: t._filled(value))

    def copy_(self, source: ArrayLike) -> Tensor:
        """Copy ``source`` (broadcast to this shape, cast to this dtype) into this Tensor; gradients flow to it."""
        source_data = source.data if isinstance(source, Tensor) else np.asarray(source)
        return self._in_place(
            lambda data: np.copyto(data, np.broadcast_to(source_data, data.shape), casting="unsafe"),
            lambda t: t._replaced_by(source),
            (source,),
        )

    def detach_(self) -> Tensor:
        """Cut this Tensor from the graph in place: it becomes a leaf that does not require grad."""
        self._inputs, self._rule, self._ctx, self._saved_versions, self.requires_grad = (), None, None, None, False
        return self


def _init_from(t: Tensor, source: Tensor) -> None:
    for name in Tensor.__slots__:
        setattr(t, name, getattr(source, name))


def _graph_copy(t: Tensor) -> Tensor:
    """A second Tensor object for ``t``'s data, version counter and place in the graph."""
    copy = _new(Tensor)
    _init_from(copy, t)
    copy.grad, copy.label, copy._retains_grad = None, "", False
    return copy


@functools.cache
def _released(symbol: str) -> Rule:
    """The rule of an op named ``symbol`` once backward has run without ``retain_graph``: it refuses to run."""

    @rule_for(symbol)
    def released(out: Tensor, g: Tensor) -> tuple[()]:
        raise RuntimeError(
            "Trying to backward through the graph a second time: the first backward() released it. "
            "Pass retain_graph=True to the first backward() to keep it."
        )

    return released


def _in_place_form(name: str) -> Callable[..., Tensor]:
    """``x.<name>_(...)``: ``x.<name>(...)`` written into ``x`` itself, as PyTorch's in-place ops."""

    def in_place(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return self._in_place_result(lambda t: getattr(t, name)(*args, **kwargs), args + tuple(kwargs.values()))

    in_place.__name__ = in_place.__qualname__ = f"{name}_"
    in_place.__doc__ = f"``{name}`` in place: edits this Tensor and returns it."
    return in_place


IN_PLACE_FORMS = (
    "pow neg negative square clamp clip exp log sqrt abs tanh sigmoid relu sin cos tan asin acos atan sinh cosh "
    "rsqrt log2 log10 log1p exp2 expm1 sign trunc floor ceil round frac reciprocal erf "
    "cumsum cumprod tril triu masked_fill scatter"
).split()
for _name in IN_PLACE_FORMS:
    setattr(Tensor, f"{_name}_", _in_place_form(_name))
