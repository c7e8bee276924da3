"""Reductions, scans and sorts against torch in float64 (values, gradients, second derivatives, finite
differences) over shapes and dims, negative ones too: var std prod logsumexp norm amax amin, cumsum
cumprod (with zeros), sort argsort topk; their dtypes, errors, and numpy's axis= / keepdims= spellings."""

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
import autograd.shapes
from tests.helpers import arrays, assert_close, compare, compare_second, dtype_name, leaf, shapes

FAST = settings(max_examples=20, deadline=None)


@st.composite
def tensor_and_dim(draw, min_dims=0, low=-3.0, high=3.0):
    """An array and a dim of it, negative ones included (0-d arrays take 0 or -1, as in torch)."""
    shape = draw(shapes(min_dims=min_dims))
    dim = draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    return draw(arrays(shape, low, high)), dim


@st.composite
def tensor_and_dims(draw):
    """An array of at least one dim and None, a dim or a tuple of distinct dims."""
    shape = draw(shapes(min_dims=1))
    dims = st.integers(-len(shape), len(shape) - 1)
    many = st.lists(dims, min_size=1, max_size=len(shape), unique_by=lambda d: d % len(shape)).map(tuple)
    return draw(arrays(shape)), draw(st.one_of(st.none(), dims, many))


@FAST
@given(case=tensor_and_dims(), keepdim=st.booleans(), correction=st.sampled_from([None, 0, 1, 2, 0.5]))
def test_var_std_match_torch(case, keepdim, correction):
    """With degrees of freedom left (N > correction); with none, both values are inf or nan, and so are
    the gradients, but which of the two differs (torch's backward skips the mean's term, 0 but inf * 0)."""
    x, dim = case
    count = math.prod(x.shape[d] for d in autograd.shapes.dim_indices(dim, x.ndim))
    assume(count > (1 if correction is None else correction))
    x = x + np.arange(x.size).reshape(x.shape) * 0.1  # equal values: std's gradient would be rounding noise / 0
    for op in ("var", "std"):
        compare(lambda t, op=op: getattr(t, op)(dim, keepdim=keepdim, correction=correction), x)


def test_var_std_argument_forms_match_torch():
    x = np.random.default_rng(0).standard_normal((3, 4))
    for call in (
        lambda t: t.var(1, True, True),
        lambda t: t.std(False),
        lambda t: t.std(unbiased=False),
        lambda t: t.var(dim=0, unbiased=True),
        lambda t: t.std(axis=1, keepdims=True),
        lambda t: t.var(-1, correction=3),  # more correction than elements: inf, as torch
    ):
        compare(call, x)
    compare_second(lambda t: t.std(1), x)
    compare(lambda t: t.std(1), np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]]))  # std 0: gradient 0, as torch
    assert autograd.gradcheck(lambda t: t.var(0, correction=0), leaf(x))
    with pytest.raises(RuntimeError, match="floating point"):
        autograd.tensor([1, 2]).std()
    with pytest.raises(TypeError, match="not both"):
        autograd.tensor([1.0, 2.0]).var(unbiased=True, correction=0)


@FAST
@given(case=tensor_and_dim(), keepdim=st.booleans(), zeros=st.integers(0, 2), seed=st.integers(0, 99))
def test_prod_matches_torch_with_zeros(case, keepdim, zeros, seed):
    """The gradient of a product holding zeros: torch's (the product of the others at a lone zero, else 0)."""
    x, dim = case
    x = x.copy()
    x.flat[np.random.default_rng(seed).choice(x.size, min(zeros, x.size), replace=False)] = 0
    compare(lambda t: t.prod(dim, keepdim), x)
    compare(lambda t: t.prod(), x)


@FAST
@given(case=tensor_and_dim(), zeros=st.integers(0, 3), seed=st.integers(0, 99))
def test_cumsum_cumprod_match_torch(case, zeros, seed):
    x, dim = case
    x = x.copy()
    x.flat[np.random.default_rng(seed).choice(x.size, min(zeros, x.size), replace=False)] = 0
    compare(lambda t: t.cumsum(dim), x)
    compare(lambda t: t.cumprod(dim), x)


