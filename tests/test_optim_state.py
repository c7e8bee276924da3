"""Optimizer state_dicts in PyTorch's layout, loaded either way, and the learning-rate schedulers
(``nn.optim.lr_scheduler``) step by step against ``torch.optim.lr_scheduler``."""

import importlib

import numpy as np
import pytest
import torch

import autograd
import nn
from tests.helpers import assert_close
from tests.models import twins
from tests.test_optim import assert_same_as_linear_layers, assert_same_parameters, problem, scalar_step, train_step

OPTIMIZERS = [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
]


def to_torch_state(state_dict):
    """Our optimizer state_dict with its arrays as torch tensors."""
    state = {k: {key: torch.tensor(v) for key, v in entry.items()} for k, entry in state_dict["state"].items()}
    return {"state": state, "param_groups": state_dict["param_groups"]}


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS, ids=str)
def test_state_dict_has_torchs_layout_and_loads_both_ways(name, kwargs):
    """Three steps on each side, then each optimizer continues from the other's state: same trajectories."""
    model, theirs, x, y = problem()
    ours_opt = getattr(nn.optim, name)(model.parameters(), **kwargs)
    theirs_opt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    for _ in range(3):
        train_step(ours_opt, model, x, y, nn)
        train_step(theirs_opt, theirs, x, y, torch.nn)
    ours_sd, theirs_sd = ours_opt.state_dict(), theirs_opt.state_dict()
    assert ours_sd["state"].keys() == theirs_sd["state"].keys()
    for k, entry in theirs_sd["state"].items():
        assert ours_sd["state"][k].keys() == {key for key, v in entry.items() if v is not None}
        for key, value in ours_sd["state"][k].items():
            assert_close(value, entry[key], rtol=1e-10, atol=1e-13)
    (ours_group,), (theirs_group,) = ours_sd["param_groups"], theirs_sd["param_groups"]
    assert ours_group["params"] == theirs_group["params"]
    assert {k: v for k, v in theirs_group.items() if k in ours_group} == ours_group

    # swap: a fresh optimizer of each library takes the other's state and steps on
    model_b, theirs_b = problem()[:2]
    model_b.load_state_dict({k: p.detach().numpy() for k, p in theirs.state_dict().items()})
    theirs_b.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    ours_b = getattr(nn.optim, name)(model_b.parameters(), **kwargs)
    ours_b.load_state_dict(theirs_sd)
    theirs_b_opt = getattr(torch.optim, name)(theirs_b.parameters(), **kwargs)
    theirs_b_opt.load_state_dict(to_torch_state(ours_sd))
    for _ in range(3):
        for opt, m, lib in ((ours_opt, model, nn), (theirs_opt, theirs, torch.nn), (ours_b, model_b, nn)):
            train_step(opt, m, x, y, lib)
        train_step(theirs_b_opt, theirs_b, x, y, torch.nn)
        assert_same_parameters(model, theirs)
        assert_same_parameters(model_b, theirs)
        assert_same_parameters(model, theirs_b)


def test_state_dict_of_value_parameters_round_trips():
    model, _, theirs = twins(3, [4, 2])
    x, y = np.ones((2, 3)), np.zeros((2, 2))
    optimizer = nn.optim.Adam(model.parameters(), lr=0.01)
    torch_optimizer = torch.optim.Adam(theirs.parameters(), lr=0.01)
    for _ in range(2):
        scalar_step(optimizer, model, x, y)
        train_step(torch_optimizer, theirs, x, y, torch.nn)
    saved = optimizer.state_dict()
    assert sorted(saved["state"]) == list(range(len(list(model.parameters()))))
    assert saved["state"][0]["step"] == 2 and saved["state"][0]["exp_avg"].shape == ()
    restored = nn.optim.Adam(model.parameters(), lr=0.01)
    restored.load_state_dict(saved)
    for _ in range(2):
        scalar_step(restored, model, x, y)
        train_step(torch_optimizer, theirs, x, y, torch.nn)
    assert_same_as_linear_layers(model, theirs)


