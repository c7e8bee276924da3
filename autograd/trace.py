"""``trace_backward``: the backward pass as steps you can read, print, save or replay.

A step is one backward rule run by ``graph.backpropagate``, seen through its observer hook, so the
trace is the real pass and leaves the same gradients as ``backward()``. A step holds the node, its
op, the upstream gradient g = d root / d node, and for each input the local derivative
d node / d input, the contribution added to the input's gradient (``+=``, upstream x local) and
that gradient before and after. A Value's rule is linear in g, so its local derivatives are
``rule(node, 1.0)``; a Tensor's Jacobian is too big to show, so its step shows the vector-Jacobian
product (the contribution) by shape and norm.

``trace_forward`` lists the values in the order they were computed. Drawing lives in ``stepper.py``.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.backprop import _outputs_and_root_grads
from autograd.capture import record_forward
from autograd.graph import Node, Rule, backpropagate, topological_order
from autograd.value import Value

INFIX = ("+", "-", "*", "/", "**", "@")


@dataclass(frozen=True)
class Computed:
    """One value of the forward pass: ``node`` = ``op(inputs)`` with this ``value`` (a float or an array)."""

    index: int
    node: Node
    op: str
    value: Any


@dataclass(frozen=True)
class Contribution:
    """What one step adds to one input's gradient: ``added`` = upstream x ``local`` (None where no
    gradient flows: a constant, or an exponent), taking the input's gradient from ``before`` to ``after``
    (sums over this pass so far; None while nothing has arrived)."""

    input: Node
    position: int
    local: float | None
    added: Any
    before: Any
    after: Any


@dataclass(frozen=True)
class Step:
    """One backward rule run: ``node``'s upstream gradient split among its inputs."""

    index: int
    node: Node
    op: str
    upstream: Any
    inputs: tuple[Contribution, ...]
    derivative: str


