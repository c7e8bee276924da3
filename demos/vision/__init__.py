"""The parts of torchvision the MNIST demos need: `datasets` and `transforms`."""

from demos.vision import datasets, transforms

__all__ = ["datasets", "transforms"]
