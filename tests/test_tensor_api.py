"""The Tensor's PyTorch-shaped surface: dtype inference, factories, casts, devices, numpy interop, module-level
functions, accessors, repr and error messages, each checked against torch where torch can say."""

import operator
import re
import warnings

import numpy as np
import pytest
import torch

import autograd
from tests.helpers import assert_close, compare, dtype_name, random_like

DATA = {
    "float": 1.5,
    "int": 2,
    "bool": True,
    "int_list": [1, 2],
    "mixed_list": [1.0, 2],
    "bool_int_list": [True, 2],
    "nested": [[1, 2], [3, 4]],
    "nested_float": [[1.5], [2.5]],
    "bools": [True, False],
    "empty": [],
    "numpy_float64_scalar": np.float64(2.0),
    "numpy_int32_scalar": np.int32(3),
    "numpy_float32_scalar": np.float32(1.0),
    "list_of_numpy_float64": [np.float64(1.0), np.float64(2.5)],
    **{
        f"array_{t.__name__}": np.array([[1, 0], [3, 4]], dtype=t) for t in (np.float64, np.float32, np.int32, np.int64)
    },
    "array_uint8": np.array([0, 255], dtype=np.uint8),
    "array_bool": np.array([True, False]),
    "array_0d": np.array(5),
}


@pytest.mark.parametrize("name", DATA)
def test_tensor_infers_dtype_like_torch(name):
    ours, ref = autograd.tensor(DATA[name]), torch.tensor(DATA[name])
    assert dtype_name(ours) == dtype_name(ref)
    assert_close(ours, ref, rtol=0, atol=0)


def test_tensor_from_list_of_0d_tensors():
    """torch.tensor([t0, t1]) with 0-d tensors gives a float32 vector of their values."""
    ours = autograd.tensor([autograd.tensor(1.5), autograd.tensor(2.0)])
    assert dtype_name(ours) == "float32"
    assert ours.tolist() == [1.5, 2.0]


def test_tensor_copies_its_data():
    a = np.zeros(3)
    t = autograd.tensor(a)
    a[0] = 1
    assert t.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("data", [[1, 2], [[1.5, 2]], np.arange(3), np.array([True])])
def test_Tensor_is_float32(data):
    assert dtype_name(autograd.Tensor(data)) == dtype_name(torch.Tensor(data)) == "float32"
    assert_close(autograd.Tensor(data), torch.Tensor(data))


def test_Tensor_sizes():
    t = autograd.Tensor(2, 3)
    assert t.shape == tuple(torch.Tensor(2, 3).shape) == (2, 3)
    assert dtype_name(t) == "float32"


# -- factories ------------------------------------------------------------------------
FACTORIES = {
    "zeros": lambda lib: lib.zeros(2, 3),
    "zeros_tuple": lambda lib: lib.zeros((2, 3)),
    "ones": lambda lib: lib.ones(4),
    "full_float": lambda lib: lib.full((2, 3), 1.5),
    "full_int": lambda lib: lib.full((2,), 7),
    "full_bool": lambda lib: lib.full((2,), True),
    "zeros_like": lambda lib: lib.zeros_like(lib.ones(2, dtype=lib.float64)),
    "ones_like": lambda lib: lib.ones_like(lib.arange(3)),
    "arange_int": lambda lib: lib.arange(5),
    "arange_start_step": lambda lib: lib.arange(2, 10, 3),
    "arange_negative_step": lambda lib: lib.arange(10, 0, -3),
    "arange_float_end": lambda lib: lib.arange(5.0),
    "arange_float_step": lambda lib: lib.arange(1, 2.5, 0.5),
    "arange_tenths": lambda lib: lib.arange(0, 1, 0.1),
    "arange_dtype": lambda lib: lib.arange(4, dtype=lib.float64),
    "linspace": lambda lib: lib.linspace(0, 1, 7),
    "zeros_float64": lambda lib: lib.zeros(2, dtype=lib.float64),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_factory_matches_torch(name):
    """Values and dtype as torch's (float32 by default, int64 for integer aranges)."""
    ours, ref = FACTORIES[name](autograd), FACTORIES[name](torch)
    assert dtype_name(ours) == dtype_name(ref)
    assert_close(ours, ref, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["rand", "randn"])
def test_random_factories(name):
    fn = getattr(autograd, name)
    t = fn(2, 3)
    assert t.shape == (2, 3) and dtype_name(t) == dtype_name(getattr(torch, name)(2, 3))
    assert fn((4,), requires_grad=True).requires_grad


def test_rand_in_unit_interval_and_randint_in_range():
    assert ((0 <= autograd.rand(1000).data) & (autograd.rand(1000).data < 1)).all()
    r = autograd.randint(3, 7, (1000,))
    assert dtype_name(r) == "int64" and r.data.min() == 3 and r.data.max() == 6


def test_manual_seed_makes_random_reproducible():
    draws = []
    for seed in (0, 0, 1):
        autograd.manual_seed(seed)
        draws.append(np.concatenate([autograd.rand(5).data, autograd.randn(5).data]))
    np.testing.assert_array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[0], draws[2])


