"""In-place edits as PyTorch makes them: ``x.add_(y)``, ``x[i] = v``, ``x.exp_()``, ``x.fill_(0)``...

Every edit writes into the Tensor's array (its views see the change) and bumps the version counter
it shares with them. With grad mode on, an edit of a tensor in the graph is also recorded as an op:
the Tensor becomes a new node (a higher ``_seq``) whose input is a snapshot of its former self, with
the values from before the edit, which the op's rule may read (``x.mul_(y)`` gives y the old x).
Ops recorded before the edit still see that former self (``_previous``), so their gradients flow
where they did then. An edited view rewrites its base (an ``index_put`` of the view's elements), and
a view of a base rewritten so is recomputed from it when next used (``_sync_view``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import grad_mode
from autograd.arithmetic import Arithmetic
from autograd.dtypes import cast_number, is_floating
from autograd.indexing import Indexing, Where
from autograd.tensor import _init_from, _new, _sequence, leaf, record

if TYPE_CHECKING:
    from autograd.tensor import ArrayLike, Tensor


class InPlace:
    """In-place edits of ``Tensor`` (a mixin)."""

    def _in_place(
        self,
        apply: Callable[[np.ndarray], Any],
        compute: Callable[[Tensor], Tensor],
        operands: Sequence[Any] = (),
        written: np.ndarray | None = None,
    ) -> Tensor:
        """Edit this Tensor in place: ``apply(self.data)`` edits the array and the version counter goes up.
        When grad mode records the edit, ``compute(previous)`` is the same edit as an op on a snapshot of
        this Tensor (its place in the graph, its values before the edit); the op's result is written
        into this Tensor, which takes the op's place in the graph (and a view's base takes it over the
        view's elements). ``written``: the elements the edit writes, if not all of them (``x[i] = v``)."""
        if self._base_seq is not None:
            self._sync_view()
        recorded = (  # an integer or bool tensor has no gradient, whatever is written into it
            grad_mode._enabled
            and is_floating(self.dtype)
            and (self.requires_grad or any(getattr(x, "requires_grad", False) for x in operands))
        )
        self._check_editable(recorded)
        _check_no_overlap(self.data if written is None else written, operands)
        if not recorded:
            apply(self.data)
            self._version_counter[0] += 1
            return self
        previous = _snapshot(self)
        result = compute(previous)
        self._write(result)
        self._version_counter[0] += 1
        if self._base is None:
            self._adopt(previous, result)
        else:  # the base's elements under this view now come from ``result``, the others from the base before
            base, where = self._base, _positions_in(self.data, self._base.data)
            base_before = _graph_copy(base)
            base._adopt(base_before, record(base.data, (base_before, result), Indexing._index_put_backward, where))
            self._adopt(previous, record(self.data, (base,), Indexing._gather_backward, where))
            self._base_seq = base._seq
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

    def _check_editable(self, recorded: bool) -> None:
        """Refuse the in-place edits PyTorch refuses: of a leaf that requires grad (or a view of one)
        when recorded, of a view made under no_grad whose base requires grad, of a broadcast view."""
        base = self._base
        if grad_mode._enabled and base is not None and self._base_seq is None and base.requires_grad:
            raise RuntimeError(
                f"a view of shape {self.shape} was created under no_grad and is being edited in place with grad "
                f"mode on: its base requires grad, and the edit can't be recorded. Make the view with grad mode on, "
                f"or edit it under autograd.no_grad()"
            )
        if recorded and self.requires_grad and self.is_leaf:
            raise RuntimeError(
                f"a leaf Tensor of shape {self.shape} that requires grad is being used in an in-place operation: "
                f"do it under autograd.no_grad(), or on a clone"
            )
        if recorded and base is not None and base.requires_grad and base.is_leaf:
            raise RuntimeError(
                f"a view of a leaf Tensor that requires grad (shape {base.shape}) is being used in an in-place "
                f"operation: do it under autograd.no_grad(), or on a clone"
            )
        if not self.data.flags.writeable:
            raise RuntimeError(f"this tensor of shape {self.shape} is a broadcast view: clone() it before editing it")

    def _adopt(self, previous: Tensor | None, result: Tensor) -> None:
        """Take ``result``'s place in the graph, keeping the data. Ops recorded earlier still see
        ``previous``, this Tensor's former self (``Tensor._inputs_of`` takes them back to it)."""
        self.requires_grad = result.requires_grad
        self._inputs, self._rule, self._ctx, self._origin = result._inputs, result._rule, result._ctx, result._origin
        self._previous, self._seq = previous, next(_sequence)
        counter = self._version_counter
        self._saved = result._saved and tuple(
            ("out", None, counter, counter[0]) if entry[0] == "out" else entry for entry in result._saved
        )

    def _as_of(self, seq: int) -> Tensor:
        """This Tensor as the op numbered ``seq`` saw it: its former self from before later in-place edits."""
        t = self
        while t._seq >= seq:
            t = t._previous
        return t

    def _sync_view(self) -> None:
        """A view whose base took a new place in the graph (a recorded in-place edit of the base or of
        another of its views) is recomputed from the base when next used with grad mode on, as PyTorch
        does: it picks its elements out of the base as it is now. ``_base_seq`` is the base's ``_seq``
        when the view's graph was made, or None for a view made under no_grad."""
        base = self._base
        if self._base_seq == base._seq or not grad_mode._enabled:
            return
        self._base_seq = base._seq
        if base.requires_grad:
            where = _positions_in(self.data, base.data)
            self._adopt(_graph_copy(self), record(self.data, (base,), Indexing._gather_backward, where))

    def zero_(self) -> Tensor:
        return self.fill_(0)

    def fill_(self, value: Any) -> Tensor:
        """Set every element to ``value``; no gradient flows to what was there before."""
        value = cast_number(value.item() if isinstance(value, Arithmetic) else value, self.dtype)
        return self._in_place(lambda data: data.fill(value), lambda t: t._filled(value))

    def copy_(self, source: ArrayLike) -> Tensor:
        """Copy ``source`` (broadcast to this shape, cast to this dtype) into this Tensor; gradients flow to it."""
        return self._in_place_result(lambda t: t._replaced_by(source), (source,))

    def detach_(self) -> Tensor:
        """Cut this Tensor from the graph in place: it becomes a leaf that does not require grad."""
        if self._base is not None:
            raise RuntimeError("detach_() can't cut a view from the graph in place: use detach() instead")
        self._adopt(_graph_copy(self), leaf(self.data))
        return self


