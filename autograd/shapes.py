"""Dims and shapes as PyTorch checks them: the one dim check every op taking ``dim`` goes
through, numpy's ``axis=`` and ``keepdims=`` spellings, size arguments given as ``f(2, 3)`` or
``f((2, 3))``, and broadcasting that names the op."""

from __future__ import annotations

import functools
import inspect
import operator
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np


def dim_index(dim: Any, ndim: int) -> int:
    """``dim`` as an index in ``range(ndim)``; negative dims count from the end. A 0-d tensor takes
    dim 0 or -1, as in PyTorch. Out of range raises PyTorch's ``IndexError``."""
    if isinstance(dim, (bool, np.bool_)) or not hasattr(dim, "__index__"):
        raise TypeError(f"dim must be an int, not {type(dim).__name__}")
    dim = operator.index(dim)  # an int, a numpy int or a 0-d integer tensor
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {dim})")
    return dim % size


def dim_indices(dim: Any, ndim: int) -> tuple[int, ...]:
    """``dim`` (None for all, an int, or a sequence of ints) as sorted indices; a dim named twice raises."""
    if dim is None:
        return tuple(range(ndim))
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    indices = [dim_index(d, ndim) for d in dims]
    if len(set(indices)) != len(indices):
        raise RuntimeError(f"dim {dims} names a dimension more than once")
    return tuple(sorted(i for i in indices if i < ndim))


F = TypeVar("F", bound=Callable[..., Any])

_NUMPY_SPELLINGS = {"axis": "dim", "keepdims": "keepdim"}


def numpy_spellings(op: F) -> F:
    """Decorator: ``op`` also takes numpy's ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=``,
    as PyTorch's ops do (``x.sum(axis=1)``); giving both spellings of one argument is a TypeError."""
    aliases = {alias: name for alias, name in _NUMPY_SPELLINGS.items() if name in inspect.signature(op).parameters}

    @functools.wraps(op)
    def with_numpy_spellings(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            for alias, name in aliases.items():
                if alias in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{op.__name__}() got both {name}= and its numpy spelling {alias}=")
                    kwargs[name] = kwargs.pop(alias)
        return op(*args, **kwargs)

    return with_numpy_spellings  # type: ignore[return-value]


def shape_args(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise TypeError(f"a size must be an int, not {type(n).__name__} ({n!r}) in {shape}")
    return tuple(int(n) for n in shape)


def broadcast_shape(op: str, a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The shape ``a`` and ``b`` broadcast to, or a ``RuntimeError`` naming the op and both shapes."""
    try:
        return np.broadcast_shapes(tuple(a), tuple(b))
    except ValueError:
        raise RuntimeError(
            f"{op}: shapes {tuple(a)} and {tuple(b)} do not broadcast (each dimension, from the last, "
            f"must be equal or 1)"
        ) from None
