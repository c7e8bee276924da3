"""The layers of a CNN against torch.nn: convolutions and pools as modules (shapes, default init, state_dict
both ways, repr), buffers in Module, BatchNorm's running statistics, LayerNorm, Embedding and Dropout."""

import math

import numpy as np
import pytest
import torch

import autograd
import nn
from tests.helpers import assert_close, leaf, random_like, to_torch
from tests.models import torch_twin


def assert_same_grads(model, torch_model):
    theirs = dict(torch_model.named_parameters())
    for name, p in model.named_parameters():
        assert_close(p.grad, theirs[name].grad)


# -- convolution and pooling modules -----------------------------------------------------------
MODULES = [
    ("Conv1d", (3, 4, 3), {"stride": 2, "padding": 1}, (2, 3, 9)),
    ("Conv2d", (3, 6, (3, 2)), {"padding": "same", "dilation": 2, "groups": 3}, (2, 3, 7, 6)),
    ("Conv2d", (2, 4, 3), {"bias": False}, (2, 2, 5, 5)),
    ("Conv3d", (2, 2, 2), {"stride": (1, 2, 1)}, (1, 2, 4, 5, 3)),
    ("ConvTranspose2d", (4, 2, 3), {"stride": 2, "padding": 1, "output_padding": 1}, (2, 4, 4, 3)),
    ("ConvTranspose1d", (4, 6, 2), {"groups": 2, "dilation": 2}, (2, 4, 5)),
    ("MaxPool2d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True}, (2, 3, 7, 6)),
    ("MaxPool1d", (2,), {}, (2, 3, 7)),
    ("AvgPool2d", (2,), {"stride": 1, "padding": 1, "count_include_pad": False}, (2, 3, 5, 4)),
    ("AvgPool1d", (3,), {"stride": 2}, (2, 3, 7)),
    ("AdaptiveAvgPool2d", ((3, None),), {}, (2, 3, 7, 6)),
    ("AdaptiveAvgPool1d", (4,), {}, (2, 3, 7)),
]


@pytest.mark.parametrize("name, args, kwargs, shape", MODULES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MODULES)])
def test_module_matches_torch(name, args, kwargs, shape):
    """Same parameter names and shapes, same repr, and with torch's parameters loaded the same outputs and gradients."""
    ours, theirs = getattr(nn, name)(*args, **kwargs).double(), getattr(torch.nn, name)(*args, **kwargs).double()
    assert repr(ours) == repr(theirs)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = random_like(shape)
    xs, xt = leaf(x), to_torch(x)
    out, out_t = ours(xs), theirs(xt)
    assert_close(out, out_t)
    upstream = random_like(tuple(out_t.shape), 1)
    out.backward(autograd.tensor(upstream))
    out_t.backward(torch.tensor(upstream))
    assert_close(xs.grad, xt.grad)
    assert_same_grads(ours, theirs)


@pytest.mark.parametrize("name, shape", [("Conv2d", (64, 32, 3, 3)), ("ConvTranspose2d", (32, 16, 5, 5))])
def test_conv_default_init_matches_torch(name, shape):
    """kaiming_uniform_(a=sqrt(5)) for the weight and U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias: the same
    bound as torch's layer, with the weight filling it."""
    layer = getattr(nn, name)(shape[0], shape[1], shape[2:], groups=2)
    theirs = getattr(torch.nn, name)(shape[0], shape[1], shape[2:], groups=2)
    assert layer.weight.shape == tuple(theirs.weight.shape) and layer.weight.dtype == np.float32
    fan_in = layer.weight.shape[1] * math.prod(shape[2:])
    bound = 1 / math.sqrt(fan_in)
    for ours, ref in ((layer.weight.data, theirs.weight), (layer.bias.data, theirs.bias)):
        assert np.abs(ours).max() <= bound and ref.abs().max().item() <= bound
    w = layer.weight.data
    assert np.abs(w).max() > 0.99 * bound and abs(w.std() - bound / math.sqrt(3)) < 0.03 * bound


def test_conv_state_dict_goes_to_torch_and_back():
    autograd.manual_seed(0)
    ours = nn.Conv2d(3, 8, 3, stride=2, padding=1)
    theirs = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
    theirs.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in ours.state_dict().items()})
    x = random_like((2, 3, 9, 9)).astype(np.float32)
    assert_close(ours(autograd.tensor(x)), theirs(torch.tensor(x)), rtol=1e-5, atol=1e-6)
    back = nn.Conv2d(3, 8, 3, stride=2, padding=1)
    back.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    for key, value in back.state_dict().items():
        assert np.array_equal(value, ours.state_dict()[key])


