"""Indexing against PyTorch: ``x[index]`` and ``x[index] = value`` over random index expressions (ints,
slices, None, ..., bools, index lists, int tensors, bool masks, in any mix), same values, shapes, gradients
and error types; then the cases where this engine deliberately raises while PyTorch does not."""

import itertools
import operator
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from tests.helpers import assert_close, backward_both, dtype_name, leaf, random_like, to_torch

pytestmark = pytest.mark.filterwarnings("ignore:indexing with dtype torch.uint8:UserWarning")

ERRORS = (IndexError, ValueError, TypeError, RuntimeError)
DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64")
SIZES = st.sampled_from([0, 1, 1, 2, 2, 3, 3, 4, 4])  # a dim of size 0 now and then


def outcome(fn, *args):
    """fn(*args), or the exception it raised (one of ERRORS)."""
    try:
        return fn(*args)
    except ERRORS as error:
        return error


def error_kind(error: Exception) -> type:
    return next(kind for kind in ERRORS if isinstance(error, kind))


def assert_same_error(ours, theirs: Exception) -> None:
    """We raised where torch raised, an error of the same kind (IndexError, ValueError, TypeError, RuntimeError)."""
    assert isinstance(ours, Exception), f"torch raised {theirs!r}, we did not"
    assert error_kind(ours) is error_kind(theirs), f"we raised {ours!r}, torch {theirs!r}"


def assign(t, index, value):
    """``t[index] = value``, returning t."""
    t[index] = value
    return t


# -- random index expressions -----------------------------------------------------------------------
# An item is a spec ``(kind, payload)``, built into a real index for either library by ``build``.
def _int_in(draw, size: int) -> int:
    """Mostly a valid index into a dim of ``size``, now and then one just out of range."""
    if size == 0 or draw(st.integers(0, 11)) == 0:
        return draw(st.sampled_from([size, -size - 1]))
    return draw(st.integers(-size, size - 1))


def _item(draw, dims: tuple[int, ...]) -> tuple[tuple, int]:
    """An index item for the leading dims ``dims`` of what remains, and how many dims it takes."""
    kinds = ["none", "bool", "zero_d_bool"]
    if dims:
        kinds += ["int", "int", "np_int", "zero_d_int", "slice", "slice", "list", "tensor", "ndarray", "mask"]
        kinds += ["bool_list", "bad_float", "bad_float_tensor", "bad_int16_tensor", "bad_mask"]
    kind = draw(st.sampled_from(kinds))
    size = dims[0] if dims else 0
    if kind == "none":
        return ("none", None), 0
    if kind == "bool":
        return ("bool", draw(st.booleans())), 0
    if kind == "zero_d_bool":
        dtype = draw(st.sampled_from(["bool", "uint8"]))
        return ("tensor", np.array(draw(st.booleans()), dtype=dtype)), 0
    if kind in ("int", "np_int"):
        value = _int_in(draw, size)
        return ("int", value if kind == "int" else np.int64(value)), 1
    if kind == "zero_d_int":
        dtype = draw(st.sampled_from(["int64", "int32", "int16", "int8"]))
        return ("tensor", np.array(_int_in(draw, size), dtype=dtype)), 1
    if kind == "slice":
        bound = st.one_of(st.none(), st.integers(-size - 2, size + 2))
        step = draw(st.sampled_from([None, 1, 1, 2, 3, -1, 0]))
        return ("slice", slice(draw(bound), draw(bound), step)), 1
    if kind in ("list", "tensor", "ndarray"):
        index_shape = draw(st.sampled_from([(0,), (1,), (2,), (3,), (2, 2), (1, 3)]))
        values = np.array([_int_in(draw, size) for _ in range(int(np.prod(index_shape)))], dtype=np.int64)
        values = values.reshape(index_shape)
        if kind == "list":
            return ("list", values.tolist()), 1
        return (kind, values.astype(draw(st.sampled_from(["int64", "int32"])))), 1
    if kind == "bool_list":
        return ("list", draw(st.lists(st.booleans(), min_size=size, max_size=size))), 1
    if kind in ("mask", "bad_mask"):
        k = draw(st.integers(1, len(dims)))
        mask_shape = dims[:k] if kind == "mask" else tuple(n + 1 for n in dims[:k])
        mask = np.random.default_rng(draw(st.integers(0, 2**16))).random(mask_shape) < 0.5
        dtype = draw(st.sampled_from(["bool", "bool", "uint8"]))
        return ("tensor", mask.astype(dtype)), k
    if kind == "bad_float":
        return ("float", 1.0), 1
    if kind == "bad_float_tensor":
        return ("tensor", np.array([0.0])), 1
    return ("tensor", np.array([0], dtype=np.int16)), 1  # bad_int16_tensor: PyTorch takes no int16 index tensor


