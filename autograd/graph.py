"""What both engines share: the node interface, the topological order of a graph, and the one
backward pass that runs every backward rule, consumers before producers.

A node is a ``Value`` or a ``Tensor``. Each records the op that made it as a backward *rule*:
``rule(out, g) -> (one gradient per input, None where none flows)``, with ``g`` the gradient of
the root with respect to ``out``. ``rule_for`` names the op a rule belongs to and which of the
op's tensors its backward reads (the version check of in-place edits looks at those).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

from autograd import anomaly, grad_mode

Rule = Callable[[Any, Any], Sequence[Any]]
R = TypeVar("R", bound=Rule)

_EMIT = object()  # stack marker: the node below it has all its inputs emitted


class Node:
    """The interface a ``Value`` and a ``Tensor`` both present, so ``nn``, ``gradcheck``, ``draw_dot``
    and the backward pass serve the two engines with one code path.

    Subclasses hold ``data``, ``grad``, ``label``, the rule that made them (``_rule``, None for a
    leaf) and ``_pending_grad``, the gradient summed so far while a backward pass runs (None
    otherwise), and give ``_inputs_of``, a fast getter of a node's inputs (None for "no input").
    """

    __slots__ = ()
    _inputs_of: Callable[[Any], Iterable[Any]]
    _rule: Rule | None

    @property
    def op(self) -> str:
        """The symbol of the op that made this node ("" for a leaf)."""
        return self._rule.symbol if self._rule is not None else ""  # type: ignore[attr-defined]

    @property
    def inputs(self) -> tuple[Any, ...]:
        """The nodes this one was computed from (empty for a leaf)."""
        return tuple(x for x in type(self)._inputs_of(self) if x is not None)

    @property
    def is_leaf(self) -> bool:
        """True for a node made by the user rather than by a recorded op."""
        return self._rule is None

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget this node's gradient before the next backward pass accumulates a new one
        (None for a Tensor, or zeros with ``set_to_none=False``; 0.0 for a Value)."""
        raise NotImplementedError

    def _store_grad(self, g: Any) -> None:
        """Keep ``g``, this node's gradient from one backward pass, where the user reads it (``.grad``)."""
        raise NotImplementedError

    def _check_saved(self) -> None:
        """Raise if a tensor this node's backward reads was edited in place since the op saved it."""

    def _release(self) -> None:
        """Drop what only a further backward pass through this node would need (a Value keeps it all:
        its graph can run again, as micrograd's can)."""


def rule_for(symbol: str, saves: tuple[int | str, ...] | dict[int, tuple[int | str, ...]] = ()) -> Callable[[R], R]:
    """Decorator naming the op a backward rule belongs to (``node.op`` and ``draw_dot`` show it).

    ``saves`` lists what the rule reads the values of: input positions, ``"out"``, or the name of a
    tensor the op passes to ``record(saved=...)`` (an index, a condition). As a dict ``{k: (...)}``
    it lists what the gradient of input k reads, so a tensor is saved only when an input whose
    gradient reads it requires grad, as in PyTorch (``a * b`` keeps ``b`` only for ``a``'s gradient).
    An in-place edit of a saved tensor between the forward and the backward pass would make the
    gradient wrong, so backward refuses it; a tensor read only for its shape is not saved and may be edited.
    """

    def tag(rule: R) -> R:
        rule.symbol = symbol  # type: ignore[attr-defined]
        rule.saves = saves  # type: ignore[attr-defined]
        return rule

    return tag


def topological_order(roots: Iterable[Any]) -> list[Any]:
    """Every node reachable from ``roots``, each listed after all of its inputs.

    Iterative depth-first post-order, so a chain of a million nodes is fine: a node is expanded
    once, pushed back under an ``_EMIT`` marker, and emitted when the marker surfaces, after
    everything pushed above it (its inputs).
    """
    roots = list(roots)
    if not roots:
        return []
    inputs_of = type(roots[0])._inputs_of
    order: list[Any] = []
    seen: set[Any] = {None}  # None stands for "no input" and is never expanded
    stack: list[Any] = roots
    while stack:
        node = stack.pop()
        if node is _EMIT:
            order.append(stack.pop())
        elif node not in seen:
            seen.add(node)
            stack.append(node)
            stack.append(_EMIT)
            stack.extend(inputs_of(node))
    return order


Observer = Callable[[Any, Any, Sequence[Any]], None]


def backpropagate(
    roots: Sequence[Any],
    root_grads: Sequence[Any],
    retain_graph: bool = False,
    create_graph: bool = False,
    capture: Sequence[Any] | None = None,
    observer: Observer | None = None,
) -> dict[Any, Any]:
    """The backward pass: run every rule once, consumers first, summing each node's gradient.

    ``root_grads`` are d root / d root (1 for a scalar root). Without ``capture`` every node keeps its
    gradient where the user reads it (``backward``); with it, nothing's ``.grad`` changes and the
    gradients of the ``capture`` nodes are returned instead (``autograd.grad``). ``observer(node,
    g, input_grads)`` sees each rule's result as it runs (the backward-pass viewer uses it).
    Under ``create_graph`` the rules' own ops are recorded, so the gradients can be differentiated.
    """
    for root, g in zip(roots, root_grads):
        root._pending_grad = g if root._pending_grad is None else root._pending_grad + g
    wanted = set(capture or ())
    found: dict[Any, Any] = {}
    order = topological_order(roots)
    inputs_of = type(roots[0])._inputs_of
    check_anomaly = anomaly.check_backward if anomaly.enabled() else None
    # numpy's warnings are off (masked 0 * inf is expected in rules); anomaly mode checks each rule's result
    with grad_mode.set_grad_enabled(create_graph), np.errstate(all="ignore"), anomaly.backward_pass():
        for node in reversed(order):
            g = node._pending_grad
            if g is None:
                continue
            node._pending_grad = None
            if capture is None:
                node._store_grad(g)
            elif node in wanted:
                found[node] = g
            rule = node._rule
            if rule is None:
                continue
            if rule.saves:
                node._check_saved()
            input_grads = rule(node, g)
            if check_anomaly is not None:
                check_anomaly(node, input_grads)
            if observer is not None:
                observer(node, g, input_grads)
            for parent, pg in zip(inputs_of(node), input_grads):
                if pg is not None and parent is not None and parent.requires_grad:
                    so_far = parent._pending_grad
                    parent._pending_grad = pg if so_far is None else so_far + pg
            if not retain_graph:
                node._release()
    return found
