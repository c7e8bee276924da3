"""What the benchmarks against PyTorch share: the engines side by side, and MNIST as the demo trains on it."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np
import torch

import autograd
import nn
from demos import mnist

THREADS = 2  # PyTorch's intra-op threads; numpy's BLAS uses what it finds (printed with the results)


class Engine(NamedTuple):
    """What the shared training code needs from an engine: its modules and how to make its tensors."""

    name: str
    layers: ModuleType
    optim: ModuleType
    functional: ModuleType
    tensor: Callable[[np.ndarray], Any]
    no_grad: Callable[[], Any]


ENGINES = (
    Engine("autograd", nn, nn.optim, nn.functional, autograd.from_numpy, autograd.no_grad),
    Engine("torch", torch.nn, torch.optim, torch.nn.functional, torch.from_numpy, torch.no_grad),
)


class Data(NamedTuple):
    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray


def load_data() -> Data:
    """MNIST normalized as the demo trains on it, as float32 images and int64 labels."""
    splits = [mnist.whole(mnist.load_dataset("mnist", None, train, normalize=True)) for train in (True, False)]
    (train_x, train_y), (test_x, test_y) = splits
    return Data(train_x.numpy(), train_y, test_x.numpy(), test_y)