class Trace:
    """The forward values and the backward steps of one graph, with the names they are shown by."""

    def __init__(
        self,
        root: Node,
        forward: tuple[Computed, ...],
        steps: tuple[Step, ...],
        root_grad: Any,
        names: dict[Node, str],
        modules: dict[Node, tuple[str, ...]],
        module_names: dict[str, str],
    ) -> None:
        self.root, self.forward, self.steps, self.root_grad = root, forward, steps, root_grad
        self.names, self.modules, self.module_names = names, modules, module_names
        self.index = {c.node: c.index for c in forward}
        self._consumers: dict[Node, list[tuple[Step, Contribution]]] = {}
        for step in steps:
            for c in step.inputs:
                self._consumers.setdefault(c.input, []).append((step, c))

    def __len__(self) -> int:
        return len(self.steps)

    def __repr__(self) -> str:
        root = self.names[self.root]
        return f"<Trace of {root}: {len(self.forward)} forward values, {len(self.steps)} backward steps>"

    def consumers(self, node: Node) -> list[tuple[Step, Contribution]]:
        """Every ``+=`` into ``node``'s gradient, in the order they ran: one per use of ``node``."""
        return self._consumers.get(node, [])

    def grad(self, node: Node) -> Any:
        """``node``'s gradient after this pass (None where none arrived)."""
        if node is self.root:
            return self.root_grad
        added = [c.after for _, c in self.consumers(node) if c.added is not None]
        return added[-1] if added else None

    def chain_rule(self, node: Node) -> str:
        """d root / d node as the sum over its consumers, with the numbers of this pass."""
        d = f"d{self.names[self.root]}/d{self.names[node]}"
        if node is self.root:
            return f"{d} = {number(self.root_grad)} (where backward starts)"
        terms = [(step, c) for step, c in self.consumers(node) if c.added is not None]
        if not terms:
            return f"{d}: no gradient (a constant, or not used on the way to {self.names[self.root]})"
        symbols = " + ".join(
            f"d{self.names[self.root]}/d{self.names[s.node]} * d{self.names[s.node]}/d{self.names[node]}"
            for s, _ in terms
        )
        if isinstance(node, Value):
            numbers = " + ".join(f"{number(s.upstream)} * {number(c.local)}" for s, c in terms)
        else:
            numbers = " + ".join(f"({number(c.added)})" for _, c in terms)
        return f"{d} = {symbols}\n  = {numbers}\n  = {number(self.grad(node))}"

    def to_text(self) -> str:
        """The forward values, then the backward steps as a table, one row per input of each step."""
        rows = [("#", "node", "op", "value")]
        for c in self.forward:
            rows.append((str(c.index), self.names[c.node], self.formula(c.node), number(c.value)))
        text = f"forward: {len(self.forward)} values, in the order they were computed\n" + _table(rows)
        if self.root_grad is None:
            return text
        rows = [("step", "node", "op", "upstream", "input", "local", "+= added", "grad before -> after", "rule")]
        for step in self.steps:
            first = (str(step.index), self.names[step.node], step.op, number(step.upstream))
            for k, c in enumerate(step.inputs):
                flow = "no gradient" if c.added is None else f"{number(c.before, '0')} -> {number(c.after)}"
                rows.append(
                    (
                        *(first if k == 0 else ("",) * 4),
                        self.names[c.input],
                        number(c.local, "-"),
                        number(c.added, "-"),
                        flow,
                        step.derivative if k == 0 else "",
                    )
                )
        root = self.names[self.root]
        return (
            f"{text}\n\nbackward: {len(self.steps)} steps, consumers before producers, "
            f"from d{root}/d{root} = {number(self.root_grad)}\n{_table(rows)}"
        )

    def __str__(self) -> str:
        return self.to_text()

    def formula(self, node: Node, name: Callable[[Node], str] | None = None) -> str:
        """How ``node`` was computed, by its inputs' names (``name(input)``, by default ``self.names``):
        ``wx + b``, ``sigmoid(t)``; "leaf" for a leaf."""
        if not node.op:
            return "leaf"
        names = [(name or self.names.__getitem__)(x) for x in node.inputs]
        if node.op in INFIX and len(names) == 2:
            return f"{names[0]} {node.op} {names[1]}"
        return f"{node.op}({', '.join(names)})"

    def to_json(self, indent: int | None = None) -> str:
        """The trace as JSON: nodes by forward index, and steps referring to them."""
        ids = self.index
        nodes = [
            {
                "id": c.index,
                "name": self.names[c.node],
                "op": c.op,
                "inputs": [ids[x] for x in c.node.inputs],
                "value": jsonable(c.value),
                "grad": jsonable(self.grad(c.node)),
                "module": list(self.modules.get(c.node, ())),
            }
            for c in self.forward
        ]
        steps = [
            {
                "step": s.index,
                "node": ids[s.node],
                "op": s.op,
                "derivative": s.derivative,
                "upstream": jsonable(s.upstream),
                "inputs": [
                    {
                        "node": ids[c.input],
                        "position": c.position,
                        "local": jsonable(c.local),
                        "added": jsonable(c.added),
                        "before": jsonable(c.before),
                        "after": jsonable(c.after),
                    }
                    for c in s.inputs
                ],
            }
            for s in self.steps
        ]
        data = {"root": ids[self.root], "root_grad": jsonable(self.root_grad), "nodes": nodes, "steps": steps}
        data["modules"] = self.module_names
        return json.dumps(data, indent=indent, allow_nan=False)

    def _repr_html_(self) -> str:
        from autograd.stepper import Stepper  # presentation is imported only when asked for

        return Stepper(self)._repr_html_()


def trace_backward(
    root: Node,
    gradient: Any = None,
    forward: record_forward | None = None,
    params: Mapping[str, Node] | None = None,
) -> Trace:
    """Run ``root``'s backward pass (as ``root.backward(gradient)``) and return its steps in the order
    they ran. ``forward``: a ``record_forward`` of the forward pass (creation order, module boxes);
    ``params`` names parameters, e.g. ``dict(model.named_parameters())``."""
    outputs, (root_grad,) = _outputs_and_root_grads(root, gradient)
    steps: list[Step] = []

    def observe(node: Node, g: Any, input_grads: Any) -> None:
        steps.append(_step(len(steps) + 1, node, g, input_grads))

    backpropagate(outputs, (root_grad,), retain_graph=isinstance(root, Value), observer=observe)
    trace = trace_forward(root, forward, params)
    return Trace(root, trace.forward, tuple(steps), _plain(root_grad), trace.names, trace.modules, trace.module_names)


