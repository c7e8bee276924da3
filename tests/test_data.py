"""nn.data: Dataset, TensorDataset and DataLoader (order, shuffling, batching, collation)."""

import numpy as np
import pytest
import torch
import torch.utils.data
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from nn.data import DataLoader, Dataset, TensorDataset
from tests.helpers import dtype_name


def numbered(n=10):
    """A TensorDataset whose sample i is (row [2i, 2i + 1] as float32, label i as int64)."""
    return TensorDataset(autograd.arange(2 * n).reshape(n, 2).float(), autograd.arange(n))


def labels_seen(loader):
    """Every label (sample number) the loader yields in one epoch, in order."""
    return [label for _, y in loader for label in y.tolist()]


class Samples(Dataset):
    """Item by item: (a tensor of ``lib``, an int label, a bool flag) for sample i."""

    def __init__(self, lib, n=7):
        self.lib, self.n = lib, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return self.lib.tensor([i, -i], dtype=self.lib.float32), i, i % 2 == 0


class Records(Samples):
    """Item by item: a dict of a numpy array, a nested pair and a number."""

    def __getitem__(self, i):
        return {"image": np.full((2, 2), i, dtype=np.float32), "pair": (i, np.arange(3) * i), "label": i}


class Weights(Samples):
    """Item by item: a Python float."""

    def __getitem__(self, i):
        return i / 4


def assert_batches_equal(ours, theirs):
    """Same structure, shapes, dtypes and values as torch's batch."""
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for key in theirs:
            assert_batches_equal(ours[key], theirs[key])
    elif isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_batches_equal(a, b)
    else:
        assert isinstance(ours, autograd.Tensor)
        assert dtype_name(ours) == dtype_name(theirs)
        np.testing.assert_array_equal(ours.data, theirs.numpy())


@pytest.mark.parametrize("dataset_class", [Samples, Records])
@pytest.mark.parametrize("batch_size, drop_last", [(1, False), (3, False), (3, True), (7, False), (10, False)])
def test_collation_matches_torch(dataset_class, batch_size, drop_last):
    ours = DataLoader(dataset_class(autograd), batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(dataset_class(torch), batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    batches = list(ours)
    assert len(batches) == len(theirs)
    for a, b in zip(batches, theirs):
        assert_batches_equal(a, b)


def test_python_floats_collate_like_torch():
    """torch's default_collate turns Python floats into float64."""
    ours = list(DataLoader(Weights(autograd), batch_size=3))
    theirs = list(torch.utils.data.DataLoader(Weights(torch), batch_size=3))
    assert_batches_equal(ours, theirs)


def test_tensor_dataset_batches_in_order():
    loader = DataLoader(numbered(10), batch_size=3)
    batches = list(loader)
    assert [x.shape for x, _ in batches] == [(3, 2), (3, 2), (3, 2), (1, 2)]
    assert [y.dtype for _, y in batches] == [np.int64] * 4
    assert all(x.dtype == np.float32 for x, _ in batches)
    np.testing.assert_array_equal(np.concatenate([x.data for x, _ in batches]), numbered(10).tensors[0].data)
    assert labels_seen(loader) == list(range(10))


def test_tensor_dataset_items_and_len():
    dataset = numbered(5)
    assert len(dataset) == 5
    x, y = dataset[3]
    assert x.tolist() == [6.0, 7.0] and y.item() == 3


@settings(deadline=None, max_examples=40)
@given(n=st.integers(1, 30), batch_size=st.integers(1, 12), drop_last=st.booleans(), shuffle=st.booleans())
def test_batching_matches_torch(n, batch_size, drop_last, shuffle):
    """Same number and sizes of batches as torch; each sample at most once, all of them unless dropped."""
    ours = DataLoader(numbered(n), batch_size=batch_size, shuffle=shuffle, drop_last=drop_last)
    dataset = torch.utils.data.TensorDataset(torch.arange(n))
    theirs = torch.utils.data.DataLoader(dataset, batch_size, shuffle=shuffle, drop_last=drop_last)
    assert len(ours) == len(theirs)
    assert [len(y) for _, y in ours] == [len(y) for (y,) in theirs]
    seen = labels_seen(ours)
    assert len(set(seen)) == len(seen) == n - (n % batch_size if drop_last else 0)
    if not shuffle:
        assert seen == list(range(len(seen)))


def test_collate_fn_is_used():
    loader = DataLoader(Samples(autograd, 5), batch_size=2, collate_fn=list)
    batches = list(loader)
    assert [len(b) for b in batches] == [2, 2, 1]
    assert [label for batch in batches for _, label, _ in batch] == list(range(5))


def test_collate_fn_is_used_on_datasets_with_getitems():
    """A given collate_fn gets the list of samples, as in PyTorch, even where __getitems__ could fetch a batch."""
    dataset = CountingTensorDataset(*numbered(5).tensors)
    batches = list(DataLoader(dataset, batch_size=2, collate_fn=list))
    theirs = list(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(5)), 2, collate_fn=list))
    assert [len(batch) for batch in batches] == [len(batch) for batch in theirs] == [2, 2, 1]
    assert [[y.item() for _, y in batch] for batch in batches] == [[y.item() for (y,) in b] for b in theirs]
    assert all(isinstance(sample, tuple) and len(sample) == 2 for batch in batches for sample in batch)
    assert dataset.batch_calls == 0 and dataset.item_calls == 5
    default = list(DataLoader(dataset, batch_size=2))
    assert dataset.batch_calls == 3 and [y.tolist() for _, y in default] == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize("drop_last", [False, True])
