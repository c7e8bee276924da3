"""Shared test helpers: moving data between autograd and torch, comparing results, hypothesis strategies.

Typical use::

    x = leaf(data)                      # autograd float64 leaf that requires grad
    xt = to_torch(data)                 # torch float64 leaf that requires grad, same values
    assert_close(x.tanh(), xt.tanh())   # same shape, values within rtol 1e-10
"""

from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd


def as_numpy(x: Any) -> np.ndarray:
    """The values of an autograd Tensor, torch tensor, numpy array or number, as a numpy array (no copy promise)."""
    if isinstance(x, autograd.Tensor):
        return np.asarray(x.data)
    if isinstance(x, torch.Tensor):
        return x.detach().numpy()
    return np.asarray(x)


def to_torch(x: Any, requires_grad: bool = True) -> torch.Tensor:
    """A float64 torch leaf holding a copy of ``x`` (autograd Tensor, array or number)."""
    return torch.tensor(as_numpy(x), dtype=torch.float64, requires_grad=requires_grad)


def leaf(x: Any, requires_grad: bool = True) -> autograd.Tensor:
    """A float64 autograd leaf holding a copy of ``x`` (autograd Tensor, torch tensor, array or number)."""
    return autograd.tensor(np.array(as_numpy(x), dtype=np.float64), requires_grad=requires_grad)


def dtype_name(x: Any) -> str:
    """The bare dtype name of a tensor, array or dtype: "float32", "int64", "bool"."""
    dtype = getattr(x, "dtype", x)
    return str(dtype).removeprefix("torch.")


def assert_close(ours: Any, theirs: Any, rtol: float = 1e-10, atol: float = 1e-12) -> None:
    """Assert equal shapes and values within tolerance (nan matches nan); either side may be any array-like."""
    a, b = as_numpy(ours), as_numpy(theirs)
    assert a.shape == b.shape, f"shape {a.shape} != expected {b.shape}"
    np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), rtol=rtol, atol=atol, equal_nan=True)


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> st.SearchStrategy:
    """Array shapes, 0-d included by default."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcast_pairs(min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    """Pairs of shapes that broadcast together, including 0-d and size-1 dimensions."""
    return hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=min_dims, max_dims=max_dims, max_side=max_side).map(
        lambda b: b.input_shapes
    )


def arrays(shape: Any, low: float = -3.0, high: float = 3.0) -> st.SearchStrategy:
    """float64 arrays of ``shape`` (a tuple or a strategy of tuples) with values in [low, high]."""
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return hnp.arrays(np.float64, shape, elements=elements)


def random_like(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """A reproducible standard-normal float64 array, e.g. an upstream gradient for ``backward``."""
    return np.random.default_rng(seed).standard_normal(shape)


def backward_both(ours: autograd.Tensor, theirs: torch.Tensor, seed: int = 0) -> None:
    """Backpropagate the same random upstream gradient through our output and torch's."""
    upstream = random_like(tuple(theirs.shape), seed)
    ours.backward(autograd.tensor(upstream))
    theirs.backward(torch.from_numpy(upstream))


def compare(
    fn: Any, *inputs: Any, torch_fn: Any = None, seed: int = 0, rtol: float = 1e-10, atol: float = 1e-12
) -> None:
    """Run ``fn`` on float64 autograd leaves and ``torch_fn`` (default: ``fn``) on torch leaves made from ``inputs``.

    Asserts equal forward values and dtypes, then backpropagates the same random upstream gradient through both
    and asserts equal input gradients (an input neither side uses must have no gradient on both).
    """
    ours, theirs = [leaf(x) for x in inputs], [to_torch(x) for x in inputs]
    out, ref = fn(*ours), (torch_fn or fn)(*theirs)
    assert_close(out, ref, rtol, atol)
    assert dtype_name(out) == dtype_name(ref)
    backward_both(out, ref, seed)
    for x, xt in zip(ours, theirs):
        assert (x.grad is None) == (xt.grad is None), "one side has a gradient, the other has none"
        if xt.grad is not None:
            assert_close(x.grad, xt.grad, rtol, atol)


def compare_second(
    fn: Any, x: Any, torch_fn: Any = None, seed: int = 0, rtol: float = 1e-9, atol: float = 1e-11
) -> None:
    """Second derivatives against torch in float64: with random ``u`` and ``v``, the gradient of
    ``<v, d<u, fn(x)>/dx>`` (a Hessian-vector product) on both sides. Where one side's first gradient is
    a constant (nothing to differentiate again: a piecewise-linear op), the other's second derivative must be 0."""
    ours, theirs = leaf(x), to_torch(x)
    out, ref = fn(ours), (torch_fn or fn)(theirs)
    u, v = random_like(tuple(ref.shape), seed), random_like(np.shape(x), seed + 1)
    (g,) = autograd.grad(out, ours, grad_outputs=u, create_graph=True)
    (gt,) = torch.autograd.grad(ref, theirs, grad_outputs=torch.from_numpy(u), create_graph=True)
    assert_close(g, gt, rtol, atol)
    second = autograd.grad((g * v).sum(), ours, allow_unused=True)[0] if g.requires_grad else None
    second_t = (
        torch.autograd.grad((gt * torch.from_numpy(v)).sum(), theirs, allow_unused=True)[0]
        if gt.requires_grad
        else None
    )
    zeros = np.zeros(np.shape(x))
    if second_t is None or second_t._is_zerotensor():  # torch's symbolic zeros have no numpy form
        second_t = zeros
    assert_close(zeros if second is None else second, second_t, rtol, atol)


def outcome_of(L: Any, program: Any) -> tuple[str, Any]:
    """Run ``program(L, stage)`` with ``L`` = torch or autograd: ("ok", its results as numpy arrays), or
    ("raised", (stage, exception class name, message)), ``stage`` being what the program last set
    ``stage[0]`` to before it raised ("forward" at first; "edit", "backward", ...)."""
    stage = ["forward"]
    try:
        results = program(L, stage)
    except Exception as error:  # noqa: BLE001 - the exception class is what is compared
        return "raised", (stage[0], type(error).__name__, str(error))
    return "ok", [None if r is None else as_numpy(r).copy() for r in results or ()]


def assert_same_outcome(program: Any, rtol: float = 1e-10, atol: float = 1e-12) -> tuple[str, Any]:
    """Run ``program`` (see ``outcome_of``) with torch and with autograd: both raise at the same stage
    with the same exception class, or both give the same results. Returns ours."""
    theirs, ours = outcome_of(torch, program), outcome_of(autograd, program)
    assert theirs[0] == ours[0], f"torch {theirs}, ours {ours}"
    if theirs[0] == "raised":
        assert theirs[1][:2] == ours[1][:2], f"torch {theirs[1]}, ours {ours[1]}"
    else:
        assert len(theirs[1]) == len(ours[1])
        for t, o in zip(theirs[1], ours[1]):
            assert (t is None) == (o is None), f"torch {t}, ours {o}"
            if t is not None:
                assert_close(o, t, rtol, atol)
                assert o.dtype == t.dtype, f"dtype {o.dtype} != torch's {t.dtype}"
    return ours


def f64(L: Any, values: Any, requires_grad: bool = False) -> Any:
    """A float64 tensor of library ``L`` (torch or autograd) holding ``values``."""
    return L.tensor(values, dtype=L.float64, requires_grad=requires_grad)
