"""One neuron f(w x + b) with each of the first blog post's activations: its graph, data and grads.

    python -m demos.neuron [--out runs/demos] [--show]

The blog post "neurons and loss functions" describes a neuron as a linear step, w x + b, followed by
an activation f. Here one neuron of three inputs is built from autograd ``Value``s with each of the
post's activations (sigmoid, tanh, ReLU, PReLU with its slope a, and softmax over a layer of two
neurons), ``backward()`` is called on its output, and ``autograd.draw_dot`` draws the graph with every
value's data and grad (neuron_<activation>.svg, Graphviz). The chain rule by hand says
dy/dw_i = f'(z) x_i and dy/db = f'(z), with z = w x + b; the demo prints these beside the grads.

Look at: the SVGs. Each grad is the grad of the node after it times the local slope; here z is
negative, so ReLU passes no gradient at all (every grad 0), while PReLU passes a times it and also
gives its slope a the gradient z.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value
from demos._teaching import agree, demo_parser, parse, save_graph
from nn import functional as F

X, W, B = [1.0, -2.0, 0.5], [0.4, 0.6, -0.2], 0.5  # z = w x + b = -0.4
W_SECOND, B_SECOND = [-0.3, 0.1, 0.2], -0.1  # softmax's second neuron: z = -0.5


def linear(w: list[float], b: float, x: list[Value], name: str) -> tuple[Value, list[Value], Value]:
    """z = w1 x1 + w2 x2 + w3 x3 + b, with its weights and bias as labelled Values."""
    weights = [Value(wi, f"w{name}{i + 1}") for i, wi in enumerate(w)]
    bias = Value(b, f"b{name}")
    z = sum((wi * xi for wi, xi in zip(weights, x)), bias)
    z.label = f"z{name} = w x + b"
    return z, weights, bias


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    args = parse(parser, argv)
    slope = Value(0.25, "a")  # PReLU's learned slope, 0.25 to start as in nn.PReLU
    activations = {  # f, and its slope f'(z) by hand given z and y = f(z)
        "sigmoid": (F.sigmoid, lambda z, y: y * (1 - y)),
        "tanh": (F.tanh, lambda z, y: 1 - y * y),
        "relu": (F.relu, lambda z, y: 1.0 if z > 0 else 0.0),
        "prelu": (lambda z: F.prelu(z, slope), lambda z, y: 1.0 if z > 0 else slope.data),
    }
    grads = {}
    for name, (f, f_slope) in activations.items():
        x = [Value(xi, f"x{i + 1}") for i, xi in enumerate(X)]
        z, weights, bias = linear(W, B, x, "")
        y = f(z)
        y.label = f"y = {name}(z)"
        y.backward()
        dy_dz = f_slope(z.data, y.data)
        for wi, xi in zip(weights, x):
            agree(f"{name}: dy/d{wi.label}", dy_dz * xi.data, wi.grad)
        agree(f"{name}: dy/db", dy_dz, bias.grad)
        grads[name] = [wi.grad for wi in weights] + [bias.grad]
        print(
            f"{name:8s} z = {z.data:+.3f}  y = {y.data:+.4f}  f'(z) = {dy_dz:.4f}  "
            f"dy/dw = f'(z) x = {[round(g, 4) for g in grads[name][:3]]}  dy/db = {bias.grad:.4f}"
        )
        if name == "prelu":
            agree("prelu: dy/da", min(z.data, 0.0), slope.grad)
            print(f"{'':8s} and the slope a learns from dy/da = z = {slope.grad:+.3f}")
        save_graph(y, args.out / f"neuron_{name}.svg")

    x = [Value(xi, f"x{i + 1}") for i, xi in enumerate(X)]
    z1, weights1, _ = linear(W, B, x, "1")
    z2, weights2, _ = linear(W_SECOND, B_SECOND, x, "2")
    p1, p2 = F.softmax([z1, z2])
    p1.label, p2.label = "p1 = softmax(z1, z2)[0]", "p2"
    p1.backward()
    print(f"softmax  z = ({z1.data:+.3f}, {z2.data:+.3f})  p = ({p1.data:.4f}, {p2.data:.4f}), sum {p1.data + p2.data}")
    for wi, xi in zip(weights1, x):  # dp1/dz1 = p1 (1 - p1)
        agree(f"softmax: dp1/d{wi.label}", p1.data * (1 - p1.data) * xi.data, wi.grad)
    for wi, xi in zip(weights2, x):  # dp1/dz2 = -p1 p2
        agree(f"softmax: dp1/d{wi.label}", -p1.data * p2.data * xi.data, wi.grad)
    grads["softmax"] = [wi.grad for wi in weights1 + weights2]
    print(
        f"{'':8s} dp1/dw1 = p1 (1 - p1) x = {[round(g, 4) for g in grads['softmax'][:3]]}, "
        f"dp1/dw2 = -p1 p2 x = {[round(g, 4) for g in grads['softmax'][3:]]}"
    )
    save_graph(p1, args.out / "neuron_softmax.svg")
    return {"grads": grads, "svgs": sorted(args.out.glob("neuron_*.svg"))}


if __name__ == "__main__":
    main()
