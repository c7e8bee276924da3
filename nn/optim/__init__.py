"""Optimizers with PyTorch's update rules, for Tensor parameters and Value parameters alike:
``SGD``, ``Adam`` and ``AdamW``; their schedules are in ``lr_scheduler`` (``torch.optim.lr_scheduler``).

Each optimizer's rule computes the step from numpy arrays (``_step``); a Tensor parameter takes
it in place (``p.sub_(step)``, which counts as an in-place edit, as in PyTorch), and a group's
Value parameters, which hold Python floats, are gathered into one float64 array per step.
``state_dict()`` has PyTorch's layout, so either library's loads into the other's optimizer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

import autograd
from autograd import Value
from nn.optim import lr_scheduler as lr_scheduler  # torch.optim.lr_scheduler


class Optimizer:
    """Holds ``param_groups`` (dicts of params and hyperparameters) and per-parameter ``state``."""

    state_keys: tuple[str, ...] = ()  # the entries of a parameter's state that state_dict() saves

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        self.defaults = defaults
        self.param_groups = [{**defaults, **group, "params": list(group["params"])} for group in groups]
        for group in self.param_groups:
            _check_hyperparameters(group)
        self.state: dict[Any, dict[str, Any]] = {}

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear gradients: None for tensors (as PyTorch does), 0 for Values."""
        for group in self.param_groups:
            for p in group["params"]:
                p.zero_grad(set_to_none)

    @autograd.no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient."""
        for index, group in enumerate(self.param_groups):
            values = [p for p in group["params"] if isinstance(p, Value)]
            if values:  # Python floats: stepped as one array, then written back
                data = np.array([v.data for v in values])
                grad = np.array([v.grad for v in values])
                data -= self._step(self.state.setdefault(("values", index), {}), data, grad, group)
                for v, new in zip(values, data.tolist()):
                    v.data = new
            for p in group["params"]:
                if not isinstance(p, Value) and p.grad is not None:
                    p.sub_(self._step(self.state.setdefault(p, {}), p.data, p.grad, group))

    def _step(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        """What to subtract from ``data``, given its gradient; ``state`` persists between steps."""
        raise NotImplementedError

    # -- saving and loading, in PyTorch's layout -------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {name: array}}, "param_groups": [{hyperparameters, "params": [index, ...]}]}``,
        parameters numbered through the groups in order, as in PyTorch (a step count is a 0-d float32 array)."""
        state: dict[int, dict[str, Any]] = {}
        groups = []
        first = 0
        for group_index, group in enumerate(self.param_groups):
            for k, p in enumerate(group["params"], start=first):
                saved = self._saved_state(p, group_index, group)
                if saved:
                    state[k] = saved
            count = len(group["params"])
            groups.append(
                {**{k: v for k, v in group.items() if k != "params"}, "params": list(range(first, first + count))}
            )
            first += count
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the hyperparameters and state of ``state_dict`` (ours or PyTorch's), parameter by index."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
                )
            unsupported = [key for key in _UNSUPPORTED if saved.get(key)]
            if unsupported:
                raise ValueError(f"{type(self).__name__}.load_state_dict: options {unsupported} are not supported here")
        self.state = {}
        for group_index, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            group.update({k: v for k, v in saved.items() if k != "params"})
            entries = [state_dict["state"].get(k, {}) for k in saved["params"]]
            for p, entry in zip(group["params"], entries):
                if entry and not isinstance(p, Value):
                    self.state[p] = {key: _loaded(key, value, p.dtype) for key, value in entry.items()}
            values = [entry for p, entry in zip(group["params"], entries) if isinstance(p, Value) and entry]
            if values:  # a group's Values share one state of arrays, element j for its j-th Value
                self.state[("values", group_index)] = {
                    key: _loaded(key, values[0][key] if key == "step" else [v[key] for v in values], np.float64)
                    for key in values[0]
                }

    def _saved_state(self, p: Any, group_index: int, group: dict[str, Any]) -> dict[str, Any]:
        """The saved entries of ``p``'s state: its own, or for a Value its element of its group's arrays."""
        if not isinstance(p, Value):
            state, element = self.state.get(p, {}), None
        else:
            state = self.state.get(("values", group_index), {})
            element = [q for q in group["params"] if isinstance(q, Value)].index(p)
        saved = {}
        for key in self.state_keys:
            if key in state:
                value = state[key]
                if key == "step":
                    saved[key] = np.array(value, dtype=np.float32)
                else:
                    saved[key] = value if element is None else np.array(value[element])
        return saved


