"""autograd.Value: every op's value and gradient against torch float64 and central differences,
PyTorch's numerics at the edges, random expression DAGs, graph attributes and deep graphs."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from nn import optim
from tests.helpers import assert_close, to_torch


def reals(low=-5.0, high=5.0):
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


NONZERO = reals(0.1, 5.0).flatmap(lambda x: st.sampled_from([x, -x]))
POSITIVE = reals(0.1, 5.0)
AWAY_FROM_KINK = reals().filter(lambda x: abs(x) > 1e-3)

# name -> (function written once for both engines, strategy for each argument)
OPS = {
    "a + b": (lambda a, b: a + b, (reals(), reals())),
    "a + 2": (lambda a: a + 2, (reals(),)),
    "2.5 + a": (lambda a: 2.5 + a, (reals(),)),
    "a - b": (lambda a, b: a - b, (reals(), reals())),
    "a - 1.5": (lambda a: a - 1.5, (reals(),)),
    "1.5 - a": (lambda a: 1.5 - a, (reals(),)),
    "a * b": (lambda a, b: a * b, (reals(), reals())),
    "a * -3": (lambda a: a * -3, (reals(),)),
    "0.5 * a": (lambda a: 0.5 * a, (reals(),)),
    "a / b": (lambda a, b: a / b, (reals(), NONZERO)),
    "a / 4": (lambda a: a / 4, (reals(),)),
    "4.0 / a": (lambda a: 4.0 / a, (NONZERO,)),
    "a ** 2": (lambda a: a**2, (reals(),)),
    "a ** 3": (lambda a: a**3, (reals(),)),
    "a ** -2": (lambda a: a**-2, (NONZERO,)),
    "a ** 0.5": (lambda a: a**0.5, (POSITIVE,)),
    "a ** -1.5": (lambda a: a**-1.5, (POSITIVE,)),
    "-a": (lambda a: -a, (reals(),)),
    "exp": (lambda a: a.exp(), (reals(),)),
    "log": (lambda a: a.log(), (POSITIVE,)),
    "tanh": (lambda a: a.tanh(), (reals(),)),
    "sigmoid": (lambda a: a.sigmoid(), (reals(-30, 30),)),
    "relu": (lambda a: a.relu(), (AWAY_FROM_KINK,)),
}


def ours_and_torch(fn, *xs):
    """fn on Value leaves and on torch float64 leaves, after backward: (ours, [grads]), (theirs, [grads])."""
    ours = [Value(x) for x in xs]
    theirs = [to_torch(x) for x in xs]
    out, out_t = fn(*ours), fn(*theirs)
    out.backward()
    out_t.backward()
    return (out.data, [v.grad for v in ours]), (out_t.item(), [t.grad.item() for t in theirs])


def central_difference(fn, xs, i, eps=1e-6):
    """d fn / d xs[i] estimated from our engine's forward pass alone."""

    def at(shift):
        args = [Value(x + shift * (k == i)) for k, x in enumerate(xs)]
        return fn(*args).data

    return (at(eps) - at(-eps)) / (2 * eps)


@pytest.mark.parametrize("name", OPS)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_op_matches_torch_and_finite_differences(name, data):
    fn, strategies = OPS[name]
    xs = [data.draw(s) for s in strategies]
    (out, grads), (out_t, grads_t) = ours_and_torch(fn, *xs)
    assert_close(out, out_t)
    assert_close(grads, grads_t)
    numeric = [central_difference(fn, xs, i) for i in range(len(xs))]
    assert_close(grads, numeric, rtol=1e-5, atol=1e-6)


