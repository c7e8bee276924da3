"""autograd.trace_backward / trace_forward / record_forward: the trace is the real backward pass.

Random Value and Tensor graphs (with nodes used more than once) are built twice from one recipe:
one copy is traced, the other runs ``backward()``; they must leave the same gradients, every step's
contributions must add up to each gradient, and every local derivative must match central differences.
"""

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value, capture, trace_backward, trace_forward
from autograd.trace import derivative, number

# Each op: (function of its inputs, arity, condition on the inputs' data that keeps it smooth and finite).
VALUE_OPS = {
    "add": (lambda a, b: a + b, 2, lambda a, b: True),
    "sub": (lambda a, b: a - b, 2, lambda a, b: True),
    "mul": (lambda a, b: a * b, 2, lambda a, b: True),
    "div": (lambda a, b: a / b, 2, lambda a, b: abs(b) > 0.3),
    "square": (lambda a: a**2, 1, lambda a: True),
    "cube": (lambda a: a**3, 1, lambda a: True),
    "neg": (lambda a: -a, 1, lambda a: True),
    "tanh": (lambda a: a.tanh(), 1, lambda a: True),
    "sigmoid": (lambda a: a.sigmoid(), 1, lambda a: True),
    "exp": (lambda a: a.exp(), 1, lambda a: abs(a) < 3),
    "log": (lambda a: a.log(), 1, lambda a: a > 0.2),
    "relu": (lambda a: a.relu(), 1, lambda a: abs(a) > 1e-3),
}
TENSOR_OPS = {
    "add": (lambda a, b: a + b, 2, lambda a, b: True),
    "sub": (lambda a, b: a - b, 2, lambda a, b: True),
    "mul": (lambda a, b: a * b, 2, lambda a, b: True),
    "tanh": (lambda a: a.tanh(), 1, lambda a: True),
    "sigmoid": (lambda a: a.sigmoid(), 1, lambda a: True),
    "exp": (lambda a: a.exp(), 1, lambda a: np.abs(a).max() < 3),
    "sum0": (lambda a: a.sum(0, keepdim=True), 1, lambda a: a.ndim == 2),
    "square": (lambda a: a**2, 1, lambda a: True),
}


@st.composite
def recipes(draw, ops, leaf_values):
    """Leaves, then ops whose operands are drawn from everything made so far (so nodes get reused)."""
    leaves = draw(st.lists(leaf_values, min_size=1, max_size=4))
    steps = []
    for _ in range(draw(st.integers(1, 10))):
        name = draw(st.sampled_from(sorted(ops)))
        size = len(leaves) + len(steps)
        operands = [draw(st.integers(0, size - 1)) for _ in range(ops[name][1])]
        steps.append((name, operands))
    return leaves, steps


def build(recipe, ops, make_leaf):
    """The pool of nodes the recipe makes, and for each op's result (function, inputs); ops whose
    condition fails (a kink, a pole) are skipped so that central differences apply."""
    leaves, steps = recipe
    pool = [make_leaf(v) for v in leaves]
    made = {}
    for name, operands in steps:
        fn, _, ok = ops[name]
        inputs = [pool[i % len(pool)] for i in operands]  # skipped ops leave the pool shorter
        if ok(*(x.data for x in inputs)):
            out = fn(*inputs)
            assert all(x.is_leaf or any(x is y for y in inputs) for x in out.inputs), (
                f"{name}: one node from its inputs"
            )
            made[out] = (fn, inputs)
            pool.append(out)
    return pool, made


def value_graph(recipe):
    pool, made = build(recipe, VALUE_OPS, Value)
    return pool, made, pool[-1]


def tensor_graph(recipe):
    pool, made = build(recipe, TENSOR_OPS, lambda v: autograd.tensor(v, requires_grad=True))
    constant = autograd.tensor(np.full((2, 3), 0.5))  # no gradient flows to it
    root = (pool[-1] * constant).sum()
    return pool, made, root


