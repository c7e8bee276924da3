"""nn.optim against torch.optim: parameter trajectories in float64, step by step."""

import numpy as np
import pytest
import torch

import autograd
import nn
from tests.helpers import assert_close, random_like
from tests.models import as_linear_arrays, mlp, mse, scalar_outputs, torch_twin, twins

CONFIGS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.05}),
    ("SGD", {"lr": 0.1, "momentum": 0.8, "weight_decay": 0.05}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.02, "betas": (0.8, 0.9), "eps": 1e-6}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.3}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.3, "decoupled_weight_decay": True}),
]


def problem(seed=0):
    """A small float64 regression: our model, torch's copy of it, inputs and targets."""
    autograd.manual_seed(seed)
    model = mlp(nn, (4, 6, 5, 2), "Tanh").double()
    return model, torch_twin(model, mlp(torch.nn, (4, 6, 5, 2), "Tanh")), random_like((8, 4), seed), random_like((8, 2))


def train_step(optimizer, model, x, y, lib):
    """zero_grad, MSE loss on ``model(x)``, backward, step: the same code for both libraries."""
    tensor = autograd.tensor if lib is nn else torch.tensor
    optimizer.zero_grad()
    lib.MSELoss()(model(tensor(x)), tensor(y)).backward()
    optimizer.step()


def assert_same_parameters(model, torch_model):
    theirs = dict(torch_model.named_parameters())
    for name, p in model.named_parameters():
        assert_close(p.data, theirs[name], rtol=1e-10, atol=1e-13)


def scalar_step(optimizer, model, x, y):
    """``train_step`` for a scalar MLP of Values: zero_grad, MSE of its outputs on the rows of x, backward, step."""
    optimizer.zero_grad()
    mse(scalar_outputs(model, x), y).backward()
    optimizer.step()


