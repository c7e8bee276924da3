"""Dtypes, PyTorch's type promotion, and the one device there is.

Dtypes are numpy's (``autograd.float32`` is ``numpy.dtype("float32")``). Promotion follows
PyTorch, not numpy: a Python number never widens a tensor of its own kind (``int32 + 5`` stays
int32, ``float32 * 2.5`` float32), a float number makes an integer tensor float32, and a tensor
with dimensions decides over a 0-d one of the same kind.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

float16 = half = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)

_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}
_DEFAULT_FOR_RANK = (bool_, int64, float32)  # the dtype a Python bool, int or float takes on its own


def as_dtype(dtype: Any) -> np.dtype:
    """``dtype`` as a numpy dtype, refusing the ones this engine does not compute with."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"{dtype!r} is not a dtype: use autograd.float32, float64, int64, int32, uint8 or bool"
        ) from None
    if result.kind not in _KIND_RANK:
        raise TypeError(f"dtype {result} is not supported: use a bool, integer or floating point dtype")
    return result


def is_floating(dtype: np.dtype) -> bool:
    return dtype.kind == "f"


def check_differentiable(dtype: np.dtype, what: str = "requires_grad") -> None:
    """Only floating point tensors can require gradients, as in PyTorch."""
    if dtype.kind != "f":
        raise RuntimeError(
            f"{what} needs a floating point tensor, not {dtype}: only floats have gradients (use .float())"
        )


def scalar_dtype(x: Any) -> np.dtype:
    """The dtype a Python (or numpy) number takes on its own: bool, int64 or float32."""
    return _DEFAULT_FOR_RANK[_KIND_RANK[np.asarray(x).dtype.kind]]


def cast_number(value: Any, dtype: np.dtype) -> np.ndarray:
    """A number written into a tensor of ``dtype`` (``x[i] = value``, ``fill_``), as a 0-d array, the way
    PyTorch converts it: floats truncate toward zero into integers, and a value outside the dtype's range
    raises (PyTorch lets an unsigned dtype take negative ints down to -max, wrapping them: -1 is 255)."""
    if dtype.kind == "f":
        fits = not math.isfinite(value) or float(np.finfo(dtype).min) <= value <= float(np.finfo(dtype).max)
    elif dtype.kind in "iu":
        limits = np.iinfo(dtype)
        low = -limits.max if dtype.kind == "u" and isinstance(value, (int, np.integer)) else limits.min
        fits = low <= value <= limits.max  # never for inf or nan
    else:
        fits = True  # anything is a bool
    if not fits:
        raise RuntimeError(f"value {value} cannot be converted to type {dtype} without overflow")
    return np.array(value).astype(dtype)


def result_type(a: np.dtype, a_ndim: int, b: np.dtype | None, b_ndim: int | None) -> np.dtype:
    """PyTorch's result dtype of a binary op on ``a`` (a tensor) and ``b`` (a tensor, or a number when
    ``b_ndim`` is None, given with its own dtype): dimensioned tensors decide first, then 0-d tensors,
    then numbers, and a later group counts only if it is of a higher kind (bool < int < float)."""
    groups: list[list[np.dtype]] = [[], [], []]  # dimensioned tensors, 0-d tensors, numbers
    for dtype, ndim in ((a, a_ndim), (b, b_ndim)):
        groups[2 if ndim is None else 0 if ndim else 1].append(dtype)
    result = None
    for group in reversed(groups):  # lowest priority first; each higher group may override it
        if not group:
            continue
        promoted = group[0] if len(group) == 1 else promote_types(*group)
        result = promoted if result is None else _combine(promoted, result)
    return result


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """PyTorch's promotion of two dtypes: the one of the higher kind, or numpy's choice within a kind
    (numpy would widen int64 with float32 to float64; PyTorch gives float32)."""
    rank_a, rank_b = _KIND_RANK[a.kind], _KIND_RANK[b.kind]
    if rank_a != rank_b:
        return a if rank_a > rank_b else b
    return np.promote_types(a, b)


def _combine(higher: np.dtype, lower: np.dtype) -> np.dtype:
    """A higher-priority dtype against a lower-priority one: the higher wins unless the lower is of a
    higher kind, in which case the two promote (int64 tensor with a float number: float32)."""
    if _KIND_RANK[lower.kind] > _KIND_RANK[higher.kind]:
        return promote_types(higher, lower)
    return higher


def infer_array(data: Any, dtype: Any = None) -> np.ndarray:
    """``data`` as a new array, its dtype inferred as ``torch.tensor`` does when not given: Python
    floats become float32, ints int64, bools bool; a numpy array or number keeps its dtype."""
    plain, numpy_float64 = _plain(data)
    if dtype is not None:
        return np.array(plain, dtype=as_dtype(dtype))
    array = np.array(plain)
    if array.dtype.kind not in _KIND_RANK:
        raise TypeError(f"can't make a tensor from {type(data).__name__} data of numpy dtype {array.dtype}")
    if array.dtype == float64 and not numpy_float64:
        array = array.astype(float32)
    return array


def _plain(data: Any) -> tuple[Any, bool]:
    """``data`` with Tensors replaced by their arrays, and whether it holds numpy float64 values
    (which keep their dtype, while Python floats become float32)."""
    if isinstance(getattr(data, "data", None), np.ndarray):  # a Tensor: its array
        data = data.data
    if isinstance(data, (np.ndarray, np.generic)):
        return data, data.dtype == float64
    if isinstance(data, (list, tuple)):
        items = [_plain(x) for x in data]
        return [x for x, _ in items], any(f for _, f in items)
    return data, False


class device:
    """A device name, as in ``torch.device``. Only the CPU exists here."""

    def __init__(self, name: str | device = "cpu") -> None:
        name = name.type if isinstance(name, device) else str(name)
        if name.split(":")[0] != "cpu":
            raise RuntimeError(f"device {name!r} is not available: this engine runs on the CPU only (use 'cpu')")
        self.type = "cpu"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (device, str)) and device(other).type == self.type

    def __hash__(self) -> int:
        return hash(self.type)

    def __repr__(self) -> str:
        return "device(type='cpu')"
