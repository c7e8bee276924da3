"""autograd.draw_dot: the DOT text of Value and Tensor graphs (read back by a small parser), SVG
rendering with Graphviz's ``dot``, and the error that says how to install it when it is missing."""

import re
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest

import autograd
import nn
from autograd import Value, draw_dot

ID = r'"(?:[^"\\]|\\.)*"|[^\s\[\]"=]+'
NODE = re.compile(rf"^\s*({ID}) \[(.*)\]$")
EDGE = re.compile(rf"^\s*({ID}) -> ({ID})$")
ATTR = re.compile(rf"(\w+)=({ID})")


def unquote(text):
    return text[1:-1].replace('\\"', '"') if text.startswith('"') else text


def parse(source):
    """The DOT text as ({node id: {attribute: value}}, [(tail, head)], {graph attribute: value})."""
    nodes, edges, graph = {}, [], {}
    for line in source.splitlines():
        if edge := EDGE.match(line):
            edges.append((unquote(edge[1]), unquote(edge[2])))
        elif node := NODE.match(line):
            attrs = {key: unquote(value) for key, value in ATTR.findall(node[2])}
            if node[1] == "graph":
                graph.update(attrs)
            else:
                nodes[unquote(node[1])] = attrs
    return nodes, edges, graph


def fields(record_label):
    """The fields of a record label "{ a | b | c }", record escapes removed."""
    parts = re.split(r"(?<!\\)\|", record_label.strip()[1:-1])
    return [re.sub(r"\\(.)", r"\1", part.strip()) for part in parts]


def records(dot):
    """{first field (the name): remaining fields} for every named record node; names must be unique."""
    nodes, _, _ = parse(dot.source)
    found = [fields(a["label"]) for a in nodes.values() if a.get("shape") == "record"]
    found = [f for f in found if f[0]]
    names = [f[0] for f in found]
    assert len(set(names)) == len(names), f"names are not unique: {names}"
    return {f[0]: f[1:] for f in found}


def number_after(prefix, record_fields):
    (text,) = [f for f in record_fields if f.startswith(prefix)]
    return float(text.removeprefix(prefix))


def tensor_grad(record_fields):
    """The (shape, norm) a Tensor record shows in its "grad <shape> norm <norm>" field."""
    (text,) = [f for f in record_fields if f.startswith("grad ")]
    shape, norm = text.removeprefix("grad ").split(" norm ")
    return shape, float(norm)


def labelled_graph():
    """A Value graph where every Value has a unique label and ``a`` is used three times."""
    a, b, c, two = Value(1.5, label="a"), Value(-2.0, label="b"), Value(0.5, label="c"), Value(2.0, label="two")
    d = a * b
    e = d + a
    f = (e - c).tanh()
    g = f * two + a
    for value, label in [(d, "d"), (e, "e"), (f.inputs[0], "e-c"), (f, "f"), (g.inputs[0], "f*two"), (g, "g")]:
        value.label = label
    values = [a, b, c, two, d, e, f.inputs[0], f, g.inputs[0], g]
    return g, values


def test_one_record_per_value_and_one_ellipse_per_op():
    root, values = labelled_graph()
    nodes, _, _ = parse(draw_dot(root).source)
    shapes = Counter(attrs.get("shape") for attrs in nodes.values())
    assert shapes == {"record": len(values), "ellipse": sum(1 for v in values if v.op)}
    assert sorted(a["label"] for a in nodes.values() if a.get("shape") == "ellipse") == sorted(
        v.op for v in values if v.op
    )


def test_record_shows_label_data_and_grad():
    root, values = labelled_graph()
    root.backward()
    shown = records(draw_dot(root))
    assert set(shown) == {v.label for v in values}
    for v in values:
        assert number_after("data", shown[v.label]) == pytest.approx(v.data, abs=1e-4)
        assert number_after("grad", shown[v.label]) == pytest.approx(v.grad, abs=1e-4)


def test_show_grad_false_hides_grad():
    root, values = labelled_graph()
    root.backward()
    shown = records(draw_dot(root, show_grad=False))
    for v in values:
        assert not any("grad" in field for field in shown[v.label])
        assert number_after("data", shown[v.label]) == pytest.approx(v.data, abs=1e-4)


@pytest.mark.parametrize("rankdir", ["LR", "TB", "RL", "BT"])
def test_rankdir_applies(rankdir):
    root, _ = labelled_graph()
    _, _, graph = parse(draw_dot(root, rankdir=rankdir).source)
    assert graph["rankdir"] == rankdir


