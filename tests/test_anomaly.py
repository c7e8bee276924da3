"""``autograd.detect_anomaly``: the first NaN or inf made in forward (from finite inputs) or in
backward raises, naming the op and the line of the program that created it; outside it, nothing
is checked."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import autograd
import nn
from autograd import Value


def line_of(marker: str) -> str:
    """``file:line`` of the line of this file that ends with the comment ``marker``."""
    with open(__file__) as source:
        lines = [k for k, line in enumerate(source, start=1) if line.rstrip().endswith(marker)]
    assert len(lines) == 1, marker
    return f"{__file__}:{lines[0]}"


def anomaly_message(run) -> str:
    with autograd.detect_anomaly(), pytest.raises(RuntimeError) as error:
        run()
    return str(error.value)


# -- forward ---------------------------------------------------------------------------------
def test_tensor_forward_inf_names_the_op_and_the_line():
    x = autograd.tensor([1.0, 0.0], requires_grad=True)
    message = anomaly_message(lambda: x.log())  # <- log of zero
    assert message == (
        f"detect_anomaly: the op 'log' created at {line_of('# <- log of zero')} produced -inf from finite inputs"
    )


def test_value_forward_nan_names_the_op_and_the_line():
    x = Value(-1.0)
    message = anomaly_message(lambda: x**0.5)  # <- root of a negative
    assert f"the op '**' created at {line_of('# <- root of a negative')} produced NaN" in message


@pytest.mark.parametrize(
    ("make", "op", "made"),
    [
        (lambda x: (x + 2).exp() ** 800.0, "**", "inf"),
        (lambda x: (x * 1000).exp(), "exp", "inf"),
        (lambda x: (x - x).sqrt() / (x - x), "/", "NaN"),
        (lambda x: (-x).log(), "log", "NaN"),
        (lambda x: x ** autograd.tensor([-1.0, -1.0], dtype=autograd.float64) * 0, "**", "inf"),
    ],
)
def test_first_non_finite_op_of_a_chain_is_named(make, op, made):
    x = autograd.tensor([1.0, 0.0], dtype=autograd.float64, requires_grad=True)
    message = anomaly_message(lambda: make(x))
    assert re.search(f"the op '{re.escape(op)}' created at .*test_anomaly.py:\\d+ produced {made} ", message)


def test_ops_of_non_finite_inputs_pass_on_what_they_got():
    x = autograd.tensor([np.inf, 1.0], requires_grad=True)
    with autograd.detect_anomaly():
        y = (x * 2 + 1).exp()
    assert y.data[0] == np.inf


def test_op_made_inside_nn_is_traced_to_the_callers_line():
    probabilities = autograd.tensor([0.5, 0.0], requires_grad=True)
    message = anomaly_message(lambda: nn.functional.softmax(probabilities.log(), 0))  # <- log inside a call
    assert f"'log' created at {line_of('# <- log inside a call')}" in message


def test_function_forward_is_checked_at_the_users_line():
    class Reciprocal(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return 1 / x  # <- inside a Function forward

        @staticmethod
        def backward(ctx, g):
            return g

    message = anomaly_message(lambda: Reciprocal.apply(autograd.tensor([0.0], requires_grad=True)))
    assert f"'/' created at {line_of('# <- inside a Function forward')} produced inf" in message


# -- backward --------------------------------------------------------------------------------
def test_tensor_backward_inf_names_the_rule_and_where_its_op_was_created():
    x = autograd.tensor([4.0, 0.0], requires_grad=True)
    with autograd.detect_anomaly():
        root = x.sqrt()  # <- sqrt at zero
        loss = root.sum()
        with pytest.raises(RuntimeError) as error:
            loss.backward()
    assert str(error.value) == (
        f"detect_anomaly: the backward of 'sqrt' (created at {line_of('# <- sqrt at zero')}) returned inf "
        f"as the gradient of its input 0"
    )


def test_value_backward_inf_names_the_rule():
    with autograd.detect_anomaly():
        a = Value(0.0)
        b = a**0.5  # <- Value root at zero
        with pytest.raises(RuntimeError) as error:
            b.backward()
    assert f"the backward of '**' (created at {line_of('# <- Value root at zero')})" in str(error.value)


def test_function_backward_returning_nan_is_caught():
    class Broken(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * np.nan

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    with autograd.detect_anomaly():
        y = Broken.apply(x)  # <- a broken Function
        with pytest.raises(RuntimeError) as error:
            y.sum().backward()
    assert f"the backward of 'Broken' (created at {line_of('# <- a broken Function')}) returned NaN" in str(error.value)


def test_backward_of_an_op_made_before_the_mode_was_on():
    x = autograd.tensor([0.0], requires_grad=True)
    loss = x.sqrt().sum()
    with autograd.detect_anomaly(), pytest.raises(RuntimeError, match="created at a line run before detect_anomaly"):
        loss.backward()


def test_ops_inside_backward_rules_are_not_blamed_for_the_rules_result():
    x = autograd.tensor([0.0], requires_grad=True)
    with autograd.detect_anomaly():
        loss = (x * 3).sqrt().sum()
        with pytest.raises(RuntimeError, match=r"^detect_anomaly: the backward of 'sqrt'"):
            loss.backward()


def test_finite_program_runs_unchanged_under_the_mode():
    x = autograd.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    (x.tanh() @ x.exp()).log_softmax(1).sum().backward()
    expected = x.grad
    x.grad = None
    with autograd.detect_anomaly():
        (x.tanh() @ x.exp()).log_softmax(1).sum().backward()
    np.testing.assert_array_equal(x.grad, expected)


# -- a training loop that diverges -----------------------------------------------------------------
def train_until_it_breaks(steps: int) -> list[float]:
    """Fit a logistic unit to make 1 - p vanish: p saturates at 1.0 in float32 and log(1 - p) is -inf."""
    autograd.manual_seed(0)
    model = nn.Linear(2, 1)
    optimizer = nn.optim.SGD(model.parameters(), lr=5.0)
    inputs = autograd.tensor([[1.0, 2.0], [2.0, 1.0]])
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        p = model(inputs).sigmoid()
        loss = (1 - p).log().mean()  # <- the loss that diverges
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def test_divergent_training_is_stopped_at_the_op_that_made_the_first_inf():
    with autograd.detect_anomaly(), pytest.raises(RuntimeError) as error:
        train_until_it_breaks(50)
    assert str(error.value) == (
        f"detect_anomaly: the op 'log' created at {line_of('# <- the loss that diverges')} produced -inf "
        f"from finite inputs"
    )


def test_outside_the_mode_nothing_is_checked():
    losses = train_until_it_breaks(50)
    assert len(losses) == 50 and math.isfinite(losses[0]) and not math.isfinite(losses[-1])
    assert autograd.tensor([0.0]).log().item() == -np.inf


def test_mode_is_off_again_after_the_block_even_after_an_error():
    assert not autograd.anomaly.enabled()
    with pytest.raises(RuntimeError), autograd.detect_anomaly():
        autograd.tensor([0.0]).log()
    assert not autograd.anomaly.enabled()

    @autograd.detect_anomaly()
    def log_of(x):
        return x.log()

    with pytest.raises(RuntimeError, match="'log'"):
        log_of(autograd.tensor([0.0]))
    assert log_of.__name__ == "log_of" and not autograd.anomaly.enabled()
