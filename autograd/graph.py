"""What both engines share: the topological order of a graph (no recursion), and ``rule_for``,
which names the op each backward rule belongs to.

A node's inputs are read through ``inputs_of(node)``, so ``Value`` (two direct
input slots) and ``Tensor`` (a tuple of inputs) walk their graphs with the
same code. Backward visits the order reversed: every node after all of the
nodes that consumed it, so its gradient is complete when its rule runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

Node = TypeVar("Node")
Rule = TypeVar("Rule", bound=Callable[..., Any])

_EMIT = object()  # stack marker: the node below it has all its inputs emitted


def topological_order(roots: Iterable[Node], inputs_of: Callable[[Node], Iterable[Any]]) -> list[Node]:
    """Every node reachable from ``roots``, each listed after all of its inputs.

    Iterative depth-first post-order, so a chain of a million nodes is fine: a
    node is expanded once, pushed back under an ``_EMIT`` marker, and emitted
    when the marker surfaces, after everything pushed above it (its inputs).
    ``None`` entries in ``inputs_of(node)`` mean "no input".
    """
    order: list[Node] = []
    seen: set[Any] = {None}  # None stands for "no input" and is never expanded
    stack: list[Any] = list(roots)
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


def rule_for(symbol: str) -> Callable[[Rule], Rule]:
    """Decorator naming the op a backward rule belongs to: ``.op`` and ``draw_dot`` show ``rule.symbol``."""

    def tag(rule: Rule) -> Rule:
        rule.symbol = symbol  # type: ignore[attr-defined]
        return rule

    return tag
