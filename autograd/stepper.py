"""``draw_backward``: a ``Trace`` drawn. One self-contained HTML page that steps through the forward
and backward passes (Graphviz lays the graph out as SVG; ``page/stepper.js`` plays it), an animated
GIF with one frame per backward step, or an SVG of the final state.

Every box has fixed-size text cells, so Graphviz gives every frame the same layout: the GIF does not
jump, and the page only changes texts and colours. Nodes made inside an ``nn.Module`` (recorded with
``autograd.record_forward``) sit in a cluster per module; on a large graph each module starts as one
box that opens on click (the page holds one SVG per opened module).
"""

from __future__ import annotations

import functools
import html
import io
import json
import uuid
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from autograd.capture import record_forward
from autograd.graph import Node, topological_order
from autograd.trace import Contribution, Step, Trace, number, trace_backward
from autograd.viz import Graph

FONT = "monospace"
FONT_SIZE = 11
CHAR_WIDTH = 0.62 * FONT_SIZE  # DejaVu Sans Mono, the usual monospace, advances 0.6 em; a little slack
ROW_HEIGHT = 16
COLLAPSE_ABOVE = 40  # nodes: a larger graph starts with each module as one box
# The colours of node and edge states, shared by the GIF frames (here) and the page (as CSS variables).
PALETTE = {
    "current": "#ffc94d",  # the node whose backward rule runs at this step
    "receiving": "#a8d8ff",  # its inputs, whose gradients grow at this step
    "complete": "#cdeccf",  # every contribution to the gradient has arrived
    "partial": "#fff1a8",  # some have arrived (a node used more than once)
    "waiting": "#ffffff",
    "constant": "#ececec",  # no gradient flows to it
    "module": "#7b5ea7",  # module clusters, and the fill of a closed module's box below
    "box": "#f3eefa",
    "edge": "#e63946",  # the edges of the current step
    "done": "#8a8a8a",  # the edges of the steps before
    "future": "#c8c8c8",
}


