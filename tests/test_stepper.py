"""autograd.draw_backward: the stepper page in a real browser (Debian's Chromium through Selenium,
opened from a file:// path with the network off), the GIF (one frame per backward step, drawn by
Graphviz), the final-state SVG, and module boxes that open on click."""

import html
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest
from PIL import Image, ImageSequence
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from autograd import Value, draw_backward, trace_backward
from autograd.stepper import PALETTE, Stepper
from autograd.trace import number
from demos import backprop

needs_dot = pytest.mark.requires("dot", "graphviz")


def needs_browser(test):
    """Chromium shows the page, chromedriver lets Selenium drive it, Graphviz lays it out (checked in that order)."""
    test = pytest.mark.requires("chromium", "chromium chromium-driver")(test)
    return needs_dot(pytest.mark.requires("chromedriver", "chromium-driver")(test))


def reused_graph():
    """L = tanh(a*b + a) * c: ``a`` is used twice, so its gradient is a sum of two terms."""
    a, b, c = Value(0.5, label="a"), Value(-1.5, label="b"), Value(2.0, label="c")
    d = a * b
    e = d + a
    f = e.tanh()
    loss = f * c
    for v, label in [(d, "d"), (e, "e"), (f, "f"), (loss, "L")]:
        v.label = label
    return loss, (a, b, c)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium, offline: a page that fetched anything would fail to load it."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1300,1100",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    yield driver
    driver.quit()


def open_page(browser, path):
    browser.get(path.resolve().as_uri())
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    return browser.find_element(By.CSS_SELECTOR, ".bp")


def shown(browser, node_id, role):
    return browser.find_element(By.CSS_SELECTOR, f".bp-graph g#n{node_id} text.{role}").text


def click(browser, go):
    browser.find_element(By.CSS_SELECTOR, f'[data-go="{go}"]').click()


@needs_browser
def test_page_steps_through_the_backward_pass(browser, tmp_path):
    loss, (a, b, c) = reused_graph()
    stepper = draw_backward(loss, tmp_path / "reused.html")
    trace, ids = stepper.trace, stepper.trace.index
    page = open_page(browser, tmp_path / "reused.html")
    assert browser.find_element(By.CSS_SELECTOR, ".bp-where").text == f"backward 0/{len(trace.steps)}"
    assert shown(browser, ids[loss], "bp-grad") == "grad 1"
    assert shown(browser, ids[a], "bp-grad") == "grad ?"
    for s in trace.steps[:3]:
        click(browser, "next")
        (current,) = browser.find_elements(By.CSS_SELECTOR, ".bp-graph g.node.current")
        assert current.get_attribute("id") == f"n{ids[s.node]}"
        for contribution in s.inputs:
            assert number(contribution.after) in shown(browser, ids[contribution.input], "bp-grad")
        caption = browser.find_element(By.CSS_SELECTOR, ".bp-caption").text
        assert caption.startswith(f"step {s.index}/{len(trace.steps)}") and number(s.upstream) in caption
        running = browser.find_elements(By.CSS_SELECTOR, ".bp-graph g.edge.current text")
        assert {t.text for t in running} >= {f"local {number(ci.local)}" for ci in s.inputs}
        browser.save_screenshot(str(tmp_path / f"step{s.index}.png"))
    page.send_keys(Keys.ARROW_RIGHT)
    assert browser.find_element(By.CSS_SELECTOR, ".bp-where").text == f"backward 4/{len(trace.steps)}"
    page.send_keys(Keys.ARROW_LEFT)
    assert browser.find_element(By.CSS_SELECTOR, ".bp-where").text == f"backward 3/{len(trace.steps)}"

    click(browser, "end")
    for leaf in (a, b, c):
        assert shown(browser, ids[leaf], "bp-grad").endswith(number(leaf.grad))
    assert (
        shown(browser, ids[a], "bp-grad")
        == "grad " + " + ".join(number(ci.added) for _, ci in trace.consumers(a)) + f" = {number(a.grad)}"
    )

    browser.find_element(By.CSS_SELECTOR, f".bp-graph g#n{ids[a]}").click()
    lines = browser.find_element(By.CSS_SELECTOR, ".bp-chain").text.splitlines()
    assert lines[0] == "dL/da = dL/de × de/da + dL/dd × dd/da"
    terms = [(s, ci) for s, ci in trace.consumers(a)]
    assert len(terms) == 2 and len(lines) == 4
    for line, (s, ci) in zip(lines[1:3], terms):
        assert line.startswith(f"step {s.index}: from {trace.names[s.node]}")
        assert line.endswith(f"{number(s.upstream)} × {number(ci.local)} = {number(ci.added)}")
    assert lines[3] == f"= {number(a.grad)}"
    browser.save_screenshot(str(tmp_path / "chain-rule.png"))

    click(browser, "start")
    assert browser.find_element(By.CSS_SELECTOR, ".bp-where").text == f"forward 1/{len(trace.forward)}"
    first, last = trace.forward[0].node, trace.forward[-1].node
    assert shown(browser, ids[first], "bp-value") == f"data {number(first.data)}"
    assert shown(browser, ids[last], "bp-value") == "data ?"
    browser.execute_script(
        "const s = arguments[0]; s.value = s.max; s.dispatchEvent(new Event('input'))",
        browser.find_element(By.CSS_SELECTOR, ".bp-slider"),
    )
    assert browser.find_element(By.CSS_SELECTOR, ".bp-where").text == f"backward {len(trace.steps)}/{len(trace.steps)}"

    click(browser, "play")  # from the end, play starts again at the first forward value
    where = browser.find_element(By.CSS_SELECTOR, ".bp-where")
    WebDriverWait(browser, 5).until(lambda _: where.text == f"forward 2/{len(trace.forward)}")
    click(browser, "play")  # pause
    paused = where.text
    time.sleep(1.2)
    assert where.text == paused