def check_trace(trace, root, pool, copy, grads_of):
    """The properties every trace has, against ``copy``: the same graph after ``backward()``."""
    steps = trace.steps
    ran = [s.node for s in steps]
    assert len(ran) == len(set(ran)), "a node's rule ran twice"
    order = {node: k for k, node in enumerate(ran)}
    for s in steps:
        for c in s.inputs:
            assert c.input not in order or order[c.input] > order[s.node], "a producer ran before its consumer"
    forward = [c.node for c in trace.forward]
    assert len(forward) == len(set(forward)) and forward[-1] is root
    seen = set()
    for node in forward:
        assert set(node.inputs) <= seen, "a value is listed before its inputs"
        seen.add(node)
    for node, twin in zip(pool, copy):
        if node not in trace.index:
            continue
        expected = grads_of(twin)
        if expected is None:
            assert trace.grad(node) is None
            continue
        np.testing.assert_array_equal(trace.grad(node), expected)  # the same pass: the same floats
        np.testing.assert_array_equal(grads_of(node), expected)
        added = [c.added for _, c in trace.consumers(node) if c.added is not None]
        if node is not root and node.requires_grad:
            assert added, "a node with a gradient got no contribution"
            np.testing.assert_allclose(sum(added), expected, rtol=1e-12, atol=1e-15)
            assert trace.consumers(node)[0][1].before is None  # the first contribution starts the sum


def central_difference(fn, datas, k, make, eps=1e-6):
    """d fn / d input k by central differences, the other inputs held (a node used twice stays put)."""

    def at(shift):
        args = [make(d + shift if j == k else d) for j, d in enumerate(datas)]
        return fn(*args).data

    return (at(eps) - at(-eps)) / (2 * eps)


def vjp_by_differences(fn, datas, k, upstream, eps=1e-6):
    """d <upstream, fn(inputs)> / d input k by central differences, one element at a time."""
    slopes = np.zeros_like(datas[k])
    for index in np.ndindex(*datas[k].shape):

        def at(shift, index=index):
            args = [d.copy() for d in datas]
            args[k][index] += shift
            return float((fn(*map(autograd.tensor, args)).data * upstream).sum())

        slopes[index] = (at(eps) - at(-eps)) / (2 * eps)
    return slopes


@settings(max_examples=60, deadline=None)
@given(recipes(VALUE_OPS, st.floats(-2, 2, allow_nan=False).filter(lambda v: abs(v) > 0.05)))
def test_value_trace_is_the_backward_pass(recipe):
    pool, made, root = value_graph(recipe)
    copy, _, copy_root = value_graph(recipe)
    trace = trace_backward(root)
    copy_root.backward()
    check_trace(trace, root, pool, copy, lambda v: v.grad)
    for s in trace.steps:
        assert s.upstream == trace.grad(s.node)
        fn, inputs = made.get(s.node, (None, None))
        for c in s.inputs:
            if c.local is None:
                assert c.added is None  # the exponent of ** gets no gradient
                continue
            assert c.added == pytest.approx(s.upstream * c.local, rel=1e-12, abs=1e-300)
            if fn is not None:
                slope = central_difference(fn, [x.data for x in inputs], c.position, Value)
                assert c.local == pytest.approx(slope, rel=1e-5, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    recipes(
        TENSOR_OPS,
        st.sampled_from([(2, 3), (1, 3), (3,)]).flatmap(
            lambda shape: st.builds(
                lambda seed: np.random.default_rng(seed).uniform(-1.5, 1.5, shape), st.integers(0, 999)
            )
        ),
    )
)
def test_tensor_trace_is_the_backward_pass(recipe):
    pool, made, root = tensor_graph(recipe)
    copy, _, copy_root = tensor_graph(recipe)
    for t in pool + copy:
        t.retain_grad()
    trace = trace_backward(root)
    copy_root.backward()
    check_trace(trace, root, pool, copy, lambda t: t.grad)
    for s in trace.steps:
        fn, inputs = made.get(s.node, (None, None))
        for c in s.inputs:
            assert c.local is None  # a Tensor step shows the vector-Jacobian product instead
            if fn is None or c.added is None:
                continue
            assert c.added.shape == c.input.shape
            vjp = vjp_by_differences(fn, [x.data for x in inputs], c.position, s.upstream)
            np.testing.assert_allclose(c.added, vjp, rtol=1e-5, atol=1e-7)


