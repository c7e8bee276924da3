"""autograd.graph.topological_order: each reachable node once, after all of its inputs, without recursion."""

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from autograd.graph import topological_order


class Node:
    """A bare graph node whose inputs are a tuple (None entries mean "no input")."""

    _inputs_of = staticmethod(lambda node: node.inputs)

    def __init__(self, *inputs):
        self.inputs = inputs


def reachable(roots):
    """Every node reachable from roots, found independently of topological_order."""
    found, frontier = set(), list(roots)
    while frontier:
        node = frontier.pop()
        if node is not None and node not in found:
            found.add(node)
            frontier.extend(node.inputs)
    return found


def assert_topological(order, roots):
    assert len(order) == len(set(order)), "a node is listed twice"
    assert set(order) == reachable(roots)
    position = {node: k for k, node in enumerate(order)}
    for node in order:
        for parent in node.inputs:
            if parent is not None:
                assert position[parent] < position[node]


@st.composite
def random_dags(draw):
    """Nodes each taking up to three earlier nodes (repeats and None allowed) and some roots among them."""
    nodes = []
    for _ in range(draw(st.integers(1, 30))):
        picks = draw(st.lists(st.integers(-1, len(nodes) - 1), max_size=3)) if nodes else []
        nodes.append(Node(*(nodes[k] if k >= 0 else None for k in picks)))
    roots = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=4))
    return roots


@settings(max_examples=200, deadline=None)
@given(roots=random_dags())
def test_random_dag_order(roots):
    assert_topological(topological_order(roots), roots)


@settings(max_examples=100, deadline=None)
@given(
    leaves=st.lists(st.floats(-2, 2), min_size=1, max_size=4),
    steps=st.lists(st.tuples(st.booleans(), st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=20),
)
def test_random_value_graph_order(leaves, steps):
    nodes = [Value(x) for x in leaves]
    for multiply, i, j in steps:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(a * b if multiply else (a + b).tanh())
    order = topological_order([nodes[-1]])
    assert_topological(order, [nodes[-1]])
    assert order[-1] is nodes[-1]


def test_multiple_roots_share_their_inputs():
    a, b = Node(), Node()
    c, d = Node(a, b), Node(b)
    e = Node(c, d)
    roots = [d, e, c, d]  # repeated roots, and a root that is an input of another
    order = topological_order(roots)
    assert_topological(order, roots)
    assert len(order) == 5


def test_none_inputs_are_skipped():
    a = Node(None)
    b = Node(None, a, None)
    order = topological_order([b])
    assert order == [a, b]


def test_a_node_used_twice_by_one_node_is_listed_once():
    a = Node()
    assert topological_order([Node(a, a)])[0] is a


def test_leaf_root():
    a = Node()
    assert topological_order([a]) == [a]


def test_million_node_chain_without_recursion():
    n = 1_000_000
    first = node = Node()
    for _ in range(n - 1):
        node = Node(node, None)
    order = topological_order([node])
    assert len(order) == n and order[0] is first and order[-1] is node
    assert all(later.inputs[0] is earlier for earlier, later in zip(order, order[1:]))
