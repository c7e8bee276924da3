"""Making Tensors: from data (``tensor``, ``as_tensor``, ``from_numpy``), constants, ranges, the
identity, and random numbers from a seedable ``Generator`` (float32 by default, as in PyTorch)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.dtypes import as_dtype, check_differentiable, float32, infer_array, int64
from autograd.shapes import shape_args
from autograd.tensor import ArrayLike, Tensor, leaf


def tensor(data: ArrayLike, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new leaf Tensor, copying ``data``; dtype inferred as ``torch.tensor`` does.

    Python floats become float32 and ints int64; a numpy array keeps its dtype.
    """
    array = infer_array(data, dtype)
    if requires_grad:
        check_differentiable(array.dtype)
    return leaf(array, requires_grad)


def as_tensor(data: ArrayLike, dtype: Any = None) -> Tensor:
    """``data`` itself if it is a Tensor (of that dtype), else a new Tensor sharing memory where possible."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray):
        return leaf(data if dtype is None else data.astype(as_dtype(dtype), copy=False))
    return tensor(data, dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A Tensor that shares ``array``'s memory and dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}")
    return leaf(array)


class Generator:
    """A seedable source of random numbers, as ``torch.Generator``; ``.rng`` is the numpy generator."""

    def __init__(self, seed: int | None = None) -> None:
        self.rng = np.random.default_rng(seed)

    def manual_seed(self, seed: int) -> Generator:
        self.rng = np.random.default_rng(seed)
        return self


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, behind ``rand``, ``randn``, ``randint``, ``nn.init`` and shuffling."""
    return default_generator.manual_seed(seed)


def _constant(array: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    """``array`` as a new leaf of ``dtype`` (float32 when None)."""
    return tensor(array, dtype=float32 if dtype is None else dtype, requires_grad=requires_grad)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _constant(np.zeros(shape_args(size)), dtype, requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _constant(np.ones(shape_args(size)), dtype, requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uninitialized in PyTorch; zeros here, so a forgotten write shows up as 0 rather than garbage."""
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    if dtype is None:
        dtype = np.asarray(fill_value).dtype if isinstance(fill_value, (bool, int)) else float32
    return _constant(np.full(shape_args((size,)), fill_value), dtype, requires_grad)


def zeros_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _constant(np.zeros(input.shape), dtype or input.dtype, requires_grad)


def ones_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _constant(np.ones(input.shape), dtype or input.dtype, requires_grad)


def empty_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return zeros_like(input, dtype, requires_grad)


def full_like(input: Tensor, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _constant(np.full(input.shape, fill_value), dtype or input.dtype, requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The n x m identity matrix: ones on the diagonal (m = n by default)."""
    for name, size in (("n", n), ("m", n if m is None else m)):
        if size < 0:
            raise RuntimeError(f"eye: {name} must be greater or equal to 0, got {size}")
    return _constant(np.eye(n, m), dtype, requires_grad)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False, generator: Generator | None = None) -> Tensor:
    """Uniform on [0, 1)."""
    return _constant((generator or default_generator).rng.random(shape_args(size)), dtype, requires_grad)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False, generator: Generator | None = None) -> Tensor:
    """Standard normal."""
    return _constant((generator or default_generator).rng.standard_normal(shape_args(size)), dtype, requires_grad)


def randint(*args: Any, size: Any = None, dtype: Any = None, generator: Generator | None = None) -> Tensor:
    """Integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``, int64."""
    if size is None:
        *args, size = args
    low, high = (0, args[0]) if len(args) == 1 else args
    if high <= low:
        raise RuntimeError(f"randint: high ({high}) must be greater than low ({low})")
    values = (generator or default_generator).rng.integers(low, high, shape_args((size,)))
    return tensor(values, dtype=dtype or int64)


def randperm(n: int, generator: Generator | None = None) -> Tensor:
    return tensor((generator or default_generator).rng.permutation(n))


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """[start, end) by step; int64 when every argument is an int, else float32."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if dtype is None:
        dtype = int64 if all(isinstance(v, int) for v in (start, end, step)) else float32
    count = max(0, math.ceil((end - start) / step))
    return tensor(start + np.arange(count) * step, dtype=dtype)


def range(start: float, end: float, step: float = 1, dtype: Any = None) -> Tensor:
    """[start, end] by step, end included: the deprecated ``torch.range``; float32."""
    if step == 0:
        raise RuntimeError("range: step must be nonzero")
    count = int(math.floor((end - start) / step + 1e-9)) + 1
    return tensor(start + np.arange(max(count, 0)) * step, dtype=dtype or float32)


def linspace(start: float, end: float, steps: int, dtype: Any = None) -> Tensor:
    return tensor(np.linspace(start, end, steps), dtype=dtype or float32)


def multinomial(
    input: Tensor, num_samples: int, replacement: bool = False, *, generator: Generator | None = None
) -> Tensor:
    """Indices of categories drawn with probabilities proportional to the weights in ``input`` (one row,
    or one draw of ``num_samples`` per row of a 2-d tensor); without replacement each category at most
    once. int64, as ``torch.multinomial``."""
    weights = np.asarray(input.data if isinstance(input, Tensor) else input)
    if weights.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {weights.dtype}")
    if weights.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {weights.shape}")
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples (got {num_samples})")
    if not replacement and num_samples > weights.shape[-1]:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement "
            f"({num_samples} > {weights.shape[-1]})"
        )
    if not np.isfinite(weights).all() or (weights < 0).any():
        raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or element < 0")
    rows = weights.reshape(-1, weights.shape[-1]).astype(np.float64)
    if (rows.sum(axis=1) <= 0).any():
        raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
    rng = (generator or default_generator).rng
    draws = [_draw(rng, row / row.sum(), num_samples, replacement) for row in rows]
    return tensor(np.array(draws, dtype=np.int64).reshape(weights.shape[:-1] + (num_samples,)))


def _draw(rng: np.random.Generator, p: np.ndarray, count: int, replacement: bool) -> np.ndarray:
    """``count`` category indices drawn with probabilities ``p``; without replacement, once every category
    of nonzero weight is drawn, those of weight 0 follow (PyTorch also returns them last)."""
    if replacement:
        return rng.choice(len(p), count, p=p)
    nonzero = int(np.count_nonzero(p))
    drawn = rng.choice(len(p), min(count, nonzero), replace=False, p=p)
    rest = np.setdiff1d(np.arange(len(p)), drawn)[: count - len(drawn)]
    return np.concatenate([drawn, rest])