def test_tensor_constants_get_no_gradient():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    c = autograd.tensor([3.0, 4.0])
    trace = trace_backward((x * c).sum())
    (mul,) = [s for s in trace.steps if s.op == "*"]
    assert [ci.added is None for ci in mul.inputs] == [False, True]
    np.testing.assert_array_equal(trace.grad(x), [3.0, 4.0])
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def neuron():
    """The first blog post's neuron: e = (y - sigmoid(w x + b))^2."""
    x, y, w, b = Value(0.8, label="x"), Value(1.0, label="y"), Value(0.1, label="w"), Value(0.1, label="b")
    t = w * x + b
    k = t.sigmoid()
    e = (y - k) ** 2
    t.label, k.label, e.label = "t", "k", "e"
    return e, dict(x=x, y=y, w=w, b=b, t=t, k=k)


def test_neuron_steps_are_the_chain_rule_of_the_blog_post():
    e, v = neuron()
    trace = trace_backward(e)
    k, x = v["k"].data, 0.8
    dedk, dkdt = -2 * (1.0 - k), k * (1 - k)  # the blog post's formulas
    assert [s.op for s in trace.steps] == ["**", "-", "sigmoid", "+", "*"]
    (sigmoid,) = [s for s in trace.steps if s.op == "sigmoid"]
    assert sigmoid.upstream == pytest.approx(dedk)
    assert sigmoid.inputs[0].local == pytest.approx(dkdt)
    assert sigmoid.derivative == "d s(a) = s(a) (1 - s(a)) da"
    assert v["w"].grad == pytest.approx(dedk * dkdt * x)
    assert v["b"].grad == pytest.approx(dedk * dkdt)


def test_text_has_a_row_per_input_with_the_numbers():
    e, v = neuron()
    trace = trace_backward(e)
    text = str(trace)
    assert text == trace.to_text()
    backward = text.split("backward:")[1].splitlines()[2:]
    assert len(backward) == sum(len(s.inputs) for s in trace.steps)
    (row,) = [line for line in backward if line.split()[:3] == ["3", "k", "sigmoid"]]
    s = trace.steps[2]
    assert row.split()[3:7] == [number(s.upstream), "t", number(s.inputs[0].local), number(s.inputs[0].added)]
    forward = text.split("backward:")[0]
    assert "t = " not in forward and "sigmoid(t)" in forward and f"{number(v['k'].data)}" in forward


def test_json_lists_nodes_and_steps():
    e, v = neuron()
    trace = trace_backward(e)
    data = json.loads(trace.to_json())
    assert len(data["nodes"]) == len(trace.forward) and len(data["steps"]) == len(trace.steps)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names[data["root"]] == "e"
    by_name = {n["name"]: n for n in data["nodes"]}
    assert by_name["w"]["grad"] == pytest.approx(v["w"].grad)
    step = data["steps"][0]
    assert names[step["node"]] == "e" and step["upstream"] == 1.0
    first, second = (data["nodes"][i["node"] - 1] for i in step["inputs"])
    assert (first["op"], second["name"], step["inputs"][1]["added"]) == ("-", "2", None)


def test_chain_rule_sums_over_consumers():
    a, b = Value(1.5, label="a"), Value(-2.0, label="b")
    d = a * b
    e = d + a
    d.label, e.label = "d", "e"
    trace = trace_backward(e)
    lines = trace.chain_rule(a).splitlines()
    assert lines[0] == "de/da = de/de * de/da + de/dd * dd/da"
    assert lines[1].strip() == "= 1 * 1 + 1 * -2"
    assert lines[2].strip() == f"= {number(a.grad)}" and a.grad == -1.0


