"""``save`` and ``load``: a dict of named arrays in numpy's ``.npz`` format, never pickled."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd.tensor import Tensor


def save(state: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``state`` (name -> Tensor, array or number) to exactly ``path`` as an ``.npz`` archive."""
    if not isinstance(state, Mapping):
        raise TypeError(f"save expects a dict of name -> tensor (e.g. model.state_dict()), got {type(state).__name__}")
    arrays = {}
    for name, value in state.items():
        array = np.asarray(value.data if isinstance(value, Tensor) else value)
        if array.dtype == object:
            raise TypeError(f"save: {name!r} is not numeric data ({type(value).__name__})")
        arrays[name] = array
    with open(path, "wb") as file:  # a file object: numpy would otherwise append ".npz" to the name
        np.savez(file, **arrays)


def load(path: str | os.PathLike[str], map_location: Any = None) -> dict[str, np.ndarray]:
    """Read an archive written by ``save``: a dict of name -> numpy array. Nothing is unpickled."""
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{os.fspath(path)!r} is not an archive written by autograd.save (.npz)")
    with np.load(path, allow_pickle=False) as archive:
        try:
            return {name: archive[name] for name in archive.files}
        except ValueError as error:
            raise ValueError(f"{os.fspath(path)!r} holds pickled objects, which load refuses: {error}") from None
