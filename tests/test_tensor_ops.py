"""Every Tensor op of the contract against torch in float64: forward values, and input gradients for a random
upstream gradient; then ``autograd.gradcheck`` on each op."""

import operator

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from tests.helpers import arrays, assert_close, broadcast_pairs, compare, leaf, random_like, shapes

FAST = settings(max_examples=25, deadline=None)

# name: (our function, torch's function or None when the same code runs on both, value range)
UNARY = {
    "neg": (operator.neg, None, (-3, 3)),
    "exp": (lambda x: x.exp(), None, (-3, 3)),
    "log": (lambda x: x.log(), None, (0.1, 5)),
    "sqrt": (lambda x: x.sqrt(), None, (0.1, 5)),
    "abs": (lambda x: x.abs(), None, (-3, 3)),
    "tanh": (lambda x: x.tanh(), None, (-3, 3)),
    "sigmoid": (lambda x: x.sigmoid(), None, (-10, 10)),
    "relu": (lambda x: x.relu(), None, (-3, 3)),
    "softplus": (lambda x: x.softplus(), F.softplus, (-10, 10)),
    "clamp": (lambda x: x.clamp(-1, 1.5), None, (-3, 3)),
    "clamp_min": (lambda x: x.clamp(min=0.5), None, (-3, 3)),
    "clamp_max": (lambda x: x.clamp(max=-0.5), None, (-3, 3)),
    "add_number": (lambda x: x + 2, None, (-3, 3)),
    "radd_number": (lambda x: 2.5 + x, None, (-3, 3)),
    "sub_number": (lambda x: x - 2, None, (-3, 3)),
    "rsub_number": (lambda x: 1.5 - x, None, (-3, 3)),
    "mul_number": (lambda x: x * -3, None, (-3, 3)),
    "rmul_number": (lambda x: 0.5 * x, None, (-3, 3)),
    "div_number": (lambda x: x / 4, None, (-3, 3)),
    "rdiv_number": (lambda x: 2.0 / x, None, (0.5, 3)),
    "pow_int": (lambda x: x**3, None, (-3, 3)),
    "pow_float": (lambda x: x**1.5, None, (0.1, 3)),
    "pow_negative": (lambda x: x**-2, None, (0.5, 3)),
    "rpow_number": (lambda x: 2.0**x, None, (-3, 3)),
}

# name: (our function, torch's function or None, range of the first input, range of the second)
BINARY = {
    "add": (operator.add, None, (-3, 3), (-3, 3)),
    "sub": (operator.sub, None, (-3, 3), (-3, 3)),
    "mul": (operator.mul, None, (-3, 3), (-3, 3)),
    "div": (operator.truediv, None, (-3, 3), (0.5, 3)),
    "pow": (operator.pow, None, (0.5, 3), (-2, 2)),
    "maximum": (autograd.maximum, torch.maximum, (-2, 2), (-2, 2)),
    "maximum_method": (lambda a, b: a.maximum(b), None, (-2, 2), (-2, 2)),
    "where": (lambda a, b: autograd.where(a > 0, a, b), lambda a, b: torch.where(a > 0, a, b), (-2, 2), (-2, 2)),
}

