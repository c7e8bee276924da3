"""A fuzzer: hypothesis writes random programs over the Tensor ops and each runs on autograd and on
PyTorch, which must agree on every value, on the gradient of every leaf, and on which op raises.

A program is a small DAG: leaves of shapes that broadcast together (float64 mostly, some int64 and
bool), then a few ops, each on nodes drawn from those made so far (a node may be used many times).
The program is drawn one op at a time while it runs, so each op is drawn for the shapes and dtypes
its operands really have; a few draws are invalid on purpose (a dim out of range, shapes that don't
fit) and then both libraries must raise the same exception class at the same op.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from tests.helpers import as_numpy, assert_same_outcome, dtype_name, f64, random_like

LIBRARIES = (torch, autograd)
FLOAT_DTYPES = {torch: torch.float64, autograd: autograd.float64}


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@dataclass
class Node:
    """One value of the program, in both libraries, with what the op drawing needs to know."""

    pair: tuple[Any, Any]  # (torch tensor, autograd Tensor)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.pair[0].shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def kind(self) -> str:
        """ "f" (floating point), "i" (integer) or "b" (bool)."""
        dtype = self.pair[0].dtype
        return "f" if dtype.is_floating_point else "b" if dtype == torch.bool else "i"


# -- drawing an op's arguments -----------------------------------------------------------------
NUMBERS = st.sampled_from([0, 1, 2, 3, -1, 0.5, -0.5, 2.5, -2.0])


def draw_dim(data: st.DataObject, ndim: int, extra: int = 0) -> int:
    """A dim for a tensor of ``ndim`` dims (``extra`` more for unsqueeze), out of range now and then."""
    size = max(ndim + extra, 1)
    return data.draw(st.integers(-size, size - 1) | st.integers(-size - 2, size + 1), label="dim")


def draw_index(data: st.DataObject, shape: tuple[int, ...]) -> Any:
    """A PyTorch index for ``shape``: ints, slices, None, Ellipsis, an int list, a bool mask."""
    if shape and data.draw(st.integers(0, 5), label="index kind") == 0:
        return ("mask", data.draw(hnp.arrays(np.bool_, shape), label="mask"))
    if shape and shape[0] and data.draw(st.integers(0, 4), label="index kind") == 0:
        n = shape[0]
        return ("list", data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=4), label="list"))
    parts: list[Any] = []
    for n in shape[: data.draw(st.integers(0, len(shape)), label="indexed dims")]:
        kind = data.draw(st.sampled_from(["int", "slice", "slice", "none"] if n else ["slice", "none"]), label="part")
        if kind == "int":
            parts.append(data.draw(st.integers(-n, n - 1) | st.just(n), label="int"))
        elif kind == "slice":
            start, stop = data.draw(st.integers(-n, n), label="start"), data.draw(st.integers(-n, n), label="stop")
            parts.append(slice(start, stop, data.draw(st.integers(1, 2), label="step")))
        else:
            parts.append(None)
    if data.draw(st.booleans(), label="ellipsis"):
        parts.insert(data.draw(st.integers(0, len(parts)), label="where"), Ellipsis)
    return ("basic", tuple(parts))


def draw_shape_for(data: st.DataObject, numel: int) -> tuple[int, ...]:
    """A shape of ``numel`` elements (a prime factorisation shuffled into dims), with -1 now and then."""
    factors = [p for p in (2, 3, 5, 7) for power in range(1, 9) if numel % p**power == 0] if numel else [0]
    leftover = numel // math.prod(factors) if numel else 1
    factors += [leftover] if leftover != 1 else []
    dims = [1] * data.draw(st.integers(1, 3), label="dims")
    for f in factors:
        dims[data.draw(st.integers(0, len(dims) - 1), label="dim of factor")] *= f
    if data.draw(st.integers(0, 3), label="use -1") == 0:
        dims[data.draw(st.integers(0, len(dims) - 1), label="-1 at")] = -1
    if data.draw(st.integers(0, 9), label="break it") == 0:
        dims[0] += 1
    return tuple(dims)


def draw_expand_shape(data: st.DataObject, shape: tuple[int, ...]) -> tuple[int, ...]:
    lead = tuple(data.draw(st.lists(st.integers(1, 3), max_size=2), label="new dims"))
    grown = tuple(
        data.draw(st.sampled_from([1, 2, 3, -1]), label="grow") if n == 1 else data.draw(st.sampled_from([n, -1]))
        for n in shape
    )
    return lead + grown


# -- the ops: each draws its operands and arguments and applies itself to either library ---------
@dataclass
class Op:
    name: str
    draw: Callable[[st.DataObject, list[Node]], tuple[list[int], dict[str, Any]]]
    apply: Callable[..., Any]


def pick(data: st.DataObject, nodes: list[Node], ok: Callable[[Node], bool] = lambda n: True) -> int:
    candidates = [k for k, n in enumerate(nodes) if ok(n)] or list(range(len(nodes)))
    return data.draw(st.sampled_from(candidates), label="operand")


def unary(data, nodes):
    return [pick(data, nodes, lambda n: n.kind == "f")], {}


def binary(data, nodes):
    return [pick(data, nodes), pick(data, nodes)], {}


def with_number(data, nodes):
    return [pick(data, nodes)], {"number": data.draw(NUMBERS, label="number"), "left": data.draw(st.booleans())}


def with_dim(data, nodes):
    k = pick(data, nodes, lambda n: n.kind == "f" or 0 not in n.shape)  # torch's softmax of empty ints passes
    return [k], {"dim": draw_dim(data, nodes[k].ndim), "keepdim": data.draw(st.booleans(), label="keepdim")}


def reduce_all_or_dim(data, nodes):
    k = pick(data, nodes)
    if data.draw(st.booleans(), label="all dims"):
        return [k], {}
    return [k], {"dim": draw_dim(data, nodes[k].ndim), "keepdim": data.draw(st.booleans(), label="keepdim")}


def matmul_operands(data, nodes):
    """Operands for @ (an empty one only with itself: PyTorch's batched @ of an empty tensor skips its dtype check)."""
    a = pick(data, nodes, lambda n: n.ndim >= 1)
    shape = nodes[a].shape
    fits = [
        k
        for k, n in enumerate(nodes)
        if shape and n.shape and n.shape[0 if n.ndim == 1 else -2] == shape[-1] and 0 not in shape + n.shape
    ]
    if fits and data.draw(st.integers(0, 4), label="fitting operand") > 0:
        return [a, data.draw(st.sampled_from(fits), label="b")], {"transpose": False}
    return [a, a], {"transpose": data.draw(st.booleans(), label="a @ a.mT")}


def joined(data, nodes):
    a = pick(data, nodes, lambda n: n.ndim >= 1)
    dim = draw_dim(data, nodes[a].ndim, extra=1)
    same = [k for k, n in enumerate(nodes) if n.shape == nodes[a].shape]
    others = data.draw(st.lists(st.sampled_from(same), min_size=0, max_size=2), label="more")
    return [a, *others], {"dim": dim}


def apply_pow(L, a, b=None, number=None, left=False):
    if b is not None:
        return a**b
    return number**a if left else a**number


def apply_matmul(L, a, b, transpose):
    return a @ (a.transpose(-1, -2) if transpose and a.ndim >= 2 else b)


def apply_reduce(name):
    def apply(L, a, dim=None, keepdim=False):
        if dim is None:
            return getattr(a, name)()
        result = getattr(a, name)(dim, keepdim)
        return result[0] if name in ("max", "min") else result

    return apply


def apply_index(L, a, index):
    kind, value = index
    if kind == "mask":
        return a[L.tensor(value)]
    if kind == "list":
        return a[value]
    return a[value]


IN_PLACE_EDITS = {
    "add_": lambda y, b: y.add_(b),
    "mul_": lambda y, b: y.mul_(b),
    "div_": lambda y, b: y.div_(b),
    "copy_": lambda y, b: y.copy_(b),
    "setitem": lambda y, b: y.__setitem__(Ellipsis, b),
    "pow_": lambda y, b: y.pow_(2),
    "square_": lambda y, b: y.square_(),
    "exp_": lambda y, b: y.exp_(),
    "relu_": lambda y, b: y.relu_(),
    "clamp_": lambda y, b: y.clamp_(-0.5, 1.0),
    "cumsum_": lambda y, b: y.cumsum_(-1),
    "masked_fill_": lambda y, b: y.masked_fill_(b > 0, 0.5),
}


def in_place_operands(data, nodes):
    """An integer or bool tensor is edited with integers or bools only: PyTorch gives it a grad_fn when a
    float tensor that requires grad is filled into it, and then fails on the next op (a bug of its)."""
    edit = data.draw(st.sampled_from(sorted(IN_PLACE_EDITS)), label="edit")
    a = pick(data, nodes)
    b = pick(data, nodes, lambda n: nodes[a].kind == "f" or n.kind != "f")
    return [a, b], {"edit": edit, "view": data.draw(st.booleans(), label="of a view")}


def apply_in_place(L, a, b, edit, view):
    """A copy of ``a`` edited in place (or a view of it, which rewrites it), after an op read it: that op
    must still see the values before the edit, and the edited copy carries the edit's gradient."""
    y = a.clone()
    before = y * 2
    IN_PLACE_EDITS[edit](y.reshape(-1)[::2] if view else y, b)
    return before + y


def gather_operands(data, nodes):
    k = pick(data, nodes)
    return [k], {"dim": draw_dim(data, nodes[k].ndim)}


OPS = [
    Op("+", binary, lambda L, a, b: a + b),
    Op("-", binary, lambda L, a, b: a - b),
    Op("*", binary, lambda L, a, b: a * b),
    Op("/", binary, lambda L, a, b: a / b),
    Op("**", lambda d, n: ([pick(d, n), pick(d, n, lambda x: x.kind != "b")], {}), apply_pow),
    Op("number op", with_number, lambda L, a, number, left: (number * a - a / 2) if left else (a + number) * 3),
    Op("** number", with_number, lambda L, a, number, left: apply_pow(L, a, number=number, left=left)),
    Op("@", matmul_operands, apply_matmul),
    Op("neg", lambda d, n: ([pick(d, n, lambda x: x.kind != "b")], {}), lambda L, a: -a),
    Op("exp", unary, lambda L, a: a.exp()),
    Op("log", unary, lambda L, a: a.log()),
    Op("sqrt", unary, lambda L, a: a.sqrt()),
    Op("abs", lambda d, n: ([pick(d, n, lambda x: x.kind != "b")], {}), lambda L, a: a.abs()),
    Op("tanh", unary, lambda L, a: a.tanh()),
    Op("sigmoid", unary, lambda L, a: a.sigmoid()),
    Op("relu", unary, lambda L, a: a.relu()),
    Op("softplus", unary, lambda L, a: L.nn.functional.softplus(a)),
    Op(
        "clamp",
        lambda d, n: (
            [pick(d, n, lambda x: x.kind == "f")],
            d.draw(
                st.fixed_dictionaries({"low": st.none() | NUMBERS, "high": st.none() | NUMBERS}).filter(
                    lambda b: b != {"low": None, "high": None}
                ),
                label="bounds",
            ),
        ),
        lambda L, a, low, high: a.clamp(low, high),
    ),
    Op("maximum", binary, lambda L, a, b: L.maximum(a, b)),
    Op("minimum", binary, lambda L, a, b: L.minimum(a, b)),
    Op(
        "where",
        lambda d, n: ([pick(d, n), pick(d, n), pick(d, n)], {}),
        lambda L, c, a, b: L.where(c > 0, a, b),
    ),
    Op("sum", reduce_all_or_dim, apply_reduce("sum")),
    Op("mean", reduce_all_or_dim, apply_reduce("mean")),
    Op("max", reduce_all_or_dim, apply_reduce("max")),
    Op("min", reduce_all_or_dim, apply_reduce("min")),
    Op("softmax", with_dim, lambda L, a, dim, keepdim: a.softmax(dim)),
    Op("log_softmax", with_dim, lambda L, a, dim, keepdim: a.log_softmax(dim)),
    Op(
        "reshape",
        lambda d, n: (lambda k: ([k], {"shape": draw_shape_for(d, math.prod(n[k].shape))}))(pick(d, n)),
        lambda L, a, shape: a.reshape(shape),
    ),
    Op(
        "permute",
        lambda d, n: (lambda k: ([k], {"dims": d.draw(st.permutations(range(n[k].ndim)), label="dims")}))(pick(d, n)),
        lambda L, a, dims: a.permute(tuple(dims)),
    ),
    Op(
        "transpose",
        lambda d, n: (lambda k: ([k], {"dims": (draw_dim(d, n[k].ndim), draw_dim(d, n[k].ndim))}))(pick(d, n)),
        lambda L, a, dims: a.transpose(*dims),
    ),
    Op(
        "expand",
        lambda d, n: (lambda k: ([k], {"shape": draw_expand_shape(d, n[k].shape)}))(pick(d, n)),
        lambda L, a, shape: a.expand(shape),
    ),
    Op(
        "unsqueeze",
        lambda d, n: (lambda k: ([k], {"dim": draw_dim(d, n[k].ndim, extra=1)}))(pick(d, n)),
        lambda L, a, dim: a.unsqueeze(dim),
    ),
    Op(
        "squeeze",
        lambda d, n: (lambda k: ([k], {"dim": d.draw(st.none() | st.just(draw_dim(d, n[k].ndim)))}))(pick(d, n)),
        lambda L, a, dim: a.squeeze() if dim is None else a.squeeze(dim),
    ),
    Op(
        "getitem",
        lambda d, n: (lambda k: ([k], {"index": draw_index(d, n[k].shape)}))(pick(d, n)),
        apply_index,
    ),
    Op("cat", joined, lambda L, *tensors, dim: L.cat(tensors, dim)),
    Op("stack", joined, lambda L, *tensors, dim: L.stack(tensors, dim)),
    Op("sin", unary, lambda L, a: a.sin()),
    Op("square", binary, lambda L, a, b: a.square()),
    Op("amax", reduce_all_or_dim, apply_reduce("amax")),
    Op("amin", reduce_all_or_dim, apply_reduce("amin")),
    Op("prod", reduce_all_or_dim, apply_reduce("prod")),
    Op("cumsum", with_dim, lambda L, a, dim, keepdim: a.cumsum(dim)),
    Op("cumprod", with_dim, lambda L, a, dim, keepdim: a.cumprod(dim)),
    Op("masked_fill", binary, lambda L, a, b: a.masked_fill(b > 0, -1.5)),
    Op("gather", gather_operands, lambda L, a, dim: a.gather(dim, (a > 0).long())),
    Op("in place", in_place_operands, apply_in_place),
]
OP_NAMES = [op.name for op in OPS]


# -- running a program ------------------------------------------------------------------------------
def draw_leaves(data: st.DataObject) -> list[Node]:
    shapes = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=data.draw(st.integers(1, 3)), max_dims=3, max_side=3),
        label="leaf shapes",
    ).input_shapes
    leaves = []
    for shape in shapes:
        # float64, int64 or bool. No float32 leaf: numpy's and PyTorch's float32 tanh, exp... differ by an ulp at
        # times, which a singularity (0 ** b at b = 1) or a cancellation (1 - tanh^2 near 1) makes any size.
        kind = data.draw(st.sampled_from("fffffib"), label="leaf dtype")
        # multiples of 1/1000: no tiny numbers whose cancellations leave only rounding noise to compare
        values = st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0]) | st.integers(-3000, 3000).map(lambda n: n / 1000)
        if kind == "f":
            array = data.draw(hnp.arrays(np.float64, shape, elements=values), label="values")
        elif kind == "i":
            array = data.draw(hnp.arrays(np.int64, shape, elements=st.integers(-3, 3)), label="values")
        else:
            array = data.draw(hnp.arrays(np.bool_, shape), label="values")
        leaves.append(
            Node(tuple(L.tensor(array.copy(), requires_grad=kind == "f") for L in LIBRARIES))  # type: ignore[arg-type]
        )
    return leaves


