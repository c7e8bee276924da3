"""Functions that make new Tensors: constants, ranges and random numbers (float32 by default)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.tensor import Tensor, _shape_args, float32, int64, tensor


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


def _new(array: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    return tensor(array, dtype=float32 if dtype is None else dtype, requires_grad=requires_grad)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _new(np.zeros(_shape_args(size)), dtype, requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _new(np.ones(_shape_args(size)), dtype, requires_grad)


def full(size: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    if dtype is None and isinstance(fill_value, (bool, int)):
        dtype = np.asarray(fill_value).dtype
    return _new(np.full(_shape_args((size,)), fill_value), dtype, requires_grad)


def zeros_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _new(np.zeros(input.shape), dtype or input.dtype, requires_grad)


def ones_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _new(np.ones(input.shape), dtype or input.dtype, requires_grad)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False, generator: Any = None) -> Tensor:
    """Uniform on [0, 1)."""
    return _new((generator or default_generator).rng.random(_shape_args(size)), dtype, requires_grad)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False, generator: Any = None) -> Tensor:
    """Standard normal."""
    return _new((generator or default_generator).rng.standard_normal(_shape_args(size)), dtype, requires_grad)


def randint(*args: Any, size: Any = None, dtype: Any = None, generator: Any = None) -> Tensor:
    """Integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``, int64."""
    if size is None:
        *args, size = args
    low, high = (0, args[0]) if len(args) == 1 else args
    return tensor((generator or default_generator).rng.integers(low, high, _shape_args((size,))), dtype=dtype or int64)


def randperm(n: int, generator: Any = None) -> Tensor:
    return tensor((generator or default_generator).rng.permutation(n))


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """[start, end) by step; int64 when every argument is an int, else float32."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        dtype = int64 if all(isinstance(v, int) for v in (start, end, step)) else float32
    count = max(0, math.ceil((end - start) / step))
    return tensor(start + np.arange(count) * step, dtype=dtype)


def range(start: float, end: float, step: float = 1, dtype: Any = None) -> Tensor:
    """[start, end] by step, end included: the deprecated ``torch.range``; float32."""
    count = int(math.floor((end - start) / step + 1e-9)) + 1
    return tensor(start + np.arange(count) * step, dtype=dtype or float32)


def linspace(start: float, end: float, steps: int, dtype: Any = None) -> Tensor:
    return tensor(np.linspace(start, end, steps), dtype=dtype or float32)
