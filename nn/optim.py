"""Optimizers with PyTorch's update rules, for Tensor parameters and Value parameters alike.

Each optimizer's rule computes the step from numpy arrays (``_step``); a Tensor parameter takes
it in place (``p.sub_(step)``, which counts as an in-place edit, as in PyTorch), and a group's
Value parameters, which hold Python floats, are gathered into one float64 array per step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

import autograd
from autograd import Value


class Optimizer:
    """Holds ``param_groups`` (dicts of params and hyperparameters) and per-parameter ``state``."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
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
    """p -= lr * v, with v = momentum * v + g and g = grad + weight_decay * p (PyTorch's form)."""

    def __init__(
        self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0.0, weight_decay: float = 0.0
    ) -> None:
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    def _step(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        g = grad + group["weight_decay"] * data if group["weight_decay"] else grad
        if group["momentum"]:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = np.array(g, copy=True)
            else:
                buffer = state["momentum_buffer"]
                buffer *= group["momentum"]
                buffer += g
            g = state["momentum_buffer"]
        return group["lr"] * g


class Adam(Optimizer):
    """p -= lr * m_hat / (sqrt(v_hat) + eps), m and v the bias-corrected running means of g and g^2.

    Moments below the smallest normal float are flushed to zero each step, as
    flush-to-zero hardware modes do: left alone, the moments of idle weights
    decay into subnormal numbers, which slow x86 arithmetic on them many times over.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})

    def _step(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        beta1, beta2 = group["betas"]
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(data), exp_avg_sq=np.zeros_like(data))
            state.update(scratch=np.empty_like(data), mask=np.empty(data.shape, dtype=bool))
        g = grad + group["weight_decay"] * data if group["weight_decay"] else grad
        state["step"] += 1
        m, v, scratch, mask = state["exp_avg"], state["exp_avg_sq"], state["scratch"], state["mask"]
        m *= beta1  # m = beta1 m + (1 - beta1) g
        np.multiply(g, 1 - beta1, out=scratch)
        m += scratch
        v *= beta2  # v = beta2 v + (1 - beta2) g^2
        np.multiply(g, g, out=scratch)
        scratch *= 1 - beta2
        v += scratch
        _flush_subnormals(np.abs(m, out=scratch), m, mask)
        _flush_subnormals(v, v, mask)
        # lr / bias1 * m / (sqrt(v / bias2) + eps), with sqrt(bias2) moved to the numerator (one pass fewer)
        root_bias2 = math.sqrt(1 - beta2 ** state["step"])
        np.sqrt(v, out=scratch)
        scratch += group["eps"] * root_bias2
        np.divide(m, scratch, out=scratch)
        scratch *= group["lr"] * root_bias2 / (1 - beta1 ** state["step"])
        return scratch


def _flush_subnormals(magnitude: np.ndarray, x: np.ndarray, mask: np.ndarray) -> None:
    """Set x to 0 where ``magnitude`` (|x|) is below the smallest normal number, in place."""
    np.less(magnitude, np.finfo(x.dtype).tiny, out=mask)
    np.copyto(x, 0, where=mask)