def outcome(L: Any, op: Op, operands: list[Any], params: dict[str, Any]) -> tuple[Any, Exception | None]:
    try:
        return op.apply(L, *operands, **params), None
    except Exception as error:  # noqa: BLE001 - which class was raised is compared
        return None, error


def assert_same_values(ours: Any, theirs: Any, what: str, single: bool = False) -> None:
    """Same shape, dtype and values; float32 (``single``: float32 took part) to float32's precision,
    as sums run in another order, PyTorch sums a promoted gradient after casting it, and numpy's
    float32 exp is an ulp off at times."""
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: shape {tuple(ours.shape)} != torch's {theirs.shape}"
    assert dtype_name(ours) == dtype_name(theirs), f"{what}: dtype {ours.dtype} != torch's {theirs.dtype}"
    single = single or dtype_name(theirs) == "float32"
    np.testing.assert_allclose(
        as_numpy(ours).astype(np.float64),
        as_numpy(theirs).astype(np.float64),
        rtol=1e-5 if single else 1e-9,
        atol=1e-6 if single else 1e-12,
        equal_nan=True,
        err_msg=what,
    )


def backward_error(out: Any, upstream: Any) -> Exception | None:
    try:
        out.backward(upstream)
    except Exception as error:  # noqa: BLE001 - which class was raised is compared
        return error
    return None


