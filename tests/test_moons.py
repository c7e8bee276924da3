"""demos.moons: the data, a short training run, and the files the demo writes."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd
import nn
from demos.moons import loss_and_accuracy, main, make_moons, train


def test_make_moons_is_seeded_and_labelled() -> None:
    X, y = make_moons(101, seed=3)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert sorted(set(y.tolist())) == [-1.0, 1.0] and (y == -1).sum() == 51
    np.testing.assert_array_equal(X, make_moons(101, seed=3)[0])
    assert not np.array_equal(X, make_moons(101, seed=4)[0])


def test_training_lowers_the_loss_and_fits_the_moons() -> None:
    autograd.manual_seed(0)
    X, y = make_moons(40, seed=0)
    model = nn.MLP(2, [8, 8, 1])
    losses = train(model, X, y, steps=80)
    _, accuracy = loss_and_accuracy(model, X, y)
    assert losses[-1] < 0.25 * losses[0]
    assert accuracy >= 0.95


@pytest.mark.requires("dot", "graphviz")
def test_main_writes_the_pictures(tmp_path) -> None:
    main(["--steps", "3", "--out", str(tmp_path)])
    assert (tmp_path / "decision_boundary.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = ET.parse(tmp_path / "graph.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
