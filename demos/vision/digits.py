"""Turn a photo or drawing of a digit into a 28 x 28 image made the way MNIST's digits were.

MNIST's digits are white on black, scaled to fit a 20 x 20 box keeping their aspect ratio,
and placed in a 28 x 28 frame so that their centre of mass sits at the centre. A model
trained on them reads other pictures well only after the same preparation.
"""

from __future__ import annotations

import os

import numpy as np
from PIL import Image

BOX = 20  # the digit's longer side, in pixels
FRAME = 28  # the image's side
CENTRE = 14.0  # the mean centre of mass (row and column) of MNIST's training digits
INK = 0.1  # darker than this (as a fraction of the strongest ink) is paper, not digit
MAX_PIXELS = 25_000_000  # a 24-megapixel photo fits; decoding larger ones takes gigabytes for no better digit
TOO_LARGE = f"; images of at most {MAX_PIXELS:,} pixels are read: scale it down first"


def read_gray(path: str | os.PathLike[str]) -> np.ndarray:
    """The image at ``path`` as gray levels 0..255 (float); transparent parts become white paper.

    Refuses, naming the file: a missing, empty or unreadable one, and one of more than ``MAX_PIXELS``.
    """
    name = os.fspath(path)
    try:
        if os.path.getsize(path) == 0:
            raise ValueError(f"{name}: the file is empty (0 bytes)")
        with Image.open(path) as image:  # reads the header only: the size is known before the pixels are decoded
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValueError(f"{name}: {width} x {height} pixels is too large{TOO_LARGE}")
            image.load()
            if "A" in image.getbands() or "transparency" in image.info:
                rgba = image.convert("RGBA")
                image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
            return np.asarray(image.convert("L"), dtype=np.float64)
    except Image.DecompressionBombError as err:  # so large that Pillow refuses to open it
        raise ValueError(f"{name}: the image is too large ({err}){TOO_LARGE}") from None
    except OSError as err:  # missing, unreadable, or not an image Pillow knows
        raise ValueError(f"{name}: cannot read it as an image ({err})") from None


def ink_levels(gray: np.ndarray) -> np.ndarray:
    """Ink as light on dark, scaled to 0..1: inverted when the border (the paper) is light,
    then the paper's level subtracted so shadows and gray paper count as background."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if border.mean() > 127.5:
        gray, border = 255 - gray, 255 - border
    ink = np.clip(gray - np.median(border), 0, None)
    return ink / ink.max() if ink.max() > 0 else ink


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the brightness-weighted mean position."""
    total = image.sum()
    return (image.sum(1) @ np.arange(image.shape[0])) / total, (image.sum(0) @ np.arange(image.shape[1])) / total


def prepare_digit(path: str | os.PathLike[str]) -> np.ndarray:
    """The digit pictured in ``path`` as a 28 x 28 uint8 image, white on black, centred as MNIST's are."""
    ink = ink_levels(read_gray(path))
    rows, cols = np.nonzero(ink > INK)
    if rows.size == 0:
        raise ValueError(f"{os.fspath(path)}: no digit found, the image is blank")
    digit = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    scale = BOX / max(digit.shape)
    height, width = (max(1, round(n * scale)) for n in digit.shape)
    resized = Image.fromarray(digit.astype(np.float32)).resize((width, height), Image.Resampling.BILINEAR)
    small = np.clip(np.asarray(resized), 0, 1)
    row, col = centre_of_mass(small)
    top = int(np.clip(round(CENTRE - row), 0, FRAME - height))
    left = int(np.clip(round(CENTRE - col), 0, FRAME - width))
    frame = np.zeros((FRAME, FRAME), dtype=np.uint8)
    frame[top : top + height, left : left + width] = np.round(small * 255)
    return frame