@st.composite
def index_specs(draw, shape: tuple[int, ...]) -> tuple[list, bool]:
    """A random index for a tensor of ``shape``: items from the front, and maybe ``...`` then items from the back;
    and whether to pass a lone item bare instead of in a tuple."""
    front, start = [], 0
    for _ in range(draw(st.integers(0, 3))):
        spec, taken = _item(draw, shape[start:])
        front.append(spec)
        start += taken
    back, end = [], len(shape)
    if draw(st.booleans()):
        for _ in range(draw(st.integers(0, 2))):
            spec, taken = _item(draw, tuple(reversed(shape[start:end])))
            if spec[0] == "tensor" and spec[1].dtype.kind in "bu" and spec[1].ndim > 1:
                spec = ("tensor", spec[1].T)  # a mask for the last dims, drawn in reverse order
            back.insert(0, spec)
            end -= taken
        front = [*front, ("ellipsis", ...), *back]
    if draw(st.integers(0, 15)) == 0:
        front.append(("int", 0))  # one index too many, now and then
    return front, draw(st.booleans())


def build(specs: tuple[list, bool], lib) -> object:
    """The index of ``specs`` for ``lib`` (autograd or torch)."""
    items, bare = specs
    built = []
    for kind, payload in items:
        if kind == "tensor":
            built.append(lib.tensor(payload) if lib is autograd else torch.from_numpy(payload.copy()))
        elif kind == "ndarray":
            built.append(payload.copy())
        elif kind == "list":
            built.append(list(payload))
        else:
            built.append(payload)
    if bare and len(built) == 1 and not (isinstance(built[0], list) and np.ndim(built[0]) > 1):
        return built[0]  # (a bare list of lists is ambiguous: see test_ambiguous_or_lossy_indices_raise)
    return tuple(built)


def shapes_up_to_4d() -> st.SearchStrategy:
    return st.lists(SIZES, min_size=0, max_size=4).map(tuple)


# -- x[index] ------------------------------------------------------------------------------------------
@settings(max_examples=400, deadline=None)
@given(st.data())
def test_getitem_matches_torch(data):
    """Same values, shape, gradient (repeated indices add up) and error type as torch, for any index."""
    shape = data.draw(shapes_up_to_4d())
    specs = data.draw(index_specs(shape))
    x = random_like(shape)
    ours_x, torch_x = leaf(x), to_torch(x)
    ours, theirs = (
        outcome(operator.getitem, ours_x, build(specs, autograd)),
        outcome(operator.getitem, torch_x, build(specs, torch)),
    )
    if isinstance(theirs, Exception):
        assert_same_error(ours, theirs)
        return
    assert not isinstance(ours, Exception), f"we raised {ours!r}; torch gave shape {tuple(theirs.shape)}"
    assert_close(ours, theirs)
    backward_both(ours, theirs)
    assert_close(ours_x.grad, torch_x.grad)


@pytest.mark.parametrize("dtype", DTYPES)
def test_getitem_keeps_every_dtype(dtype):
    x = np.arange(24).reshape(2, 3, 4) % 7
    ours, theirs = autograd.tensor(x, dtype=dtype), torch.tensor(x, dtype=getattr(torch, dtype))
    for index in [(1, slice(None), [0, 2]), (Ellipsis, 0), ([1, 0], [2, 2]), (None, 0, slice(1, 3))]:
        got, want = ours[index], theirs[index]
        assert dtype_name(got) == dtype_name(want) == dtype
        assert got.tolist() == want.tolist()
    assert ours[ours > 3].tolist() == theirs[theirs > 3].tolist()


def test_an_int_beside_an_index_list_selects_first():
    """numpy moves the index list's dims to the front here (2 x 5); PyTorch selects with the int first (5 x 2)."""
    assert autograd.zeros(2, 5, 6)[1, :, [0, 1]].shape == tuple(torch.zeros(2, 5, 6)[1, :, [0, 1]].shape) == (5, 2)
    assert np.zeros((2, 5, 6))[1, :, [0, 1]].shape == (2, 5)


def test_basic_index_is_a_view_sharing_the_version_counter():
    x = autograd.zeros(3, 4)
    row, picked = x[1], x[[1]]
    x.add_(1)
    assert row.tolist() == [1.0] * 4 and row._version == x._version == 1
    assert picked.tolist() == [[0.0] * 4] and picked._version == 0


