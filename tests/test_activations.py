"""PyTorch's activations (``nn.functional`` and modules) against torch in float64: values, gradients at
the kinks too, second derivatives, finite differences; and on a Value exactly as on a 0-d Tensor."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings

import autograd
import nn
from nn import functional as F
from tests.helpers import arrays, assert_close, compare, compare_second, leaf, shapes

FAST = settings(max_examples=15, deadline=None)

# name: (our module, torch's module)
MODULES = {
    "ELU": (nn.ELU(), torch.nn.ELU()),
    "ELU_alpha": (nn.ELU(alpha=0.5), torch.nn.ELU(alpha=0.5)),
    "CELU": (nn.CELU(alpha=2.0), torch.nn.CELU(alpha=2.0)),
    "SELU": (nn.SELU(), torch.nn.SELU()),
    "ReLU6": (nn.ReLU6(), torch.nn.ReLU6()),
    "Hardtanh": (nn.Hardtanh(), torch.nn.Hardtanh()),
    "Hardtanh_range": (nn.Hardtanh(-2.0, 0.5), torch.nn.Hardtanh(-2.0, 0.5)),
    "Hardsigmoid": (nn.Hardsigmoid(), torch.nn.Hardsigmoid()),
    "Hardswish": (nn.Hardswish(), torch.nn.Hardswish()),
    "SiLU": (nn.SiLU(), torch.nn.SiLU()),
    "Mish": (nn.Mish(), torch.nn.Mish()),
    "Softsign": (nn.Softsign(), torch.nn.Softsign()),
    "Softplus": (nn.Softplus(), torch.nn.Softplus()),
    "Softplus_beta": (nn.Softplus(beta=2.0, threshold=5.0), torch.nn.Softplus(beta=2.0, threshold=5.0)),
    "LogSigmoid": (nn.LogSigmoid(), torch.nn.LogSigmoid()),
    "GELU": (nn.GELU(), torch.nn.GELU()),
    "GELU_tanh": (nn.GELU(approximate="tanh"), torch.nn.GELU(approximate="tanh")),
}
# The kinks and thresholds of all of them, and points on either side.
KINKS = [-6.0, -3.0, -2.0, -1.0, -1e-12, 0.0, 1e-12, 0.5, 1.0, 2.5, 3.0, 6.0, 10.0, 25.0]
# PyTorch computes two gradients from float32 constants even in float64: hardsigmoid's slope 1/6, and
# celu's 1 / alpha (relative error ~1e-8); ours are exact, so those two compare at 1e-7.
LOOSE_GRAD = {"Hardsigmoid": 1e-7, "CELU": 1e-7}
NO_TORCH_SECOND = {"Hardsigmoid"}  # torch has no double backward for it


@pytest.mark.parametrize("name", list(MODULES))
@FAST
@given(x=arrays(shapes(), -8, 8))
def test_activations_match_torch(name, x):
    ours, theirs = MODULES[name]
    compare(ours, x, torch_fn=theirs, rtol=LOOSE_GRAD.get(name, 1e-10))


@pytest.mark.parametrize("name", list(MODULES))
def test_activations_at_their_kinks_match_torch(name):
    """Values and gradients exactly at the kinks (hardtanh's ends, elu's 0, softplus' threshold...)."""
    ours, theirs = MODULES[name]
    compare(ours, np.array(KINKS), torch_fn=theirs, rtol=LOOSE_GRAD.get(name, 1e-10))


@pytest.mark.parametrize("name", [n for n in MODULES if n not in NO_TORCH_SECOND])
@pytest.mark.parametrize("points", ["random", "kinks"])
def test_activation_second_derivatives_match_torch(name, points):
    """At the kinks too, but for softplus exactly at its threshold (beta x == threshold): there torch's
    first derivative is the smooth side's and its second the linear side's 0; ours are both smooth."""
    ours, theirs = MODULES[name]
    x = np.random.default_rng(0).uniform(-5, 5, (4, 5)) if points == "random" else np.array(KINKS)
    if isinstance(ours, nn.Softplus):
        x = x[x * ours.beta != ours.threshold]
    compare_second(ours, x, torch_fn=theirs, rtol=LOOSE_GRAD.get(name, 1e-9))


@pytest.mark.parametrize("name", list(MODULES))
def test_activation_gradcheck(name):
    x = leaf(np.random.default_rng(1).uniform(-5, 5, (3, 4)))
    assert autograd.gradcheck(MODULES[name][0], x)


@pytest.mark.parametrize("name", list(MODULES))
def test_activation_on_value_equals_0d_tensor(name):
    """The scalar engine runs the same formula: the same value and gradient at every point, kinks included
    (to the last few bits: the engines' primitives are Python's math and numpy's)."""
    module = MODULES[name][0]
    for point in [*KINKS, -0.3, 1.7, -4.5]:
        v, t = autograd.Value(point), leaf(point)
        out_v, out_t = module(v), module(t)
        assert isinstance(out_v, autograd.Value)
        out_v.backward()
        out_t.backward()
        assert out_v.data == pytest.approx(out_t.item(), rel=1e-13, abs=1e-300), point  # math's vs numpy's
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-13, abs=1e-300), point


