"""autograd.linear, the one op behind nn.Linear, against torch.nn.functional.linear in float64."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from tests.helpers import assert_close, compare, compare_second, leaf


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 3), min_size=0, max_size=2),
    st.integers(1, 4),
    st.integers(1, 4),
    st.booleans(),
    st.integers(0, 2**16),
)
def test_linear_matches_torch(batch, inputs, outputs, with_bias, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((*batch, inputs))
    w = rng.standard_normal((outputs, inputs))
    b = rng.standard_normal(outputs)
    if with_bias:
        compare(lambda x, w, b: autograd.linear(x, w, b), x, w, b, torch_fn=torch.nn.functional.linear)
    else:
        compare(lambda x, w: autograd.linear(x, w), x, w, torch_fn=torch.nn.functional.linear)


def test_second_derivative_through_linear():
    w = np.random.default_rng(1).standard_normal((3, 4))
    compare_second(
        lambda x: autograd.linear(x, leaf(w), None).tanh(),
        np.random.default_rng(2).standard_normal((2, 4)),
        torch_fn=lambda x: torch.nn.functional.linear(x, torch.from_numpy(w)).tanh(),
    )


@pytest.mark.parametrize("x_shape", [(4,), (1, 4), (3, 4)])  # one row takes the outer-product path
def test_second_derivative_in_the_weight(x_shape):
    x = np.random.default_rng(3).standard_normal(x_shape)
    compare_second(
        lambda w: autograd.linear(leaf(x), w, None).tanh(),
        np.random.default_rng(4).standard_normal((3, 4)),
        torch_fn=lambda w: torch.nn.functional.linear(torch.from_numpy(x), w).tanh(),
    )


def test_a_scalar_bias_broadcasts_as_in_torch():
    x, w, b = leaf(np.ones((2, 3))), leaf(np.ones((4, 3))), leaf(np.array(0.5))
    out = autograd.linear(x, w, b)
    out.sum().backward()
    assert_close(out, np.full((2, 4), 3.5))
    assert b.grad == 8.0


@pytest.mark.parametrize(
    "shapes, message",
    [(((2, 3), (4, 5), None), "cannot be multiplied"), (((2, 3), (4, 3), (5,)), "bias of shape (5,)")],
)
def test_bad_shapes_name_the_op(shapes, message):
    x, w, b = (None if s is None else autograd.zeros(*s) for s in shapes)
    with pytest.raises(RuntimeError, match=rf"linear.*{message}".replace("(", r"\(").replace(")", r"\)")):
        autograd.linear(x, w, b)