@pytest.mark.parametrize(("start", "end", "step"), [(-5.0, 5.0, 0.1), (0, 10, 1), (1, 2, 0.25), (0.0, 1.0, 0.3)])
def test_range_includes_end_like_torch_range(start, end, step):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch.range is deprecated
        ref = torch.range(start, end, step)
    ours = autograd.range(start, end, step)
    assert dtype_name(ours) == dtype_name(ref)
    assert_close(ours, ref, rtol=1e-6, atol=1e-6)


def test_range_length_101():
    assert len(autograd.range(-5.0, 5.0, 0.1)) == 101


# -- casts and devices ------------------------------------------------------------------
CASTS = {
    "float": lambda lib, t: t.float(),
    "double": lambda lib, t: t.double(),
    "long": lambda lib, t: t.long(),
    "int": lambda lib, t: t.int(),
    "to_float64": lambda lib, t: t.to(lib.float64),
    "to_int64": lambda lib, t: t.to(lib.int64),
    "to_float": lambda lib, t: t.to(lib.float),
    "to_long": lambda lib, t: t.to(lib.long),
}


@pytest.mark.parametrize("name", CASTS)
@pytest.mark.parametrize("data", [[-1.7, 2.9, 0.5], [3, -4]])
def test_casts(name, data):
    ours, ref = CASTS[name](autograd, autograd.tensor(data)), CASTS[name](torch, torch.tensor(data))
    assert dtype_name(ours) == dtype_name(ref)
    assert_close(ours, ref, rtol=1e-7)


def test_float_cast_passes_gradient():
    """float() then double() is differentiable, like torch's casts between floating types."""
    compare(lambda t: (t.float() * 3).double(), random_like(4), rtol=1e-6, atol=1e-6)


def test_integer_cast_cuts_the_graph():
    x = autograd.tensor([1.5, 2.5], requires_grad=True)
    assert not x.long().requires_grad
    assert not torch.tensor([1.5, 2.5], requires_grad=True).long().requires_grad


def test_cpu_device():
    x = autograd.tensor([1.0, 2.0])
    assert x.to("cpu") is x
    assert x.to(autograd.device("cpu")) is x
    assert dtype_name(x.to("cpu", autograd.float64)) == "float64"
    assert x.device == autograd.device("cpu")


@pytest.mark.parametrize("name", ["cuda", "cuda:0", "mps"])
def test_other_devices_refused(name):
    with pytest.raises(RuntimeError, match=f"{name}.*cpu"):
        autograd.tensor([1.0]).to(name)
    with pytest.raises(RuntimeError, match=name):
        autograd.device(name)


