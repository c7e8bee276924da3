"""autograd.Function: custom ops written as torch.autograd.Function listings, checked against torch."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings

import autograd
from autograd import Value
from tests.helpers import arrays, assert_close, leaf, shapes, to_torch


def swish_class(lib):
    """The same listing for torch and for us: x * sigmoid(x), its backward written by hand."""

    class Swish(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * lib.sigmoid(x)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            s = lib.sigmoid(x)
            return grad_output * (s + x * s * (1 - s))

    return Swish


def log_cosh_class(lib):
    """log(cosh(x - y)) of two inputs, saving both; d/dx = tanh(x - y) = -d/dy."""

    class LogCosh(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            d = x - y
            return (d.exp() + (-d).exp()).log() - np.log(2.0)

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            t = (x - y).tanh()
            return grad_output * t, -grad_output * t

    return LogCosh


@settings(max_examples=25, deadline=None)
@given(arrays(shapes(max_dims=2)))
def test_swish_matches_torch_to_second_order(data):
    x, xt = leaf(data), to_torch(data)
    out, ref = swish_class(autograd).apply(x), swish_class(torch).apply(xt)
    assert_close(out, ref)
    (g,) = autograd.grad(out.sum(), x, create_graph=True)
    (gt,) = torch.autograd.grad(ref.sum(), xt, create_graph=True)
    assert_close(g, gt)
    (h,) = autograd.grad(g.sum(), x)
    (ht,) = torch.autograd.grad(gt.sum(), xt)
    assert_close(h, ht)


def test_two_input_function_gradients_and_gradcheck():
    x, y = leaf(np.array([0.3, -1.2, 2.0])), leaf(np.array([[0.1, 0.5, -0.7]]))
    xt, yt = to_torch(x), to_torch(y)
    out, ref = log_cosh_class(autograd).apply(x, y), log_cosh_class(torch).apply(xt, yt)
    assert_close(out, ref)
    out.sum().backward()
    ref.sum().backward()
    assert_close(x.grad, xt.grad)
    assert_close(y.grad, yt.grad)
    assert autograd.gradcheck(log_cosh_class(autograd).apply, (x, y))


def test_needs_input_grad_and_the_op_name():
    seen = {}

    class Scale(autograd.Function):
        @staticmethod
        def forward(ctx, x, factor, y):
            seen["needs"] = ctx.needs_input_grad
            return x * factor + y

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, g

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = autograd.tensor([3.0, 4.0])
    out = Scale.apply(x, 2.0, y)
    assert seen["needs"] == (True, False, False)
    assert out.op == "Scale" and out.requires_grad and out.inputs == (x, y)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    assert y.grad is None


def test_saved_tensors_refuse_an_in_place_edit_as_torch_does():
    for lib in (autograd, torch):
        x = lib.tensor([0.5, 1.5], requires_grad=True)
        with lib.no_grad():
            base = x * 1
        base.requires_grad_(True)
        out = swish_class(lib).apply(base)
        with lib.no_grad():
            base.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            out.sum().backward()


def test_backward_returning_the_wrong_number_or_shape_of_gradients():
    class TooFew(autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return g

    class WrongShape(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return autograd.ones(5)

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFew.backward returned an incorrect number of gradients \(expected 2"):
        TooFew.apply(x, x).sum().backward()
    with pytest.raises(RuntimeError, match=r"WrongShape.backward returned an invalid gradient at index 0"):
        WrongShape.apply(x).sum().backward()


def test_a_broadcast_gradient_is_summed_to_the_input_as_torch_does():
    class Spread(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.expand(3, 2)

        @staticmethod
        def backward(ctx, g):
            return g

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    Spread.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_setup_context_form():
    class Cube(autograd.Function):
        @staticmethod
        def forward(x):
            return x**3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

    x = autograd.tensor([2.0, -1.0], requires_grad=True)
    Cube.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad, [12.0, 3.0])


def test_once_differentiable_backward_is_not_recorded():
    class Square(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = autograd.tensor([3.0], requires_grad=True)
    (g,) = autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    assert g.item() == 6.0 and not g.requires_grad


def test_values_take_the_same_listing():
    """Swish on a Value: the same class body, forward on Values, backward on a float gradient."""
    Swish = swish_class(autograd)
    for data in (-2.0, 0.0, 0.7):
        x = Value(data)
        y = Swish.apply(x)
        y.backward()
        xt = torch.tensor(data, dtype=torch.float64, requires_grad=True)
        swish_class(torch).apply(xt).backward()
        assert y.data == pytest.approx((xt * torch.sigmoid(xt)).item(), rel=1e-12)
        assert x.grad == pytest.approx(xt.grad.item(), rel=1e-12)
        assert y.op == "Swish" and y.inputs == (x,)
    a, b = Value(0.3), Value(-0.4)
    assert autograd.gradcheck(log_cosh_class(autograd).apply, (a, b))


def test_a_function_of_three_values_is_refused_clearly():
    class Sum3(autograd.Function):
        @staticmethod
        def forward(ctx, a, b, c):
            return a + b + c

        @staticmethod
        def backward(ctx, g):
            return g, g, g

    with pytest.raises(TypeError, match="at most two Values"):
        Sum3.apply(Value(1.0), Value(2.0), Value(3.0))