def test_tensor_trace_shows_shapes_and_norms():
    x = autograd.tensor(np.ones((2, 3)), requires_grad=True)
    w = autograd.tensor(np.full((3, 4), 0.5), requires_grad=True)
    loss = (x @ w).tanh().sum()
    trace = trace_backward(loss)
    (matmul,) = [s for s in trace.steps if s.op == "@"]
    assert [c.added.shape for c in matmul.inputs] == [(2, 3), (3, 4)]
    assert f"[2x3] norm {np.linalg.norm(x.grad):.4g}" in str(trace)


def test_derivative_is_the_rules_comment():
    assert derivative(Value._mul_backward) == "d(a*b) = b da + a db"
    assert derivative(autograd.Tensor._exp_backward) == "d e^a = e^a da"
    assert derivative(lambda out, g: (g,)) == ""


def test_forward_follows_creation_order_when_recorded():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    with autograd.record_forward() as forward:
        second_input = b.exp()  # made first, though it is the second input of the root
        first_input = a.tanh()
    root = first_input * second_input
    assert [c.node for c in trace_forward(root, forward).forward] == [b, second_input, a, first_input, root]
    assert [c.node for c in trace_forward(root).forward] == [a, first_input, b, second_input, root]


def test_record_forward_places_nodes_and_parameters_in_modules():
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    x = autograd.randn(4, 2)
    with autograd.record_forward(model) as forward:
        loss = model(x).sum()
    trace = trace_backward(loss, forward=forward)
    paths = {trace.names[n]: p for n, p in trace.modules.items()}
    assert paths["0.weight"] == ("Sequential", "0") and paths["2.bias"] == ("Sequential", "2")
    assert trace.module_names == {"Sequential": "Sequential", "0": "0: Linear", "1": "1: ReLU", "2": "2: Linear"}
    relu = next(n for n in trace.index if n.op == "relu")
    assert trace.modules[relu] == ("Sequential", "1")
    assert loss not in trace.modules  # made outside the model
    assert len(trace.forward) == 9  # a Tensor MLP is a handful of nodes: x, per layer W, b, linear; relu; sum


def test_record_forward_without_a_model_names_modules_by_class():
    model = nn.MLP(2, [2, 1])
    with autograd.record_forward() as forward:
        out = model([Value(1.0), Value(-1.0)])
    names = set(forward.module_names.values())
    assert names == {"MLP", "Layer", "Layer 2", "Neuron", "Neuron 2", "Neuron 3"}
    w = model.layers[1].neurons[0].w[0]
    assert forward.param_paths[w] == ("MLP", "Layer 2", "Neuron 3") and forward.param_names[w] == "Neuron 3.w.0"
    assert forward.paths[out][-1] == "Neuron 3"


def test_nothing_is_kept_outside_record_forward():
    model = nn.MLP(2, [3, 1])
    out = model([Value(1.0), Value(2.0)])
    assert capture._active is None and not capture.recording()
    assert sys.getrefcount(out) == 2, "a node made outside record_forward is referenced from elsewhere"
    with pytest.raises(RuntimeError, match="already recording"):
        with autograd.record_forward(), autograd.record_forward():
            pass
    assert capture._active is None


def test_autograd_does_not_import_nn():
    code = "import sys, autograd, autograd.stepper, autograd.trace; assert 'nn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_gradient_argument_and_value_leaf_accumulation():
    x = autograd.tensor([1.0, -2.0], requires_grad=True)
    trace = trace_backward(x * 3.0, gradient=np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad, [3.0, 30.0])
    assert trace.root_grad.tolist() == [1.0, 10.0]
    v = Value(2.0)
    v.grad = 1.0  # left from an earlier pass: backward() adds, and so does the trace
    trace = trace_backward(v * v)
    assert v.grad == 1.0 + 4.0 and trace.grad(v) == 4.0
    assert [c.before for c in trace.steps[0].inputs] == [None, 2.0]  # one op, the same input twice
    assert math.isclose(trace.steps[0].inputs[1].after, 4.0)
