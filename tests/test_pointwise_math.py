"""PyTorch's elementwise math functions and operator names, against torch in float64: values, gradients,
second derivatives and finite differences; their dtypes for integer and bool inputs; their in-place forms."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from tests.helpers import arrays, assert_close, compare, compare_second, dtype_name, leaf, shapes

FAST = settings(max_examples=15, deadline=None)

# name: (our function, torch's or None when the same code runs on both, value range)
MATH = {
    "sin": (lambda t: t.sin(), None, (-4, 4)),
    "cos": (lambda t: t.cos(), None, (-4, 4)),
    "tan": (lambda t: t.tan(), None, (-1.3, 1.3)),
    "asin": (lambda t: t.asin(), None, (-0.95, 0.95)),
    "acos": (lambda t: t.acos(), None, (-0.95, 0.95)),
    "atan": (lambda t: t.atan(), None, (-4, 4)),
    "sinh": (lambda t: t.sinh(), None, (-4, 4)),
    "cosh": (lambda t: t.cosh(), None, (-4, 4)),
    "rsqrt": (lambda t: t.rsqrt(), None, (0.1, 5)),
    "log2": (lambda t: t.log2(), None, (0.1, 5)),
    "log10": (lambda t: t.log10(), None, (0.1, 5)),
    "log1p": (lambda t: t.log1p(), None, (-0.9, 5)),
    "exp2": (lambda t: t.exp2(), None, (-4, 4)),
    "expm1": (lambda t: t.expm1(), None, (-4, 4)),
    "erf": (lambda t: t.erf(), None, (-3, 3)),
    "reciprocal": (lambda t: t.reciprocal(), None, (0.3, 3)),
    "reciprocal_negative": (lambda t: (-t).reciprocal(), None, (0.3, 3)),
    "sign": (lambda t: t.sign(), None, (-3, 3)),
    "trunc": (lambda t: t.trunc(), None, (-3, 3)),
    "fix": (lambda t: t.fix(), None, (-3, 3)),
    "floor": (lambda t: t.floor(), None, (-3, 3)),
    "ceil": (lambda t: t.ceil(), None, (-3, 3)),
    "round": (lambda t: t.round(), None, (-3, 3)),
    "round_decimals": (lambda t: t.round(decimals=2), None, (-3, 3)),
    "round_negative_decimals": (lambda t: (t * 100).round(decimals=-1), None, (-3, 3)),
    "frac": (lambda t: t.frac(), None, (-3, 3)),
    "square": (lambda t: t.square(), None, (-3, 3)),
    "neg": (lambda t: t.neg(), None, (-3, 3)),
    "negative": (lambda t: t.negative(), None, (-3, 3)),
    "pow_number": (lambda t: t.pow(2.5), None, (0.1, 3)),
    "pow_tensor": (lambda t: t.pow(t), None, (0.1, 3)),
    "rpow_function": (lambda t: autograd.pow(2, t), lambda t: torch.pow(2, t), (-3, 3)),
    "add_alpha": (lambda t: t.add(t * t, alpha=-1.5), None, (-3, 3)),
    "sub_alpha": (lambda t: t.sub(t.exp(), alpha=2), None, (-3, 3)),
    "clip": (lambda t: t.clip(-1, 1.5), lambda t: t.clamp(-1, 1.5), (-3, 3)),
    "minimum": (lambda t: t.minimum(t.flip(-1) if t.ndim else -t), None, (-3, 3)),
    "div_trunc": (lambda t: t.div(0.7, rounding_mode="trunc"), None, (-3, 3)),
    "div_floor": (lambda t: t.div(-0.7, rounding_mode="floor"), None, (-3, 3)),
}
FLAT = {"sign", "trunc", "fix", "floor", "ceil", "round", "round_decimals", "round_negative_decimals"}


@pytest.mark.parametrize("name", list(MATH))
@FAST
@given(data=st.data())
def test_math_matches_torch(name, data):
    """Values, dtype and gradient of every function against torch, over shapes (0-d included) and values."""
    ours, theirs, (low, high) = MATH[name]
    x = data.draw(arrays(shapes(), low, high))
    compare(ours, x, torch_fn=theirs)


@pytest.mark.parametrize("name", [n for n in MATH if not n.startswith("div")])
def test_math_second_derivatives_match_torch(name):
    ours, theirs, (low, high) = MATH[name]
    x = np.random.default_rng(1).uniform(low, high, (3, 4))
    compare_second(ours, x, torch_fn=theirs)


@pytest.mark.parametrize("name", [n for n in MATH if n not in FLAT and not n.startswith("div")])
def test_math_gradcheck(name):
    ours, _, (low, high) = MATH[name]
    x = leaf(np.random.default_rng(2).uniform(low, high, (2, 3)))
    assert autograd.gradcheck(ours, x)


@pytest.mark.parametrize("name", sorted(FLAT | {"div_trunc", "div_floor"}))
def test_piecewise_constant_ops_have_zero_gradient_and_no_second(name):
    """As in torch: the result requires grad, the gradient is 0 (at the jumps too), a constant."""
    x = leaf([-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5])
    y = MATH[name][0](x)
    assert y.requires_grad
    (g,) = autograd.grad(y.sum(), x, create_graph=True)
    assert_close(g, np.zeros(7))
    assert not g.requires_grad


UNARY_NAMES = "sin cos tan asin acos atan sinh cosh rsqrt log2 log10 log1p exp2 expm1 erf reciprocal sign".split()
ROUNDING = "trunc floor ceil round".split()


@pytest.mark.parametrize("name", UNARY_NAMES + ROUNDING + ["frac", "square", "neg"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool"])
def test_math_dtypes_match_torch(name, dtype):
    """Integers and bools become float32 as in torch (rounding keeps integers; bool rounding raises in both)."""
    data = np.array([0, 1, 2, 3], dtype=dtype) if dtype != "bool" else np.array([True, False])
    ours, theirs = autograd.tensor(data), torch.tensor(data)
    try:
        expected = getattr(theirs, name)()
    except (RuntimeError, NotImplementedError) as error:
        with pytest.raises(type(error)):
            getattr(ours, name)()
        return
    result = getattr(ours, name)()
    assert dtype_name(result) == dtype_name(expected)
    assert_close(result, expected.double(), rtol=1e-6)


def test_math_module_functions_take_numbers_and_values():
    assert_close(autograd.sin(autograd.tensor([0.5, 1.0])), np.sin([0.5, 1.0]), rtol=1e-6)
    assert_close(autograd.erf(np.array([0.5])), [math.erf(0.5)])
    v = autograd.Value(0.3)
    out = autograd.erf(v)
    out.backward()
    assert out.data == math.erf(0.3) and v.grad == pytest.approx(2 / math.sqrt(math.pi) * math.exp(-0.09))


def test_math_special_values_match_torch():
    """Infinities, nan, signed zeros and the ends of the domains, values and gradients."""
    special = [-np.inf, -1.0, -0.0, 0.0, 1.0, np.inf, np.nan]
    for name in UNARY_NAMES + ROUNDING + ["frac"]:
        compare(
            lambda t, name=name: getattr(t, name)(), np.array(special), torch_fn=lambda t, name=name: getattr(t, name)()
        )


@given(a=arrays(shapes(), -50, 50), b=st.sampled_from([-3, -2, 2, 3, 7]))
@FAST
def test_integer_division_with_rounding_matches_torch(a, b):
    """Integer division stays integer and is exact: floor rounds down, trunc toward 0 (int64, no float detour)."""
    a = a.astype(np.int64) * 10**15  # beyond float64's integers, where a float quotient would be wrong
    for mode in ("trunc", "floor"):
        ours = autograd.tensor(a).div(b, rounding_mode=mode)
        expected = torch.tensor(a).div(b, rounding_mode=mode)
        assert ours.dtype == autograd.int64
        assert ours.tolist() == expected.tolist()


def test_operator_name_errors_match_torch():
    with pytest.raises(RuntimeError, match="alpha must not be a floating point"):
        autograd.tensor([1]).add(autograd.tensor([2]), alpha=1.5)
    with pytest.raises(RuntimeError, match="rounding_mode"):
        autograd.tensor([1.0]).div(2, rounding_mode="round")
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        autograd.tensor([1]).div(0, rounding_mode="floor")
    with pytest.raises(NotImplementedError, match="frac"):
        autograd.tensor([1]).frac()
    with pytest.raises(NotImplementedError, match="decimals"):
        autograd.tensor([1]).round(decimals=1)
    assert autograd.tensor([True, False]).square().tolist() == [1, 0]


# -- in-place forms --------------------------------------------------------------------
IN_PLACE = {
    "pow_": (lambda t: t.pow_(2), lambda t: t.pow(2)),
    "neg_": (lambda t: t.neg_(), lambda t: -t),
    "square_": (lambda t: t.square_(), lambda t: t * t),
    "clamp_": (lambda t: t.clamp_(-0.5, 0.5), lambda t: t.clamp(-0.5, 0.5)),
    "clip_": (lambda t: t.clip_(max=0.2), lambda t: t.clamp(max=0.2)),
    "sin_": (lambda t: t.sin_(), lambda t: t.sin()),
    "exp_": (lambda t: t.exp_(), lambda t: t.exp()),
    "sigmoid_": (lambda t: t.sigmoid_(), lambda t: t.sigmoid()),
    "erf_": (lambda t: t.erf_(), lambda t: t.erf()),
    "round_": (lambda t: t.round_(decimals=1), lambda t: t.round(decimals=1)),
    "div_floor_": (lambda t: t.div_(0.3, rounding_mode="floor"), lambda t: t.div(0.3, rounding_mode="floor")),
    "sub_alpha_": (lambda t: t.sub_(t.detach(), alpha=0.5), lambda t: t.sub(t.detach(), alpha=0.5)),
    "masked_fill_": (lambda t: t.masked_fill_(t > 0, 1.5), lambda t: t.masked_fill(t > 0, 1.5)),
    "cumsum_": (lambda t: t.cumsum_(1), lambda t: t.cumsum(1)),
    "tril_": (lambda t: t.tril_(), lambda t: t.tril()),
}


@pytest.mark.parametrize("name", list(IN_PLACE))
def test_in_place_forms_match_torch(name):
    """``x.op_()`` edits x (same object, version up) to torch's values, and is differentiated as the op."""
    edit, _ = IN_PLACE[name]
    data = np.random.default_rng(3).uniform(-1, 1, (3, 4))
    ours, theirs = leaf(data), torch.tensor(data, requires_grad=True)
    x, xt = ours * 1, theirs * 1
    version = x._version
    assert edit(x) is x and x._version == version + 1
    assert_close(x, edit(xt))
    upstream = np.random.default_rng(4).standard_normal((3, 4))
    x.backward(autograd.tensor(upstream))
    xt.backward(torch.from_numpy(upstream))
    assert_close(ours.grad, theirs.grad)


