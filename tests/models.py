"""Small networks built the same way in our engine and in torch, shared by the nn test files."""

import numpy as np
import torch

import nn

ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def mlp(lib, sizes=(5, 7, 6, 3), act="ReLU"):
    """Sequential(Linear, act, Linear, act, ..., Linear) built from ``lib`` (our nn or torch.nn)."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(lib.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(getattr(lib, act)())
    return lib.Sequential(*layers)


def torch_twin(model, torch_model):
    """``torch_model`` in float64 holding copies of ``model``'s (float64) parameters."""
    torch_model.double().load_state_dict({k: torch.tensor(np.array(v)) for k, v in model.state_dict().items()})
    return torch_model


def as_linear_arrays(model, attr="data"):
    """A scalar MLP's weights (or grads) as the state_dict of the equivalent Sequential of Linear layers."""
    state = {}
    for i, layer in enumerate(model.layers):
        state[f"{2 * i}.weight"] = np.array([[getattr(w, attr) for w in n.w] for n in layer.neurons])
        state[f"{2 * i}.bias"] = np.array([getattr(n.b, attr) for n in layer.neurons])
    return state


def twins(nin, nouts, activation="relu"):
    """A scalar MLP and the same network as our Sequential and as torch's, all in float64 with equal weights."""
    model = nn.MLP(nin, nouts, activation=activation)
    sizes, act = (nin, *nouts), ACTIVATIONS[activation]
    state = as_linear_arrays(model)
    ours = mlp(nn, sizes, act).double()
    ours.load_state_dict(state)
    theirs = mlp(torch.nn, sizes, act).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    return model, ours, theirs


def scalar_outputs(model, xs):
    """The MLP on each row of ``xs``, as a list of rows of Values."""
    outs = [model(list(x)) for x in xs]
    return [out if isinstance(out, list) else [out] for out in outs]


def mse(rows, ys):
    """The scalar engine's MSELoss over every output of every sample."""
    return nn.MSELoss()([v for row in rows for v in row], ys.ravel().tolist())