# name: (input shape, function run on both)
SHAPE_OPS = {
    "reshape": ((2, 3, 4), lambda t: t.reshape(4, 6)),
    "reshape_tuple": ((2, 3, 4), lambda t: t.reshape((3, 8))),
    "reshape_infer": ((2, 3, 4), lambda t: t.reshape(-1, 4)),
    "reshape_0d": ((), lambda t: t.reshape(1, 1)),
    "view": ((2, 3, 4), lambda t: t.view(6, -1)),
    "flatten": ((2, 3, 4), lambda t: t.flatten()),
    "flatten_start": ((2, 3, 4), lambda t: t.flatten(1)),
    "flatten_negative": ((2, 3, 4, 5), lambda t: t.flatten(start_dim=-2)),
    "flatten_0d": ((), lambda t: t.flatten()),
    "transpose": ((2, 3, 4), lambda t: t.transpose(0, 2)),
    "transpose_negative": ((2, 3, 4), lambda t: t.transpose(-1, -2)),
    "permute": ((2, 3, 4), lambda t: t.permute(2, 0, 1)),
    "permute_tuple": ((2, 3, 4), lambda t: t.permute((1, 2, 0))),
    "squeeze_all": ((2, 1, 3, 1), lambda t: t.squeeze()),
    "squeeze_dim": ((2, 1, 3, 1), lambda t: t.squeeze(1)),
    "squeeze_negative": ((2, 1, 3, 1), lambda t: t.squeeze(-1)),
    "squeeze_not_one": ((2, 1, 3, 1), lambda t: t.squeeze(0)),
    "unsqueeze": ((2, 3), lambda t: t.unsqueeze(1)),
    "unsqueeze_negative": ((2, 3), lambda t: t.unsqueeze(-1)),
    "unsqueeze_0d": ((), lambda t: t.unsqueeze(0)),
    "expand": ((3, 1), lambda t: t.expand(2, 3, 4)),
    "expand_keep": ((3, 1), lambda t: t.expand(-1, 5)),
    "T": ((2, 3), lambda t: t.T),
}

MASK = np.array([[True, False, True, True, False]] * 2 + [[False] * 5] + [[True] * 5])

# name: (function run on our (4, 5, 3) tensor, torch's function or None)
INDEXING = {
    "int": (lambda t: t[1], None),
    "negative_int": (lambda t: t[-1], None),
    "ints": (lambda t: t[1, -2], None),
    "slice": (lambda t: t[1:3], None),
    "step": (lambda t: t[:, 1:5:2], None),
    "ellipsis": (lambda t: t[..., 0], None),
    "none": (lambda t: t[None, 2], None),
    "int_list_repeats": (lambda t: t[[0, 2, 0, 3, 0]], None),
    "int_array_repeats": (lambda t: t[np.array([[1, 1], [3, 1]])], None),
    "int_arrays_2_axes": (lambda t: t[[0, 1, 1], [2, 2, 4]], None),
    "slice_and_array": (lambda t: t[1:, [0, 0, 2]], None),
    "bool_mask": (lambda t: t[MASK], None),
    "bool_from_comparison": (lambda t: t[t > 0], None),
    "tensor_index": (lambda t: t[autograd.tensor([3, 0, 3])], lambda t: t[torch.tensor([3, 0, 3])]),
    "tensor_bool_mask": (lambda t: t[autograd.tensor(MASK)], lambda t: t[torch.tensor(MASK)]),
}

# matmul operand shapes: 1-D on either side, 2-D, batched with broadcasting
MATMUL_SHAPES = [
    ((3,), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3,)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)),
    ((3,), (5, 3, 4)),
    ((5, 2, 3), (3,)),
    ((1, 2, 3), (4, 3, 2)),
    ((2, 1, 2, 3), (3, 3, 4)),
]


@st.composite
def reduction_dims(draw, shape):
    """None, an int (maybe negative) or a tuple of distinct dims (maybe negative) for a tensor of ``shape``."""
    if not shape:
        return None
    dims = st.integers(-len(shape), len(shape) - 1)
    one = draw(dims)
    many = draw(st.lists(dims, min_size=1, max_size=len(shape), unique_by=lambda d: d % len(shape)))
    return draw(st.sampled_from([None, one, tuple(many)]))


def distinct(shape, seed):
    """Values with no ties (so max/argmax indices are unambiguous), in random order."""
    n = int(np.prod(shape))
    return np.random.default_rng(seed).permutation(n).reshape(shape) * 0.5 - n / 4


def uniform(shape, low, high, seed=0):
    return np.random.default_rng(seed).uniform(low, high, shape)


# -- elementwise and binary ----------------------------------------------------------
@pytest.mark.parametrize("name", UNARY)
@FAST
@given(data=st.data())
def test_unary(name, data):
    fn, torch_fn, (low, high) = UNARY[name]
    compare(fn, data.draw(arrays(shapes(), low, high)), torch_fn=torch_fn)


