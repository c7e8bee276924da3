"""``autograd.Function``: your own op with your own backward rule, as ``torch.autograd.Function``.

Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)``; call it as
``MyOp.apply(*args)``. ``forward`` runs without recording; ``apply`` records its result as one node
whose backward rule calls your ``backward``. Written with Tensor ops, ``backward`` is recorded in
turn under ``create_graph=True``, so the op can be differentiated twice. Values work too (an op of
at most two Values): ``forward`` gets the Values, ``backward`` the gradient as a float.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import grad_mode
from autograd.arithmetic import sum_to
from autograd.graph import Node, rule_for
from autograd.tensor import Tensor, leaf, record
from autograd.value import Value, _result


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: saved tensors, ``needs_input_grad``, any attribute you set."""

    def __init__(self, function: type[Function], args: tuple[Any, ...]) -> None:
        self.function = function
        self.needs_input_grad = tuple(isinstance(a, Node) and a.requires_grad for a in args)
        self._saved: tuple[Any, ...] = ()
        self._versions: tuple[int | None, ...] = ()

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep ``tensors`` (Tensors, Values or None) for backward; an in-place edit of one before then is refused."""
        self._saved = tensors
        self._versions = tuple(t._version if isinstance(t, Tensor) else None for t in tensors)

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        if self._saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time, or to read the tensors {self.function.__name__} "
                f"saved after backward freed them: pass retain_graph=True to the first backward() to keep them"
            )
        for k, (t, seen) in enumerate(zip(self._saved, self._versions)):
            if seen is not None and t._version != seen:
                raise RuntimeError(
                    f"one of the tensors needed for gradient computation has been modified by an inplace operation: "
                    f"tensor {k} saved by {self.function.__name__}.forward, of shape {t.shape}, is at version "
                    f"{t._version}; it was saved at version {seen}"
                )
        return self._saved

    def release_saved(self) -> None:
        """Forget the saved tensors, as PyTorch frees them after a backward pass that does not retain the graph."""
        if self._saved:
            self._saved, self._versions = None, None

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Accepted for PyTorch listings; the result of ``apply`` is one node, differentiable as a whole."""


class Function:
    """Base class of a custom op: define static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``.

    ``backward`` returns one gradient per argument of ``forward`` (None for one that needs none).
    The newer PyTorch form also works: ``forward(*args)`` without ``ctx``, plus static
    ``setup_context(ctx, inputs, output)``.
    """

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any) -> Any:
        raise NotImplementedError("a Function subclass defines a static forward(ctx, *args)")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        raise NotImplementedError("a Function subclass defines a static backward(ctx, *grad_outputs)")

    setup_context: Callable[..., None] | None = None

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run ``forward`` on ``args`` and record the result, so that backward calls this class's ``backward``."""
        nodes = [a for a in args if isinstance(a, Node)]
        if len({isinstance(a, Value) for a in nodes}) > 1:
            raise TypeError(f"{cls.__name__}.apply got both Values and Tensors: one engine per op")
        ctx = FunctionCtx(cls, args)
        with grad_mode.no_grad():
            if cls.setup_context is not None:
                output = cls.forward(*args)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args)
        if isinstance(output, (tuple, list)):
            raise TypeError(f"{cls.__name__}.forward returned {len(output)} outputs; a Function here returns one")
        positions = [k for k, a in enumerate(args) if isinstance(a, Node)]
        rule = rule_for(cls.__name__)(functools.partial(_run_backward, ctx, positions))
        if nodes and isinstance(nodes[0], Value):
            return _value_node(cls, output, nodes, rule)
        return _tensor_node(output, args, tuple(nodes), rule, ctx)


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator for a ``backward`` that is not itself differentiable: it runs without recording."""

    @functools.wraps(backward)
    def run(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        with grad_mode.no_grad():
            return backward(ctx, *grad_outputs)

    return run


def _tensor_node(output: Any, args: tuple[Any, ...], inputs: tuple[Tensor, ...], rule: Any, ctx: FunctionCtx) -> Tensor:
    """``output`` as the recorded result of the op: forward's own fresh Tensor where possible, so a
    saved output is the node itself (as in PyTorch), else a new one sharing its data. The node keeps
    ``ctx``, whose saved tensors backward frees (``release_saved``) unless told to retain the graph."""
    data = output.data if isinstance(output, Tensor) else np.asarray(output)
    fresh = isinstance(output, Tensor) and output.is_leaf and not output.requires_grad
    fresh = fresh and not any(output is a for a in args)
    result = record(data, inputs, rule, ctx)
    if not fresh or not result.requires_grad:
        return result
    output._adopt(None, result)
    return output


def _value_node(function: type[Function], output: Any, inputs: list[Value], rule: Any) -> Value:
    if len(inputs) > 2:
        raise TypeError(f"{function.__name__}: a Function on Values takes at most two Values (got {len(inputs)})")
    data = float(output.data if isinstance(output, Value) else output)
    return _result(data, inputs[0], inputs[1] if len(inputs) > 1 else None, rule)


def _run_backward(ctx: FunctionCtx, positions: list[int], out: Any, g: Any) -> tuple[Any, ...]:
    """The node's rule: the user's ``backward``, its result checked and shaped as the engine needs it."""
    name = ctx.function.__name__
    grads = ctx.function.backward(ctx, g)
    grads = grads if isinstance(grads, tuple) else (grads,)
    expected = len(ctx.needs_input_grad)
    if len(grads) < expected or any(x is not None for x in grads[expected:]):
        raise RuntimeError(
            f"function {name}.backward returned an incorrect number of gradients "
            f"(expected {expected}, got {len(grads)})"
        )
    inputs = out.inputs
    return tuple(_gradient(name, k, grads[k], x) for k, x in zip(positions, inputs))


def _gradient(name: str, k: int, g: Any, x: Node) -> Any:
    """One input's gradient from a user's ``backward``: a float for a Value, a Tensor of ``x``'s shape and dtype."""
    if g is None:
        return None
    if isinstance(x, Value):
        return float(g.data if isinstance(g, Value) else g)
    g = g if isinstance(g, Tensor) else leaf(np.asarray(g, dtype=x.dtype))
    if g.shape != x.shape:
        try:
            expandable = np.broadcast_shapes(x.shape, g.shape) == g.shape
        except ValueError:
            expandable = False
        if not expandable:
            raise RuntimeError(
                f"function {name}.backward returned an invalid gradient at index {k}: got shape {g.shape} but "
                f"expected a shape compatible with {x.shape}"
            )
        g = sum_to(g, x.shape)  # x was broadcast in forward: its gradient sums over the broadcast dims
    return g.to(x.dtype)