def _graph_copy(t: Tensor) -> Tensor:
    """A second Tensor object for ``t``'s data, version counter and place in the graph."""
    copy = _new(type(t))
    _init_from(copy, t)
    copy.grad, copy.label, copy._retains_grad = None, "", False
    return copy


def _snapshot(t: Tensor) -> Tensor:
    """``t``'s place in the graph with a copy of its values: the input of an in-place op, whose rule may
    read the values from before the edit (PyTorch keeps such an "original self" too)."""
    copy = _graph_copy(t)
    copy.data, copy._version_counter = t.data.copy(), [t._version_counter[0]]
    copy._base, copy._base_seq = None, None
    return copy


def _check_no_overlap(written: np.ndarray, operands: Sequence[Any]) -> None:
    """Refuse an operand that shares memory with the written elements, unless it is those very elements
    (``x.add_(x)``), as PyTorch does: its result would depend on the order elements are written in."""
    for x in operands:
        source = x.data if isinstance(x, Arithmetic) else None
        if source is None or not np.may_share_memory(written, source):
            continue
        same = (source.__array_interface__["data"][0], source.shape, source.strides) == (
            written.__array_interface__["data"][0],
            written.shape,
            written.strides,
        )
        if not same and np.shares_memory(written, source):
            raise RuntimeError(
                f"unsupported operation: some elements of the input of shape {source.shape} and of the edited "
                f"tensor refer to a single memory location: clone() the input first"
            )


def _positions_in(view: np.ndarray, base: np.ndarray) -> Where:
    """Where in ``base`` each element of ``view``, a numpy view of base's memory, sits: the elements at
    the same addresses, as an index. It serves every view alike, however it was made."""
    if base.ndim == 0:
        return Where((None,) * view.ndim + (Ellipsis,), None)
    base_addresses = _addresses(base).ravel()
    order = np.argsort(base_addresses)
    flat = order[np.searchsorted(base_addresses, _addresses(view), sorter=order)]
    return Where((Ellipsis,), np.unravel_index(flat, base.shape))


def _addresses(a: np.ndarray) -> np.ndarray:
    """The memory address of every element of ``a``."""
    offsets = [index * stride for index, stride in zip(np.indices(a.shape, sparse=True), a.strides)]
    return a.__array_interface__["data"][0] + sum(offsets, np.zeros(a.shape, dtype=np.intp))


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
    "tril triu masked_fill scatter"
).split()
for _name in IN_PLACE_FORMS:
    setattr(InPlace, f"{_name}_", _in_place_form(_name))