@needs_browser
def test_module_boxes_open_on_click(browser, tmp_path):
    loss, forward = backprop.scalar_mlp()
    draw_backward(loss, tmp_path / "mlp.html", forward=forward)
    open_page(browser, tmp_path / "mlp.html")

    def boxes():
        return {b.text.splitlines()[0]: b for b in browser.find_elements(By.CSS_SELECTOR, '.bp-graph g.node[id^="m"]')}

    def nodes():
        return len(browser.find_elements(By.CSS_SELECTOR, '.bp-graph g.node[id^="n"]'))

    def clusters():
        return {c.text.splitlines()[0] for c in browser.find_elements(By.CSS_SELECTOR, ".bp-graph g.cluster")}

    assert set(boxes()) == {"layers.0: Layer", "layers.1: Layer"} and clusters() == {"MLP"}
    closed = nodes()
    boxes()["layers.0: Layer"].click()  # three neurons: each one more box
    assert set(boxes()) == {f"layers.0.neurons.{i}: Neuron" for i in range(3)} | {"layers.1: Layer"}
    assert browser.find_element(By.CSS_SELECTOR, '[data-go="close"]').is_displayed()
    boxes()["layers.0.neurons.1: Neuron"].click()
    assert "layers.0.neurons.1: Neuron" in clusters() and nodes() > closed
    click(browser, "close")
    boxes()["layers.1: Layer"].click()  # one neuron: it opens too
    assert {"layers.1: Layer", "layers.1.neurons.0: Neuron"} <= clusters()
    assert set(boxes()) == {"layers.0: Layer"}
    click(browser, "next")  # stepping keeps the modules open
    assert "layers.1.neurons.0: Neuron" in clusters()
    browser.save_screenshot(str(tmp_path / "modules.png"))
    click(browser, "close")
    assert nodes() == closed


def frames(path):
    with Image.open(path) as gif:
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]


