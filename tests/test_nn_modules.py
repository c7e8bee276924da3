"""nn modules against torch.nn: Linear, Sequential, activations, state_dict, save/load, init, scalar MLPs."""

import math
import os

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from nn import functional as F
from tests.helpers import arrays, assert_close, backward_both, dtype_name, leaf, random_like, to_torch
from tests.models import mlp, torch_twin

FAST = settings(deadline=None, max_examples=25)


def blog_net(lib):
    """The MNIST blog post's Net (784-200-200-200-10 with fc1..fc4), on ``lib``."""

    class Net(lib.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = lib.Linear(28 * 28, 200)
            self.fc2 = lib.Linear(200, 200)
            self.fc3 = lib.Linear(200, 200)
            self.fc4 = lib.Linear(200, 10)

        def forward(self, x):
            x = lib.functional.relu(self.fc1(x))
            x = lib.functional.relu(self.fc2(x))
            x = lib.functional.relu(self.fc3(x))
            return lib.functional.log_softmax(self.fc4(x), dim=1)

    return Net()


def assert_same_grads(model, torch_model):
    theirs = dict(torch_model.named_parameters())
    for name, p in model.named_parameters():
        assert_close(p.grad, theirs[name].grad)


# -- Linear ----------------------------------------------------------------------------
def test_linear_shapes_and_dtype():
    layer = nn.Linear(3, 5)
    assert layer.weight.shape == (5, 3) and layer.bias.shape == (5,)
    assert layer.weight.dtype == np.float32 and layer.weight.requires_grad
    assert nn.Linear(3, 5, bias=False).bias is None
    assert layer(autograd.randn(4, 3)).shape == (4, 5)


def test_linear_init_matches_torch_bounds():
    """Weight and bias uniform on +-1/sqrt(in_features), as torch's: all inside, filling the range."""
    n_in, n_out = 150, 400
    bound = 1 / math.sqrt(n_in)
    theirs = torch.nn.Linear(n_in, n_out)
    layer = nn.Linear(n_in, n_out)
    for ours, ref in [(layer.weight.data, theirs.weight.detach().numpy()), (layer.bias.data, theirs.bias.detach())]:
        ref = np.asarray(ref)
        assert np.abs(ref).max() <= bound and np.abs(ours).max() <= bound
        # both spread over the range: same extremes (within sampling error) and the std of U(-b, b)
        assert np.abs(ours).max() > 0.97 * bound
        assert ours.min() < -0.9 * bound and ours.max() > 0.9 * bound
    w = layer.weight.data
    assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound
    assert abs(w.mean()) < 0.02 * bound


@pytest.mark.parametrize("shape", [(4,), (2, 3, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_on_other_input_ranks_matches_torch(shape, bias):
    layer = nn.Linear(4, 3, bias=bias).double()
    theirs = torch_twin(layer, torch.nn.Linear(4, 3, bias=bias))
    x = random_like(shape)
    xs, xt = leaf(x), to_torch(x)
    out, out_t = layer(xs), theirs(xt)
    assert_close(out, out_t)
    out.sum().backward()
    out_t.sum().backward()
    assert_close(xs.grad, xt.grad)
    assert_same_grads(layer, theirs)


def test_linear_rejects_wrong_input_width():
    with pytest.raises(ValueError, match="5"):
        nn.Linear(5, 2)(autograd.randn(3, 4))


@pytest.mark.parametrize("build", [mlp, blog_net], ids=["sequential", "blog_net"])
def test_repr_matches_torch(build):
    assert repr(build(nn)) == repr(build(torch.nn))


# -- Sequential vs torch ---------------------------------------------------------------
@pytest.mark.parametrize("act", ["ReLU", "Tanh", "Sigmoid", "LeakyReLU"])
@FAST
@given(batch=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_sequential_forward_backward_matches_torch(act, batch, seed):
    autograd.manual_seed(seed)
    model = mlp(nn, act=act).double()
    theirs = torch_twin(model, mlp(torch.nn, act=act))
    x = random_like((batch, 5), seed)
    xs, xt = leaf(x), to_torch(x)
    out, out_t = model(xs), theirs(xt)
    assert_close(out, out_t)
    backward_both(out, out_t, seed + 1)
    assert_close(xs.grad, xt.grad)
    assert_same_grads(model, theirs)


def test_sequential_indexing_and_len():
    model = mlp(nn)
    assert len(model) == 5
    assert isinstance(model[0], nn.Linear) and isinstance(model[1], nn.ReLU)
    assert list(model) == list(model.children())


def test_blog_net_matches_torch():
    model = blog_net(nn).double()
    theirs = torch_twin(model, blog_net(torch.nn))
    x = random_like((4, 784))
    out, out_t = model(autograd.tensor(x)), theirs(torch.tensor(x))
    assert_close(out, out_t)
    out.sum().backward()
    out_t.sum().backward()
    assert_same_grads(model, theirs)


# -- state_dict ------------------------------------------------------------------------
@pytest.mark.parametrize("build", [mlp, blog_net], ids=["sequential", "blog_net"])
def test_state_dict_keys_and_shapes_match_torch(build):
    ours, theirs = build(nn).state_dict(), build(torch.nn).state_dict()
    assert list(ours) == list(theirs)
    assert all(ours[k].shape == tuple(theirs[k].shape) for k in ours)
    assert list(ours) == [name for name, _ in build(nn).named_parameters()]


def test_state_dict_of_prelu_and_nested_modules():
    """Keys of a Sequential nested in a Sequential, with a PReLU's learned slope and a Linear without bias."""

    def build(lib):
        inner = lib.Sequential(lib.Flatten(), lib.Linear(3, 4, bias=False), lib.Linear(4, 1))
        return lib.Sequential(lib.Linear(2, 3), lib.PReLU(3), inner)

    assert list(build(nn).state_dict()) == list(build(torch.nn).state_dict())


def test_list_of_modules_keys_match_module_list():
    """A plain list attribute registers its modules as ``layers.0``, like torch's ModuleList."""

    class Stack(nn.Module):
        def __init__(self):
            self.layers = [nn.Linear(2, 3), nn.Linear(3, 1)]

    theirs = torch.nn.Module()
    theirs.layers = torch.nn.ModuleList([torch.nn.Linear(2, 3), torch.nn.Linear(3, 1)])
    assert list(Stack().state_dict()) == list(theirs.state_dict())


def damaged_state_dict(model):
    """A state_dict with ``0.bias`` missing, ``extra.weight`` unexpected and ``2.weight`` of the wrong shape."""
    sd = dict(model.state_dict())
    del sd["0.bias"]
    sd["extra.weight"] = np.zeros(3)
    sd["2.weight"] = np.zeros((2, 2))
    return sd


def test_load_state_dict_names_every_problem():
    model = mlp(nn)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(damaged_state_dict(model))
    message = str(error.value)
    for key in ("0.bias", "extra.weight", "2.weight"):
        assert key in message
    assert "(2, 2)" in message and "(6, 7)" in message


def test_load_state_dict_shape_mismatch_raises_even_when_not_strict():
    model = mlp(nn)
    with pytest.raises(RuntimeError, match=r"2\.weight"):
        model.load_state_dict(damaged_state_dict(model), strict=False)
    theirs = mlp(torch.nn)
    with pytest.raises(RuntimeError, match=r"2\.weight"):
        theirs.load_state_dict({k: torch.tensor(v) for k, v in damaged_state_dict(model).items()}, strict=False)


def test_load_state_dict_not_strict_reports_like_torch():
    model, theirs = mlp(nn), mlp(torch.nn)
    sd = dict(mlp(nn).state_dict())
    del sd["2.bias"]
    sd["9.weight"] = np.ones(2)
    result = model.load_state_dict(sd, strict=False)
    expected = theirs.load_state_dict({k: torch.tensor(v) for k, v in sd.items()}, strict=False)
    assert result.missing_keys == expected.missing_keys == ["2.bias"]
    assert result.unexpected_keys == expected.unexpected_keys == ["9.weight"]
    np.testing.assert_array_equal(model[0].weight.data, sd["0.weight"])


def test_load_state_dict_copies_values_and_accepts_tensors():
    model, source = mlp(nn), mlp(nn)
    model.load_state_dict({k: autograd.from_numpy(v) for k, v in source.state_dict().items()})
    for (name, p), q in zip(model.named_parameters(), source.parameters()):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
        assert p.data is not q.data


# -- save / load -----------------------------------------------------------------------
def test_save_load_round_trip_keeps_exact_path(tmp_path):
    model = mlp(nn)
    path = tmp_path / "best.pt"
    autograd.save(model.state_dict(), path)
    assert os.listdir(tmp_path) == ["best.pt"]
    loaded = autograd.load(path)
    assert list(loaded) == list(model.state_dict())
    for k, v in model.state_dict().items():
        assert loaded[k].dtype == v.dtype
        np.testing.assert_array_equal(loaded[k], v)
    autograd.save(model.state_dict(), str(tmp_path / "weights"))
    assert sorted(os.listdir(tmp_path)) == ["best.pt", "weights"]


def test_trained_model_reloads_to_identical_outputs(tmp_path):
    autograd.manual_seed(0)
    model = mlp(nn)
    x, y = autograd.randn(16, 5), autograd.randn(16, 3)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(5):
        optimizer.zero_grad()
        nn.MSELoss()(model(x), y).backward()
        optimizer.step()
    autograd.save(model.state_dict(), tmp_path / "model.pt")
    fresh = mlp(nn)
    assert not np.array_equal(fresh(x).data, model(x).data)
    fresh.load_state_dict(autograd.load(tmp_path / "model.pt"))
    np.testing.assert_array_equal(fresh(x).data, model(x).data)


class _TouchOnUnpickle:
    """Unpickling this object creates ``path``: proof that code ran."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return open, (str(self.path), "w")


def test_load_refuses_pickled_objects(tmp_path):
    path, marker = tmp_path / "evil.pt", tmp_path / "ran"
    with open(path, "wb") as f:
        np.savez(f, x=np.array([_TouchOnUnpickle(marker)], dtype=object))
    with pytest.raises(ValueError):
        autograd.load(path)
    assert not marker.exists()
    with open(path, "wb") as f:
        np.savez(f, x=np.array([{}], dtype=object))
    with pytest.raises(ValueError):
        autograd.load(path)


def test_load_refuses_a_non_archive(tmp_path):
    path = tmp_path / "notes.pt"
    path.write_text("not a model")
    with pytest.raises(ValueError, match="notes.pt"):
        autograd.load(path)


def test_save_refuses_non_numeric_values(tmp_path):
    with pytest.raises(TypeError):
        autograd.save({"w": {"nested": 1}}, tmp_path / "x.pt")


# -- Module plumbing -------------------------------------------------------------------
def test_parameters_named_parameters_children_match_torch():
    model, theirs = mlp(nn), mlp(torch.nn)
    names = [n for n, _ in model.named_parameters()]
    assert names == [n for n, _ in theirs.named_parameters()]
    assert [id(p) for p in model.parameters()] == [id(p) for _, p in model.named_parameters()]
    assert all(isinstance(p, nn.Parameter) for p in model.parameters())
    assert [type(c).__name__ for c in model.children()] == [type(c).__name__ for c in theirs.children()]


def test_shared_parameter_listed_once():
    model = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3))
    model[1].weight = model[0].weight
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 3))
    theirs[1].weight = theirs[0].weight
    assert [n for n, _ in model.named_parameters()] == [n for n, _ in theirs.named_parameters()]


def test_zero_grad_sets_grads_to_none():
    model = mlp(nn)
    model(autograd.randn(2, 5)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_train_eval_recursive():
    model = nn.Sequential(mlp(nn), nn.Sequential(nn.ReLU()))
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    assert model.train() is model
    assert all(m.training for m in model.modules())
    model.train(False)
    assert not model[1][0].training


def test_to_device():
    model = mlp(nn)
    assert model.to("cpu") is model
    assert model.to(autograd.device("cpu")) is model
    with pytest.raises(RuntimeError, match="cuda"):
        model.to("cuda")


def test_double_and_float_cast_parameters():
    model = mlp(nn).double()
    assert all(p.dtype == np.float64 and p.requires_grad for p in model.parameters())
    assert all(p.dtype == np.float32 for p in model.float().parameters())


class WithIndex(nn.Module):
    """A float weight beside an integer Parameter that is not learned (a lookup table)."""

    def __init__(self):
        self.weight = nn.Parameter(autograd.ones(2, 3))
        self.index = nn.Parameter(autograd.tensor([2, 0, 1]), requires_grad=False)


def test_to_dtype_casts_floating_parameters_only():
    """As in PyTorch: to(float64), double() and float() cast the weight; the integer Parameter keeps its dtype."""
    model, twin = WithIndex(), torch.nn.Module()
    twin.weight = torch.nn.Parameter(torch.ones(2, 3))
    twin.index = torch.nn.Parameter(torch.tensor([2, 0, 1]), requires_grad=False)
    for cast, weight_dtype in [
        (lambda module, lib: module.to(lib.float64), "float64"),
        (lambda module, lib: module.float(), "float32"),
        (lambda module, lib: module.double(), "float64"),
    ]:
        ours, theirs = cast(model, autograd), cast(twin, torch)
        assert dtype_name(ours.weight) == dtype_name(theirs.weight) == weight_dtype
        assert dtype_name(ours.index) == dtype_name(theirs.index) == "int64"
        assert ours.index.tolist() == theirs.index.tolist() == [2, 0, 1] and ours.weight.requires_grad
    with pytest.raises(TypeError, match="floating point dtypes, but got dtype=int64"):
        model.to(autograd.int64)
    with pytest.raises(TypeError, match="floating point or complex dtypes, but got desired dtype=torch.int64"):
        twin.to(torch.int64)


def test_module_without_forward_says_so():
    with pytest.raises(NotImplementedError):
        nn.Module()(1)


# -- activations -------------------------------------------------------------------------
ACTIVATIONS = [
    ("ReLU", {}),
    ("Sigmoid", {}),
    ("Tanh", {}),
    ("LeakyReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.2}),
    ("Softmax", {"dim": 1}),
    ("Softmax", {"dim": -1}),
    ("LogSoftmax", {"dim": 1}),
    ("LogSoftmax", {"dim": 0}),
]


@pytest.mark.parametrize("name, kwargs", ACTIVATIONS, ids=lambda a: str(a))
@FAST
@given(x=arrays(st.tuples(st.integers(1, 4), st.integers(1, 5), st.integers(1, 3)), -30, 30))
def test_activation_modules_match_torch(name, kwargs, x):
    xs, xt = leaf(x), to_torch(x)
    out, out_t = getattr(nn, name)(**kwargs)(xs), getattr(torch.nn, name)(**kwargs)(xt)
    assert_close(out, out_t)
    backward_both(out, out_t)
    assert_close(xs.grad, xt.grad)


@pytest.mark.parametrize("shape", [(3,), (2, 4), (2, 3, 4)])
def test_softmax_default_dim_matches_torch(shape):
    x = random_like(shape)
    with pytest.warns(UserWarning):
        expected = torch.nn.Softmax()(torch.tensor(x))
    assert_close(nn.Softmax()(leaf(x)), expected)
    assert_close(F.log_softmax(leaf(x)), torch.log_softmax(torch.tensor(x), dim=0 if len(shape) in (1, 3) else 1))


def test_softmax_stable_for_huge_inputs():
    x = np.array([[1000.0, -1000.0, 999.0], [-1e4, -1e4 + 1, -1e4]])
    for name in ("Softmax", "LogSoftmax"):
        ours, theirs = getattr(nn, name)(dim=1)(leaf(x)), getattr(torch.nn, name)(dim=1)(to_torch(x))
        assert np.isfinite(ours.data).all()
        assert_close(ours, theirs)


@pytest.mark.parametrize("num_parameters", [1, 3])
@FAST
@given(x=arrays(st.tuples(st.integers(1, 4), st.just(3), st.integers(1, 3)), -5, 5), seed=st.integers(0, 1000))
def test_prelu_matches_torch(num_parameters, x, seed):
    """Input and slope gradients, with one shared slope or one per channel (dim 1)."""
    ours, theirs = nn.PReLU(num_parameters).double(), torch.nn.PReLU(num_parameters).double()
    assert ours.weight.shape == tuple(theirs.weight.shape)
    assert_close(ours.weight, theirs.weight)
    slopes = random_like((num_parameters,), seed)
    ours.weight.data[...] = slopes
    theirs.weight.data[...] = torch.tensor(slopes)
    xs, xt = leaf(x), to_torch(x)
    out, out_t = ours(xs), theirs(xt)
    assert_close(out, out_t)
    backward_both(out, out_t, seed + 1)
    assert_close(xs.grad, xt.grad)
    assert_close(ours.weight.grad, theirs.weight.grad)


def test_prelu_init_and_channel_mismatch():
    assert np.all(nn.PReLU(4, init=0.1).weight.data == np.float32(0.1))
    assert [n for n, _ in nn.PReLU().named_parameters()] == ["weight"]
    with pytest.raises(ValueError, match="channels"):
        nn.PReLU(3)(autograd.randn(2, 4))


@pytest.mark.parametrize("start_dim, end_dim", [(1, -1), (0, -1), (1, 2), (2, 3)])
def test_flatten_matches_torch(start_dim, end_dim):
    x = random_like((2, 3, 4, 5))
    xs, xt = leaf(x), to_torch(x)
    out, out_t = nn.Flatten(start_dim, end_dim)(xs), torch.nn.Flatten(start_dim, end_dim)(xt)
    assert_close(out, out_t)
    backward_both(out, out_t, 1)
    assert_close(xs.grad, xt.grad)
    assert nn.Flatten()(autograd.randn(2, 3, 4)).shape == (2, 12)


# -- nn.functional -----------------------------------------------------------------------
FUNCTIONS = [
    ("relu", {}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.3}),
    ("softmax", {"dim": 1}),
    ("softmax", {"dim": 0}),
    ("log_softmax", {"dim": 1}),
    ("log_softmax", {"dim": -1}),
]


@pytest.mark.parametrize("name, kwargs", FUNCTIONS, ids=lambda a: str(a))
@FAST
@given(x=arrays(st.tuples(st.integers(1, 4), st.integers(1, 5)), -20, 20))
def test_functional_matches_torch(name, kwargs, x):
    xs, xt = leaf(x), to_torch(x)
    out, out_t = getattr(F, name)(xs, **kwargs), getattr(torch.nn.functional, name)(xt, **kwargs)
    assert_close(out, out_t)
    backward_both(out, out_t)
    assert_close(xs.grad, xt.grad)


def test_functional_prelu_matches_torch():
    x, w = random_like((3, 2, 4)), np.array([0.1, -0.7])
    xs, ws, xt, wt = leaf(x), leaf(w), to_torch(x), to_torch(w)
    out, out_t = F.prelu(xs, ws), torch.nn.functional.prelu(xt, wt)
    assert_close(out, out_t)
    out.sum().backward()
    out_t.sum().backward()
    assert_close(xs.grad, xt.grad)
    assert_close(ws.grad, wt.grad)


@pytest.mark.parametrize(
    "labels, num_classes", [([0, 2, 1, 2], -1), ([0, 2, 1, 2], 5), ([[1, 0], [3, 3]], -1), ([4], 6), (3, 4)]
)
def test_one_hot_matches_torch(labels, num_classes):
    ours = F.one_hot(autograd.tensor(labels), num_classes)
    theirs = torch.nn.functional.one_hot(torch.tensor(labels), num_classes)
    assert ours.dtype == np.int64
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_one_hot_rejects_bad_labels():
    with pytest.raises(RuntimeError):
        F.one_hot(autograd.tensor([0, 3]), 3)
    with pytest.raises(RuntimeError):
        F.one_hot(autograd.tensor([-1, 0]))
    with pytest.raises(RuntimeError):
        F.one_hot(autograd.tensor([0.0, 1.0]))


# -- nn.init -----------------------------------------------------------------------------
def torch_extreme(init_name, shape, **kwargs):
    """The largest |value| torch's initializer gives on a big tensor: its bound, to sampling error."""
    return torch.nn.init.__dict__[init_name](torch.empty(shape), **kwargs).abs().max().item()


@pytest.mark.parametrize(
    "init_name, kwargs",
    [
        ("kaiming_uniform_", {}),
        ("kaiming_uniform_", {"a": math.sqrt(5)}),
        ("kaiming_uniform_", {"nonlinearity": "relu"}),
        ("kaiming_uniform_", {"mode": "fan_out"}),
        ("xavier_uniform_", {}),
        ("xavier_uniform_", {"gain": 2.0}),
    ],
    ids=str,
)
def test_fan_based_init_bounds_match_torch(init_name, kwargs):
    shape = (300, 120)
    ours = getattr(nn.init, init_name)(autograd.zeros(*shape), **kwargs)
    bound = torch_extreme(init_name, shape, **kwargs)
    assert ours.shape == shape
    assert np.abs(ours.data).max() <= bound * 1.001
    assert ours.data.min() < -0.99 * bound and ours.data.max() > 0.99 * bound


def test_uniform_normal_zeros():
    t = nn.init.uniform_(autograd.zeros(100_000), -2.0, 3.0)
    assert t.data.min() >= -2.0 and t.data.max() < 3.0
    assert t.data.min() < -1.99 and t.data.max() > 2.99
    t = nn.init.normal_(autograd.zeros(100_000), mean=1.5, std=0.5)
    assert abs(t.data.mean() - 1.5) < 0.01 and abs(t.data.std() - 0.5) < 0.01
    t = nn.init.zeros_(autograd.ones(3, 4))
    assert not t.data.any()


@pytest.mark.parametrize("init", [nn.init.uniform_, nn.init.normal_, nn.init.kaiming_uniform_, nn.init.xavier_uniform_])
def test_init_reproducible_after_manual_seed(init):
    draws = []
    for seed in (7, 7, 8):
        autograd.manual_seed(seed)
        draws.append(init(autograd.zeros(4, 5)).data.copy())
    np.testing.assert_array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[0], draws[2])


def test_init_is_in_place_and_returns_tensor():
    t = autograd.zeros(3, 4)
    data = t.data
    assert nn.init.xavier_uniform_(t) is t and t.data is data and data.any()


def test_model_init_reproducible_after_manual_seed():
    autograd.manual_seed(3)
    a = mlp(nn).state_dict()
    autograd.manual_seed(3)
    b = mlp(nn).state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)


# -- scalar modules ----------------------------------------------------------------------
def scalar_keys(nin, nouts):
    """The state_dict keys an MLP of Values must have, in order."""
    sizes, keys = [nin, *nouts], []
    for layer, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        for neuron in range(n_out):
            prefix = f"layers.{layer}.neurons.{neuron}"
            keys += [f"{prefix}.w.{i}" for i in range(n_in)] + [f"{prefix}.b"]
    return keys


def test_scalar_parameter_counts():
    assert len(list(nn.Neuron(3).parameters())) == 4
    assert len(list(nn.Layer(3, 4).parameters())) == 16
    model = nn.MLP(2, [16, 16, 1])
    assert len(list(model.parameters())) == (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1
    assert all(isinstance(p, autograd.Value) for p in model.parameters())


def test_scalar_state_dict_keys():
    assert list(nn.Neuron(2).state_dict()) == ["w.0", "w.1", "b"]
    assert list(nn.MLP(3, [4, 2]).state_dict()) == scalar_keys(3, [4, 2])


def test_scalar_mlp_forward_shapes_and_last_layer_linear():
    model = nn.MLP(3, [4, 1])
    out = model([1.0, -2.0, 0.5])
    assert isinstance(out, autograd.Value)
    assert len(nn.MLP(3, [4, 2])([1.0, 2.0, 3.0])) == 2
    assert all(n.activation == "relu" for n in model.layers[0].neurons)
    assert model.layers[1].neurons[0].activation == "linear"


def test_scalar_zero_grad_sets_zero():
    model = nn.MLP(2, [3, 1])
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_scalar_mlp_save_load(tmp_path):
    model = nn.MLP(3, [4, 4, 1])
    autograd.save(model.state_dict(), tmp_path / "mlp.pt")
    fresh = nn.MLP(3, [4, 4, 1])
    fresh.load_state_dict(autograd.load(tmp_path / "mlp.pt"))
    assert [p.data for p in fresh.parameters()] == [p.data for p in model.parameters()]
    x = [0.3, -1.2, 2.0]
    assert fresh(x).data == model(x).data


def test_scalar_load_state_dict_errors():
    model = nn.MLP(2, [2, 1])
    sd = dict(model.state_dict())
    del sd["layers.1.neurons.0.b"]
    sd["layers.0.neurons.0.w.0"] = np.zeros(2)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(sd)
    assert "layers.1.neurons.0.b" in str(error.value) and "layers.0.neurons.0.w.0" in str(error.value)