def test_getitem_second_derivative():
    """The gather's backward is a scatter-add recorded as an op, so gradients of gradients flow."""
    x = autograd.tensor([1.0, 2.0, 3.0], dtype=autograd.float64, requires_grad=True)
    xt = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    for t, lib in ((x, autograd), (xt, torch)):
        (g,) = lib.autograd.grad((t[[0, 2, 2]] ** 3).sum(), t, create_graph=True)
        g.sum().backward()
    assert_close(x.grad, xt.grad)


@pytest.mark.parametrize(
    ("index", "torch_does"),
    [
        ((Ellipsis, 0, Ellipsis), "applies each ... to all remaining dims: x[..., 0, ...] is x[..., 0]"),
        ([0, [1, 2]], "reads a list holding a list as a tuple (deprecated): x[0, [1, 2]]"),
        ([[0, 1], [1, 0]], "reads a list of lists as a tuple (deprecated), numpy as one 2-d index"),
        ([slice(None), 0], "reads a list holding a slice as a tuple (deprecated)"),
        ([1.7], "truncates a float index list to integers"),
    ],
)
def test_ambiguous_or_lossy_indices_raise(index, torch_does):
    """Where torch accepts an index only by guessing or truncating, this engine raises (IndexError) instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.zeros(3, 4, 5)[index]  # torch gives a result
    with pytest.raises(IndexError):
        autograd.zeros(3, 4, 5)[index]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (5, "index 5 is out of bounds for dimension 0 with size 3"),
        ((0, -5), "index -5 is out of bounds for dimension 1 with size 4"),
        ((slice(None), [0, 4]), "index 4 is out of bounds for dimension 1 with size 4"),
        (slice(None, None, -1), "step must be greater than zero"),
        (1.5, "valid indices (got float)"),
        ((0, 0, 0, 0), "too many indices for tensor of dimension 3"),
        (autograd.ones(3, 5, dtype=autograd.bool), "The shape of the mask [3, 5] does not match the shape [3, 4]"),
        (([0, 1], [0, 1, 2]), "could not be broadcast together with shapes [2], [3]"),
    ],
)
def test_index_errors_say_what_is_wrong(index, message):
    with pytest.raises(ERRORS, match=re.escape(message)):
        autograd.zeros(3, 4, 5)[index]


# -- x[index] = value -----------------------------------------------------------------------------------
@st.composite
def value_shapes(draw, target: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts to ``target`` (dims dropped from the front, some set to 1, maybe leading 1s),
    or now and then one that does not."""
    shape = [draw(st.sampled_from([n, 1])) for n in target[draw(st.integers(0, len(target))) :]]
    shape = [1] * draw(st.integers(0, 2)) + shape
    if draw(st.integers(0, 9)) == 0:
        shape = [*shape, 5]
    return tuple(shape)


@settings(max_examples=250, deadline=None)
@given(st.data())
def test_setitem_matches_torch(data):
    """``x[index] = value`` on a tensor in the graph: same x as torch, same gradients to x's history and to value
    (a Tensor broadcast to what the index selects, or a number), same error type."""
    shape = data.draw(shapes_up_to_4d())
    specs = data.draw(index_specs(shape))
    x = random_like(shape)
    selected = outcome(operator.getitem, to_torch(x), build(specs, torch))
    if isinstance(selected, Exception):
        with pytest.raises(error_kind(selected)):
            autograd.zeros(shape, dtype=autograd.float64)[build(specs, autograd)] = 1.0
        return
    value = random_like(data.draw(value_shapes(tuple(selected.shape))), seed=1) if data.draw(st.booleans()) else 2.5
    ours_x, ours_v = leaf(x), leaf(value) if isinstance(value, np.ndarray) else value
    torch_x, torch_v = to_torch(x), to_torch(value) if isinstance(value, np.ndarray) else value

    # x * 1 is not a leaf, so it may be edited in place
    ours = outcome(assign, ours_x * 1, build(specs, autograd), ours_v)
    theirs = outcome(assign, torch_x * 1, build(specs, torch), torch_v)
    if isinstance(theirs, Exception):
        assert_same_error(ours, theirs)
        return
    assert not isinstance(ours, Exception), f"we raised {ours!r}"
    positions = torch.arange(int(np.prod(shape))).reshape(shape)[build(specs, torch)]
    if positions.unique().numel() == positions.numel():  # an element written twice may keep either value
        assert_close(ours, theirs)
    backward_both(ours, theirs)
    assert_close(ours_x.grad, torch_x.grad)
    if isinstance(value, np.ndarray):
        assert_close(ours_v.grad, torch_v.grad)