def has_colour(image, hex_colour):
    rgb = tuple(int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
    return bool((np.asarray(image) == rgb).all(axis=-1).any())


@needs_dot
def test_gif_has_one_frame_per_step(tmp_path):
    loss, _ = reused_graph()
    stepper = draw_backward(loss, tmp_path / "reused.gif")
    images = frames(tmp_path / "reused.gif")
    assert len(images) == len(stepper.trace.steps) == 4
    assert len({image.size for image in images}) == 1
    assert all(has_colour(image, PALETTE["current"]) for image in images)
    assert not has_colour(images[0], PALETTE["complete"]) or has_colour(images[-1], PALETTE["complete"])


@needs_dot
def test_every_frame_has_the_same_layout():
    """Fixed-size cells: the texts change from frame to frame, the positions do not."""
    loss, _ = reused_graph()
    stepper = Stepper(trace_backward(loss))

    def positions(step):
        plain = stepper.dot(step=step).pipe(format="plain").decode()
        return [line.split()[:6] for line in plain.splitlines() if line.startswith(("node", "graph"))]

    first = positions(1)
    assert len(first) == 1 + len(stepper.trace.forward)
    assert all(positions(s) == first for s in range(2, len(stepper.trace.steps) + 1))


@needs_dot
def test_svg_is_the_final_state(tmp_path):
    loss, (a, b, c) = reused_graph()
    stepper = draw_backward(loss, tmp_path / "final.svg")
    root = ET.parse(tmp_path / "final.svg").getroot()
    groups = {g.get("id"): [t.text for t in g.iter() if t.tag.endswith("}text")] for g in root.iter() if g.get("id")}
    for leaf in (a, b, c):
        assert groups[f"n{stepper.trace.index[leaf]}"][2].endswith(number(leaf.grad))
    assert sum(1 for key in groups if re.fullmatch(r"n\d+", key)) == len(stepper.trace.forward)


@needs_dot
def test_html_is_one_self_contained_file(tmp_path):
    loss, _ = reused_graph()
    draw_backward(loss, tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<img\b|url\(|@import", page)
    for address in re.findall(r"https?://[^\s\"'<>]+", page):
        assert address.startswith(("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")), address
    assert Counter(re.findall(r"<script\b", page)) == {"<script": 2}  # the data and the player, both inline


@needs_dot
def test_jupyter_gets_the_stepper_with_a_static_picture():
    loss, (a, _, _) = reused_graph()
    trace = trace_backward(loss)
    first, second = trace._repr_html_(), trace._repr_html_()
    assert 'class="bp-static"><svg' in first and "bpStepper(document.getElementById(" in first
    ids = [re.search(r'<div class="bp" id="([^"]+)"', h)[1] for h in (first, second)]
    assert ids[0] != ids[1]  # two outputs in one notebook do not drive each other
    static = html.unescape(re.search(r'class="bp-static">(.*?)</svg>', first, re.S)[1])
    assert f"grad {number(a.grad)}" in static or f"= {number(a.grad)}" in static


def test_max_nodes_is_refused_before_backward_runs(tmp_path):
    y = x = Value(1.0)
    for _ in range(200):
        y = y * 1.01
    with pytest.raises(ValueError, match=r"401 nodes, more than max_nodes=300.*max_nodes=401"):
        draw_backward(y, tmp_path / "big.html")
    assert x.grad == 0.0 and not (tmp_path / "big.html").exists()
    with pytest.raises(ValueError, match=r"\.html, \.gif or \.svg"):
        draw_backward(Value(1.0) * 2, tmp_path / "page.pdf")


@needs_dot
def test_tensor_steps_show_vector_jacobian_products(tmp_path):
    loss, forward = backprop.tensor_mlp()
    stepper = draw_backward(loss, forward=forward)
    assert len(stepper.trace.forward) < 25  # a dozen-odd nodes, each a whole array
    step = next(s for s in stepper.trace.steps if s.op == "linear")
    lines = stepper.caption(len(stepper.trace.forward) + step.index)
    for c in step.inputs:
        if c.added is not None:
            assert any(number(c.added) in line and "VJP" in line for line in lines)
    clusters = re.findall(r'label="?([^"\n]*: \w+)"?', stepper.dot().source)
    assert {"layer1: Linear", "layer2: Linear", "sigmoid: Sigmoid"} <= set(clusters)


@needs_dot
def test_demo_writes_html_and_gif(tmp_path):
    backprop.main(["neuron", "--out", str(tmp_path)])
    assert len(frames(tmp_path / "neuron.gif")) == 5
    assert "bpStepper" in (tmp_path / "neuron.html").read_text(encoding="utf-8")


def test_without_graphviz_the_error_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    loss, _ = reused_graph()
    with pytest.raises(RuntimeError, match=r"(?i)install.*graphviz"):
        draw_backward(loss, tmp_path / "page.html")
    assert not (tmp_path / "page.html").exists()
