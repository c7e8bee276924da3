"""Shape and indexing ops against torch in float64 (values, gradients, finite differences) over shapes and
dims, negative ones too: flip roll repeat tile tril triu chunk split narrow gather scatter index_select
masked_fill, eye, nn.functional.pad in every mode, and multinomial on our generator; their errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from nn import functional as F
from tests.helpers import arrays, assert_close, compare, leaf, shapes

FAST = settings(max_examples=20, deadline=None)


def a_dim(data, shape):
    """A dim of ``shape``, negative ones included."""
    return data.draw(st.integers(-len(shape), len(shape) - 1))


@FAST
@given(x=arrays(shapes(min_dims=1)), data=st.data())
def test_flip_roll_match_torch(x, data):
    dims = data.draw(
        st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=1, max_size=x.ndim, unique_by=lambda d: d % x.ndim)
    )
    shifts = data.draw(st.lists(st.integers(-7, 7), min_size=len(dims), max_size=len(dims)))
    compare(lambda t: t.flip(dims), x)
    compare(lambda t: t.roll(shifts, dims), x)
    compare(lambda t: t.roll(shifts[0]), x)


@FAST
@given(x=arrays(shapes()), data=st.data())
def test_repeat_tile_match_torch(x, data):
    sizes = data.draw(st.lists(st.integers(0, 3), min_size=max(x.ndim, 1), max_size=x.ndim + 2))
    compare(lambda t: t.repeat(*sizes), x)
    compare(lambda t: t.tile(sizes[1:]), x)


@FAST
@given(x=arrays(shapes(min_dims=2)), diagonal=st.integers(-4, 4))
def test_tril_triu_match_torch(x, diagonal):
    compare(lambda t: t.tril(diagonal), x)
    compare(lambda t: t.triu(diagonal=diagonal), x)


@FAST
@given(x=arrays(shapes(min_dims=1, max_side=7)), data=st.data())
def test_chunk_split_narrow_match_torch(x, data):
    dim = a_dim(data, x.shape)
    size = x.shape[dim]
    chunks, step = data.draw(st.integers(1, 8)), data.draw(st.integers(1, 8))
    cuts = sorted(data.draw(st.lists(st.integers(0, size), max_size=3)))
    sections = np.diff([0, *cuts, size]).tolist()
    start = data.draw(st.integers(-size, size - 1))
    length = data.draw(st.integers(0, size - (start % size)))
    for ours_fn, torch_fn in [
        (lambda t: t.chunk(chunks, dim), None),
        (lambda t: t.split(step, dim), None),
        (lambda t: t.split(sections, dim), None),
        (lambda t: autograd.split(t, step, dim=dim), lambda t: torch.split(t, step, dim=dim)),
    ]:
        ours, theirs = ours_fn(autograd.tensor(x)), (torch_fn or ours_fn)(torch.tensor(x))
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_close(a, b)
    rejoined = lambda lib: lambda t: lib.cat([p * (k + 1) for k, p in enumerate(t.split(sections, dim))], dim)  # noqa: E731
    compare(rejoined(autograd), x, torch_fn=rejoined(torch))
    compare(lambda t: t.narrow(dim, start, length), x)


@FAST
@given(x=arrays(shapes(min_dims=1)), data=st.data())
def test_gather_scatter_index_select_match_torch(x, data):
    """Indices with repeats: gather's and index_select's gradients add up at a repeated place."""
    dim = a_dim(data, x.shape)
    shape = tuple(
        data.draw(st.integers(1, n + 1)) if d == dim else data.draw(st.integers(1, n)) for d, n in enumerate(x.shape)
    )
    index = data.draw(arrays(shape, 0, x.shape[dim] - 1)).astype(np.int64)
    compare(lambda t: t.gather(dim, autograd.tensor(index)), x, torch_fn=lambda t: t.gather(dim, torch.tensor(index)))
    src = data.draw(arrays(shape))
    if _unique_targets(index, dim):
        scatter = lambda lib: lambda t, s: t.scatter(dim, lib.tensor(index), s)  # noqa: E731
        compare(scatter(autograd), x, src, torch_fn=scatter(torch))
    compare(
        lambda t: t.scatter(dim, autograd.tensor(index), 2.5),
        x,
        torch_fn=lambda t: t.scatter(dim, torch.tensor(index), 2.5),
    )
    vector = index.reshape(-1)[:5]
    compare(
        lambda t: t.index_select(dim, autograd.tensor(vector)),
        x,
        torch_fn=lambda t: t.index_select(dim, torch.tensor(vector)),
    )


def _unique_targets(index, dim):
    """True when no two index entries write the same place (scatter's result is then defined, in torch too)."""
    places = {tuple(np.r_[i[:dim], v, i[dim + 1 :]]) for i, v in np.ndenumerate(index)}
    return len(places) == index.size


def test_indexing_ops_gradcheck_and_0d():
    x = leaf(np.random.default_rng(0).standard_normal((3, 4)))
    index = autograd.tensor([[0, 2, 2], [1, 1, 0]])
    src = leaf(np.random.default_rng(1).standard_normal((2, 3)))
    assert autograd.gradcheck(lambda t: t.gather(1, index), x)
    assert autograd.gradcheck(lambda t, s: t.scatter(0, autograd.tensor([[2, 0, 1]]), s[:1]), (x, src))
    assert autograd.gradcheck(lambda t: t.index_select(0, autograd.tensor([2, 0, 2])), x)
    assert autograd.gradcheck(lambda t: t.masked_fill(t > 0, 0.5), x)
    assert autograd.gradcheck(lambda t: t.roll((1, -1), (0, 1)).flip(1).repeat(2, 1).tril(), x)
    scalar = autograd.tensor(3.0)
    assert scalar.gather(0, autograd.tensor(0)).item() == 3.0
    assert scalar.index_select(0, autograd.tensor([0])).item() == 3.0
    assert scalar.flip(0).item() == 3.0 and scalar.roll(2).item() == 3.0


def test_masked_fill_matches_torch():
    x = np.random.default_rng(2).standard_normal((3, 4))
    mask = x > 0.3
    compare(
        lambda t: t.masked_fill(autograd.tensor(mask), -1.0),
        x,
        torch_fn=lambda t: t.masked_fill(torch.tensor(mask), -1.0),
    )
    compare(
        lambda t, v: t.masked_fill(autograd.tensor(mask[0]), v.sum()),
        x,
        np.array([0.5, 2.0]),
        torch_fn=lambda t, v: t.masked_fill(torch.tensor(mask[0]), v.sum()),
    )
    compare(
        lambda t: autograd.masked_fill(t, autograd.tensor(mask[:, :1]), 0.0),
        x[:1],
        torch_fn=lambda t: torch.masked_fill(t, torch.tensor(mask[:, :1]), 0.0),
    )
    ints = autograd.tensor([1, 2, 3]).masked_fill(autograd.tensor([True, False, True]), 1.7)
    assert ints.tolist() == [1, 2, 1] and ints.dtype == autograd.int64


SHAPE_ERRORS = [
    (lambda lib: lib.ones(2, 3).repeat(2), RuntimeError, "can not be smaller"),
    (lambda lib: lib.ones(2, 3).repeat(2, -1), RuntimeError, "negative"),
    (lambda lib: lib.ones(3).tril(), RuntimeError, "at least 2 dimensions"),
    (lambda lib: lib.ones(3).flip(0, 0), RuntimeError, "multiple times"),
    (lambda lib: lib.ones(3).flip(1), IndexError, "Dimension out of range"),
    (lambda lib: lib.ones(2, 3).roll((1, 2), 0), RuntimeError, "must align"),
    (lambda lib: lib.ones(2, 3).roll((1, 2)), RuntimeError, "must align"),
    (lambda lib: lib.ones(5).chunk(0), RuntimeError, "greater than 0"),
    (lambda lib: lib.ones(5).split(0), RuntimeError, "split_size can only be 0"),
    (lambda lib: lib.ones(5).split(-1), RuntimeError, "non-negative"),
    (lambda lib: lib.ones(5).split([2, 2]), RuntimeError, "sum exactly to 5"),
    (lambda lib: lib.ones(5).split([6, -1]), RuntimeError, "non-negative"),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[5], [1]])), RuntimeError, "out of bounds"),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[-1], [1]])), RuntimeError, "out of bounds"),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([0, 1])), RuntimeError, "same number of dimensions"),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[0], [1], [1]])), RuntimeError, "no larger than"),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[0], [1]], dtype=lib.int16)), RuntimeError, "int64"),
    (lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[3], [0]]), 1.0), RuntimeError, "out of bounds"),
    (
        lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[0], [0]]), lib.ones(2, 1, dtype=lib.int64)),
        RuntimeError,
        "dtype",
    ),
    (lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[0, 1], [0, 1]]), lib.ones(2, 1)), RuntimeError, "src"),
    (lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([[0]])), IndexError, "vector"),
    (lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([0.0])), RuntimeError, "int32 or int64"),
    (lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([3])), RuntimeError, "out of bounds"),
    (lambda lib: lib.ones(2, 3).index_select(2, lib.tensor([0])), IndexError, "Dimension out of range"),
    (lambda lib: lib.ones(3).masked_fill(lib.tensor([1.0, 0.0, 1.0]), 0.0), RuntimeError, "boolean masks"),
    (lambda lib: lib.ones(3).masked_fill(lib.tensor([True, False, True]), lib.ones(3)), RuntimeError, "0-dimensional"),
    (lambda lib: lib.eye(-1), RuntimeError, "greater or equal to 0"),
]


