// The backprop stepper: plays a trace written by autograd/stepper.py inside one .bp container.
// The timeline: positions 0..F-1 compute the F forward values one by one, position F is the start
// of the backward pass (d root / d root seeded), and F + s is the state after backward step s.
// Graphviz laid the graph out; this script only changes texts and CSS classes.
function bpStepper(root) {
  const data = JSON.parse(root.querySelector(".bp-data").textContent);
  const F = data.forward, last = data.forward + data.steps;
  let position = F; // open where backward starts
  let expanded = new Set(data.views[""].expanded); // ids of the open modules
  let timer = null; // set while playing
  let chosen = null; // the node whose chain-rule sum is shown

  root.querySelector(".bp-static").remove(); // the fallback picture for pages without scripts
  root.insertAdjacentHTML("beforeend", `
    <div class="bp-controls">
      <button data-go="start" title="first forward value (Home)">&#x00AB; Start</button>
      <button data-go="prev" title="previous (left arrow)">&#x25C0; Prev</button>
      <button data-go="play" title="play / pause (space)">&#x25B6; Play</button>
      <button data-go="next" title="next (right arrow)">Next &#x25B6;</button>
      <button data-go="end" title="last step (End)">End &#x00BB;</button>
      <input type="range" class="bp-slider" min="0" max="${last}" aria-label="position">
      <span class="bp-where"></span>
      <button data-go="close" hidden>close modules</button>
    </div>
    <pre class="bp-caption"></pre>
    <div class="bp-body">
      <div class="bp-graph"></div>
      <aside class="bp-chain">Click a node to see its gradient as a chain-rule sum; click a module's box to open it.</aside>
    </div>`);
  const find = (selector) => root.querySelector(selector);
  const graph = find(".bp-graph"), slider = find(".bp-slider"), chain = find(".bp-chain");
  root.tabIndex = 0;

  // Show the view (one SVG per set of open modules) and mark the texts this script rewrites.
  function showView(key) {
    graph.innerHTML = data.views[key].svg;
    expanded = new Set(data.views[key].expanded);
    find('[data-go="close"]').hidden = key === "";
    for (const g of graph.querySelectorAll("g.node")) {
      const texts = g.querySelectorAll("text");
      if (g.id[0] !== "n" || texts.length < 3) continue;
      // Graphviz anchors each text at its start; centre it so a longer text stays centred.
      const xs = g.querySelector("polygon").getAttribute("points").split(" ").map((p) => parseFloat(p));
      const middle = (Math.min(...xs) + Math.max(...xs)) / 2;
      for (const [text, role] of [[texts[1], "bp-value"], [texts[2], "bp-grad"]]) {
        text.classList.add(role);
        text.setAttribute("text-anchor", "middle");
        text.setAttribute("x", middle);
      }
    }
    render();
  }

  // The element a node is drawn as: itself, or the box of its outermost closed module.
  function shownAs(id) {
    const closed = data.nodes[id].modules.find((m) => !expanded.has(m));
    return closed === undefined ? "n" + id : "m" + closed;
  }

  // The grad cell's text after backward step s: the last one that shows at or before s.
  function gradText(node, s) {
    let text = node.grads[0][1];
    for (const [from, shown] of node.grads) if (from <= s) text = shown;
    return text;
  }

  // A node's colour after backward step s (stepper.py's Stepper.state does the same for the GIF).
  function backwardState(id, node, s) {
    if (data.stepNode[s] === +id) return "current";
    if (data.stepInputs[s].includes(+id)) return "receiving";
    if (node.root) return "complete";
    if (node.flows.length === 0) return "constant";
    const arrived = node.flows.filter((step) => step <= s).length;
    return arrived === node.flows.length ? "complete" : arrived ? "partial" : "waiting";
  }

  function render() {
    const s = position - F; // the backward step; negative while the forward pass plays
    const active = s < 0 ? position + 1 : data.stepNode[s]; // the node computed or differentiated now
    slider.value = position;
    find(".bp-where").textContent = s < 0 ? `forward ${position + 1}/${F}` : `backward ${s}/${data.steps}`;
    find(".bp-caption").textContent = data.captions[position].join("\n");
    for (const [id, node] of Object.entries(data.nodes)) {
      const g = graph.querySelector("#n" + id);
      if (!g) continue;
      const state = s >= 0 ? backwardState(id, node, s) : +id === active ? "current" : +id < active ? "waiting" : "future";
      g.setAttribute("class", `node ${state}${+id === chosen ? " chosen" : ""}`);
      g.querySelector(".bp-value").textContent = s >= 0 || +id <= active ? node.data : "data ?";
      g.querySelector(".bp-grad").textContent = s >= 0 ? gradText(node, s) : "grad ?";
    }
    const box = active ? shownAs(active) : null; // a closed module holding the active node lights up
    for (const g of graph.querySelectorAll('g.node[id^="m"]')) g.setAttribute("class", g.id === box ? "node current" : "node");
    const running = new Set(s > 0 ? data.stepEdges[s] : []);
    for (const g of graph.querySelectorAll("g.edge")) {
      const step = edgeStep[g.id];
      let state = "future";
      if (s < 0) state = g.id.startsWith(`e${active}_`) ? "flow" : "future";
      else if (running.has(g.id)) state = "current";
      else if (step !== undefined && step < s) state = "done";
      g.setAttribute("class", "edge " + state);
    }
    renderChain(s);
  }

  // The chosen node's gradient as a sum over its consumers; terms not yet run are greyed.
  function renderChain(s) {
    if (chosen === null) return;
    const node = data.nodes[chosen];
    chain.replaceChildren();
    const line = (text, cls) => chain.appendChild(Object.assign(document.createElement("div"), { textContent: text, className: cls }));
    line(node.chain.title, "title");
    for (const [step, text] of node.chain.terms) line(`step ${step}: ${text}`, step <= s ? "term" : "term pending");
    const complete = node.chain.terms.every(([step]) => step <= s);
    line(node.chain.total, complete ? "total" : "total pending");
  }

  const edgeStep = {}; // edge id -> the backward step that runs it
  data.stepEdges.forEach((ids, s) => ids.forEach((id) => (edgeStep[id] = s)));

  function go(to) {
    position = Math.max(0, Math.min(last, to));
    render();
  }

  function play() {
    if (timer) return stop();
    if (position === last) go(0); // replay from the first forward value
    find('[data-go="play"]').innerHTML = "&#x2016; Pause";
    timer = setInterval(() => (position < last ? go(position + 1) : stop()), 900);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    find('[data-go="play"]').innerHTML = "&#x25B6; Play";
  }

  const actions = {
    start: () => go(0),
    prev: () => go(position - 1),
    next: () => go(position + 1),
    end: () => go(last),
    play: play,
    close: () => showView(""),
  };
  find(".bp-controls").addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button) actions[button.dataset.go]();
  });
  slider.addEventListener("input", () => go(+slider.value));
  root.addEventListener("keydown", (event) => {
    const keys = { ArrowRight: "next", ArrowLeft: "prev", Home: "start", End: "end", " ": "play" };
    if (!(event.key in keys) || event.target === slider) return;
    event.preventDefault();
    actions[keys[event.key]]();
  });
  // A click on a node shows its chain-rule sum; on a closed module's box, opens it.
  graph.addEventListener("click", (event) => {
    const g = event.target.closest("g.node");
    if (!g) return;
    if (g.id[0] === "m") return showView(data.moduleKeys[+g.id.slice(1)]);
    chosen = +g.id.slice(1);
    render();
  });

  showView("");
  if (document.body.hasAttribute("data-bp-page")) root.focus(); // the page of its own, not a notebook
}