def test_shuffle_yields_every_sample_once(drop_last):
    loader = DataLoader(numbered(50), batch_size=8, shuffle=True, drop_last=drop_last)
    for _ in range(2):
        seen = labels_seen(loader)
        assert len(seen) == (48 if drop_last else 50)
        assert len(set(seen)) == len(seen) and set(seen) <= set(range(50))
        assert seen != sorted(seen)


def shuffled(seed=None, generator_seed=None, n=40):
    """One epoch's order of a shuffled loader, seeded globally or by its own Generator."""
    if seed is not None:
        autograd.manual_seed(seed)
    generator = None if generator_seed is None else autograd.Generator().manual_seed(generator_seed)
    return labels_seen(DataLoader(numbered(n), batch_size=4, shuffle=True, generator=generator))


def test_shuffle_reproducible_with_generator():
    assert shuffled(generator_seed=3) == shuffled(generator_seed=3)
    assert shuffled(generator_seed=3) != shuffled(generator_seed=4)
    autograd.manual_seed(0)
    first = shuffled(generator_seed=3)
    autograd.manual_seed(1)
    assert shuffled(generator_seed=3) == first, "a loader's own generator ignores the global seed"


def test_shuffle_reproducible_with_manual_seed():
    assert shuffled(seed=11) == shuffled(seed=11)
    assert shuffled(seed=11) != shuffled(seed=12)


def test_epochs_reshuffle():
    loader = DataLoader(numbered(40), batch_size=5, shuffle=True, generator=autograd.Generator().manual_seed(0))
    assert labels_seen(loader) != labels_seen(loader)


def test_plain_dataset_shuffled_once_each():
    loader = DataLoader(Samples(autograd, 20), batch_size=6, shuffle=True, generator=autograd.Generator(5))
    seen = [i for _, labels, _ in loader for i in labels.tolist()]
    assert sorted(seen) == list(range(20)) and seen != list(range(20))


class CountingTensorDataset(TensorDataset):
    """Counts item and batch fetches."""

    def __init__(self, *tensors):
        super().__init__(*tensors)
        self.item_calls = self.batch_calls = 0

    def __getitem__(self, index):
        self.item_calls += 1
        return super().__getitem__(index)

    def __getitems__(self, indices):
        self.batch_calls += 1
        return super().__getitems__(indices)


@pytest.mark.parametrize("shuffle", [False, True])
def test_tensor_dataset_fetched_a_batch_at_a_time(shuffle):
    dataset = CountingTensorDataset(*numbered(10).tensors)
    loader = DataLoader(dataset, batch_size=4, shuffle=shuffle)
    assert sorted(labels_seen(loader)) == list(range(10))
    assert dataset.item_calls == 0 and dataset.batch_calls == len(loader) == 3


def test_getitems_batch_equals_stacked_items():
    dataset = numbered(6)
    x, y = dataset.__getitems__([4, 0, 5])
    np.testing.assert_array_equal(x.data, np.stack([dataset[i][0].data for i in (4, 0, 5)]))
    assert y.tolist() == [4, 0, 5]


def test_tensor_dataset_of_mismatched_lengths_raises():
    with pytest.raises(ValueError, match="length"):
        TensorDataset(autograd.zeros(5, 2), autograd.zeros(4))


@pytest.mark.parametrize("batch_size", [0, -2, 2.5, True])
def test_batch_size_must_be_a_positive_int(batch_size):
    with pytest.raises(ValueError, match=f"positive integer value, but got batch_size={batch_size}"):
        DataLoader(numbered(4), batch_size=batch_size)
    with pytest.raises(ValueError, match=f"positive integer value, but got batch_size={batch_size}"):
        torch.utils.data.DataLoader(torch.arange(4), batch_size=batch_size)


def test_default_batch_size_is_one():
    batches = list(DataLoader(numbered(3)))
    assert len(batches) == 3 and batches[0][0].shape == (1, 2)


def test_training_loop_over_loader_reduces_loss():
    """The blog post's pattern: for x, y in loader: zero_grad, loss, backward, step."""
    autograd.manual_seed(0)
    x = autograd.randn(64, 3)
    y = x @ autograd.tensor([[1.0], [-2.0], [0.5]])
    model = nn.Linear(3, 1)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()
    first = loss_fn(model(x), y).item()
    for _ in range(5):
        for xb, yb in DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True):
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
    assert loss_fn(model(x), y).item() < first / 10
