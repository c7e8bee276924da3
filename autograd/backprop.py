"""The public ways into the backward pass, for both engines: ``backward`` (gradients into each
leaf's ``.grad``) and ``grad`` (gradients returned, ``.grad`` untouched). They check what they are
given and make the gradients the pass starts from (d root / d root); ``graph.backpropagate`` does the rest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.graph import Node, backpropagate
from autograd.tensor import Tensor, leaf
from autograd.value import Value


def backward(
    tensors: Node | Sequence[Node],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Sequence[Node] | None = None,
) -> None:
    """Accumulate d tensors / d leaf into the ``.grad`` of every leaf (``torch.autograd.backward``)."""
    if create_graph:
        raise NotImplementedError(
            "backward(create_graph=True) would need .grad to be a Tensor with a graph; here .grad is a numpy "
            "array, so use autograd.grad(outputs, inputs, create_graph=True) for gradients you differentiate again"
        )
    outputs, root_grads = _outputs_and_root_grads(tensors, grad_tensors)
    if inputs is None:
        backpropagate(outputs, root_grads, retain_graph=bool(retain_graph))
        return
    inputs = _as_nodes(inputs)
    found = backpropagate(outputs, root_grads, retain_graph=bool(retain_graph), capture=inputs)
    for x in inputs:
        if x in found:
            x._store_grad(found[x])


def grad(
    outputs: Node | Sequence[Node],
    inputs: Node | Sequence[Node],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Any, ...]:
    """d outputs / d inputs as a tuple (Tensors, or floats for Values), without touching any ``.grad``.

    With ``create_graph=True`` the results are recorded too, so they can be differentiated again
    (second derivatives, Hessian-vector products); Tensors only.
    """
    outputs, root_grads = _outputs_and_root_grads(outputs, grad_outputs)
    inputs = _as_nodes(inputs)
    if create_graph and isinstance(outputs[0], Value):
        raise NotImplementedError("create_graph=True needs Tensors: Value backward rules compute with plain floats")
    for k, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"input {k} of grad does not require grad: it cannot be differentiated against")
    retain = create_graph if retain_graph is None else retain_graph
    found = backpropagate(outputs, root_grads, retain, create_graph, capture=inputs)
    results = tuple(found.get(x) for x in inputs)
    unused = [k for k, r in enumerate(results) if r is None]
    if unused and not allow_unused:
        raise RuntimeError(
            f"input {unused[0]} was not used to compute the outputs: pass allow_unused=True to get None for it"
        )
    return results


def _as_nodes(nodes: Node | Sequence[Node]) -> tuple[Node, ...]:
    return (nodes,) if isinstance(nodes, Node) else tuple(nodes)


def _outputs_and_root_grads(outputs: Node | Sequence[Node], gradients: Any) -> tuple[tuple[Node, ...], tuple[Any, ...]]:
    """The outputs as a tuple of one engine's nodes, each with the gradient backward starts from."""
    outputs = _as_nodes(outputs)
    if not outputs:
        raise RuntimeError("backward needs at least one output to differentiate")
    if len({isinstance(out, Value) for out in outputs}) > 1:
        raise TypeError("the outputs mix Values and Tensors: differentiate each engine's outputs separately")
    if gradients is None or isinstance(gradients, (Tensor, np.ndarray, int, float)):
        gradients = (gradients,) * len(outputs) if gradients is None else (gradients,)
    if len(gradients) != len(outputs):
        raise RuntimeError(f"got {len(gradients)} gradients for {len(outputs)} outputs")
    for k, out in enumerate(outputs):
        if isinstance(out, Tensor) and out._base_seq is not None:
            out._sync_view()
        if not out.requires_grad:
            raise RuntimeError(
                f"element {k} of the outputs does not require grad and has no grad_fn: nothing leads back to a "
                f"tensor with requires_grad=True"
            )
    return outputs, tuple(_root_grad(out, g) for out, g in zip(outputs, gradients))


def _root_grad(out: Node, gradient: Any) -> Any:
    """d out / d out: 1 for a Value or a one-element Tensor, else the caller's gradient of out's shape."""
    if isinstance(out, Value):
        return 1.0 if gradient is None else float(gradient.data if isinstance(gradient, Value) else gradient)
    if gradient is None:
        if out.data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; this output has shape {out.shape}, "
                f"so pass a gradient of that shape to backward()"
            )
        return leaf(np.ones(out.shape, dtype=out.dtype))
    gradient = gradient if isinstance(gradient, Tensor) else leaf(np.asarray(gradient))
    if gradient.shape != out.shape:
        raise RuntimeError(f"the gradient has shape {gradient.shape} but the output has shape {out.shape}")
    return gradient.to(out.dtype)