def test_edges_go_input_to_op_to_output():
    root, values = labelled_graph()
    nodes, edges, _ = parse(draw_dot(root).source)
    name = {node: fields(a["label"])[0] for node, a in nodes.items() if a["shape"] == "record"}
    by_label = {v.label: v for v in values}
    ops = [node for node, a in nodes.items() if a["shape"] == "ellipse"]
    assert all((tail in name) != (head in name) for tail, head in edges), "every edge joins a value and an op"
    for op in ops:
        (output,) = [head for tail, head in edges if tail == op]
        value = by_label[name[output]]
        assert nodes[op]["label"] == value.op
        assert sorted(name[tail] for tail, head in edges if head == op) == sorted(v.label for v in value.inputs)
    assert len(edges) == len(ops) + sum(len(v.inputs) for v in values)


def test_tensor_records_show_shape_dtype_and_leaf_grad_norm():
    x = autograd.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    w = autograd.tensor(np.ones((3, 4), dtype=np.float32), requires_grad=True)
    h = x.float() @ w
    loss = h.relu().sum()
    for t, label in [(x, "x"), (w, "w"), (h, "h"), (loss, "loss")]:
        t.label = label
    loss.backward()
    shown = records(draw_dot(loss))
    for t in (x, w, h):
        description = " ".join(shown[t.label])
        assert "x".join(map(str, t.shape)) in description and str(t.dtype) in description
    assert str(loss.dtype) in " ".join(shown["loss"])
    for t in (x, w):
        shape, norm = tensor_grad(shown[t.label])
        assert shape == "x".join(map(str, t.grad.shape))
        assert norm == pytest.approx(np.linalg.norm(t.grad), rel=1e-3)


def test_parameter_names_label_tensor_records():
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    loss = model(autograd.randn(5, 3)).sum()
    loss.backward()
    params = dict(model.named_parameters())
    shown = records(draw_dot(loss, params=params))
    assert set(params) == {"0.weight", "0.bias", "2.weight", "2.bias"}
    for name, p in params.items():
        assert "x".join(map(str, p.shape)) in " ".join(shown[name])
        assert tensor_grad(shown[name])[1] == pytest.approx(np.linalg.norm(p.grad), rel=1e-3)


def test_parameter_names_label_value_records():
    model = nn.MLP(2, [2, 1])
    out = model([Value(1.0), Value(-1.0)])
    params = dict(model.named_parameters())
    shown = records(draw_dot(out, params=params))
    assert set(params) <= set(shown)


def chain(n):
    """A Value graph with exactly n values: a leaf and (n - 1) / 2 additions of a constant."""
    y = Value(0.0)
    for _ in range((n - 1) // 2):
        y = y + 1
    return y


def test_max_nodes_guard_names_the_count():
    draw_dot(chain(19), max_nodes=19)
    with pytest.raises(ValueError, match=r"\b19\b.*max_nodes=18"):
        draw_dot(chain(19), max_nodes=18)
    with pytest.raises(ValueError, match=r"\b501\b"):
        draw_dot(chain(501))


def svg_groups(svg_bytes):
    root = ET.fromstring(svg_bytes)
    assert root.tag.endswith("svg")
    return Counter(g.get("class") for g in root.iter() if g.tag.endswith("}g"))


@pytest.mark.requires("dot", "graphviz")
def test_value_graph_renders_to_svg():
    root, _ = labelled_graph()
    dot = draw_dot(root)
    nodes, edges, _ = parse(dot.source)
    groups = svg_groups(dot.pipe(format="svg"))
    assert (groups["node"], groups["edge"]) == (len(nodes), len(edges))


@pytest.mark.requires("dot", "graphviz")
def test_tensor_graph_renders_to_svg():
    x = autograd.tensor(np.ones((2, 2)), requires_grad=True)
    dot = draw_dot((x @ x).tanh().mean())
    nodes, edges, _ = parse(dot.source)
    groups = svg_groups(dot.pipe(format="svg"))
    assert (groups["node"], groups["edge"]) == (len(nodes), len(edges))


@pytest.mark.requires("dot", "graphviz")
def test_record_characters_in_labels_are_escaped():
    """A label holding record syntax stays one field and renders as written."""
    x = Value(1.0, label="a|b{c}<d>\\")
    dot = draw_dot(x.tanh())
    assert "a|b{c}<d>\\" in records(dot)
    texts = [t.text for t in ET.fromstring(dot.pipe(format="svg")).iter() if t.tag.endswith("}text")]
    assert "a|b{c}<d>\\" in texts


def test_without_dot_rendering_explains_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    root, values = labelled_graph()
    dot = draw_dot(root)
    for render in (lambda: dot.pipe(format="svg"), lambda: dot.render(directory=tmp_path / "out")):
        with pytest.raises(RuntimeError, match=r"(?i)install.*graphviz"):
            render()
    assert len(parse(dot.source)[0]) == len(values) + sum(1 for v in values if v.op)