EDGES = [
    ("exp overflows to inf", lambda a: a.exp(), 1000.0),
    ("exp underflows to 0", lambda a: a.exp(), -1000.0),
    ("log(0) is -inf", lambda a: a.log(), 0.0),
    ("log(-1) is nan", lambda a: a.log(), -1.0),
    ("0 ** -1 is inf", lambda a: a**-1, 0.0),
    ("-0.0 ** -1 is -inf", lambda a: a**-1, -0.0),
    ("0 ** -2 is inf", lambda a: a**-2, 0.0),
    ("0 ** 0.5 has an infinite slope", lambda a: a**0.5, 0.0),
    ("0 ** 0 is 1 with slope 0", lambda a: a**0, 0.0),
    ("(-8) ** (1/3) is nan", lambda a: a ** (1 / 3), -8.0),
    ("negative base, integer exponent", lambda a: a**3.0, -2.0),
    ("negative base, negative integer exponent", lambda a: a**-1, -2.0),
    ("pow overflows to inf", lambda a: a**2, 1e200),
    ("odd pow overflows to -inf", lambda a: a**3, -1e200),
    ("product overflows", lambda a: a * a, 1e200),
    ("1 / 0 is inf", lambda a: 1 / a, 0.0),
    ("-1 / 0 is -inf", lambda a: -1 / a, 0.0),
    ("1 / -0.0 is -inf", lambda a: 1 / a, -0.0),
    ("0 / 0 is nan", lambda a: 0 / a, 0.0),
    ("x / 0 is inf", lambda a: a / 0, 1.0),
    ("x / 0 at x = 0 is nan", lambda a: a / 0, 0.0),
    ("sigmoid(1000) is 1", lambda a: a.sigmoid(), 1000.0),
    ("sigmoid(-1000) is 0", lambda a: a.sigmoid(), -1000.0),
    ("tanh(1000) is 1", lambda a: a.tanh(), 1000.0),
    ("tanh(-1000) is -1", lambda a: a.tanh(), -1000.0),
    ("relu'(0) is 0", lambda a: a.relu(), 0.0),
    ("relu(-0.0)", lambda a: a.relu(), -0.0),
]


@pytest.mark.parametrize(("case", "fn", "x"), EDGES, ids=[e[0] for e in EDGES])
def test_edge_numerics_match_torch_without_exceptions(case, fn, x):
    (out, grads), (out_t, grads_t) = ours_and_torch(fn, x)
    assert_close(out, out_t, rtol=0, atol=0)
    assert_close(grads, grads_t, rtol=0, atol=0)


def test_value_over_value_division_by_zero_matches_torch():
    for a, b in [(1.0, 0.0), (-2.0, 0.0), (0.0, 0.0), (3.0, -0.0)]:
        (out, grads), (out_t, grads_t) = ours_and_torch(lambda p, q: p / q, a, b)
        assert_close(out, out_t, rtol=0, atol=0)
        assert_close(grads, grads_t, rtol=0, atol=0)


@pytest.mark.parametrize("x", [1000.0, -1000.0, 1e308, -1e308])
def test_sigmoid_saturates_exactly(x):
    assert Value(x).sigmoid().data == (1.0 if x > 0 else 0.0)


# -- random expression DAGs ------------------------------------------------------------------
# Domains are kept safe inside the ops (log of a*a + 1, division by b*b + 1) so both engines
# stay finite and any disagreement is a real one.
UNARY = [
    lambda a: -a,
    lambda a: a.tanh(),
    lambda a: a.sigmoid(),
    lambda a: a.relu(),
    lambda a: a.tanh().exp(),
    lambda a: (a * a + 1).log(),
    lambda a: a**2,
    lambda a: (a * a + 0.5) ** -0.5,
    lambda a: 1.5 - a,
    lambda a: 0.5 * a,
    lambda a: 2 / (a * a + 1),
]
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (b * b + 1),
    lambda a, b: (a - b).tanh() * b,
]
STEP = st.tuples(st.integers(0, len(UNARY) + len(BINARY) - 1), st.integers(0, 10**6), st.integers(0, 10**6))


def run_program(leaves, program):
    """Apply each (op, i, j) step to earlier nodes (indices taken modulo the node count); return the
    sum of every node, so each intermediate node feeds several consumers."""
    nodes = list(leaves)
    for op, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(UNARY[op](a) if op < len(UNARY) else BINARY[op - len(UNARY)](a, b))
    total = nodes[0]
    for node in nodes[1:]:
        total = total + node
    return total


@settings(max_examples=150, deadline=None)
@given(leaves=st.lists(reals(-2, 2), min_size=1, max_size=4), program=st.lists(STEP, min_size=1, max_size=15))
def test_random_expression_dag_matches_torch(leaves, program):
    ours = [Value(x) for x in leaves]
    theirs = [to_torch(x) for x in leaves]
    out, out_t = run_program(ours, program), run_program(theirs, program)
    out_t.backward()
    grads_t = [t.grad.item() for t in theirs]
    assume(math.isfinite(out_t.item()) and all(map(math.isfinite, grads_t)))
    out.backward()
    assert_close(out.data, out_t.item(), rtol=1e-9)
    assert_close([v.grad for v in ours], grads_t, rtol=1e-9, atol=1e-12)