def trace_forward(root: Node, forward: record_forward | None = None, params: Mapping[str, Node] | None = None) -> Trace:
    """The values that computed ``root``, each after its inputs: in creation order for the nodes a
    ``record_forward`` saw, otherwise inputs left to right (creation order for straight-line code)."""
    recorded = forward.paths if forward is not None else {}
    order = _forward_order([*recorded, root])
    named = {node: name for name, node in (params or {}).items()}
    if forward is not None:
        named = {**forward.param_names, **named}
    names = {}
    for k, node in enumerate(order, 1):
        names[node] = node.label or named.get(node) or (number(node.data) if _is_constant(node) else f"#{k}")
    modules = {}
    if forward is not None:
        modules = {n: p for n in order if (p := recorded.get(n) or forward.param_paths.get(n))}
    computed = tuple(Computed(k, node, node.op, _plain(node.data)) for k, node in enumerate(order, 1))
    module_names = forward.module_names if forward is not None else {}
    return Trace(root, computed, (), None, names, modules, module_names)


def _forward_order(targets: list[Node]) -> list[Node]:
    """Every node ``targets[-1]`` (the root) depends on, each after its inputs: the recorded ones in
    ``targets``' order, each preceded by its unlisted inputs visited left to right (depth first)."""
    reachable = set(topological_order(targets[-1:]))
    order: list[Node] = []
    done: set[Node] = set()
    for target in targets:
        if target not in reachable:
            continue
        stack: list[tuple[Node, bool]] = [(target, False)]
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            if expanded:
                done.add(node)
                order.append(node)
            else:
                stack.append((node, True))
                stack.extend((x, False) for x in reversed(node.inputs) if x not in done)
    return order


def _step(index: int, node: Node, g: Any, input_grads: Any) -> Step:
    """What ``backpropagate`` is about to add to each input of ``node`` (it adds right after the observer)."""
    rule = node._rule
    local = rule(node, 1.0) if isinstance(node, Value) else None  # a Value's rule is linear in g
    summed: dict[Node, Any] = {}  # an input used twice by this op gets both contributions in turn
    contributions = []
    for k, (x, added) in enumerate(zip(type(node)._inputs_of(node), input_grads)):
        if x is None:
            continue
        before = summed[x] if x in summed else x._pending_grad
        flows = added is not None and x.requires_grad
        after = (added if before is None else before + added) if flows else before
        summed[x] = after
        contributions.append(
            Contribution(
                x,
                k,
                None if local is None else local[k],
                _plain(added) if flows else None,
                _plain(before),
                _plain(after),
            )
        )
    return Step(index, node, node.op, _plain(g), tuple(contributions), derivative(rule))


@functools.cache
def derivative(rule: Rule) -> str:
    """The math comment on a backward rule's ``def`` line, e.g. ``d(a*b) = b da + a db`` ("" if none)."""
    try:
        lines, _ = inspect.getsourcelines(rule)
    except (OSError, TypeError):
        return ""
    for line in lines:
        if line.lstrip().startswith("@"):
            continue
        if "#" in line:
            return line.split("#", 1)[1].strip()
        if line.rstrip().endswith(":"):
            break
    return ""


def _is_constant(node: Node) -> bool:
    """A number an op made into a leaf, such as the 2 of ``x ** 2``: shown by its value when unlabelled."""
    return node.is_leaf and (isinstance(node, Value) or (not node.requires_grad and np.size(node.data) == 1))


def _plain(x: Any) -> Any:
    """A gradient or value as plain data: a float, or a numpy array copy."""
    if x is None or isinstance(x, float):
        return x
    if isinstance(x, Value):
        return x.data
    return np.array(getattr(x, "data", x))


def number(x: Any, none: str = "none") -> str:
    """A float to 4 significant digits; an array as its value (one element) or shape and norm: ``[8x3] norm 1.2``."""
    if x is None:
        return none
    if isinstance(x, np.ndarray) and x.size != 1:
        return f"[{'x'.join(map(str, x.shape))}] norm {float(np.linalg.norm(x)):.4g}"
    return f"{float(np.asarray(x).reshape(())):.4g}"


def jsonable(x: Any) -> Any:
    """A float, or an array as shape, norm and (for up to 64 elements) values; inf and nan as strings."""
    if x is None:
        return None
    if isinstance(x, np.ndarray):
        out = {"shape": list(x.shape), "norm": jsonable(float(np.linalg.norm(x)))}
        if x.size <= 64:
            out["values"] = [jsonable(float(v)) for v in x.ravel()]
        return out
    x = float(x)
    return x if math.isfinite(x) else str(x)


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
