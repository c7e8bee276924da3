"""Datasets and batching (``torch.utils.data``): ``Dataset``, ``TensorDataset``, ``DataLoader``."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Generator, Tensor


class Dataset:
    """A sized collection of samples: subclasses define ``__len__`` and ``__getitem__``.

    A subclass may also define ``__getitems__(indices)`` returning a whole
    collated batch; ``DataLoader`` then fetches each batch in one call
    (unless it is given a ``collate_fn``, which gets the list of samples).
    """

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError


class TensorDataset(Dataset):
    """Samples are rows of equally long tensors; a batch is one numpy gather per tensor."""

    def __init__(self, *tensors: Tensor) -> None:
        tensors = tuple(autograd.as_tensor(t) for t in tensors)
        lengths = {len(t) for t in tensors}
        if len(lengths) > 1:
            raise ValueError(f"TensorDataset needs tensors of one length, got shapes {[t.shape for t in tensors]}")
        self.tensors = tensors

    def __len__(self) -> int:
        return len(self.tensors[0])

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __getitems__(self, indices: Sequence[int]) -> tuple[Tensor, ...]:
        return tuple(autograd.from_numpy(t.data[indices]) for t in self.tensors)


def default_collate(samples: list[Any]) -> Any:
    """Stack a list of samples into a batch: Tensors and arrays stacked, numbers into a tensor,
    tuples and dicts collated field by field."""
    first = samples[0]
    if isinstance(first, (tuple, list)):
        return type(first)(default_collate(list(field)) for field in zip(*samples))
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (Tensor, np.ndarray)):
        return autograd.stack(samples)
    return autograd.from_numpy(np.array(samples))  # Python floats stay float64, as PyTorch collates them


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size``, in order or shuffled by ``generator``.

    ``collate_fn`` (default: ``default_collate``) turns each batch's list of samples into the batch.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: Generator | None = None,
        collate_fn: Any = None,
    ) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size!r}")
        self.dataset, self.batch_size, self.shuffle, self.drop_last = dataset, batch_size, shuffle, drop_last
        self.generator = generator
        # A dataset's __getitems__ returns a batch already collated: only the default collation may skip the samples.
        self._fetch_batch = getattr(dataset, "__getitems__", None) if collate_fn is None else None
        self.collate_fn = collate_fn or default_collate

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order = (self.generator or autograd.default_generator).rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            indices = order[start : start + self.batch_size]
            if self._fetch_batch is not None:
                yield self._fetch_batch(indices)
            else:
                yield self.collate_fn([self.dataset[int(i)] for i in indices])
