"""``draw_dot``: a Graphviz picture of a Value or Tensor graph, a record per value and a node per op."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Union

import graphviz
import numpy as np

from autograd.graph import topological_order
from autograd.tensor import Tensor
from autograd.value import Value

Node = Union[Value, Tensor]

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
    nodes = topological_order((root,), _inputs_of)
    if len(nodes) > max_nodes:
        raise ValueError(
            f"the graph has {len(nodes)} values, more than max_nodes={max_nodes}: draw a smaller graph "
            f"(fewer inputs or a smaller model) or pass a larger max_nodes"
        )
    names = {id(t): name for name, t in (params or {}).items()}
    dot = Graph(format=format, graph_attr={"rankdir": rankdir})
    for node in nodes:
        uid = str(id(node))
        dot.node(uid, label=_record(node, names.get(id(node)), show_grad), shape="record")
        if node.op:
            dot.node(uid + node.op, label=node.op, shape="ellipse")
            dot.edge(uid + node.op, uid)
            for parent in node.inputs:
                dot.edge(str(id(parent)), uid + node.op)
    return dot


def _inputs_of(node: Node) -> tuple[Node, ...]:
    return node.inputs


def _record(node: Node, name: str | None, show_grad: bool) -> str:
    """The record label: ``{ name | data | grad }``."""
    fields = [_escape(name or node.label)]
    if isinstance(node, Value):
        fields.append(f"data {node.data:.4f}")
        if show_grad:
            fields.append(f"grad {node.grad:.4f}")
    else:
        value = f" = {node.data.item():.4g}" if node.data.size == 1 else ""
        fields.append(f"{_shape(node.shape)} {node.dtype}{value}")
        if show_grad and node.grad is not None:
            fields.append(f"grad {_shape(node.grad.shape)} norm {float(np.linalg.norm(node.grad)):.4g}")
    return "{ " + " | ".join(fields) + " }"


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape)) or "scalar"


def _escape(text: str) -> str:
    for ch in "\\{}|<>":
        text = text.replace(ch, "\\" + ch)
    return text