# -- attributes --------------------------------------------------------------------------
def test_leaf_attributes():
    x = Value(3, label="x")
    assert (x.data, x.grad, x.label, x.op, x.inputs) == (3.0, 0.0, "x", "", ())
    assert type(x.data) is float and type(x.grad) is float
    assert Value(1.0).label == ""
    x.label = "renamed"
    assert x.label == "renamed"


@pytest.mark.parametrize(
    ("fn", "op"),
    [
        (lambda a, b: a + b, "+"),
        (lambda a, b: a - b, "-"),
        (lambda a, b: a * b, "*"),
        (lambda a, b: a / b, "/"),
    ],
)
def test_binary_op_records_op_and_inputs(fn, op):
    a, b = Value(2.0), Value(5.0)
    out = fn(a, b)
    assert out.op == op
    assert len(out.inputs) == 2 and out.inputs[0] is a and out.inputs[1] is b
    assert out.label == "" and out.grad == 0.0


@pytest.mark.parametrize(
    ("fn", "op"),
    [
        (lambda a: -a, "neg"),
        (lambda a: a.exp(), "exp"),
        (lambda a: a.log(), "log"),
        (lambda a: a.tanh(), "tanh"),
        (lambda a: a.sigmoid(), "sigmoid"),
        (lambda a: a.relu(), "relu"),
    ],
)
def test_unary_op_records_op_and_input(fn, op):
    a = Value(2.0)
    out = fn(a)
    assert out.op == op
    assert len(out.inputs) == 1 and out.inputs[0] is a


def test_numbers_on_either_side_become_constant_inputs():
    a = Value(2.0)
    left, right = 3 - a, a - 3
    assert left.inputs[1] is a and left.inputs[0].data == 3.0
    assert right.inputs[0] is a and right.inputs[1].data == 3.0
    power = a**3
    assert power.op == "**" and power.inputs[0] is a


def test_value_exponent_is_a_type_error():
    with pytest.raises(TypeError):
        Value(2.0) ** Value(3.0)


# -- backward -------------------------------------------------------------------------------
def test_million_node_chain_backward():
    """Iterative backward: no RecursionError, and the shared constant gathers a million contributions."""
    n, c = 1_000_000, Value(1.0000001)
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = y * c
    y.backward()
    assert math.isclose(y.data, 0.5 * c.data**n, rel_tol=1e-8)
    assert math.isclose(x.grad, c.data**n, rel_tol=1e-8)
    assert math.isclose(c.grad, n * 0.5 * c.data ** (n - 1), rel_tol=1e-8)


def test_node_used_twice_gets_both_contributions():
    x = Value(1.5)
    y = x * x + x  # x reaches y three times
    y.backward()
    x_t = to_torch(1.5)
    (x_t * x_t + x_t).backward()
    assert x.grad == pytest.approx(x_t.grad.item(), rel=1e-15)


def shared_intermediate(x):
    """A leaf reaching the output through one intermediate node used twice."""
    h = x.tanh()
    return h, h * h + 3 * h


def test_backward_twice_accumulates_like_torch_retain_graph():
    x = Value(0.7)
    h, out = shared_intermediate(x)
    x_t = to_torch(0.7)
    h_t, out_t = shared_intermediate(x_t)
    h_t.retain_grad()
    out.backward()
    out_t.backward(retain_graph=True)
    once, h_once = x.grad, h.grad
    assert once == pytest.approx(x_t.grad.item(), rel=1e-14)
    assert h_once == pytest.approx(h_t.grad.item(), rel=1e-14)
    out.backward()
    out_t.backward()
    assert x.grad == pytest.approx(x_t.grad.item(), rel=1e-14)
    assert x.grad == pytest.approx(2 * once, rel=1e-14)
    assert h.grad == h_once, "an intermediate grad is recomputed on each call, not summed into the leaf twice"
    assert out.grad == 1.0


def test_module_and_optimizer_zero_grad_reset_values():
    model = nn.MLP(3, [4, 1])
    loss = (model([Value(0.5), Value(-1.0), Value(2.0)]) - 1) ** 2  # the output bias always gets a grad
    for zero_grad in (model.zero_grad, optim.SGD(model.parameters(), lr=0.1).zero_grad):
        loss.backward()
        assert any(p.grad != 0.0 for p in model.parameters())
        zero_grad()
        assert all(p.grad == 0.0 and type(p.grad) is float for p in model.parameters())
