"""The scalar MLP (Values) against the same network as Linear layers (our Tensor engine and torch, float64)."""

import numpy as np
import pytest
import torch

import autograd
import nn
from tests.helpers import assert_close, random_like
from tests.models import ACTIVATIONS, as_linear_arrays, mse, scalar_outputs, twins


def assert_grads_equal(model, tensor_model):
    grads = as_linear_arrays(model, "grad")
    for name, p in tensor_model.named_parameters():
        assert_close(grads[name], p.grad)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("nouts", [[8, 8, 1], [5, 3]])
@pytest.mark.parametrize("seed", [0, 1])
def test_scalar_mlp_equals_tensor_and_torch(nouts, activation, seed):
    """Same outputs and, after an MSE loss, the same gradient for every weight in all three networks."""
    autograd.manual_seed(seed)
    model, ours, theirs = twins(3, nouts, activation)
    xs, ys = random_like((6, 3), seed), random_like((6, nouts[-1]), seed + 1)
    rows = scalar_outputs(model, xs)
    out, out_t = ours(autograd.tensor(xs)), theirs(torch.tensor(xs))
    values = np.array([[v.data for v in row] for row in rows])
    assert_close(values, out)
    assert_close(values, out_t)
    loss, loss_ours = mse(rows, ys), nn.MSELoss()(out, autograd.tensor(ys))
    loss_t = torch.nn.MSELoss()(out_t, torch.tensor(ys))
    assert_close(loss.data, loss_t)
    assert_close(loss_ours, loss_t)
    loss.backward()
    loss_ours.backward()
    loss_t.backward()
    assert_grads_equal(model, ours)
    assert_grads_equal(model, theirs)


def test_moons_max_margin_loss_matches_torch():
    """micrograd's demo loss: mean hinge relu(1 - y * score) plus L2 regularization."""
    autograd.manual_seed(2)
    model, _, theirs = twins(2, [16, 16, 1])
    rng = np.random.default_rng(5)
    xs, ys = rng.standard_normal((10, 2)), rng.choice([-1.0, 1.0], 10)
    alpha = 1e-4
    scores = [model(list(x)) for x in xs]
    hinge = [(1 + -y * s).relu() for y, s in zip(ys, scores)]
    loss = sum(hinge) * (1.0 / len(hinge)) + alpha * sum(p * p for p in model.parameters())
    scores_t = theirs(torch.tensor(xs)).squeeze(1)
    loss_t = torch.relu(1 - torch.tensor(ys) * scores_t).mean() + alpha * sum(
        (p * p).sum() for p in theirs.parameters()
    )
    assert_close(loss.data, loss_t)
    loss.backward()
    loss_t.backward()
    assert_grads_equal(model, theirs)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_keeps_scalar_and_tensor_mlps_equal(momentum):
    autograd.manual_seed(4)
    model, ours, _ = twins(3, [6, 6, 2])
    xs, ys = random_like((5, 3), 7), random_like((5, 2), 8)
    initial = as_linear_arrays(model)
    optimizers = [nn.optim.SGD(m.parameters(), lr=0.05, momentum=momentum) for m in (model, ours)]
    for _ in range(8):
        for optimizer in optimizers:
            optimizer.zero_grad()
        mse(scalar_outputs(model, xs), ys).backward()
        nn.MSELoss()(ours(autograd.tensor(xs)), autograd.tensor(ys)).backward()
        for optimizer in optimizers:
            optimizer.step()
        weights = as_linear_arrays(model)
        for name, p in ours.named_parameters():
            assert_close(weights[name], p.data)
    assert not np.allclose(weights["0.weight"], initial["0.weight"])
