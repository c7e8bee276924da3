"""``draw_dot``: a Graphviz picture of a Value or Tensor graph, a record per value and a node per op."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import graphviz
import numpy as np

from autograd.graph import Node, topological_order

INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to render graphs: install it with your system's package manager "
    "(apt-get install graphviz, brew install graphviz, conda install graphviz) or from graphviz.org. "
    "The DOT text is available without it as .source."
)


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering says how to install Graphviz when ``dot`` is missing."""

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise RuntimeError(INSTALL_HINT) from error

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise RuntimeError(INSTALL_HINT) from error


def draw_dot(
    root: Node,
    rankdir: str = "LR",
    show_grad: bool = True,
    max_nodes: int = 500,
    params: Mapping[str, Node] | None = None,
    format: str = "svg",
) -> Graph:
    """The graph that computed ``root``: a record per value (label, data or shape and dtype, grad)
    and an ellipse per op. ``params`` (e.g. ``dict(model.named_parameters())``) names parameters.
    A graph of more than ``max_nodes`` values is refused rather than left to hang the renderer."""
    nodes = topological_order((root,))
    if len(nodes) > max_nodes:
        raise ValueError(
            f"the graph has {len(nodes)} values, more than max_nodes={max_nodes}: draw a smaller graph "
            f"(fewer inputs or a smaller model) or pass a larger max_nodes"
        )
    names = {id(t): name for name, t in (params or {}).items()}
    computed = any(isinstance(n.grad, np.ndarray) or (n.grad is not None and n.grad != 0) for n in nodes)
    dot = Graph(format=format, graph_attr={"rankdir": rankdir})
    for node in nodes:
        uid = str(id(node))
        dot.node(uid, label=_record(node, names.get(id(node)), show_grad, computed), shape="record")
        if node.op:
            dot.node(uid + node.op, label=node.op, shape="ellipse")
            dot.edge(uid + node.op, uid)
            for parent in node.inputs:
                dot.edge(str(id(parent)), uid + node.op)
    return dot


def _record(node: Node, name: str | None, show_grad: bool, computed: bool) -> str:
    """The record label: ``{ name | data | grad }``."""
    fields = [_escape(name or node.label)]
    dtype = f" {node.data.dtype}" if isinstance(node.data, np.ndarray) else ""  # a Tensor's; a Value holds a float
    if np.ndim(node.data) == 0:
        fields.append(f"data {float(node.data):.4f}{dtype}")
    else:
        fields.append(f"{_shape(node.data.shape)}{dtype}")
    if show_grad:
        fields.append(_grad_field(node, computed))
    return "{ " + " | ".join(fields) + " }"


def _grad_field(node: Node, computed: bool) -> str:
    """The grad as a number (0-d) or as shape and norm; before any backward pass "not computed yet"
    rather than 0, which learners read as a real gradient."""
    grad = node.grad
    if grad is None and computed and not node.is_leaf:
        return "grad not kept (retain_grad() keeps it)"
    if grad is None or not computed:
        return "grad not computed yet"
    if np.ndim(grad) == 0:
        return f"grad {float(grad):.4f}"
    return f"grad {_shape(np.shape(grad))} norm {float(np.linalg.norm(grad)):.4g}"


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape)) or "scalar"


def _escape(text: str) -> str:
    for ch in "\\{}|<>":
        text = text.replace(ch, "\\" + ch)
    return text