def _check_hyperparameters(group: dict[str, Any]) -> None:
    """PyTorch's checks, with its messages: rates and coefficients >= 0 (NaN fails too), betas in [0, 1)."""
    named = {
        "lr": "learning rate",
        "momentum": "momentum value",
        "weight_decay": "weight_decay value",
        "eps": "epsilon value",
    }
    for key, name in named.items():
        if key in group and not group[key] >= 0:
            raise ValueError(f"Invalid {name}: {group[key]} (must be >= 0)")
    for index, beta in enumerate(group.get("betas", ())):
        if not 0 <= beta < 1:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta} (must be in [0, 1))")


class SGD(Optimizer):
    """p -= lr * v, with v = momentum * v + (1 - dampening) g and g = grad + weight_decay * p (PyTorch's
    form); ``nesterov`` steps by g + momentum * v instead."""

    state_keys = ("momentum_buffer",)

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay}
        super().__init__(params, {**defaults, "nesterov": nesterov})

    def _step(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        g = grad + group["weight_decay"] * data if group["weight_decay"] else grad
        if group["momentum"]:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = np.array(g, copy=True)
            else:
                buffer = state["momentum_buffer"]
                buffer *= group["momentum"]
                buffer += g if group["dampening"] == 0 else (1 - group["dampening"]) * g
            buffer = state["momentum_buffer"]
            g = g + group["momentum"] * buffer if group["nesterov"] else buffer
        return group["lr"] * g


class Adam(Optimizer):
    """p -= lr * m_hat / (sqrt(v_hat) + eps), m and v the bias-corrected running means of g and g^2.

    ``weight_decay`` adds weight_decay * p to g (L2 regularization); with ``decoupled_weight_decay``
    (AdamW) it shrinks p by lr * weight_decay * p beside the step instead, outside the moments.
    Every ``FLUSH_EVERY`` steps, moments below the smallest normal float are set to zero, as
    flush-to-zero hardware modes do: left alone, the moments of weights whose gradient has died out
    decay into subnormal numbers, which slow x86 arithmetic on them 20 to 40 times over.
    """

    FLUSH_EVERY = 16  # steps: rare enough to cost little, often enough that subnormals don't linger

    state_keys = ("step", "exp_avg", "exp_avg_sq")

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, {**defaults, "decoupled_weight_decay": decoupled_weight_decay})

    def _step(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        beta1, beta2 = group["betas"]
        if "step" not in state:
            state.update(step=0, exp_avg=np.zeros_like(data), exp_avg_sq=np.zeros_like(data))
        if "scratch" not in state:  # working memory, not saved
            state.update(scratch=np.empty_like(data), mask=np.empty(data.shape, dtype=bool))
        decoupled = group["decoupled_weight_decay"]
        g = grad + group["weight_decay"] * data if group["weight_decay"] and not decoupled else grad
        state["step"] += 1
        m, v, scratch, mask = state["exp_avg"], state["exp_avg_sq"], state["scratch"], state["mask"]
        m *= beta1  # m = beta1 m + (1 - beta1) g
        np.multiply(g, 1 - beta1, out=scratch)
        m += scratch
        v *= beta2  # v = beta2 v + (1 - beta2) g^2
        np.multiply(g, g, out=scratch)
        scratch *= 1 - beta2
        v += scratch
        if state["step"] % Adam.FLUSH_EVERY == 0:
            _flush_subnormals(np.abs(m, out=scratch), m, mask)
            _flush_subnormals(v, v, mask)
        # lr / bias1 * m / (sqrt(v / bias2) + eps), with sqrt(bias2) moved to the numerator (one pass fewer)
        root_bias2 = math.sqrt(1 - beta2 ** state["step"])
        np.sqrt(v, out=scratch)
        scratch += group["eps"] * root_bias2
        np.divide(m, scratch, out=scratch)
        scratch *= group["lr"] * root_bias2 / (1 - beta1 ** state["step"])
        if group["weight_decay"] and decoupled:  # p (1 - lr wd) - step = p - (step + lr wd p)
            scratch += group["lr"] * group["weight_decay"] * data
        return scratch


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): p -= lr * (m_hat / (sqrt(v_hat) + eps)
    + weight_decay * p), the decay kept out of the moments; weight_decay defaults to 0.01 as in PyTorch."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, decoupled_weight_decay=True)


_UNSUPPORTED = ("amsgrad", "maximize", "capturable", "differentiable", "fused")  # PyTorch options not implemented


def _loaded(key: str, value: Any, dtype: np.dtype) -> Any:
    """A saved state entry as the optimizer keeps it: the step as an int, anything else as a new array."""
    if key == "step":
        return int(np.asarray(value).item())
    return np.array([np.asarray(v) for v in value] if isinstance(value, list) else np.asarray(value), dtype=dtype)


def _flush_subnormals(magnitude: np.ndarray, x: np.ndarray, mask: np.ndarray) -> None:
    """Set x to 0 where ``magnitude`` (|x|) is below the smallest normal number, in place."""
    np.less(magnitude, np.finfo(x.dtype).tiny, out=mask)
    np.copyto(x, 0, where=mask)