@pytest.mark.parametrize("name", list(IN_PLACE))
def test_in_place_forms_without_grad(name):
    """Outside the graph the edit is plain: the same values as the out-of-place op."""
    edit, op = IN_PLACE[name]
    data = np.random.default_rng(5).uniform(-1, 1, (3, 4))
    x = autograd.tensor(data)
    assert_close(edit(x), op(autograd.tensor(data)))


def test_in_place_checks_match_torch():
    with pytest.raises(RuntimeError, match="can't be cast"):
        autograd.tensor([1, 2]).sqrt_()
    with pytest.raises(RuntimeError, match="can't be cast"):
        autograd.tensor([1, 2]).pow_(0.5)
    with pytest.raises(RuntimeError, match="leaf"):
        leaf([1.0]).exp_()
    with pytest.raises(RuntimeError, match="shape"):
        autograd.tensor([1.0, 2.0]).masked_fill_(autograd.tensor([[True], [False]]), 0.0)
    assert autograd.tensor([1, 2]).square_().tolist() == [1, 4]


def test_erf_is_the_c_librarys_to_two_units_in_the_last_place():
    """numpy has no erf: ours (a Taylor series on a grid) against math.erf, densely over [-7, 7] and beyond."""
    x = np.concatenate([np.linspace(-7, 7, 20001), [1e-300, -1e-20, 5.999, 6.0, 6.001, 30.0, np.inf, -np.inf]])
    expected = np.array([math.erf(v) for v in x])
    ours = autograd.tensor(x).erf().data
    assert np.all(np.abs(ours - expected) <= 2 * np.spacing(np.abs(expected)))
    assert np.isnan(autograd.tensor([np.nan]).erf().item())
    assert np.signbit(autograd.tensor([-0.0]).erf().data[0])