def test_conv_module_errors_as_torch():
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.Conv2d(4, 3, 3, groups=2)
    with pytest.raises(RuntimeError, match=r"conv2d: Given groups=1, weight of size \[4, 3, 3, 3\]"):
        nn.Conv2d(3, 4, 3)(autograd.zeros(1, 2, 5, 5))


def test_conv_transpose_output_size_picks_the_output_padding():
    ours, theirs = nn.ConvTranspose2d(2, 3, 3, stride=2).double(), torch.nn.ConvTranspose2d(2, 3, 3, stride=2).double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = random_like((1, 2, 4, 4))
    out = ours(leaf(x), output_size=[10, 9])
    assert out.shape == (1, 3, 10, 9)
    assert_close(out, theirs(to_torch(x), output_size=[10, 9]))
    with pytest.raises(ValueError, match="valid sizes range from 9 to 10"):
        ours(leaf(x), output_size=[11, 9])


# -- buffers -------------------------------------------------------------------------------------
class WithBuffers(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(2, 2)
        self.register_buffer("count", autograd.tensor(0))
        self.register_buffer("scale", autograd.ones(2))
        self.register_buffer("scratch", autograd.zeros(3), persistent=False)
        self.register_buffer("unset", None)


def test_buffers_are_saved_loaded_and_cast_but_not_learned():
    model = WithBuffers()
    assert [name for name, _ in model.named_buffers()] == ["count", "scale", "scratch"]
    assert list(model.state_dict()) == ["count", "scale", "fc.weight", "fc.bias"]  # a module's own, then its children's
    assert all(p is not model.scale for p in model.parameters())
    state = {**model.state_dict(), "count": np.array(7), "scale": np.array([2.0, 3.0])}
    model.load_state_dict(state)
    assert model.count.item() == 7 and model.scale.tolist() == [2.0, 3.0]
    model.double()
    assert model.scale.dtype == np.float64 and model.count.dtype == np.int64 and model.scratch.dtype == np.float64
    with pytest.raises(RuntimeError, match="missing key 'scale'"):
        model.load_state_dict({k: v for k, v in model.state_dict().items() if k != "scale"})
    with pytest.raises(TypeError, match="cannot assign a list as buffer 'bad'"):
        model.register_buffer("bad", [1.0])


def test_buffer_state_dict_order_matches_torch():
    def build(lib):
        return lib.Sequential(
            lib.Conv2d(1, 2, 3), lib.BatchNorm2d(2), lib.Flatten(), lib.Linear(8, 3), lib.BatchNorm1d(3)
        )

    assert list(build(nn).state_dict()) == list(build(torch.nn).state_dict())


# -- BatchNorm ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, shape, kwargs",
    [
        ("BatchNorm2d", (4, 3, 5, 4), {}),
        ("BatchNorm2d", (4, 3, 5, 4), {"momentum": None, "affine": False}),
        ("BatchNorm1d", (6, 3), {"momentum": 0.3, "eps": 1e-3}),
        ("BatchNorm1d", (4, 3, 5), {"track_running_stats": False}),
    ],
)
def test_batch_norm_training_steps_and_eval_match_torch(name, shape, kwargs):
    """Outputs, gradients and running statistics after several training steps, then eval mode, equal torch's."""
    ours, theirs = getattr(nn, name)(3, **kwargs).double(), getattr(torch.nn, name)(3, **kwargs).double()
    if ours.weight is not None:
        params = {"weight": random_like((3,), 10), "bias": random_like((3,), 11)}
        ours.load_state_dict({**ours.state_dict(), **params})
        theirs.load_state_dict({**theirs.state_dict(), **{k: torch.tensor(v) for k, v in params.items()}})
    for step in range(4):
        x = 2 * random_like(shape, step) + step
        xs, xt = leaf(x), to_torch(x)
        out, out_t = ours(xs), theirs(xt)
        assert_close(out, out_t)
        upstream = random_like(shape, 20 + step)
        out.backward(autograd.tensor(upstream))
        out_t.backward(torch.tensor(upstream))
        assert_close(xs.grad, xt.grad, rtol=1e-9, atol=1e-11)
        if ours.weight is not None:
            assert_same_grads(ours, theirs)
        for key, value in theirs.state_dict().items():
            assert_close(ours.state_dict()[key], value)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.eval(), theirs.eval()
    x = random_like(shape, 99)
    assert_close(ours(leaf(x)), theirs(to_torch(x)))
    if kwargs.get("track_running_stats", True):
        assert ours.num_batches_tracked.item() == 4
        expected = (x - ours.running_mean.data.reshape(-1, *[1] * (len(shape) - 2))) / np.sqrt(
            ours.running_var.data.reshape(-1, *[1] * (len(shape) - 2)) + ours.eps
        )
        if ours.weight is not None:
            expected = expected * ours.weight.data.reshape(-1, *[1] * (len(shape) - 2))
        with autograd.no_grad():
            affine_free = ours(autograd.tensor(x)) - (
                0 if ours.bias is None else ours.bias.reshape(-1, *[1] * (len(shape) - 2))
            )
        assert_close(affine_free, expected)