@pytest.mark.parametrize("name", BINARY)
@FAST
@given(data=st.data())
def test_binary_broadcast(name, data):
    """Binary ops broadcast like torch and sum each gradient back to its input's shape."""
    fn, torch_fn, (a_low, a_high), (b_low, b_high) = BINARY[name]
    shape_a, shape_b = data.draw(broadcast_pairs())
    a, b = data.draw(arrays(shape_a, a_low, a_high)), data.draw(arrays(shape_b, b_low, b_high))
    compare(fn, a, b, torch_fn=torch_fn)
    compare(lambda x, y: fn(y, x), b, a, torch_fn=torch_fn and (lambda x, y: torch_fn(y, x)))


def test_maximum_ties_split_gradient():
    """Where both inputs are equal each gets half the gradient, as in torch."""
    compare(autograd.maximum, [1.0, 2.0, 3.0], [1.0, 0.0, 3.0], torch_fn=torch.maximum)


@pytest.mark.parametrize("x", [-800.0, -50.0, 0.0, 25.0, 50.0, 800.0])
def test_sigmoid_softplus_extreme_inputs(x):
    """No overflow to nan at huge magnitudes."""
    compare(lambda t: t.sigmoid(), [x, -x])
    compare(lambda t: t.softplus(), [x, -x], torch_fn=F.softplus)


# -- reductions ----------------------------------------------------------------------
@pytest.mark.parametrize("op", ["sum", "mean"])
@FAST
@given(data=st.data(), keepdim=st.booleans())
def test_sum_mean(op, data, keepdim):
    x = data.draw(arrays(shapes()))
    dim = data.draw(reduction_dims(x.shape))
    compare(lambda t: getattr(t, op)(dim=dim, keepdim=keepdim), x)


@pytest.mark.parametrize("op", ["sum", "mean"])
@pytest.mark.parametrize("dim", [0, -1])
def test_reduce_0d_over_dim(op, dim):
    """A 0-d tensor reduces over dim 0 or -1 as in torch."""
    compare(lambda t: getattr(t, op)(dim), 2.5)


@pytest.mark.parametrize("op", ["max", "min"])
@FAST
@given(x=arrays(shapes(), -2, 2))
def test_max_min_full(op, x):
    """Full max/min; ties (frequent with hypothesis) share the gradient evenly, as in torch."""
    compare(lambda t: getattr(t, op)(), x)


@pytest.mark.parametrize("op", ["max", "min"])
@FAST
@given(shape=shapes(min_dims=1), data=st.data(), keepdim=st.booleans(), seed=st.integers(0, 1000))
def test_max_min_dim(op, shape, data, keepdim, seed):
    """max/min(dim) return (values, indices) like torch, and the gradient flows to the returned index."""
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = distinct(shape, seed)
    values, indices = getattr(autograd.tensor(x), op)(dim, keepdim)
    ref = getattr(torch.tensor(x), op)(dim, keepdim)
    assert_close(values, ref.values)
    assert_close(indices, ref.indices)
    assert indices.dtype == autograd.int64
    compare(lambda t: getattr(t, op)(dim, keepdim).values, x)


@FAST
@given(shape=shapes(min_dims=1), data=st.data(), keepdim=st.booleans(), seed=st.integers(0, 1000))
def test_argmax(shape, data, keepdim, seed):
    dim = data.draw(st.sampled_from([None, *range(-len(shape), len(shape))]))
    x = distinct(shape, seed)
    ours, ref = autograd.tensor(x).argmax(dim, keepdim), torch.tensor(x).argmax(dim, keepdim)
    assert_close(ours, ref)
    assert ours.dtype == autograd.int64


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@FAST
@given(data=st.data())
def test_softmax(op, data):
    x = data.draw(arrays(shapes(min_dims=1), -30, 30))
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    compare(lambda t: getattr(t, op)(dim), x)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("scale", [1e4, 1e300])
def test_softmax_huge_inputs_stable(op, scale):
    """Huge logits neither overflow nor give nan, forward or backward."""
    x = np.array([[1.0, 0.0, -1.0], [1.0, 1.0, -1.0]]) * scale
    compare(lambda t: getattr(t, op)(-1), x)
    assert np.isfinite(getattr(leaf(x), op)(1).data).all()