# -- numpy interop -----------------------------------------------------------------------
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow])
def test_ndarray_on_the_left_gives_tensor(op):
    """ndarray (op) Tensor is a Tensor, and the gradient reaches the Tensor."""
    a = np.abs(random_like((2, 3), 1)) + 0.5
    assert isinstance(op(a, autograd.ones(3)), autograd.Tensor)
    compare(lambda t: op(a, t), np.abs(random_like(3)) + 0.5, torch_fn=lambda t: op(torch.from_numpy(a), t))


@pytest.mark.parametrize(
    ("dtype", "scalar"),
    [
        ("float32", np.float64(1.5)),
        ("float32", 2.5),
        ("float32", True),
        ("float32", np.int64(2)),
        ("int64", 2.5),
        ("int64", np.float64(1.5)),
        ("int64", np.int32(2)),
        ("int32", 2),
    ],
)
@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.truediv])
def test_scalar_promotion_like_torch(dtype, scalar, op):
    """A Python or numpy scalar does not widen a tensor's dtype (float32 + np.float64 stays float32)."""
    ours, ref = autograd.ones(2, dtype=getattr(autograd, dtype)) + 1, torch.ones(2, dtype=getattr(torch, dtype)) + 1
    for got, want in [(op(ours, scalar), op(ref, scalar)), (op(scalar, ours), op(scalar, ref))]:
        assert dtype_name(got) == dtype_name(want)
        assert_close(got, want)


def test_from_numpy_shares_memory():
    a = np.arange(3, dtype=np.int32)
    t = autograd.from_numpy(a)
    a[0] = 7
    assert t.tolist() == [7, 1, 2] and dtype_name(t) == "int32"


# -- module-level functions -----------------------------------------------------------------
MODULE_FUNCTIONS = {
    "sum": lambda lib, x: lib.sum(x),
    "sum_dim": lambda lib, x: lib.sum(x, 1),
    "mean": lambda lib, x: lib.mean(x, dim=0),
    "exp": lambda lib, x: lib.exp(x),
    "log": lambda lib, x: lib.log(lib.abs(x)),
    "tanh": lambda lib, x: lib.tanh(x),
    "sigmoid": lambda lib, x: lib.sigmoid(x),
    "relu": lambda lib, x: lib.relu(x),
    "softmax": lambda lib, x: lib.softmax(x, 1),
    "matmul": lambda lib, x: lib.matmul(x, x.T),
    "max_dim_values": lambda lib, x: lib.max(x, 1)[0],
    "max_dim_indices": lambda lib, x: lib.max(x, 1)[1],
    "argmax": lambda lib, x: lib.argmax(x, 1),
    "max": lambda lib, x: lib.max(x),
}


@pytest.mark.parametrize("name", MODULE_FUNCTIONS)
@pytest.mark.parametrize("kind", ["ndarray", "tensor"])
def test_module_functions_take_arrays_and_tensors(name, kind):
    x = random_like((3, 4))
    ours = MODULE_FUNCTIONS[name](autograd, x if kind == "ndarray" else autograd.tensor(x))
    ref = MODULE_FUNCTIONS[name](torch, torch.from_numpy(x))
    assert isinstance(ours, autograd.Tensor)
    assert dtype_name(ours) == dtype_name(ref)
    assert_close(ours, ref)


@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sigmoid", "relu"])
def test_module_functions_take_numbers(name):
    ours, ref = getattr(autograd, name)(1.5), getattr(torch, name)(torch.tensor(1.5))
    assert dtype_name(ours) == dtype_name(ref)
    assert_close(ours, ref, rtol=1e-7)


