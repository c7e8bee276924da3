"""The array engine: a ``Tensor`` wraps a numpy array, records the op that made it, and
backpropagates with PyTorch's semantics.

This file holds what every Tensor has: its attributes, conversions, backward, and the version
counters and saved tensors that in-place edits are checked by. The ops are mixins, one file per
kind (``arithmetic``, ``elementwise``, ``pointwise_math``, ``reductions``, ``scans``, ``movement``,
``indexing``, and ``inplace`` for the in-place edits): each op's forward (a method) stands beside
its backward rule, a static method ``rule(out, g) -> one gradient per input`` written with Tensor
ops, so that with ``create_graph=True`` the backward pass is itself recorded and can be
differentiated again.

In-place edits follow PyTorch. Each Tensor counts its edits in a version counter shared with
its views; a recorded node keeps the versions of what its rule reads (``_saved``), and backward
refuses a rule whose tensors moved on. A recorded edit makes the Tensor a new node (a higher
``_seq``) while ops recorded before it still see its former self (``_previous``); an edited
view rewrites its base, and a view of a base rewritten so is recomputed from it when next used.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import Any, Union

import numpy as np

from autograd import anomaly, capture, grad_mode
from autograd.dtypes import as_dtype, bool_, check_differentiable, device, float32, int64, is_floating
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
    t._saved = None
    t._base = None
    t._base_seq = None
    t._seq = 0
    t._previous = None
    t._origin = None
    t._pending_grad = None
    return t


def record(
    data: np.ndarray,
    inputs: tuple[Tensor, ...],
    rule: Rule,
    ctx: Any = None,
    view_of: Tensor | None = None,
    saved: tuple[tuple[str, Tensor], ...] = (),
) -> Tensor:
    """The result of an op, recorded with its inputs and backward rule when grad mode is on and an
    input requires grad. ``view_of``: the result shares that input's memory (and version counter).
    ``saved``: tensors other than the inputs that the rule reads, named as in ``rule.saves``
    (an index, a condition); like the inputs and output it names, their edits are refused."""
    out = leaf(data)
    if view_of is not None:
        out._version_counter = view_of._version_counter
        out._base = view_of._base if view_of._base is not None else view_of
        if grad_mode._enabled:
            out._base_seq = out._base._seq
    if grad_mode._enabled:
        for t in inputs:
            if t._base_seq is not None:
                t._sync_view()
        if any(t.requires_grad for t in inputs):
            out.requires_grad = True
            out._inputs = inputs
            out._rule = rule
            out._ctx = ctx
            out._seq = next(_sequence)
            if rule.saves:  # type: ignore[attr-defined]
                out._saved = _saved_entries(out, rule.saves, saved)  # type: ignore[attr-defined]
            if capture._active is not None:
                capture._active.made(out)
    if anomaly._depth:
        anomaly.check_forward(out, rule.symbol, inputs)  # type: ignore[attr-defined]
    return out


SavedEntry = tuple[Union[int, str], Union["Tensor", None], list[int], int]  # what, tensor, its version counter, version


def _saved_entries(out: Tensor, saves: Any, saved: tuple[tuple[str, Tensor], ...]) -> tuple[SavedEntry, ...]:
    """What ``out``'s rule will read, each with the version it has now: for the output (``"out"``),
    an input position, or a named tensor of ``saved``. A dict ``saves`` keeps only what the gradient
    of an input that requires grad reads. The counter itself is kept, not the tensor's current one:
    a former self of an edited tensor (``_previous``) still answers to the tensor's edits."""
    if isinstance(saves, dict):
        saves = sorted({s for k, reads in saves.items() if out._inputs[k].requires_grad for s in reads}, key=str)
    entries: list[SavedEntry] = []
    for what in saves:
        if what == "out":
            entries.append((what, None, out._version_counter, out._version_counter[0]))
        elif isinstance(what, int):
            t = out._inputs[what]
            entries.append((what, t, t._version_counter, t._version_counter[0]))
    entries += [(what, t, t._version_counter, t._version_counter[0]) for what, t in saved]
    return tuple(entries)


def _init_from(t: Tensor, source: Tensor) -> None:
    """Make ``t`` hold everything ``source`` holds: data, graph place, version counter."""
    for name in Tensor.__slots__:
        setattr(t, name, getattr(source, name))


_sequence = itertools.count(1)  # recorded nodes are numbered in order: an op's inputs come before it
_new = object.__new__

# The mixins import ``leaf`` and ``record`` from this module, so they are imported after them.
from autograd.arithmetic import Arithmetic  # noqa: E402
from autograd.elementwise import Elementwise  # noqa: E402
from autograd.indexing import Indexing  # noqa: E402
from autograd.inplace import InPlace  # noqa: E402
from autograd.movement import Movement  # noqa: E402
from autograd.pointwise_math import PointwiseMath  # noqa: E402
from autograd.reductions import Reductions  # noqa: E402
from autograd.scans import Scans  # noqa: E402


class Tensor(Node, Arithmetic, Elementwise, PointwiseMath, Reductions, Scans, Movement, Indexing, InPlace):
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
        "_saved",
        "_base",
        "_base_seq",
        "_seq",
        "_previous",
        "_origin",
        "_pending_grad",
    )
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected op
    __hash__ = object.__hash__  # == is elementwise, identity is the hash (graphs keep Tensors in sets)

    @staticmethod
    def _inputs_of(node: Tensor) -> tuple[Tensor, ...]:
        """The inputs as the op saw them. One edited in place since (now a later node: its ``_seq`` is
        at least the op's) is taken back to its former self, once for good, so the gradient flows
        where it did then and the rule sees that self, as in PyTorch."""
        seq = node._seq
        for x in node._inputs:
            if x._seq >= seq:
                node._inputs = tuple(x._as_of(seq) for x in node._inputs)
                break
        return node._inputs

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

    def _check_saved(self) -> None:
        for what, tensor, counter, seen in self._saved or ():
            if counter[0] != seen:
                t = self if tensor is None else tensor
                role = "output" if what == "out" else f"input {what}" if isinstance(what, int) else what
                raise RuntimeError(
                    f"one of the variables needed for gradient computation has been modified by an inplace "
                    f"operation: the {role} of '{self.op}', of shape {t.shape} and dtype {t.dtype}, is at version "
                    f"{counter[0]}; the op saw version {seen}. Edit a clone (x.clone()) instead, or edit after "
                    f"backward."
                )

    def _release(self) -> None:
        """As PyTorch frees saved tensors after backward: a node that saved some can't run again, one
        that saved none (a reshape, a sum, an addition) can; a Function's context forgets what it saved."""
        if self._saved:
            self._ctx, self._saved, self._rule = None, None, _released(self.op)
        elif hasattr(self._ctx, "release_saved"):
            self._ctx.release_saved()


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