def assert_same_as_linear_layers(model, torch_model):
    """A scalar MLP's weights equal those of its torch twin, layer by layer."""
    weights = as_linear_arrays(model)
    for key, p in torch_model.named_parameters():
        assert_close(weights[key], p, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("name, kwargs", CONFIGS, ids=str)
def test_trajectory_matches_torch(name, kwargs):
    model, theirs, x, y = problem()
    initial = model[0].weight.data.copy()
    optimizer = getattr(nn.optim, name)(model.parameters(), **kwargs)
    torch_optimizer = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    for _ in range(10):
        train_step(optimizer, model, x, y, nn)
        train_step(torch_optimizer, theirs, x, y, torch.nn)
        assert_same_parameters(model, theirs)
    assert not np.allclose(model[0].weight.data, initial)


@pytest.mark.parametrize("name, kwargs", [CONFIGS[3], CONFIGS[5]], ids=str)
def test_float32_parameters_stay_float32_and_close_to_torch(name, kwargs):
    autograd.manual_seed(0)
    model = mlp(nn, (4, 6, 5, 2), "Tanh")
    theirs = mlp(torch.nn, (4, 6, 5, 2), "Tanh")
    theirs.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    x, y = random_like((8, 4)).astype(np.float32), random_like((8, 2)).astype(np.float32)
    optimizer = getattr(nn.optim, name)(model.parameters(), **kwargs)
    torch_optimizer = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    for _ in range(10):
        train_step(optimizer, model, x, y, nn)
        train_step(torch_optimizer, theirs, x, y, torch.nn)
    theirs = dict(theirs.named_parameters())
    for key, p in model.named_parameters():
        assert p.dtype == np.float32
        assert_close(p.data, theirs[key], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, kwargs", CONFIGS, ids=str)
def test_value_parameters_match_torch(name, kwargs):
    """The same optimizer on a scalar MLP's Values follows torch's trajectory for the same network."""
    model, _, theirs = twins(3, [5, 2])
    x, y = random_like((4, 3), 1), random_like((4, 2), 2)
    optimizer = getattr(nn.optim, name)(model.parameters(), **kwargs)
    torch_optimizer = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    for _ in range(10):
        scalar_step(optimizer, model, x, y)
        train_step(torch_optimizer, theirs, x, y, torch.nn)
        assert_same_as_linear_layers(model, theirs)


def test_zero_grad():
    model, _, x, y = problem()
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    nn.MSELoss()(model(autograd.tensor(x)), autograd.tensor(y)).backward()
    optimizer.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    scalar = nn.MLP(2, [3, 1])
    scalar([1.0, -1.0]).backward()
    optimizer = nn.optim.Adam(scalar.parameters())
    optimizer.zero_grad()
    assert all(p.grad == 0.0 for p in scalar.parameters())


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_changing_lr_between_steps_takes_effect(name):
    model, theirs, x, y = problem()
    optimizer = getattr(nn.optim, name)(model.parameters(), lr=0.05)
    torch_optimizer = getattr(torch.optim, name)(theirs.parameters(), lr=0.05)
    for lr in [0.05, 0.05, 0.2, 0.0, 0.01]:
        for opt in (optimizer, torch_optimizer):
            opt.param_groups[0]["lr"] = lr
        before = model[0].weight.data.copy()
        train_step(optimizer, model, x, y, nn)
        train_step(torch_optimizer, theirs, x, y, torch.nn)
        assert_same_parameters(model, theirs)
        assert np.array_equal(model[0].weight.data, before) == (lr == 0.0)


def test_param_groups_with_their_own_hyperparameters():
    model, theirs, x, y = problem()

    def groups(m):
        return [{"params": m[0].parameters()}, {"params": list(m[2].parameters()) + list(m[4].parameters()), "lr": 0.5}]

    optimizer = nn.optim.SGD(groups(model), lr=0.05, momentum=0.5)
    torch_optimizer = torch.optim.SGD(groups(theirs), lr=0.05, momentum=0.5)
    assert [g["lr"] for g in optimizer.param_groups] == [0.05, 0.5]
    for _ in range(5):
        train_step(optimizer, model, x, y, nn)
        train_step(torch_optimizer, theirs, x, y, torch.nn)
        assert_same_parameters(model, theirs)


@pytest.mark.parametrize("name, kwargs", CONFIGS, ids=str)
def test_parameter_without_grad_is_skipped(name, kwargs):
    """A parameter unused until step 4 is left alone (no decay, no momentum, no Adam step count) until then."""
    a, b = nn.Parameter(autograd.tensor(random_like((3,)))), nn.Parameter(autograd.tensor(random_like((2,), 1)))
    at, bt = torch.tensor(a.data, requires_grad=True), torch.tensor(b.data, requires_grad=True)
    b0 = b.data.copy()
    optimizer = getattr(nn.optim, name)([a, b], **kwargs)
    torch_optimizer = getattr(torch.optim, name)([at, bt], **kwargs)
    for step in range(8):
        for opt, p, q in ((optimizer, a, b), (torch_optimizer, at, bt)):
            opt.zero_grad()
            loss = (p * p).sum() + ((q * q * q).sum() if step >= 4 else 0)
            loss.backward()
            opt.step()
        assert_close(a.data, at)
        assert_close(b.data, bt)
        if step < 4:
            assert b.grad is None and np.array_equal(b.data, b0)
    assert not np.array_equal(b.data, b0)


def test_empty_parameter_list_rejected():
    with pytest.raises(ValueError):
        nn.optim.SGD([], lr=0.1)


def test_adam_sets_subnormal_moments_to_zero_every_few_steps():
    """Moments of a weight whose gradient died out decay into subnormal floats, 20-40 times slower to
    compute with; every FLUSH_EVERY steps Adam sets those to zero (normal ones are untouched)."""
    p = nn.Parameter(autograd.tensor([1.0, 1.0]))
    optimizer = nn.optim.Adam([p], lr=1e-3)
    p.grad = np.array([1e-3, 1e-3], dtype=np.float32)
    optimizer.step()
    moments = optimizer.state[p]["exp_avg"]
    moments[0] = np.float32(1e-39)  # subnormal in float32
    for _ in range(nn.optim.Adam.FLUSH_EVERY - 2):
        p.grad = np.zeros(2, dtype=np.float32)
        optimizer.step()
    assert 0 < moments[0] < np.finfo(np.float32).tiny  # not yet
    optimizer.step()
    assert moments[0] == 0 and moments[1] > np.finfo(np.float32).tiny