def test_blog_post_accuracy_pattern():
    """`_, predicted = torch.max(outputs.data, 1)` then `(predicted == labels).sum().item()`, as the blog post does."""
    outputs = autograd.tensor(random_like((6, 3)), requires_grad=True) * 2
    labels = autograd.tensor([0, 1, 2, 0, 1, 2])
    _, predicted = autograd.max(outputs.data, 1)
    correct = (predicted == labels).sum().item()
    expected = (torch.from_numpy(outputs.data).argmax(1) == torch.tensor([0, 1, 2, 0, 1, 2])).sum().item()
    assert correct == expected and isinstance(correct, int)


def test_module_stack_cat_where_take_arrays():
    a, b = random_like((2, 3), 1), random_like((2, 3), 2)
    assert_close(autograd.stack([a, autograd.tensor(b)], 1), torch.stack([torch.from_numpy(a), torch.from_numpy(b)], 1))
    assert_close(autograd.cat([a, b], 0), torch.cat([torch.from_numpy(a), torch.from_numpy(b)], 0))
    assert_close(autograd.where(a > 0, a, 0.0), torch.where(torch.from_numpy(a > 0), torch.from_numpy(a), 0.0))


# -- accessors -----------------------------------------------------------------------------
def test_accessors_match_torch():
    x = random_like((2, 3, 4))
    ours, ref = autograd.tensor(x), torch.from_numpy(x)
    assert ours.shape == ref.shape and ours.size() == ref.size()
    assert all(ours.size(d) == ref.size(d) for d in (0, 1, 2, -1))
    assert len(ours) == len(ref) and ours.ndim == ref.ndim and ours.dim() == ref.dim()
    assert ours.tolist() == ref.tolist()
    assert ours.numel() == ref.numel()
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())
    assert isinstance(ours.numpy(), np.ndarray)


@pytest.mark.parametrize("data", [2.5, [[3]], [True]])
def test_item(data):
    ours, ref = autograd.tensor(data).item(), torch.tensor(data).item()
    assert ours == ref and type(ours) is type(ref)


def test_item_of_many_elements_raises():
    with pytest.raises((RuntimeError, ValueError), match="2"):
        autograd.tensor([1.0, 2.0]).item()


def test_len_of_0d_raises():
    with pytest.raises(TypeError, match="0-d"):
        len(autograd.tensor(1.0))


def test_numpy_on_requires_grad_raises():
    with pytest.raises(RuntimeError, match="detach"):
        autograd.tensor([1.0], requires_grad=True).numpy()
    assert autograd.tensor([1.0], requires_grad=True).detach().numpy().tolist() == [1.0]


def test_comparisons_give_bool_tensors_without_grad():
    x = autograd.tensor([1.0, -2.0], requires_grad=True)
    for result in (x > 0, x <= -2, x == 1.0, x != x):
        assert dtype_name(result) == "bool" and not result.requires_grad
    assert (x > 0).tolist() == (torch.tensor([1.0, -2.0]) > 0).tolist()


# -- repr and errors ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "kwargs"), [([1.0, 2.0], {"requires_grad": True}), ([1, 2], {}), ([[1.0], [2.0]], {})]
)
def test_repr_like_torch(data, kwargs):
    """Where the number formatting coincides, the repr is torch's, requires_grad suffix included."""
    assert repr(autograd.tensor(data, **kwargs)) == repr(torch.tensor(data, **kwargs))


def test_repr_names_dtype_and_grad_fn():
    x = autograd.tensor([1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    assert "float64" in repr(x) and "requires_grad=True" in repr(x)
    assert "grad_fn=" in repr(x * 2)


def test_int_tensor_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        autograd.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        autograd.tensor([1, 2]).requires_grad_()


@pytest.mark.parametrize(("shape_a", "shape_b"), [((2, 3), (4, 5)), ((3,), (4,)), ((5, 2, 3), (2, 3))])
def test_matmul_shape_mismatch_names_both_shapes(shape_a, shape_b):
    with pytest.raises(RuntimeError, match=rf"{re.escape(str(shape_a))}.*{re.escape(str(shape_b))}"):
        autograd.ones(*shape_a) @ autograd.ones(*shape_b)
