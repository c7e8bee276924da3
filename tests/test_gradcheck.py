"""autograd.gradcheck: passes correct Value and Tensor functions, and names both values when a gradient is wrong."""

import re

import numpy as np
import pytest

from autograd import GradcheckError, Value, gradcheck
from tests.helpers import leaf, random_like


def reported(message):
    """The (analytic, numerical) numbers a GradcheckError message reports."""
    number = r"(?:np\.float64\()?(-?[\d.]+(?:e[-+]?\d+)?)"
    found = re.search(rf"analytic {number}\)?, numerical {number}", message)
    assert found, f"message names neither value: {message}"
    return float(found[1]), float(found[2])


def test_correct_value_functions_pass():
    x, y = Value(0.3), Value(-1.2)
    assert gradcheck(lambda a, b: (a * b + a.exp() / (b * b + 1)).tanh() - b.sigmoid() + (a**2).log(), [x, y])
    assert gradcheck(lambda a: (a**3 - 2 * a).relu(), Value(1.7))


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b: (a @ b).tanh(),
        lambda a, b: ((a @ b).sigmoid() * a.sum()).log_softmax(1),
        lambda a, b: (a.exp() @ b / 3).mean(),
    ],
)
def test_correct_tensor_functions_pass(fn):
    assert gradcheck(fn, [leaf(random_like((2, 3), seed=1)), leaf(random_like((3, 4), seed=2))])


def test_wrong_tensor_gradient_is_reported():
    x = leaf([1.0, 2.0, -3.0])
    with pytest.raises(GradcheckError, match="input 0") as error:
        gradcheck(lambda t: t * t.detach(), x)  # analytic d/dx = x, true d/dx = 2x
    worst = x.data[np.argmax(np.abs(x.data))]
    assert reported(str(error.value)) == pytest.approx((worst, 2 * worst), rel=1e-6)


def test_wrong_value_gradient_is_reported():
    x = Value(1.5)
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda v: v * Value(v.data), x)  # the second factor is cut from the graph
    assert reported(str(error.value)) == pytest.approx((x.data, 2 * x.data), rel=1e-6)


def test_error_names_the_wrong_value_input():
    with pytest.raises(GradcheckError, match="input 1"):
        gradcheck(lambda a, b: a * b + b * Value(b.data), [Value(0.5), Value(2.0)])


def slightly_wrong(t):
    """Analytic gradient 1, true gradient 1.0001: an error of 1e-4."""
    return t + 1e-4 * t.detach()


def test_tolerances_are_respected():
    x = leaf([1.0])
    assert gradcheck(slightly_wrong, x)  # 1e-4 < atol + rtol * 1.0001 ~ 1e-3
    with pytest.raises(GradcheckError):
        gradcheck(slightly_wrong, x, rtol=0.0)
    assert gradcheck(slightly_wrong, x, rtol=0.0, atol=2e-4)
    assert gradcheck(slightly_wrong, x, rtol=2e-4, atol=0.0)
    with pytest.raises(GradcheckError):
        gradcheck(slightly_wrong, x, rtol=5e-5, atol=0.0)


def test_eps_sets_the_finite_difference_step():
    """Central differences of x**3 at 1 give 3 + eps**2: fine at the default eps, wrong at eps=0.1."""
    x = leaf([1.0])
    assert gradcheck(lambda t: t**3, x)
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda t: t**3, x, eps=0.1)
    assert reported(str(error.value)) == pytest.approx((3.0, 3.01), rel=1e-9)


def wrong_in_second_input(a, b):
    return a * b * b.detach()


def test_inputs_not_requiring_grad_are_not_checked():
    x = leaf(random_like((3,), seed=3))
    y = leaf(random_like((3,), seed=4), requires_grad=False)
    assert gradcheck(wrong_in_second_input, [x, y])
    y.requires_grad_()
    with pytest.raises(GradcheckError, match="input 1"):
        gradcheck(wrong_in_second_input, [x, y])


def test_unused_input_has_zero_gradient():
    x, y = leaf([1.0, 2.0]), leaf([3.0])
    assert gradcheck(lambda a, b: a * 2, [x, y])


def test_inputs_are_left_as_they_were():
    """Like torch.autograd.gradcheck: data restored, accumulated .grad untouched."""
    x = leaf([0.5, -1.0])
    x.grad = np.array([7.0, 8.0])
    v = Value(0.25)
    v.grad = 3.0
    assert gradcheck(lambda t: (t * t).sum(), x)
    assert gradcheck(lambda a: a.tanh(), v)
    np.testing.assert_array_equal(x.data, [0.5, -1.0])
    np.testing.assert_array_equal(x.grad, [7.0, 8.0])
    assert (v.data, v.grad) == (0.25, 3.0)