def run_program(data: st.DataObject, ops: list[Op]) -> list[str]:
    """Draw and run a program on both libraries, asserting they agree; returns its listing."""
    nodes = draw_leaves(data)
    single = any(node.pair[0].dtype == torch.float32 for node in nodes)
    listing = [f"leaf {k}: {n.pair[0]!r}" for k, n in enumerate(nodes)]
    for _ in range(data.draw(st.integers(1, 8), label="ops")):
        op = data.draw(st.sampled_from(ops), label="op")
        args, params = op.draw(data, nodes)
        listing.append(f"node {len(nodes)} = {op.name}({', '.join(f'node {k}' for k in args)}, {params})")
        results = [outcome(L, op, [nodes[k].pair[i] for k in args], params) for i, L in enumerate(LIBRARIES)]
        (theirs, their_error), (ours, our_error) = results
        if their_error or our_error:
            assert type(our_error).__name__ == type(their_error).__name__, (
                f"{listing[-1]}: torch raised {their_error!r}, ours {our_error!r}\n" + "\n".join(listing)
            )
            return listing
        assert_same_values(ours, theirs, "\n".join(listing), single)
        nodes.append(Node((theirs, ours)))
        single = single or theirs.dtype == torch.float32
    out = nodes[-1]
    if out.kind != "f" or not out.pair[0].requires_grad:
        return listing
    upstream = random_like(out.shape, data.draw(st.integers(0, 1000), label="upstream seed"))
    errors = [backward_error(out.pair[0], torch.from_numpy(upstream)), backward_error(out.pair[1], upstream)]
    assert type(errors[1]).__name__ == type(errors[0]).__name__, (
        f"backward: torch raised {errors[0]!r}, ours {errors[1]!r}\n" + "\n".join(listing)
    )
    if errors[0]:
        return listing
    for k, node in enumerate(nodes):
        theirs, ours = node.pair
        if theirs.is_leaf and theirs.requires_grad:
            what = f"grad of leaf {k}\n" + "\n".join(listing)
            assert (ours.grad is None) == (theirs.grad is None), what
            if theirs.grad is not None:
                assert_same_values(autograd.tensor(ours.grad), theirs.grad, what, single)
    return listing


