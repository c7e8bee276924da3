"""Image transforms with torchvision's names: ToTensor, Normalize and Compose.

Each transform maps one image; those with `supports_batch = True` also have `batch(images)`,
which maps a whole stacked batch at once so a data loader need not call them image by image.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PIL import Image

import autograd
from autograd import Tensor


def _to_unit_float(images: np.ndarray) -> Tensor:
    """A uint8 array, channels already first, as a contiguous float32 tensor in [0, 1]."""
    out = images.astype(np.float32, order="C")
    out /= 255
    return autograd.from_numpy(out)


def _as_uint8(images: Image.Image | np.ndarray) -> np.ndarray:
    """The pixels of a PIL image or array, refusing anything that is not 8-bit."""
    array = np.asarray(images)
    if array.dtype != np.uint8:
        raise TypeError(
            f"ToTensor expects 8-bit pixels (uint8), got {array.dtype}; "
            "convert a PIL image with .convert('L') or .convert('RGB') first"
        )
    return array


class ToTensor:
    """PIL image or uint8 array (H x W or H x W x C) -> float32 tensor C x H x W in [0, 1]."""

    supports_batch = True

    def __call__(self, pic: Image.Image | np.ndarray) -> Tensor:
        array = _as_uint8(pic)
        if array.ndim == 2:
            return _to_unit_float(array[None])
        if array.ndim == 3:
            return _to_unit_float(array.transpose(2, 0, 1))
        raise ValueError(f"ToTensor expects an image of shape H x W or H x W x C, got {array.shape}")

    def batch(self, images: np.ndarray) -> Tensor:
        """uint8 array B x H x W (or B x H x W x C) -> float32 tensor B x C x H x W in [0, 1]."""
        array = _as_uint8(images)
        if array.ndim == 3:
            return _to_unit_float(array[:, None])
        if array.ndim == 4:
            return _to_unit_float(array.transpose(0, 3, 1, 2))
        raise ValueError(f"ToTensor.batch expects B x H x W or B x H x W x C, got {array.shape}")

    def __repr__(self) -> str:
        return "ToTensor()"


class Normalize:
    """(x - mean) / std per channel, for tensors C x H x W or batches B x C x H x W."""

    supports_batch = True

    def __init__(self, mean: Sequence[float], std: Sequence[float]) -> None:
        self.mean, self.std = tuple(mean), tuple(std)
        # Shaped C x 1 x 1 so they broadcast over images C x H x W and batches B x C x H x W alike.
        self._mean = np.asarray(mean, dtype=np.float32).reshape(-1, 1, 1)
        self._std = np.asarray(std, dtype=np.float32).reshape(-1, 1, 1)
        if (self._std == 0).any():
            raise ValueError(f"Normalize: std must not contain zeros, got {std}")

    def __call__(self, tensor: Tensor) -> Tensor:
        return (tensor - self._mean) / self._std

    def batch(self, tensor: Tensor) -> Tensor:
        """Normalize a batch B x C x H x W."""
        return self(tensor)

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean}, std={self.std})"


class Compose:
    """Apply transforms in order; batches work when every member supports them."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, x: Any) -> Any:
        for transform in self.transforms:
            x = transform(x)
        return x

    @property
    def supports_batch(self) -> bool:
        return all(getattr(t, "supports_batch", False) for t in self.transforms)

    def batch(self, images: Any) -> Any:
        """Apply each member's `batch` in order; raises TypeError naming a member that has none."""
        for transform in self.transforms:
            if not getattr(transform, "supports_batch", False):
                raise TypeError(f"{transform!r} in Compose has no batch form; apply it image by image")
            images = transform.batch(images)
        return images

    def __repr__(self) -> str:
        return "Compose([" + "".join(f"\n    {t!r}," for t in self.transforms) + "\n])"