@pytest.mark.parametrize("case", range(len(SHAPE_ERRORS)))
def test_shape_op_errors_match_torch(case):
    """The same exception type as torch, and a message that says what is wrong."""
    call, error, words = SHAPE_ERRORS[case]
    with pytest.raises(error):
        call(torch)
    with pytest.raises(error, match=words):
        call(autograd)


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,)])
@pytest.mark.parametrize("dtype", [None, "int64", "float64", "bool"])
def test_eye_matches_torch(args, dtype):
    ours = autograd.eye(*args, dtype=None if dtype is None else getattr(autograd, dtype.replace("bool", "bool_")))
    theirs = torch.eye(*args, dtype=None if dtype is None else getattr(torch, dtype))
    assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert autograd.eye(2, requires_grad=True).requires_grad


# -- nn.functional.pad -------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@FAST
@given(x=arrays(shapes(min_dims=3, max_dims=4, min_side=2, max_side=4)), data=st.data())
def test_pad_matches_torch(mode, x, data):
    """One to three trailing dims of an input with one or two dims before them (torch's limits for the
    non-constant modes)."""
    padded = data.draw(st.integers(max(1, x.ndim - 2), min(3, x.ndim - 1)))
    sizes = x.shape[::-1][:padded]
    most = {"reflect": lambda n: n - 1, "circular": lambda n: n}.get(mode, lambda n: 3)
    pad = [data.draw(st.integers(-((n - 1) // 2), most(n))) for n in sizes for _ in (0, 1)]
    if mode == "circular":  # it crops first: what it wraps must fit in what is left (torch fails otherwise)
        assume(all(max(b, a) <= n + min(b, 0) + min(a, 0) for n, b, a in zip(sizes, pad[::2], pad[1::2])))
    value = data.draw(st.floats(-2, 2)) if mode == "constant" else None
    kwargs = {} if value is None else {"value": value}
    compare(lambda t: F.pad(t, pad, mode, **kwargs), x, torch_fn=lambda t: TF.pad(t, pad, mode, **kwargs))


def test_pad_beyond_torch_limits_and_gradcheck():
    """Any number of trailing dims in every mode (torch pads at most three for reflect/replicate/circular)."""
    x = np.arange(24.0).reshape(2, 3, 4)
    expected = np.pad(x, [(1, 1), (2, 0), (0, 3)], mode="reflect")
    assert_close(F.pad(autograd.tensor(x), (0, 3, 2, 0, 1, 1), "reflect"), expected)
    assert_close(F.pad(autograd.tensor(x[0, 0]), (2, 1), "replicate"), np.pad(x[0, 0], (2, 1), mode="edge"))
    assert_close(F.pad(autograd.tensor(x[0, 0]), (2, 1), "circular"), np.pad(x[0, 0], (2, 1), mode="wrap"))
    ints = F.pad(autograd.tensor([1, 2, 3]), (1, 1), value=1.5)
    assert ints.tolist() == [1, 1, 2, 3, 1] and ints.dtype == autograd.int64
    for mode in ("constant", "reflect", "replicate", "circular"):
        assert autograd.gradcheck(lambda t, mode=mode: F.pad(t, (2, 1, 1, 0), mode), leaf(x[0]))


PAD_ERRORS = [
    (lambda t, lib: lib.pad(t, (1,)), RuntimeError, "divisible by 2"),
    (lambda t, lib: lib.pad(t, (1, 1) * 4), RuntimeError, "two times the input dimension"),
    (lambda t, lib: lib.pad(t, (3, 3), mode="reflect"), RuntimeError, "less than the corresponding input dimension"),
    (lambda t, lib: lib.pad(t, (4, 1), mode="circular"), RuntimeError, "more than once"),
    (lambda t, lib: lib.pad(t, (1, 1), mode="reflect", value=1.0), RuntimeError, "doesn't take in value"),
    (lambda t, lib: lib.pad(t, (1, 1), mode="mirror"), NotImplementedError, "padding mode"),
    (lambda t, lib: lib.pad(t, (-2, -2)), RuntimeError, "non-negative"),
]


@pytest.mark.parametrize("case", range(len(PAD_ERRORS)))
def test_pad_errors_match_torch(case):
    call, error, words = PAD_ERRORS[case]
    with pytest.raises(error):
        call(torch.ones(1, 2, 3), TF)
    with pytest.raises(error, match=words):
        call(autograd.ones(1, 2, 3), F)


# -- multinomial -------------------------------------------------------------------------
def test_multinomial_frequencies_follow_the_weights():
    """With replacement, 20000 draws: each category's share within 4 standard errors of its probability."""
    weights = np.array([0.0, 1.0, 2.0, 5.0])
    draws = autograd.multinomial(autograd.tensor(weights), 20000, replacement=True, generator=autograd.Generator(0))
    p = weights / weights.sum()
    share = np.bincount(draws.numpy(), minlength=4) / 20000
    assert draws.dtype == autograd.int64 and draws.shape == (20000,)
    assert np.all(np.abs(share - p) <= 4 * np.sqrt(p * (1 - p) / 20000))


def test_multinomial_without_replacement():
    """Each category at most once; weight-0 categories only after all the others; per row of a 2-d input;
    first draws follow the weights."""
    rows = autograd.tensor([[1.0, 0.0, 3.0, 1.0], [0.0, 0.0, 1.0, 0.0]])
    draws = rows.multinomial(4, generator=autograd.Generator(1))
    assert draws.shape == (2, 4)
    assert sorted(draws[0].tolist()) == [0, 1, 2, 3] and draws[0, 3].item() == 1
    assert draws[1, 0].item() == 2
    first = [
        autograd.multinomial(autograd.tensor([1.0, 3.0]), 1, generator=autograd.Generator(s)).item() for s in range(400)
    ]
    assert 0.65 < np.mean(first) < 0.85  # P(first draw is 1) = 0.75


def test_multinomial_is_reproducible_and_checks_like_torch():
    weights = autograd.tensor([0.2, 0.3, 0.5])
    autograd.manual_seed(3)
    a = autograd.multinomial(weights, 5, replacement=True)
    autograd.manual_seed(3)
    assert autograd.multinomial(weights, 5, replacement=True).tolist() == a.tolist()
    for bad, words in [
        (lambda lib: lib.multinomial(lib.tensor([1.0, -1.0]), 1), "element < 0"),
        (lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1), "sum of probabilities"),
        (lambda lib: lib.multinomial(lib.tensor([1.0, 1.0]), 3), "without replacement"),
        (lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1), "1 or 2 dim"),
        (lambda lib: lib.multinomial(lib.tensor([1, 2]), 1), "floating-point"),
        (lambda lib: lib.multinomial(lib.tensor([1.0, float("nan")]), 1), "nan"),
        (lambda lib: lib.multinomial(lib.tensor([1.0, 2.0]), 0), "n_sample <= 0"),
    ]:
        with pytest.raises(RuntimeError):
            bad(torch)
        with pytest.raises(RuntimeError, match=words):
            bad(autograd)