def test_batch_norm_of_a_channel_major_float32_input_stays_float32_and_matches_torch():
    """A convolution's result is channel-major in memory: batch norm reads it per channel along memory,
    keeps that layout in its result and gradient, and keeps float32 in float32."""
    x = np.ascontiguousarray(random_like((3, 8, 5, 4)).astype(np.float32) * 3 + 2).swapaxes(0, 1)  # (N, C, H, W)
    upstream = random_like((8, 3, 5, 4), 1).astype(np.float32)
    ours, theirs = nn.BatchNorm2d(3), torch.nn.BatchNorm2d(3)
    params = {"weight": random_like((3,), 2).astype(np.float32), "bias": random_like((3,), 3).astype(np.float32)}
    ours.load_state_dict({**ours.state_dict(), **{k: autograd.tensor(v) for k, v in params.items()}})
    theirs.load_state_dict({**theirs.state_dict(), **{k: torch.tensor(v) for k, v in params.items()}})
    xs, xt = autograd.from_numpy(x.copy(order="K")).requires_grad_(), torch.tensor(x, requires_grad=True)
    out, out_t = ours(xs), theirs(xt)
    out.backward(autograd.tensor(upstream))
    out_t.backward(torch.tensor(upstream))
    assert out.dtype == xs.grad.dtype == ours.weight.grad.dtype == ours.running_var.dtype == autograd.float32
    assert out.data.swapaxes(0, 1).flags.c_contiguous and xs.grad.swapaxes(0, 1).flags.c_contiguous
    assert_close(out, out_t, rtol=1e-5, atol=1e-5)
    assert_close(xs.grad, xt.grad, rtol=1e-4, atol=1e-5)
    for name in ("weight", "bias"):
        assert_close(getattr(ours, name).grad, getattr(theirs, name).grad, rtol=1e-4, atol=1e-4)
    for key, value in theirs.state_dict().items():
        assert_close(ours.state_dict()[key], value, rtol=1e-5, atol=1e-6)


def test_batch_norm_errors_as_torch():
    with pytest.raises(
        ValueError, match=r"Expected more than 1 value per channel when training, got input size \[1, 3\]"
    ):
        nn.BatchNorm1d(3)(autograd.randn(1, 3))
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected 4D input \(got 3D input\)"):
        nn.BatchNorm2d(3)(autograd.randn(2, 3, 4))
    with pytest.raises(ValueError, match="dim 1 must have 3 channels"):
        nn.BatchNorm2d(3)(autograd.randn(2, 4, 2, 2))


# -- LayerNorm and Embedding ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "normalized_shape, kwargs", [(5, {}), ((4, 5), {"eps": 1e-3}), (5, {"elementwise_affine": False})]
)
def test_layer_norm_matches_torch(normalized_shape, kwargs):
    ours, theirs = (
        nn.LayerNorm(normalized_shape, **kwargs).double(),
        torch.nn.LayerNorm(normalized_shape, **kwargs).double(),
    )
    if ours.weight is not None:
        params = {"weight": random_like(ours.weight.shape, 1), "bias": random_like(ours.bias.shape, 2)}
        ours.load_state_dict(params)
        theirs.load_state_dict({k: torch.tensor(v) for k, v in params.items()})
    assert repr(ours) == repr(theirs)
    x = random_like((3, 4, 5))
    xs, xt = leaf(x), to_torch(x)
    out, out_t = ours(xs), theirs(xt)
    assert_close(out, out_t)
    upstream = random_like(x.shape, 3)
    out.backward(autograd.tensor(upstream))
    out_t.backward(torch.tensor(upstream))
    assert_close(xs.grad, xt.grad, rtol=1e-9, atol=1e-11)
    if ours.weight is not None:
        assert_same_grads(ours, theirs)
    with pytest.raises(
        RuntimeError, match=r"layer_norm: Given normalized_shape=\[6\], expected input with shape \[\*, 6\]"
    ):
        nn.functional.layer_norm(xs, 6)


