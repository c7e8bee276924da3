"""The data of the blog post "from one weight to a network" (its ``house.py``), from a seeded generator.

The post edits one ``get`` three times; here each version has its own name.
"""

from __future__ import annotations

import numpy as np


def get(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` sorted xs in [0, 1) and ys = 1.5 x + noise / 10, the noise uniform in [0, 1)."""
    xs = np.sort(rng.random(count))
    ys = 1.5 * xs + rng.random(count) / 10
    return xs, ys


def get_flipped(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``get``'s points with the xs reversed (``np.flip``) and the ys not: a falling line that needs a bias b."""
    xs, ys = get(count, rng)
    return np.flip(xs), ys


def get_steps(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` sorted xs in [0, 1); y is 0 for the first half and 1 for the second: a step a line cannot fit."""
    xs = np.sort(rng.random(count))
    ys = (np.arange(count) >= count / 2).astype(float)
    return xs, ys