@pytest.mark.parametrize("op", ["cumsum", "cumprod", "prod"])
@pytest.mark.parametrize("zeros", [[], [2], [1, 3]])
def test_scans_second_derivatives_and_gradcheck(op, zeros):
    x = np.random.default_rng(1).uniform(-2, 2, (3, 5))
    x[:, zeros] = 0
    compare_second(lambda t: getattr(t, op)(1), x)
    assert autograd.gradcheck(lambda t: getattr(t, op)(-1), leaf(x))


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "bool", "float32"])
@pytest.mark.parametrize("op", ["cumsum", "cumprod", "prod"])
def test_scan_dtypes_match_torch(op, dtype):
    """Integers and bools accumulate in int64, as in torch; a dtype= argument casts first."""
    data = np.array([[1, 0, 1], [1, 1, 1]], dtype=dtype)
    ours, theirs = getattr(autograd.tensor(data), op)(1), getattr(torch.tensor(data), op)(1)
    assert dtype_name(ours) == dtype_name(theirs)
    assert_close(ours, theirs.double())
    cast = getattr(autograd.tensor(data), op)(0, dtype=autograd.float64)
    assert cast.dtype == autograd.float64


@FAST
@given(case=tensor_and_dims(), keepdim=st.booleans(), big=st.booleans())
def test_logsumexp_matches_torch(case, keepdim, big):
    """Stable for inputs of any size (e^1000 would overflow)."""
    x, dim = case
    x = x * 400 if big else x
    dim = tuple(range(x.ndim)) if dim is None else dim
    compare(lambda t: t.logsumexp(dim, keepdim), x)


def test_logsumexp_of_infinities_and_second_derivative():
    compare(lambda t: t.logsumexp(1), np.array([[-np.inf, -np.inf], [np.inf, 1.0], [-np.inf, 2.0]]))
    compare_second(lambda t: t.logsumexp(-1), np.random.default_rng(2).standard_normal((3, 4)))
    assert autograd.gradcheck(lambda t: t.logsumexp(0), leaf(np.random.default_rng(3).standard_normal((3, 2))))
    assert autograd.logsumexp(autograd.tensor([1, 2]), 0).dtype == autograd.float32


NORM_PS = [2, "fro", 1, 3, 1.5, 0.5, -1, 0, math.inf, -math.inf]


@pytest.mark.parametrize("p", NORM_PS)
@FAST
@given(case=tensor_and_dims(), keepdim=st.booleans(), zeros=st.booleans())
def test_norm_matches_torch(p, case, keepdim, zeros):
    """Every p, with zero elements and all-zero vectors, where torch's gradient is 0."""
    x, dim = case
    if p == "fro" and isinstance(dim, tuple) and len(dim) > 2:
        dim = dim[:2]  # a matrix norm: torch refuses more dims, as we do
    x = np.where(np.abs(x) < (1 if zeros else 1e-6), 0.0, x)  # no |x|^p below the smallest float
    rtol = 1e-8 if p not in (1, 2, "fro", 0) else 1e-10  # a root of a sum: rounding grows with 1 / p
    if p == 0:  # a count: torch leaves the input's .grad None, ours is zeros
        assert_close(autograd.tensor(x).norm(0, dim, keepdim), torch.tensor(x).norm(0, dim, keepdim))
        t = leaf(x)
        (g,) = autograd.grad(t.norm(0, dim, keepdim).sum(), t)
        assert_close(g, np.zeros_like(x))
    else:
        compare(lambda t: t.norm(p, dim, keepdim), x, rtol=rtol)


@pytest.mark.parametrize("p", [2, 1, 3, 0.5, math.inf])
def test_norm_second_derivatives_and_gradcheck(p):
    x = np.random.default_rng(4).uniform(-2, 2, (3, 4))
    compare_second(lambda t: t.norm(p, dim=1), x, rtol=1e-8)
    assert autograd.gradcheck(lambda t: t.norm(p, dim=0), leaf(x))


