"""Limits that hold: long chains backpropagate without recursion, training does not grow memory,
and ``draw_dot`` refuses a huge graph before drawing any of it. (A chain of a million Values
backpropagates too: ``test_million_node_chain_backward`` in test_value.py.)"""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest
import torch

import autograd
import nn
from autograd import Value, draw_dot
from tests.helpers import assert_close, leaf, random_like, to_torch


def tensor_chain(L, x, w, n: int):
    """n ops, each on the previous result (and some on the leaves again)."""
    y = x
    for k in range(n):
        step = k % 5
        if step == 0:
            y = y * 1.0001
        elif step == 1:
            y = y + w  # w gathers n / 5 contributions
        elif step == 2:
            y = y.tanh()
        elif step == 3:
            y = y.reshape(2, 3).reshape(6)
        else:
            y = (y - x * 0.001).exp().log()
    return y


def test_ten_thousand_op_tensor_chain_backpropagates_as_in_pytorch():
    x, w = random_like((6,), 0), random_like((6,), 1) * 0.01
    ours, theirs = [leaf(x), leaf(w)], [to_torch(x), to_torch(w)]
    out, ref = tensor_chain(autograd, *ours, 10_000), tensor_chain(torch, *theirs, 10_000)
    assert_close(out, ref, rtol=1e-9)
    out.sum().backward()
    ref.sum().backward()
    for a, b in zip(ours, theirs):
        assert_close(a.grad, b.grad, rtol=1e-9)


# -- memory over training ---------------------------------------------------------------------------
def train(epochs: int, on_epoch_end) -> None:
    """A small MLP on 256 points of two blobs, Adam, batches of 32."""
    autograd.manual_seed(0)
    generator = np.random.default_rng(0)
    inputs = autograd.tensor(generator.standard_normal((256, 4)), dtype=autograd.float32)
    labels = autograd.tensor((inputs.data.sum(1) > 0).astype(np.int64))
    loader = nn.data.DataLoader(nn.data.TensorDataset(inputs, labels), batch_size=32, shuffle=True)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    optimizer = nn.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(1, epochs + 1):
        for batch, target in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(batch), target)
            loss.backward()
            optimizer.step()
        on_epoch_end(epoch, loss.item())


def test_memory_stays_flat_over_twenty_epochs():
    """Memory in use (tracemalloc) after epoch 20 is within a few KB of that after epoch 2. A full
    collection runs before each reading only to empty CPython's free lists, which would otherwise
    fill up to their caps (some 200 KB here) and look like growth; the graphs themselves never need
    the collector (next test). A graph kept by mistake would hold ~10 KB of arrays per step."""
    traced: dict[int, tuple[int, float]] = {}

    def measure(epoch: int, loss: float) -> None:
        gc.collect()
        traced[epoch] = tracemalloc.get_traced_memory()[0], loss

    tracemalloc.start()
    try:
        train(20, measure)
    finally:
        tracemalloc.stop()
    growth = traced[20][0] - traced[2][0]
    assert growth < 8 * 1024, f"{growth} bytes more after epoch 20 than after epoch 2"
    assert traced[20][1] < traced[1][1]  # it did learn


def test_training_makes_no_reference_cycles():
    """Every graph is freed by reference counting the moment it is dropped: nothing is left for the
    cyclic garbage collector, which is what makes a training loop's memory flat without it."""
    gc.collect()
    gc.disable()
    try:
        found = []
        train(2, lambda epoch, loss: found.append(gc.collect()))
    finally:
        gc.enable()
    assert found == [0, 0]


# -- draw_dot on a huge graph -------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_draw_dot_refuses_a_hundred_thousand_node_graph_before_drawing(engine, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("draw_dot began a picture")

    monkeypatch.setattr(autograd.viz.Graph, "__init__", never)
    root = Value(1.0) if engine == "Value" else autograd.tensor([1.0], requires_grad=True)
    for _ in range(50_000):
        root = root * 1.0001  # a node for the result and one for the constant
    with pytest.raises(ValueError) as error:
        draw_dot(root)
    assert str(error.value) == (
        "the graph has 100001 values, more than max_nodes=500: draw a smaller graph "
        "(fewer inputs or a smaller model) or pass a larger max_nodes"
    )