def test_load_state_dict_refuses_what_does_not_fit():
    model = problem()[0]
    optimizer = nn.optim.Adam(model.parameters())
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optimizer.load_state_dict({"state": {}, "param_groups": []})
    torch_sd = torch.optim.Adam([torch.zeros(2, requires_grad=True) for _ in range(6)], amsgrad=True).state_dict()
    with pytest.raises(ValueError, match=r"options \['amsgrad'\] are not supported"):
        optimizer.load_state_dict(torch_sd)


SCHEDULES = [
    ("StepLR", {"step_size": 4, "gamma": 0.5}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.01}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 30}),
    ("OneCycleLR", {"max_lr": [0.5, 0.2], "epochs": 3, "steps_per_epoch": 10, "anneal_strategy": "linear"}),
    ("OneCycleLR", {"max_lr": 0.5, "total_steps": 30, "three_phase": True, "pct_start": 0.25, "div_factor": 10.0}),
]


@pytest.mark.parametrize("schedule, kwargs", SCHEDULES, ids=str)
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_scheduler_steps_match_torch(schedule, kwargs, optimizer):
    """lr (and for OneCycleLR the momentum or beta1) of two param groups after every step, and the trained weights."""
    model, theirs, x, y = problem()

    def groups(m):
        return [{"params": m[0].parameters()}, {"params": list(m[2].parameters()) + list(m[4].parameters()), "lr": 0.3}]

    options = {"lr": 0.1, "momentum": 0.9} if optimizer == "SGD" else {"lr": 0.1}
    ours_opt, theirs_opt = (
        getattr(nn.optim, optimizer)(groups(model), **options),
        getattr(torch.optim, optimizer)(groups(theirs), **options),
    )
    ours, reference = (
        getattr(nn.optim.lr_scheduler, schedule)(ours_opt, **kwargs),
        getattr(torch.optim.lr_scheduler, schedule)(theirs_opt, **kwargs),
    )
    for _ in range(30):
        train_step(ours_opt, model, x, y, nn)
        train_step(theirs_opt, theirs, x, y, torch.nn)
        ours.step()
        reference.step()
        assert ours.get_last_lr() == reference.get_last_lr()
        for group, expected in zip(ours_opt.param_groups, theirs_opt.param_groups):
            assert group.get("momentum") == expected.get("momentum") and group.get("betas") == expected.get("betas")
    assert_same_parameters(model, theirs)
    assert set(ours.state_dict()) <= set(reference.state_dict())


@pytest.mark.parametrize("schedule, kwargs", SCHEDULES[:3], ids=str)
def test_scheduler_state_dict_loads_both_ways(schedule, kwargs):
    """Halfway, each library's scheduler takes the other's state_dict and carries on with the same rates."""
    ours_opt = nn.optim.SGD([nn.Parameter(autograd.ones(2))], lr=0.1, momentum=0.9)
    theirs_opt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=0.1, momentum=0.9)
    ours = getattr(nn.optim.lr_scheduler, schedule)(ours_opt, **kwargs)
    theirs = getattr(torch.optim.lr_scheduler, schedule)(theirs_opt, **kwargs)
    for _ in range(12):
        ours_opt.step(), theirs_opt.step(), ours.step(), theirs.step()
    ours_sd, theirs_sd = ours.state_dict(), theirs.state_dict()
    ours.load_state_dict(theirs_sd)
    theirs.load_state_dict(ours_sd)
    for _ in range(12):
        ours_opt.step(), theirs_opt.step(), ours.step(), theirs.step()
        assert ours.get_last_lr() == theirs.get_last_lr()


def test_scheduler_errors_and_import_paths():
    """`from torch.optim.lr_scheduler import StepLR` ports as `from nn.optim.lr_scheduler import StepLR`."""
    schedules = importlib.import_module("nn.optim.lr_scheduler")
    assert schedules is nn.optim.lr_scheduler is autograd.optim.lr_scheduler
    optimizer = nn.optim.SGD([nn.Parameter(autograd.ones(2))], lr=0.1)
    with pytest.raises(ValueError, match="You must define either total_steps OR"):
        schedules.OneCycleLR(optimizer, 0.1)
    scheduler = schedules.OneCycleLR(optimizer, 0.1, total_steps=2, cycle_momentum=False)
    scheduler.step(), scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 3 times. The specified number of total steps is 2"):
        scheduler.step()