# -- matmul --------------------------------------------------------------------------
@pytest.mark.parametrize(("shape_a", "shape_b"), MATMUL_SHAPES)
def test_matmul(shape_a, shape_b):
    a, b = random_like(shape_a, 1), random_like(shape_b, 2)
    compare(operator.matmul, a, b)
    compare(autograd.matmul, a, b, torch_fn=torch.matmul)
    compare(lambda x, y: x.matmul(y), a, b)


@pytest.mark.parametrize(("shape_a", "shape_b"), MATMUL_SHAPES)
def test_matmul_with_ndarray(shape_a, shape_b):
    """An ndarray on either side of @ gives a Tensor and the Tensor's gradient."""
    a, b = random_like(shape_a, 1), random_like(shape_b, 2)
    compare(lambda y: a @ y, b, torch_fn=lambda y: torch.from_numpy(a) @ y)
    compare(lambda x: x @ b, a, torch_fn=lambda x: x @ torch.from_numpy(b))


# -- shape ops, indexing, stack and cat ----------------------------------------------------
@pytest.mark.parametrize("name", SHAPE_OPS)
def test_shape_op(name):
    shape, fn = SHAPE_OPS[name]
    compare(fn, random_like(shape))


@pytest.mark.parametrize("name", INDEXING)
def test_getitem(name):
    """Indexing selects what torch selects; gradients scatter back, repeated indices adding up."""
    fn, torch_fn = INDEXING[name]
    compare(fn, random_like((4, 5, 3)), torch_fn=torch_fn)


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_stack(dim):
    parts = [random_like((2, 3), seed) for seed in range(3)]
    compare(lambda *ts: autograd.stack(ts, dim), *parts, torch_fn=lambda *ts: torch.stack(ts, dim))


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat(dim):
    sizes = [1, 3, 2]
    parts = [random_like(tuple(n if d == dim % 2 else 2 for d in range(2)), n) for n in sizes]
    compare(lambda *ts: autograd.cat(ts, dim), *parts, torch_fn=lambda *ts: torch.cat(ts, dim))


# -- gradcheck -------------------------------------------------------------------------
GRADCHECK = {
    **{f"unary_{name}": (fn, [uniform((2, 3), low, high)]) for name, (fn, _, (low, high)) in UNARY.items()},
    **{
        f"binary_{name}": (fn, [uniform((2, 3), *a_range, 1), uniform((3,), *b_range, 2)])
        for name, (fn, _, a_range, b_range) in BINARY.items()
    },
    **{f"shape_{name}": (fn, [random_like(shape)]) for name, (shape, fn) in SHAPE_OPS.items()},
    **{f"getitem_{name}": (fn, [random_like((4, 5, 3))]) for name, (fn, _) in INDEXING.items()},
    "sum": (lambda t: t.sum((0, -1), keepdim=True), [random_like((2, 3, 2))]),
    "mean": (lambda t: t.mean(1), [random_like((2, 3, 2))]),
    "max_full": (lambda t: t.max(), [distinct((2, 3), 0)]),
    "max_dim": (lambda t: t.max(1)[0], [distinct((2, 3), 0)]),
    "min_dim": (lambda t: t.min(-1, keepdim=True)[0], [distinct((2, 3), 0)]),
    "softmax": (lambda t: t.softmax(1), [random_like((2, 3))]),
    "log_softmax": (lambda t: t.log_softmax(0), [random_like((2, 3))]),
    "matmul": (operator.matmul, [random_like((4, 2, 3), 1), random_like((3, 2), 2)]),
    "matmul_vector": (operator.matmul, [random_like((3,), 1), random_like((2, 3, 2), 2)]),
    "stack": (lambda a, b: autograd.stack([a, b], 1), [random_like((2, 3), 1), random_like((2, 3), 2)]),
    "cat": (lambda a, b: autograd.cat([a, b], -1), [random_like((2, 3), 1), random_like((2, 1), 2)]),
}


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    fn, inputs = GRADCHECK[name]
    assert autograd.gradcheck(fn, [leaf(x) for x in inputs])