@pytest.mark.parametrize("padding_idx", [None, 2, -1])
def test_embedding_matches_torch(padding_idx):
    ours = nn.Embedding(6, 3, padding_idx=padding_idx).double()
    theirs = torch.nn.Embedding(6, 3, padding_idx=padding_idx).double()
    if padding_idx is not None:
        assert np.all(ours.weight.data[padding_idx] == 0)
    theirs.load_state_dict({"weight": torch.tensor(ours.weight.data)})
    indices = np.array([[0, 2, 2, 5], [1, 5, 2, 3]])
    out, out_t = ours(autograd.tensor(indices)), theirs(torch.tensor(indices))
    assert_close(out, out_t)
    upstream = random_like(out.shape)
    out.backward(autograd.tensor(upstream))
    out_t.backward(torch.tensor(upstream))
    assert_same_grads(ours, theirs)
    assert repr(ours) == repr(theirs)


def test_embedding_weight_init_and_errors():
    autograd.manual_seed(0)
    w = nn.Embedding(1000, 50).weight.data
    assert abs(w.mean()) < 0.02 and abs(w.std() - 1) < 0.02
    with pytest.raises(IndexError, match="index out of range in self"):
        nn.Embedding(4, 2)(autograd.tensor([1, 4]))
    with pytest.raises(RuntimeError, match="embedding: indices must be integers"):
        nn.Embedding(4, 2)(autograd.tensor([1.0]))


# -- Dropout --------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_in_training_drops_p_and_scales_the_rest(p):
    autograd.manual_seed(0)
    layer = nn.Dropout(p)
    x = leaf(np.full((200, 500), 3.0))
    out = layer(x)
    dropped = out.data == 0
    assert abs(dropped.mean() - p) < 0.01
    assert np.allclose(out.data[~dropped], 3.0 / (1 - p))
    upstream = random_like(out.shape)
    out.backward(autograd.tensor(upstream))
    assert np.allclose(x.grad, upstream * (~dropped) / (1 - p))  # the gradient is mask / (1 - p)
    torch_rate = (torch.nn.Dropout(p)(torch.ones(200, 500)) == 0).double().mean().item()
    assert abs(torch_rate - dropped.mean()) < 0.02


def test_dropout_in_eval_mode_and_at_the_extremes():
    x = autograd.randn(4, 5)
    layer = nn.Dropout(0.5).eval()
    assert layer(x) is x
    assert np.array_equal(nn.functional.dropout(x, 1.0).numpy(), np.zeros((4, 5), dtype=np.float32))
    assert nn.functional.dropout(x, 0.0) is x
    assert repr(layer) == repr(torch.nn.Dropout(0.5))
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


def test_dropout_masks_follow_the_seed():
    x = autograd.ones(50, 50)
    first = nn.functional.dropout((autograd.manual_seed(3), x)[1]).numpy()
    again = nn.functional.dropout((autograd.manual_seed(3), x)[1]).numpy()
    assert np.array_equal(first, again) and not np.array_equal(first, nn.functional.dropout(x).numpy())


def test_torch_twin_of_a_cnn_gives_the_same_outputs():
    """A small CNN of every new layer, eval mode: our state_dict, loaded into torch's twin, gives its outputs."""

    def build(lib):
        return lib.Sequential(
            lib.Conv2d(1, 4, 3, padding=1),
            lib.BatchNorm2d(4),
            lib.ReLU(),
            lib.MaxPool2d(2),
            lib.Dropout(0.3),
            lib.Flatten(),
            lib.Linear(4 * 3 * 3, 5),
            lib.LayerNorm(5),
        )

    autograd.manual_seed(0)
    ours = build(nn).double()
    ours(leaf(random_like((5, 1, 6, 6))))  # one training step moves the running statistics
    theirs = torch_twin(ours.eval(), build(torch.nn)).eval()
    x = random_like((3, 1, 6, 6), 1)
    assert_close(ours(leaf(x)), theirs(to_torch(x)))


def test_batch_norm_second_derivatives_match_torch():
    """Training-mode batch norm is one op whose backward is recorded under create_graph: its gradient's gradient."""
    x, w, b = random_like((4, 3, 2, 2)), random_like((3,), 1), random_like((3,), 2)
    results = []
    for lib, make, grad in ((nn.functional, leaf, autograd.grad), (torch.nn.functional, to_torch, torch.autograd.grad)):
        xs, ws, bs = make(x), make(w), make(b)
        y = lib.batch_norm(xs, None, None, ws, bs, training=True)
        upstream = make(random_like(tuple(y.shape), 3))
        gx, gw = grad([y], [xs, ws], [upstream], create_graph=True)
        r1, r2 = make(random_like(x.shape, 4), requires_grad=False), make(random_like(w.shape, 5), requires_grad=False)
        ((gx * gx * r1).sum() + (gw * r2).sum()).backward()
        results.append((xs.grad, ws.grad, upstream.grad))
    for ours, theirs in zip(*results):
        assert_close(ours, theirs, rtol=1e-8, atol=1e-10)
