"""The demos of the two blog posts, run in-process in --quick mode: their key numbers and their pictures."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from demos import (
    activations,
    fit_line,
    fit_online,
    house,
    losses,
    minibatch,
    neuron,
    normal_equation,
    sgd,
    sigmoid_fit,
    simple_model,
)


def quick(demo, tmp_path: Path, *extra: str) -> dict:
    return demo.main(["--quick", "--out", str(tmp_path), *extra])


def assert_picture(path: Path, frames: int = 1) -> None:
    """The file exists, decodes with Pillow, and holds ``frames`` frames."""
    with Image.open(path) as image:
        image.load()
        assert image.width > 300 and image.height > 200
        assert getattr(image, "n_frames", 1) == frames


def assert_pairs_equal(pairs: list[tuple[float, ...]]) -> None:
    """Each row holds (by hand, by autograd) pairs: every pair equal to rounding."""
    rows = np.array(pairs)
    np.testing.assert_allclose(rows[:, 0::2], rows[:, 1::2], rtol=1e-9, atol=1e-12)


def least_squares_w(seed: int = 0) -> float:
    xs, ys = house.get(100, np.random.default_rng(seed))
    return float(np.linalg.lstsq(xs[:, None], ys, rcond=None)[0][0])


# -- the first blog post: neurons and loss functions ------------------------------------------


def test_activations_derivatives_are_autograds_and_right(tmp_path) -> None:
    result = quick(activations, tmp_path)
    x = result["x"].astype(np.float64)
    sigmoid = 1 / (1 + np.exp(-x))
    expected = {
        "sigmoid": sigmoid * (1 - sigmoid),
        "tanh": 1 - np.tanh(x) ** 2,
        "ReLU": (x > 0).astype(float),
        "PReLU": np.where(x > 0, 1.0, 0.25),
        "softmax": sigmoid * (1 - sigmoid),  # softmax over (x, 0), first share = sigmoid(x)
    }
    assert len(x) == 101 and x[0] == -5 and x[-1] == pytest.approx(5)
    for name, derivative in expected.items():
        np.testing.assert_allclose(result["derivatives"][name], derivative, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(result["row_sums"], 1, atol=1e-6)
    assert result["prelu_slope_grad"] == pytest.approx(x[x < 0].sum(), rel=1e-6)
    assert_picture(result["png"])


def test_losses_match_the_post_and_their_formulas(tmp_path) -> None:
    result = quick(losses, tmp_path)
    assert result["mse"] == 4.0
    assert result["cross_entropy"] == pytest.approx(result["cross_entropy_by_hand"], rel=1e-6)
    assert result["bce"] == pytest.approx(result["bce_by_hand"], rel=1e-6)
    assert 0 < result["bce"] and 0 < result["cross_entropy"]
    assert_picture(result["png"])


@pytest.mark.requires("dot", "graphviz")
def test_neuron_draws_each_activation_with_its_grads(tmp_path) -> None:
    result = quick(neuron, tmp_path)
    x, z = np.array(neuron.X), np.dot(neuron.W, neuron.X) + neuron.B
    y = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(result["grads"]["sigmoid"], np.append(y * (1 - y) * x, y * (1 - y)), rtol=1e-12)
    np.testing.assert_allclose(result["grads"]["tanh"], (1 - np.tanh(z) ** 2) * np.append(x, 1), rtol=1e-12)
    assert z < 0 and result["grads"]["relu"] == [0.0] * 4
    np.testing.assert_allclose(result["grads"]["prelu"], 0.25 * np.append(x, 1), rtol=1e-12)
    assert [p.name for p in result["svgs"]] == [
        f"neuron_{n}.svg" for n in ("prelu", "relu", "sigmoid", "softmax", "tanh")
    ]
    for svg in result["svgs"]:
        root = ET.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "grad" in svg.read_text()


# -- the second blog post: from one weight to a network -----------------------------------------


@pytest.mark.requires("dot", "graphviz")
def test_fit_online_is_gradient_descent_on_half_the_squared_error(tmp_path) -> None:
    result = quick(fit_online, tmp_path, "--graph")
    assert len(result["slopes"]) == 100
    assert_pairs_equal(result["slopes"])
    assert result["w"] == pytest.approx(least_squares_w(), abs=0.05)
    assert_picture(result["gif"], frames=10)
    assert_picture(result["png"])
    assert "L = e^2 / 2" in (tmp_path / "fit_online_graph.svg").read_text()


def test_normal_equation_is_least_squares(tmp_path) -> None:
    result = quick(normal_equation, tmp_path)
    assert result["w"] == pytest.approx(result["least_squares"], rel=1e-12)
    assert abs(result["slope_at_w"]) < 1e-12
    assert result["online"] > result["w"] + 0.2  # the outlier, seen last, drags the online update
    assert_picture(result["png"])


def test_sgd_hand_slope_is_autograds(tmp_path) -> None:
    result = quick(sgd, tmp_path)
    assert len(result["slopes"]) == 100
    assert_pairs_equal(result["slopes"])
    assert result["w"] == pytest.approx(least_squares_w(), abs=0.05)
    assert_picture(result["gif"], frames=10)
    assert_picture(result["png"])


def test_minibatch_uses_whole_batches(tmp_path) -> None:
    result = quick(minibatch, tmp_path)
    assert len(result["slopes"]) == 500
    assert_pairs_equal(result["slopes"])
    assert result["w"] == pytest.approx(least_squares_w(), abs=0.01)
    assert_picture(result["gif"], frames=10)


def test_fit_line_learns_a_falling_line(tmp_path) -> None:
    result = quick(fit_line, tmp_path)
    assert len(result["slopes"]) == 1500
    assert_pairs_equal(result["slopes"])
    assert result["w"] < -1 and 1.4 < result["b"] < 1.7
    assert_picture(result["gif"], frames=10)
    assert_picture(result["png"])


def test_sigmoid_fit_chain_rule_equals_autograd_at_every_step(tmp_path) -> None:
    result = quick(sigmoid_fit, tmp_path)
    assert len(result["slopes"]) == 30 * 100
    assert_pairs_equal(result["slopes"])
    assert result["w"] > 5 and result["accuracy"] >= 0.9
    assert_picture(result["gif"], frames=10)
    assert_picture(result["png"])


def test_simple_model_learns_the_50_points(tmp_path) -> None:
    """--quick trains 2,000 of the post's 20,000 epochs (seed 0): most of the way. The full run ends
    with a mean squared error near 0.0002 and all 50 points right, as PyTorch's does."""
    result = quick(simple_model, tmp_path)
    assert result["epochs"] == 2000
    assert result["mse"] < 0.05  # from 0.25 for a constant 0.5
    assert result["right_side"] >= 48
    assert_picture(result["png"])


def test_show_without_a_display_only_saves(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    result = normal_equation.main(["--show", "--out", str(tmp_path)])
    assert "no display" in capsys.readouterr().out
    assert_picture(result["png"])