def test_norm_arguments_and_errors():
    x = np.random.default_rng(5).standard_normal((2, 3))
    compare(lambda t: autograd.norm(t, p=1, dim=[1]), x, torch_fn=lambda t: torch.norm(t, p=1, dim=[1]))
    assert autograd.tensor(x, dtype=autograd.float32).norm(dtype=autograd.float64).dtype == autograd.float64
    with pytest.raises(RuntimeError, match="floating point"):
        autograd.tensor([1, 2]).norm()
    with pytest.raises(NotImplementedError, match="nuc"):
        autograd.tensor(x).norm("nuc")
    for lib in (torch, autograd):
        with pytest.raises(RuntimeError):
            lib.ones(2, 2, 2).norm("fro", dim=(0, 1, 2))


@pytest.mark.parametrize("op", ["amax", "amin"])
@FAST
@given(case=tensor_and_dims(), keepdim=st.booleans())
def test_amax_amin_match_torch(op, case, keepdim):
    """Ties (frequent: values are rounded to halves) share the gradient evenly, as in torch."""
    x, dim = case
    x = np.round(x * 2) / 2
    dim = () if dim is None else dim
    compare(lambda t: getattr(t, op)(dim, keepdim), x)


def test_amax_errors_match_torch():
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        autograd.zeros(0, 3).amax()
    with pytest.raises(IndexError, match="reduction dim 0 to have non-zero size"):
        autograd.zeros(0, 3).amax(0)
    assert autograd.zeros(0, 3).amax(1).shape == (0,)