NUMBERS = [-256, -255, -129, -128, -1, 2.7, -2.7, 127, 128, 255, 256, 2**31, 1e40, float("inf"), float("nan"), True]


WRITES = {
    "setitem_int": lambda t, number: assign(t, 0, number),
    "setitem_list": lambda t, number: assign(t, [1], number),
    "setitem_mask": lambda t, number: assign(t, t == 0, number),
    "fill_": lambda t, number: t.fill_(number),
}


@pytest.mark.parametrize("dtype", DTYPES)
def test_numbers_written_into_every_dtype_like_torch(dtype):
    """``x[i] = number`` and ``x.fill_(number)`` into any dtype: the value torch stores, or torch's error where
    the number overflows the dtype."""
    for number, write in itertools.product(NUMBERS, WRITES.values()):
        got = outcome(write, autograd.zeros(2, dtype=getattr(autograd, dtype)), number)
        want = outcome(write, torch.zeros(2, dtype=getattr(torch, dtype)), number)
        if isinstance(want, Exception):
            assert_same_error(got, want)
        else:
            assert dtype_name(got) == dtype
            assert_close(got, want, rtol=1e-7)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("source", DTYPES)
def test_setitem_tensor_value_dtypes_like_torch(dtype, source):
    """A slice casts the value to x's dtype (as copy_), an index tensor wants the same dtype, and a lone mask with a
    one-element value is a masked fill that casts again, as in torch."""
    for index, values in [(slice(0, 3), [0, 1, 3]), ([0, 1, 2], [0, 1, 3]), ([True, False, True, False], [3])]:
        ours, theirs = autograd.zeros(4, dtype=getattr(autograd, dtype)), torch.zeros(4, dtype=getattr(torch, dtype))
        v_ours, v_theirs = autograd.tensor(values, dtype=source), torch.tensor(values, dtype=getattr(torch, source))
        got, want = outcome(assign, ours, index, v_ours), outcome(assign, theirs, index, v_theirs)
        if isinstance(want, Exception):
            assert_same_error(got, want)
        else:
            assert got.tolist() == want.tolist() and dtype_name(got) == dtype


def test_masked_fill_gradient_reaches_a_value_of_another_dtype():
    """x[mask] = v with a one-element v is torch's masked fill: v may be float64 in a float32 x, and its gradient
    (the sum of the upstream gradient over the mask) comes back as float64."""
    mask = np.array([[True, False, True], [False, False, True]])
    grads = []
    for lib in (autograd, torch):
        v = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
        x = lib.ones(2, 3) * 1
        x[lib.tensor(mask)] = v
        (x * lib.tensor(random_like((2, 3)), dtype=lib.float32)).sum().backward()
        grads.append((v.grad, x.dtype))
    (ours, our_dtype), (theirs, their_dtype) = grads
    assert dtype_name(our_dtype) == dtype_name(their_dtype) == "float32"
    assert_close(ours, theirs, rtol=1e-6)
    assert dtype_name(ours) == dtype_name(theirs) == "float64"


@pytest.mark.parametrize("value", [[1.0, 2.0], np.ones(2), None, "a"])
def test_setitem_refuses_what_is_not_a_tensor_or_number(value):
    theirs = outcome(lambda: torch.zeros(2).__setitem__(slice(None), value))
    assert isinstance(theirs, TypeError)
    with pytest.raises(TypeError, match="can't assign"):
        autograd.zeros(2)[:] = value


def test_setitem_of_a_float_into_an_int_tensor_records_nothing():
    """An integer tensor has no gradient: writing a value that requires grad into it is a plain write."""
    x, v = autograd.zeros(3, dtype=autograd.int64), autograd.tensor([1.7, 2.2], requires_grad=True)
    x[:2] = v
    assert x.tolist() == [1, 2, 0] and not x.requires_grad and x.is_leaf


def test_flip_reverses_as_negative_steps_would():
    x = random_like((2, 3, 4))
    ours, theirs = leaf(x), to_torch(x)
    for dims in [(0,), (1, -1), (0, 1, 2)]:
        got, want = ours.flip(dims), theirs.flip(dims)
        assert_close(got, want)
        backward_both(got, want)
    assert_close(ours.grad, theirs.grad)
    assert_close(autograd.flip(ours, [-1]), torch.flip(theirs, [-1]))