@pytest.mark.parametrize("name", list(MODULES))
def test_activations_keep_float32_and_print_like_torch(name):
    ours, theirs = MODULES[name]
    assert ours(autograd.randn(3)).dtype == autograd.float32
    assert repr(ours) == repr(theirs)


FUNCTIONS = {
    "elu": (lambda x: F.elu(x, 1.5), lambda x: TF.elu(x, 1.5)),
    "celu": (lambda x: F.celu(x, 0.5), lambda x: TF.celu(x, 0.5)),
    "selu": (F.selu, TF.selu),
    "relu6": (F.relu6, TF.relu6),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 2.0), lambda x: TF.hardtanh(x, -0.5, 2.0)),
    "hardtanh_point": (lambda x: F.hardtanh(x, 1.0, 1.0), lambda x: TF.hardtanh(x, 1.0, 1.0)),
    "hardsigmoid": (F.hardsigmoid, TF.hardsigmoid),
    "hardswish": (F.hardswish, TF.hardswish),
    "silu": (F.silu, TF.silu),
    "mish": (F.mish, TF.mish),
    "softsign": (F.softsign, TF.softsign),
    "softplus": (lambda x: F.softplus(x, beta=0.5, threshold=1.0), lambda x: TF.softplus(x, beta=0.5, threshold=1.0)),
    "logsigmoid": (F.logsigmoid, TF.logsigmoid),
    "gelu": (F.gelu, TF.gelu),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), lambda x: TF.gelu(x, approximate="tanh")),
}


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_functional_forms_match_torch(name):
    ours, theirs = FUNCTIONS[name]
    x = np.concatenate([KINKS, np.random.default_rng(2).uniform(-8, 8, 20)])
    compare(ours, x, torch_fn=theirs, rtol=1e-7 if name in ("hardsigmoid", "celu") else 1e-10)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # -inf * 0 in gelu, as in torch
def test_activations_of_infinities_match_torch():
    """Pieces not chosen by ``where`` stay finite, so no nan comes back from them (elu of a huge x)."""
    x = np.array([-np.inf, -1000.0, 1000.0, np.inf])
    for name in ("elu", "selu", "celu", "relu6", "hardtanh", "hardsigmoid", "softplus", "logsigmoid", "gelu"):
        compare(*FUNCTIONS[name][:1], x, torch_fn=FUNCTIONS[name][1], rtol=1e-7)
    compare(F.hardswish, x[1:], torch_fn=TF.hardswish)  # torch's hardswish(-inf) is -inf * 0 = nan; ours is 0


def test_activation_argument_errors_match_torch():
    x = autograd.randn(3)
    with pytest.raises(RuntimeError, match="alpha cannot be 0"):
        F.celu(x, alpha=0.0)
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        F.gelu(x, approximate="erf")
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        nn.GELU(approximate="sigmoid")
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        F.hardtanh(x, 2.0, 1.0)
    with pytest.raises(ValueError, match="must be greater than min_val"):
        nn.Hardtanh(1.0, 1.0)


def test_inplace_activations():
    """``inplace=True`` edits the tensor outside the graph; in it, and on a Value, it refuses clearly."""
    data = np.array([-2.0, 0.5, 7.0])
    x = autograd.tensor(data)
    assert nn.ReLU6(inplace=True)(x) is x
    assert_close(x, TF.relu6(torch.tensor(data)))
    y = autograd.tensor(data)
    with autograd.no_grad():
        F.elu(leaf(data), inplace=True)
    assert F.selu(y, inplace=True) is y
    with pytest.raises(RuntimeError, match="inplace=False"):
        F.silu(leaf(data) * 1, inplace=True)
    with pytest.raises(TypeError, match="Value"):
        nn.Mish(inplace=True)(autograd.Value(1.0))
    assert repr(nn.ELU(inplace=True)) == repr(torch.nn.ELU(inplace=True))