class Stepper:
    """A trace as pictures: ``save(path)`` writes .html, .gif or .svg; Jupyter shows the page inline."""

    def __init__(self, trace: Trace, rankdir: str = "TB", collapse: bool | None = None, max_nodes: int = 300) -> None:
        check_size(len(trace.forward), max_nodes)
        if trace.root_grad is None:
            raise ValueError("the stepper needs a backward trace: make it with autograd.trace_backward(root)")
        self.trace, self.rankdir = trace, rankdir
        self.ids = trace.index
        self.flows = {c.node: [] for c in trace.forward}  # node -> the (step, contribution)s adding to its grad
        for step in trace.steps:
            for c in step.inputs:
                if c.added is not None:
                    self.flows[c.input].append((step, c))
        self.keys = list(dict.fromkeys(k for path in trace.modules.values() for k in path))
        self.module_ids = {key: k for k, key in enumerate(self.keys)}
        self.sizes = {key: sum(key in path for path in trace.modules.values()) for key in self.keys}
        self.collapsible = [key for key in self.keys if self.sizes[key] > 1]  # a box of one node hides nothing
        collapse = len(trace.forward) > COLLAPSE_ABOVE if collapse is None else collapse
        outermost = {path[0] for path in trace.modules.values()}
        self.default = set(self.keys) - set(self.collapsible) | outermost if collapse else set(self.keys)

    # -- what each box says ----------------------------------------------------------------
    def short(self, node: Node) -> str:
        """A node's name inside its module's box: ``w.0`` rather than ``layers.0.neurons.1.w.0``."""
        name, path = self.trace.names[node], self.trace.modules.get(node)
        return name[len(path[-1]) + 1 :] if path and name.startswith(path[-1] + ".") else name

    def header(self, node: Node) -> str:
        """The top row of a node's box: its name, and how it was computed (``t = wx + b``)."""
        return self.short(node) if node.is_leaf else f"{self.short(node)} = {self.trace.formula(node, self.short)}"

    def grad_texts(self, node: Node) -> list[tuple[int, str]]:
        """(first step it shows at, text) of the grad cell: "?" until a contribution arrives, then the
        running sum; the root holds d root / d root from step 0."""
        if node is self.trace.root:
            return [(0, f"grad {number(self.trace.root_grad)}")]
        flows = self.flows[node]
        if not flows:
            return [(0, "no grad (constant)")]
        texts = [(0, "grad ?")]
        terms = [number(c.added) for _, c in flows]
        scalar = all(" " not in t for t in terms)
        for j, (step, c) in enumerate(flows, 1):
            if len(flows) == 1:
                text = number(c.after)
            elif scalar and len(flows) <= 3:
                text = " + ".join(terms[:j]) + (f" = {number(c.after)}" if j == len(flows) else " + ...")
            else:
                text = f"{number(c.after)} ({j} of {len(flows)})"
            texts.append((step.index, f"grad {text}"))
        return texts

    def edge_texts(self, step: Step, c: Contribution) -> tuple[str, str]:
        """The two lines on the edge from an input to the node: local derivative, then upstream x local."""
        if c.added is None:
            return "constant", "no gradient"
        if c.local is None:  # a Tensor: upstream x local is the vector-Jacobian product
            return "upstream × local (VJP)", number(c.added)
        return f"local {number(c.local)}", f"{number(step.upstream)} × {number(c.local)} = {number(c.added)}"

    def caption(self, position: int) -> list[str]:
        """What happens at ``position`` of the timeline: forward values first, then backward step 0..N."""
        trace, names = self.trace, self.trace.names
        forward = len(trace.forward)
        if position < forward:
            c = trace.forward[position]
            what = "given" if c.node.is_leaf else f"= {trace.formula(c.node)}"
            return [f"forward {position + 1}/{forward}: {names[c.node]} {what} = {number(c.value)}"]
        s = position - forward
        root = names[trace.root]
        if s == 0:
            return [f"backward starts at {root}: d{root}/d{root} = {number(trace.root_grad)}"]
        step = trace.steps[s - 1]
        node = names[step.node]
        lines = [
            f"step {s}/{len(trace.steps)}: {node} = {trace.formula(step.node)}   rule: {step.derivative or step.op}",
            f"upstream d{root}/d{node} = {number(step.upstream)}",
        ]
        for c in step.inputs:
            first, second = self.edge_texts(step, c)
            if c.added is not None:
                second += f";  grad {names[c.input]}: {number(c.before, '0')} -> {number(c.after)}"
            lines.append(f"  {names[c.input]}: {first};  {second}")
        return lines

    def chain(self, node: Node) -> dict[str, Any]:
        """The chain-rule sum of ``node``'s gradient: one term per consumer, with the step it runs at."""
        names, root = self.trace.names, self.trace.names[self.trace.root]
        terms = []
        for step, c in self.flows[node]:
            consumer = names[step.node]
            if c.local is None:
                text = f"from {consumer}: VJP = {number(c.added)}"
            else:
                text = (
                    f"from {consumer}: d{root}/d{consumer} × d{consumer}/d{names[node]} = "
                    f"{number(step.upstream)} × {number(c.local)} = {number(c.added)}"
                )
            terms.append([step.index, text])
        return {
            "title": self.trace.chain_rule(node).split("\n")[0].replace(" * ", " × "),
            "terms": terms,
            "total": f"= {number(self.trace.grad(node))}",
        }

    # -- the graph ---------------------------------------------------------------------------
    def shown_as(self, node: Node, expanded: set[str]) -> str:
        """The element a node is drawn as: itself ("n7"), or the box of its outermost closed module ("m2")."""
        for key in self.trace.modules.get(node, ()):
            if key not in expanded:
                return f"m{self.module_ids[key]}"
        return f"n{self.ids[node]}"

    def dot(self, expanded: set[str] | None = None, step: int | None = None) -> Graph:
        """The graph with the ``expanded`` modules open (by default those the page opens with), coloured
        as after backward ``step`` (1..N; None: the final state, uncoloured, as the page starts from)."""
        expanded = self.default if expanded is None else expanded
        trace = self.trace
        graph = Graph(
            graph_attr={
                "rankdir": self.rankdir,
                "fontname": FONT,
                "fontsize": str(FONT_SIZE),
                "nodesep": "0.15",
                "ranksep": "0.3",
                "bgcolor": "white",
            },
            node_attr={"shape": "plaintext", "fontname": FONT, "fontsize": str(FONT_SIZE)},
            edge_attr={"fontname": FONT, "fontsize": str(FONT_SIZE - 1), "arrowsize": "0.6"},
        )
        if step is not None:
            rows, width = self._caption_rows(step)
            graph.attr(label=_cells(rows, "left", "white", width), labelloc="t", labeljust="l")
        clusters: dict[tuple[str, ...], list[tuple[str, dict[str, str]]]] = {}
        boxes: set[str] = set()
        for c in trace.forward:
            shown = self.shown_as(c.node, expanded)
            path = trace.modules.get(c.node, ())
            if shown.startswith("n"):
                clusters.setdefault(path, []).append((shown, self._node_attrs(c.node, step)))
            elif shown not in boxes:
                boxes.add(shown)
                key = self.keys[int(shown[1:])]
                inside = path[: path.index(key)]
                clusters.setdefault(inside, []).append((shown, self._box_attrs(key, step)))
        self._add_clusters(graph, clusters, ())
        drawn: dict[tuple[str, str], list[tuple[Step, Contribution]]] = {}  # edges between the same boxes merge
        for s in trace.steps:
            head = self.shown_as(s.node, expanded)
            for c in s.inputs:
                tail = self.shown_as(c.input, expanded)
                if tail != head:
                    drawn.setdefault((tail, head), []).append((s, c))
        for (tail, head), edges in drawn.items():
            if len(edges) == 1:  # one edge of the graph: labelled, and named for the page to light it up
                graph.edge(tail, head, **self._edge_attrs(*edges[0], step))
            else:
                graph.edge(tail, head, id=f"x{tail}_{head}", color=PALETTE["future"])
        stepped = {s.node for s in trace.steps}
        for c in trace.forward:  # a node no gradient reached ran no step: its edges carry nothing
            if not c.node.is_leaf and c.node not in stepped:
                for x in c.node.inputs:
                    graph.edge(self.shown_as(x, expanded), self.shown_as(c.node, expanded), color=PALETTE["future"])
        return graph

    def _add_clusters(self, graph: Graph, clusters: dict[tuple[str, ...], list], path: tuple[str, ...]) -> None:
        for name, attrs in clusters.get(path, []):
            graph.node(name, **attrs)
        children = dict.fromkeys(p[: len(path) + 1] for p in clusters if len(p) > len(path) and p[: len(path)] == path)
        for child in children:
            key = child[-1]
            with graph.subgraph(name=f"cluster_{self.module_ids[key]}") as sub:
                sub.attr(
                    label=self.trace.module_names.get(key, key),
                    id=f"c{self.module_ids[key]}",
                    style="rounded,dashed",
                    color=PALETTE["module"],
                    fontcolor=PALETTE["module"],
                )
                self._add_clusters(sub, clusters, child)

    def _node_attrs(self, node: Node, step: int | None) -> dict[str, str]:
        grads = self.grad_texts(node)
        width = max(len(t) for t in [self.header(node), self._data(node), *(g for _, g in grads)])
        grad = grads[-1][1] if step is None else [g for s, g in grads if s <= step][-1]
        fill = PALETTE["waiting"] if step is None else PALETTE[self.state(node, step)]
        rows = [f"<b>{html.escape(self.header(node))}</b>", html.escape(self._data(node)), html.escape(grad)]
        return {"id": f"n{self.ids[node]}", "label": _table(rows, width, fill)}

    def _data(self, node: Node) -> str:
        return f"data {number(self.trace.forward[self.ids[node] - 1].value)}"

    def _box_attrs(self, key: str, step: int | None) -> dict[str, str]:
        rows = [f"<b>{html.escape(self.trace.module_names.get(key, key))}</b>", f"{self.sizes[key]} nodes inside"]
        current = step is not None and key in self.trace.modules.get(self.trace.steps[step - 1].node, ())
        fill = PALETTE["current"] if current else PALETTE["box"]
        return {"id": f"m{self.module_ids[key]}", "label": _table(rows, max(len(r) for r in rows), fill)}

    def _edge_attrs(self, s: Step, c: Contribution, step: int | None) -> dict[str, str]:
        lines = self.edge_texts(s, c)
        state = "done" if step is None or s.index < step else "edge" if s.index == step else "future"
        colour = PALETTE[state]
        font = "transparent" if state == "future" else colour  # invisible, yet taking its place: the layout stays
        label = _cells([html.escape(t) for t in lines], "center", None, max(map(len, lines)), color=font)
        return {
            "id": f"e{self.ids[s.node]}_{c.position}",
            "label": label,
            "color": colour,
            "fontcolor": font,
            "penwidth": "2.2" if state == "edge" else "1",
        }

    def state(self, node: Node, step: int) -> str:
        """The colour name of a node after backward step ``step`` (the page's stepper.js does the same)."""
        current = self.trace.steps[step - 1]
        if current.node is node:
            return "current"
        if any(c.input is node and c.added is not None for c in current.inputs):
            return "receiving"
        if node is self.trace.root:
            return "complete"
        flows = self.flows[node]
        if not flows:
            return "constant"
        arrived = sum(s.index <= step for s, _ in flows)
        return "complete" if arrived == len(flows) else "partial" if arrived else "waiting"

    def _caption_rows(self, step: int) -> tuple[list[str], int]:
        """The caption of a GIF frame and its width, padded to the largest caption: every frame has one layout."""
        rows = self.caption(len(self.trace.forward) + step)
        height, width = self._caption_size
        return [html.escape(r) for r in rows] + [" "] * (height - len(rows)), width

    @functools.cached_property
    def _caption_size(self) -> tuple[int, int]:
        """Lines and characters of the largest backward-step caption."""
        captions = [self.caption(len(self.trace.forward) + s) for s in range(1, len(self.trace.steps) + 1)]
        return max(map(len, captions)), max(len(line) for lines in captions for line in lines)

    # -- outputs ------------------------------------------------------------------------------
    def svg(self, expanded: set[str] | None = None) -> str:
        """The final state as SVG text (no XML prolog, to inline in a page); modules as the page opens them."""
        text = self.dot(expanded).pipe(format="svg").decode()
        return text[text.index("<svg") :]

    def gif(self, path: str | Path, frame_ms: int = 1600, last_ms: int = 4000) -> None:
        """An animated GIF, one frame per backward step, each drawn by Graphviz (modules as the page opens them)."""
        try:
            from PIL import Image
        except ImportError as error:
            raise RuntimeError("writing a GIF needs Pillow: pip install Pillow") from error
        if not self.trace.steps:
            raise ValueError(f"{self.trace.names[self.trace.root]} is a leaf: its backward pass has no step to animate")

        frames = [
            Image.open(io.BytesIO(self.dot(step=s).pipe(format="png"))).convert("RGB")
            for s in range(1, len(self.trace.steps) + 1)
        ]
        durations = [frame_ms] * (len(frames) - 1) + [last_ms]
        frames[0].save(path, save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=False)

    def page_data(self) -> dict[str, Any]:
        """What stepper.js needs: per node its texts and when they change, per step its edges, the views."""
        trace, ids = self.trace, self.ids
        views = {"": sorted(self.default)} | {
            key: sorted(self.default | set(self._expanded_for(key)))
            for key in self.collapsible
            if key not in self.default
        }
        return {
            "forward": len(trace.forward),
            "steps": len(trace.steps),
            "stepNode": [None] + [ids[s.node] for s in trace.steps],
            "stepInputs": [[]] + [[ids[c.input] for c in s.inputs if c.added is not None] for s in trace.steps],
            "stepEdges": [[]] + [[f"e{ids[s.node]}_{c.position}" for c in s.inputs] for s in trace.steps],
            "captions": [self.caption(i) for i in range(len(trace.forward) + len(trace.steps) + 1)],
            "nodes": {
                ids[c.node]: {
                    "data": self._data(c.node),
                    "grads": self.grad_texts(c.node),
                    "flows": [s.index for s, _ in self.flows[c.node]],
                    "root": c.node is trace.root,
                    "modules": [self.module_ids[k] for k in trace.modules.get(c.node, ())],
                    "chain": self.chain(c.node),
                }
                for c in trace.forward
            },
            "views": {
                key: {"svg": self.svg(set(expanded)), "expanded": [self.module_ids[k] for k in expanded]}
                for key, expanded in views.items()
            },
            "moduleKeys": self.keys,
        }

    def _expanded_for(self, key: str) -> tuple[str, ...]:
        """Open ``key``, the modules around it, and inside it any module that is all there is to see
        (a Layer of one Neuron opens on the Neuron's nodes, not on one more box)."""
        paths = [path for path in self.trace.modules.values() if key in path]
        opened = paths[0][: paths[0].index(key) + 1]
        while True:
            inner = {path[len(opened)] if len(path) > len(opened) else None for path in paths}
            if len(inner) != 1 or None in inner:
                return opened
            opened = (*opened, inner.pop())

    def widget(self) -> str:
        """The stepper as an HTML fragment: a static SVG of the final state, replaced by the stepper
        where scripts run (GitHub's notebook view strips scripts, so the picture stays)."""
        uid = f"bp-{uuid.uuid4().hex[:12]}"
        data = json.dumps(self.page_data()).replace("<", "\\u003c")  # no "</script>" can end the data early
        root = html.escape(self.trace.names[self.trace.root])
        colours = ";".join(f"--bp-{name}:{colour}" for name, colour in PALETTE.items())
        return (
            f'<div class="bp" id="{uid}" style="{colours}">\n<style>{_asset("stepper.css")}</style>\n'
            f"<h3>Backpropagation of {root}: {len(self.trace.steps)} steps</h3>\n"
            f'<div class="bp-static">{self.svg(self.default)}</div>\n'
            f'<script type="application/json" class="bp-data">{data}</script>\n</div>\n'
            f'<script>\n{_asset("stepper.js")}\nbpStepper(document.getElementById("{uid}"));\n</script>\n'
        )

    def html(self) -> str:
        """A whole page, working from disk with no network: styles, script and pictures are inline."""
        title = html.escape(f"Backpropagation of {self.trace.names[self.trace.root]}")
        return _asset("stepper.html").replace("{{title}}", title).replace("{{widget}}", self.widget())

    def _repr_html_(self) -> str:
        return self.widget()

    def save(self, path: str | Path) -> Path:
        """Write ``path`` by its suffix: .html (the stepper), .gif (animation) or .svg (final state)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".gif", ".svg"):
            raise ValueError(f"draw_backward writes .html, .gif or .svg files, not {path.name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".gif":
            self.gif(path)
        elif suffix == ".svg":
            path.write_text(self.svg())
        else:
            path.write_text(self.html(), encoding="utf-8")
        return path


def draw_backward(
    root: Node,
    path: str | Path | None = None,
    gradient: Any = None,
    forward: record_forward | None = None,
    params: Mapping[str, Node] | None = None,
    max_nodes: int = 300,
    rankdir: str = "TB",
    collapse: bool | None = None,
) -> Stepper:
    """Run ``root``'s backward pass (it leaves the grads ``backward()`` leaves) and draw it: ``path``
    ending in .html writes the stepper page, .gif an animation, .svg the final state. The returned
    ``Stepper`` shows inline in Jupyter. ``forward``: a ``record_forward`` of the forward pass (one
    box per module); ``collapse``: start modules closed (default: on graphs of over 40 nodes)."""
    check_size(len(topological_order((root,))), max_nodes)  # before backward runs: nothing half-done
    stepper = Stepper(trace_backward(root, gradient, forward, params), rankdir, collapse, max_nodes)
    if path is not None:
        stepper.save(path)
    return stepper


def check_size(nodes: int, max_nodes: int) -> None:
    if nodes > max_nodes:
        raise ValueError(
            f"the graph has {nodes} nodes, more than max_nodes={max_nodes}: stepping through it would not be "
            f"readable. Use Tensors for a batch (a node per layer op, not per number), a smaller model or input, "
            f"or pass max_nodes={nodes} to draw it anyway"
        )


def _table(rows: list[str], chars: int, fill: str) -> str:
    """A node's label: fixed-size rows of ``chars`` characters, bordered, filled with ``fill``."""
    return _cells(rows, "center", fill, chars, border=1)


def _cells(rows: list[str], align: str, fill: str | None, width: int, border: int = 0, color: str = "black") -> str:
    """An HTML-like Graphviz label: one fixed-size cell per row (``width`` characters wide), so its size
    never depends on the text shown."""
    points = int(width * CHAR_WIDTH) + 12
    cells = "".join(
        f'<tr><td fixedsize="true" width="{points}" height="{ROW_HEIGHT}" align="{align}">'
        f'<font color="{color}">{row}</font></td></tr>'
        for row in rows
    )
    background = f' bgcolor="{fill}"' if fill else ""
    return f'<<table border="{border}" cellborder="0" cellspacing="0"{background}>{cells}</table>>'


def _asset(name: str) -> str:
    """A file of the page (``autograd/page/``), inlined when the page is written."""
    return resources.files("autograd").joinpath("page", name).read_text(encoding="utf-8")
