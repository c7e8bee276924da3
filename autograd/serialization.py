"""``save`` and ``load``: a dict of named arrays in numpy's ``.npz`` format, never pickled."""

from __future__ import annotations

import os
import zipfile
import zlib
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
    """Read an archive written by ``save``: a dict of name -> numpy array. Nothing is unpickled.

    A missing file raises FileNotFoundError; anything but a complete archive of arrays, a ValueError
    that says what the file looks like instead (empty, cut short, a pickle, a PyTorch checkpoint).
    """
    name = os.fspath(path)
    with open(path, "rb") as file:
        head = file.read(4)
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{name!r} is not an archive written by autograd.save (.npz): {_looks_like(head)}")
    try:
        with zipfile.ZipFile(path) as archive:
            others = [member for member in archive.namelist() if not member.endswith(".npy")]
        if not others:
            with np.load(path, allow_pickle=False) as arrays:
                return {key: arrays[key] for key in arrays.files}
    except ValueError as error:
        problem = "holds pickled objects, which load refuses" if "allow_pickle" in str(error) else "is damaged"
        raise ValueError(f"{name!r} {problem}: {error}") from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise ValueError(f"{name!r} is damaged: {error}") from None
    raise ValueError(
        f"{name!r} is a zip archive, but not of arrays: it holds {others[0]!r} "
        "(a PyTorch checkpoint? load it with torch.load and save its arrays with autograd.save)"
    )


def _looks_like(head: bytes) -> str:
    """What a file that is not a zip archive seems to be, from its first bytes."""
    if not head:
        return "the file is empty"
    if head.startswith(b"PK"):
        return "it starts as a zip archive but its end is missing (truncated?)"
    if head[0] == 0x80:  # the PROTO opcode that starts every pickle since protocol 2
        return "it is a pickle (an old torch.save file?), which load refuses to read: unpickling can run code"
    return "it is some other kind of file"