@FAST
@given(case=tensor_and_dim(), descending=st.booleans(), seed=st.integers(0, 99))
def test_sort_argsort_match_torch(case, descending, seed):
    """Values with ties and nans: both stably sorted (nan the largest), the gradient back where each came from."""
    x, dim = case
    x = np.round(x)
    x.flat[np.random.default_rng(seed).choice(x.size, x.size // 4, replace=False)] = np.nan
    values, indices = autograd.tensor(x).sort(dim, descending)
    expected = torch.tensor(x).sort(dim=dim, descending=descending, stable=True)
    assert_close(values, expected.values)
    assert indices.tolist() == expected.indices.tolist()
    assert autograd.tensor(x).argsort(dim, descending).tolist() == expected.indices.tolist()
    compare(
        lambda t: t.sort(dim, descending).values,
        x,
        torch_fn=lambda t: t.sort(dim=dim, descending=descending, stable=True)[0],
    )


@FAST
@given(case=tensor_and_dim(), largest=st.booleans(), data=st.data())
def test_topk_matches_torch(case, largest, data):
    x, dim = case
    x = x + np.arange(x.size).reshape(x.shape) * 1e-3  # distinct, so torch's indices are unambiguous
    size = x.shape[dim] if x.ndim else 1
    k = data.draw(st.integers(0, size))
    values, indices = autograd.tensor(x).topk(k, dim, largest)
    expected = torch.tensor(x).topk(k, dim, largest)
    assert_close(values, expected.values)
    assert indices.tolist() == expected.indices.tolist() and indices.dtype == autograd.int64
    compare(lambda t: t.topk(k, dim, largest).values, x)


def test_sorting_of_integers_and_bools_and_errors():
    for data in (np.array([3, -1, 3, np.iinfo(np.int64).min, 0]), np.array([True, False, True])):
        for descending in (False, True):
            ours = autograd.tensor(data).sort(descending=descending)
            theirs = torch.tensor(data).sort(descending=descending, stable=True)
            assert ours.values.tolist() == theirs.values.tolist()
            assert ours.indices.tolist() == theirs.indices.tolist()
    with pytest.raises(RuntimeError, match="k out of range"):
        autograd.tensor([1.0, 2.0]).topk(3)
    x = leaf(np.random.default_rng(6).standard_normal((3, 4)))
    assert autograd.gradcheck(lambda t: t.topk(2, dim=0).values, x)
    assert autograd.gradcheck(lambda t: t.sort(-1, descending=True).values, x)


# PyTorch takes numpy's axis= for dim= (and keepdims= for keepdim=) in its native ops; so do we.
AXIS_OPS = {
    "sum": lambda t, **kw: t.sum(**kw),
    "mean": lambda t, **kw: t.mean(**kw),
    "std": lambda t, **kw: t.std(**kw),
    "var": lambda t, **kw: t.var(**kw),
    "prod": lambda t, **kw: t.prod(**kw),
    "logsumexp": lambda t, **kw: t.logsumexp(**kw),
    "amax": lambda t, **kw: t.amax(**kw),
    "amin": lambda t, **kw: t.amin(**kw),
    "max": lambda t, **kw: t.max(**kw)[0],
    "min": lambda t, **kw: t.min(**kw)[0],
    "argmax": lambda t, **kw: t.argmax(**kw),
    "argmin": lambda t, **kw: t.argmin(**kw),
}
AXIS_ONLY_OPS = {
    "cumsum": lambda t, **kw: t.cumsum(**kw),
    "cumprod": lambda t, **kw: t.cumprod(**kw),
    "softmax": lambda t, **kw: t.softmax(**kw),
    "log_softmax": lambda t, **kw: t.log_softmax(**kw),
    "squeeze": lambda t, **kw: t[:, :1].squeeze(**kw),
    "unsqueeze": lambda t, **kw: t.unsqueeze(**kw),
    "sort": lambda t, **kw: t.sort(**kw)[0],
    "argsort": lambda t, **kw: t.argsort(**kw),
    "topk": lambda t, **kw: t.topk(1, **kw)[0],
    "chunk": lambda t, **kw: t.chunk(2, **kw)[0],
    "index_select": lambda t, **kw: t.index_select(index=autograd.tensor([1, 0]), **kw),
    "cat": lambda t, **kw: autograd.cat([t, t], **kw),
    "stack": lambda t, **kw: autograd.stack([t, t], **kw),
}


@pytest.mark.parametrize("name", list(AXIS_OPS) + list(AXIS_ONLY_OPS))
def test_numpy_axis_and_keepdims_spellings(name):
    x = np.random.default_rng(7).standard_normal((3, 4))
    op = {**AXIS_OPS, **AXIS_ONLY_OPS}[name]
    assert_close(op(autograd.tensor(x), axis=1), op(autograd.tensor(x), dim=1))
    if name in AXIS_OPS:
        assert_close(op(autograd.tensor(x), axis=-1, keepdims=True), op(autograd.tensor(x), dim=1, keepdim=True))
    with pytest.raises(TypeError, match="both"):
        op(autograd.tensor(x), axis=1, dim=1)


DIM_OPS = {
    "cumsum": lambda t, d: t.cumsum(d),
    "cumprod": lambda t, d: t.cumprod(d),
    "std": lambda t, d: t.std(d),
    "var": lambda t, d: t.var(d),
    "prod": lambda t, d: t.prod(d),
    "logsumexp": lambda t, d: t.logsumexp(d),
    "norm": lambda t, d: t.norm(dim=d),
    "amax": lambda t, d: t.amax(d),
    "sort": lambda t, d: t.sort(d),
    "argsort": lambda t, d: t.argsort(d),
    "topk": lambda t, d: t.topk(1, d),
    "flip": lambda t, d: t.flip(d),
    "roll": lambda t, d: t.roll(1, d),
    "chunk": lambda t, d: t.chunk(2, d),
    "split": lambda t, d: t.split(1, d),
    "narrow": lambda t, d: t.narrow(d, 0, 1),
    "index_select": lambda t, d: t.index_select(d, (t[0, :1] * 0).long()),
    "gather": lambda t, d: t.gather(d, (t * 0).long()),
}


@pytest.mark.parametrize("name", list(DIM_OPS))
@pytest.mark.parametrize("dim", [2, -3])
def test_out_of_range_dims_raise_torchs_index_error(name, dim):
    op = DIM_OPS[name]
    with pytest.raises(IndexError) as expected:
        op(torch.ones(2, 3), dim)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got"):
        op(autograd.ones(2, 3), dim)
    assert "Dimension out of range" in str(expected.value)