SEARCH = int(os.environ.get("FUZZ_EXAMPLES", 0))  # FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py: a fresh search


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy warns of inf - inf and 0 * inf, torch does not
@settings(
    max_examples=SEARCH or 1000,
    derandomize=not SEARCH,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_random_programs_agree_with_pytorch(data):
    """The same thousand programs each run (derandomized: a run never fails by luck); with
    FUZZ_EXAMPLES set, that many new random ones."""
    run_program(data, OPS)


# -- what the fuzzer found: programs that disagreed with PyTorch, and neighbours that guard each fix ----
INF, NAN = math.inf, math.nan


def gradients(make: Callable[..., Any], *inputs: Any, upstream: Any = None) -> Callable[[Any, list], list]:
    """A program: ``make(L, *leaves)``, then backward of ``upstream`` (ones by default); gives the output
    and every leaf's gradient."""

    def program(L: Any, stage: list[str]) -> list[Any]:
        leaves = [f64(L, x, requires_grad=True) for x in inputs]
        out = make(L, *leaves)
        stage[0] = "backward"
        seed = np.ones(tuple(out.shape)) if upstream is None else np.broadcast_to(upstream, tuple(out.shape))
        out.backward(L.tensor(seed, dtype=L.float64))
        return [out, *(x.grad for x in leaves)]

    return program


def forward(make: Callable[[Any], Any]) -> Callable[[Any, list], list]:
    return lambda L, stage: [make(L)]


FOUND = {
    # a mask multiplied into an infinite upstream gradient made NaN where PyTorch gives 0
    "relu, infinite upstream": gradients(lambda L, x: x.relu(), [-1.0, 2.0], upstream=INF),
    "clamp, infinite upstream": gradients(lambda L, x: x.clamp(0, 1), [-1.0, 0.5], upstream=INF),
    "maximum, infinite upstream": gradients(lambda L, x, y: L.maximum(x, y), [-1.0, 2.0], [0.0, 0.0], upstream=INF),
    "minimum, infinite upstream": gradients(lambda L, x, y: L.minimum(x, y), [-1.0, 2.0], [0.0, 0.0], upstream=INF),
    "max, infinite upstream": gradients(lambda L, x: x.max(), [-1.0, 2.0], upstream=INF),
    "max(dim), infinite upstream": gradients(lambda L, x: x.max(1)[0], [[-1.0, 2.0]], upstream=INF),
    # PyTorch's NaN conventions
    "max of a NaN": gradients(lambda L, x: x.max(), [NAN, 2.0, NAN]),
    "maximum with NaNs": gradients(lambda L, x, y: L.maximum(x, y), [NAN, 2.0, 1.0], [0.0, NAN, 1.0]),
    "minimum with NaNs": gradients(lambda L, x, y: L.minimum(x, y), [NAN, 2.0, 1.0], [0.0, NAN, 1.0]),
    "relu of NaN": gradients(lambda L, x: x.relu(), [NAN, -1.0, 0.0, 2.0]),
    "abs of NaN": gradients(lambda L, x: x.log().abs(), [-1.0, 0.5]),
    # PyTorch's order of operations in the gradient of a / b: the two terms cancel to its rounding
    "x / |x| of a tiny x": gradients(lambda L, x: x / x.abs(), 1.1725e-152),
    "softmax along an empty dim": gradients(lambda L, x: x[:, :0].softmax(1), [[1.0, 2.0]]),
    "log_softmax along an empty dim": gradients(lambda L, x: x[:0].log_softmax(0), [1.0, 2.0]),
    # ties keep the first argument, as in PyTorch, so the sign of a zero survives (1 / -0.0 is -inf)
    "relu of -0.0": forward(lambda L: 1 / f64(L, [-0.0, 0.0]).relu()),
    "clamp at -0.0": forward(lambda L: 1 / f64(L, [-0.0, 0.0]).clamp(0.0, 0.0)),
    "maximum of zeros": forward(lambda L: 1 / L.maximum(f64(L, [-0.0, 0.0]), f64(L, [0.0, -0.0]))),
    "minimum of zeros": forward(lambda L: 1 / L.minimum(f64(L, [-0.0, 0.0]), f64(L, [0.0, -0.0]))),
    # integer and bool dtypes, as PyTorch takes them or refuses them
    "int ** negative int tensor": forward(lambda L: L.tensor([-2, -1, 0, 1, 2]) ** L.tensor([-2, -3, -1, -1, 3])),
    "number ** negative int tensor": forward(lambda L: -(1 ** L.tensor([-2, 0, 3])) + 2 ** L.tensor([-2, 0, 3])),
    "int ** negative number": forward(lambda L: L.tensor([2, 3]) ** -1),
    "bool ** bool": forward(lambda L: L.tensor([True]) ** L.tensor([False])),
    "bool ** int number": forward(lambda L: L.tensor([True, False]) ** 2),
    "bool - bool": forward(lambda L: L.tensor([True]) - L.tensor([False])),
    "float - bool": forward(lambda L: L.tensor([1.0]) - L.tensor([True])),
    "number - bool": forward(lambda L: 1 - L.tensor([True])),
    "softmax of ints": forward(lambda L: L.tensor([1, 2]).softmax(0)),
    "log_softmax of bools": forward(lambda L: L.tensor([True]).log_softmax(0)),
    "softplus of ints": forward(lambda L: L.nn.functional.softplus(L.tensor([1, 2]))),
    "softmax of ints along a missing dim": forward(lambda L: L.tensor([1, 2]).softmax(3)),
    "abs of bools": forward(lambda L: L.tensor([True]).abs()),
    "relu of bools": forward(lambda L: L.tensor([True]).relu()),
    "int @ float": forward(lambda L: L.tensor([[1, 2]]) @ f64(L, [[1.0], [2.0]])),
    "float32 @ float64": forward(lambda L: L.ones(1, 2) @ L.ones(2, 1, dtype=L.float64)),
    "bool @ bool": forward(lambda L: L.tensor([[True]]) @ L.tensor([[False]])),
    "bool @ float, batched": forward(lambda L: L.tensor([[True]]) @ L.ones(2, 1, 1, dtype=L.float64)),
    "bool vector @ float batch": forward(lambda L: L.tensor([True]) @ L.ones(2, 1, 1, dtype=L.float64)),
    "shapes before dtypes in @": forward(lambda L: L.tensor([[True, False]]) @ L.tensor([[True, False]])),
    "clamp of ints with float bounds": forward(lambda L: L.tensor([1, 5]).clamp(2.5, 3)),
    "clamp of ints with int bounds": forward(lambda L: L.tensor([1, 5]).clamp(2, 3)),
    "clamp of bools": forward(lambda L: L.tensor([True, False]).clamp(0.5)),
    "max along an empty dim": forward(lambda L: L.zeros(2, 0).max(1)),
    "argmin along an empty dim": forward(lambda L: L.zeros(2, 0).argmin(1)),
    "max along a full dim of an empty tensor": forward(lambda L: L.zeros(2, 0).max(0)[0]),
    # PyTorch's legacy rule: cat skips a 1-d empty tensor, whatever the others' dims
    "cat with a 1-d empty tensor": gradients(lambda L, x, y: L.cat([x, y, x], 1), [], [[1.0, 2.0]]),
    "cat of a lone 1-d empty tensor": gradients(lambda L, x: L.cat([x], 1), []),
    # an in-place edit outside the graph raises as the recorded one does
    "copy_ of a source that does not broadcast": forward(lambda L: L.tensor([0, 1]).copy_(L.tensor([[1, 2, 3]]))),
    # in-place running sums: in the tensor's own dtype (int8 wraps around); of bools not implemented
    "int8 cumsum_": forward(lambda L: L.tensor([100, 100], dtype=L.int8).cumsum_(0)),
    "bool cumsum_": forward(lambda L: L.tensor([True, False]).cumsum_(0)),
    "int8 cumsum in int8": forward(lambda L: L.tensor([100, 100], dtype=L.int8).cumsum(0, dtype=L.int8)),
    "cumsum in bool": forward(lambda L: L.tensor([1, 2]).cumsum(0, dtype=L.bool)),
    # products: PyTorch's gradients where there are zeros, 0 * inf giving NaN where it does and 0 where it doesn't
    "prod with zeros, infinite upstream": gradients(lambda L, x: x.prod(0), [[0.0, 1.0], [0.0, 2.0]], upstream=INF),
    "prod of all with two zeros": gradients(lambda L, x: x.prod(), [0.0, 3.0, 0.0], upstream=INF),
    "cumprod along a dim of one, of -inf": gradients(lambda L, x: x.cumprod(1), [[-INF], [2.0]]),
    "cumprod with zeros, infinite upstream": gradients(lambda L, x: x.cumprod(0).log(), [[1.0, 0.0], [0.0, 3.0]]),
}


@pytest.mark.parametrize("name", FOUND)
def test_what_the_fuzzer_found(name):
    assert_same_outcome(FOUND[name], rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    "make",
    [lambda x: x.relu(), lambda x: x.clamp(0.0, 1.0), lambda x: x.clamp(max=-1.0), lambda x: x.clamp(min=2.0)],
)
@pytest.mark.parametrize("x", [NAN, -2.0, -0.0, 0.0, 0.5, 3.0])
def test_value_relu_and_clamp_as_pytorch_on_nan_and_at_the_edges(make, x):
    ours, theirs = autograd.Value(x), torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out, ref = make(ours), make(theirs)
    out.backward()
    ref.backward()
    np.testing.assert_array_equal([out.data, ours.grad], [ref.item(), theirs.grad.item()])
    assert math.copysign(1, out.data) == math.copysign(1, ref.item())  # the sign of a zero too
