"""In-place edits between the forward and the backward pass, against PyTorch: the same program
raises where PyTorch raises (at the edit or at backward) and otherwise gives PyTorch's gradients.

Each program is written once against a library ``L`` (``torch`` or ``autograd``) and run on both.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd
import nn
from tests.helpers import assert_same_outcome, f64, outcome_of

pytestmark = pytest.mark.usefixtures("one_torch_thread")


t = functools.partial(f64, requires_grad=True)  # t(L, values): a float64 leaf that requires grad
c = f64  # c(L, values): a float64 constant


# -- named programs: each a case where PyTorch raises, or where the gradient is easy to get wrong ----
PROGRAMS: dict[str, Callable[[Any, list[str]], Any]] = {}


def program(f: Callable[[Any, list[str]], Any]) -> Callable[[Any, list[str]], Any]:
    PROGRAMS[f.__name__] = f
    return f


@program
def log_input_edited_under_no_grad(L, stage):  # the original bug: gave [0.1, 0.5]
    x = t(L, [1.0, 2.0])
    y = x.log().sum()
    with L.no_grad():
        x[0] = 10
    stage[0] = "backward"
    y.backward()
    return [x.grad]


@program
def input_of_mul_by_constant_edited(L, stage):  # only the constant is saved: the edit is allowed
    x = t(L, [1.0, 2.0])
    y = x * c(L, [5.0, 6.0])
    with L.no_grad():
        x[0] = 10
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad]


@program
def input_of_mul_edited_when_both_require_grad(L, stage):
    x, w = t(L, [1.0, 2.0]), t(L, [3.0, 4.0])
    y = x * w
    with L.no_grad():
        x.mul_(2)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad, w.grad]


@program
def output_of_div_edited(L, stage):  # PyTorch's division saves its inputs, not its output
    x, w = t(L, [1.0, 2.0]), t(L, [5.0, 6.0])
    y = x / w
    with L.no_grad():
        y[0] = 10
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad, w.grad]


@program
def output_of_exp_edited_by_recorded_add(L, stage):
    x = t(L, [1.0, 2.0])
    y = x.exp()
    y.add_(1)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad]


@program
def output_of_pow_by_number_edited(L, stage):  # x ** 2 reads x only
    x = t(L, [1.0, 2.0])
    y = x**2
    with L.no_grad():
        y.add_(1)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad]


@program
def output_of_pow_by_tensor_edited(L, stage):  # x ** tensor keeps its output, even a constant exponent's
    x = t(L, [1.0, 2.0])
    y = x ** c(L, [2.0, 3.0])
    with L.no_grad():
        y.add_(1)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad]


@program
def weight_of_matmul_edited(L, stage):
    x, weight = t(L, [[1.0, 2.0], [3.0, 4.0]]), c(L, [[1.0, 0.5], [2.0, 1.0]])
    loss = (x @ weight).sum()
    with L.no_grad():
        weight.add_(1)
    stage[0] = "backward"
    loss.backward()
    return [x.grad]


@program
def recorded_add_on_non_leaf(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    y.add_(1)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad, y]


@program
def recorded_mul_by_tensor_reads_the_values_before(L, stage):
    x, w = t(L, [1.0, 2.0]), t(L, [3.0, 4.0])
    y = x * 2
    y.mul_(w)
    stage[0] = "backward"
    (y * c(L, [1.0, 10.0])).sum().backward()
    return [x.grad, w.grad]


@program
def recorded_div_by_tensor(L, stage):
    x, w = t(L, [1.0, 2.0]), t(L, [3.0, 4.0])
    y = x * 2
    y.div_(w)
    stage[0] = "backward"
    (y * c(L, [1.0, 10.0])).sum().backward()
    return [x.grad, w.grad]


@program
def recorded_sub_with_alpha(L, stage):
    x, w = t(L, [1.0, 2.0]), t(L, [3.0, 4.0])
    y = x * 2
    y.sub_(w, alpha=2)
    stage[0] = "backward"
    (y * c(L, [1.0, 10.0])).sum().backward()
    return [x.grad, w.grad]


@program
def recorded_copy_and_setitem(L, stage):
    x, w = t(L, [1.0, 2.0, 3.0]), t(L, [3.0, 4.0, 5.0])
    y, z = x * 2, x * 3
    y.copy_(w)
    z[1] = w[2]
    stage[0] = "backward"
    (y * c(L, [1.0, 10.0, 100.0]) + z).sum().backward()
    return [x.grad, w.grad]


@program
def recorded_fill_and_zero(L, stage):
    x = t(L, [1.0, 2.0])
    y, z = x * 2, x * 3
    y.fill_(5)
    z.zero_()
    stage[0] = "backward"
    (y + z + x).sum().backward()
    return [x.grad, y, z]


@program
def plus_equals_is_in_place(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    alias = y
    y += x
    y *= 3
    y -= 1
    y /= 2
    stage[0] = "backward"
    alias.sum().backward()
    return [x.grad, alias]


@program
def tensor_multiplied_by_itself_in_place(L, stage):  # the saved other is the edited tensor itself
    x = t(L, [1.0, 2.0])
    y = x * 1
    y.mul_(y)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad]


@program
def tensor_added_to_itself_in_place(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 1
    y.add_(y)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad]


@program
def op_recorded_before_an_edit_keeps_the_values_before(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    z = y * c(L, [5.0, 6.0])  # saves the constant only
    y.mul_(3)
    stage[0] = "backward"
    z.sum().backward()
    return [x.grad]


@program
def sum_recorded_before_an_edit(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 1
    s = y.sum()
    y.mul_(5)
    stage[0] = "backward"
    s.backward()
    return [x.grad]


@program
def square_recorded_before_an_edit(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 1
    z = y * y
    y.add_(1)
    stage[0] = "backward"
    z.sum().backward()


@program
def leaf_requiring_grad_edited_with_grad_mode_on(L, stage):
    x = t(L, [1.0, 2.0])
    x.add_(1)


@program
def leaf_requiring_grad_plus_equals(L, stage):
    x = t(L, [1.0, 2.0])
    x += 1


@program
def view_of_leaf_edited(L, stage):
    x = t(L, [1.0, 2.0])
    x[:1].mul_(2)


@program
def leaf_edited_under_no_grad_before_any_op(L, stage):
    x = t(L, [1.0, 2.0])
    with L.no_grad():
        x.mul_(3)
    (x * x).sum().backward()
    return [x.grad]


@program
def view_made_under_no_grad_edited_with_grad_mode_on(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    with L.no_grad():
        view = y[:1]
    view.mul_(2)


@program
def view_made_and_edited_under_no_grad(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    with L.no_grad():
        y[:1].mul_(2)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad, y]


@program
def view_used_after_its_base_was_edited(L, stage):
    x = t(L, [1.0, 2.0, 3.0])
    y = x * 2
    view = y[:2]
    y.mul_(3)
    stage[0] = "backward"
    view.sum().backward()
    return [x.grad]


@program
def base_used_after_its_view_was_edited(L, stage):
    x = t(L, [1.0, 2.0, 3.0])
    y = x * 2
    y[:2].mul_(3)
    stage[0] = "backward"
    (y * c(L, [1.0, 10.0, 100.0])).sum().backward()
    return [x.grad, y]


@program
def overlapping_view_used_after_a_view_edit(L, stage):
    x = t(L, [1.0, 2.0, 3.0])
    y = x * 2
    head, tail = y[:2], y[1:]
    head.mul_(3)
    stage[0] = "backward"
    (tail * c(L, [1.0, 10.0])).sum().backward()
    return [x.grad]


@program
def strided_view_of_a_transpose_edited(L, stage):
    x = t(L, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = x * 1
    y.T[::2].mul_(x[:, :1].T * 10)
    stage[0] = "backward"
    (y * c(L, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    return [x.grad, y]


@program
def element_view_filled(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    y[0].fill_(5)
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad, y]


@program
def view_of_a_one_element_base_edited(L, stage):
    x = t(L, 3.0)
    y = x * 1
    y.reshape(1, 1).mul_(2)
    stage[0] = "backward"
    y.backward()
    return [x.grad]


@program
def view_of_a_plain_tensor_after_copy_from_a_tensor_requiring_grad(L, stage):
    base = L.zeros(3, dtype=L.float64)
    view = base[:2]
    w = t(L, [1.0, 2.0, 3.0])
    base.copy_(w)
    stage[0] = "backward"
    (view * 2).sum().backward()
    return [w.grad]


@program
def saved_output_edited_through_a_view(L, stage):
    x = t(L, [1.0, 2.0])
    y = x.exp()
    y[0:1].mul_(2)
    stage[0] = "backward"
    y.sum().backward()


@program
def exp_of_a_view_then_its_base_edited(L, stage):  # exp saved its own output, not the view
    x = t(L, [1.0, 2.0])
    y = x * 2
    loss = y[0:1].exp().sum()
    y.mul_(2)
    stage[0] = "backward"
    loss.backward()
    return [x.grad]


@program
def base_edited_outside_the_view_an_op_saved(L, stage):  # the version counter is the whole base's
    x = t(L, [1.0, 2.0, 3.0])
    y = x * 1
    loss = y[:2].log().sum()
    with L.no_grad():
        y[2] = 5
    stage[0] = "backward"
    loss.backward()


@program
def detached_alias_edited(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    loss = (y * y).sum()
    y.detach().add_(1)
    stage[0] = "backward"
    loss.backward()


@program
def detached_alias_edited_with_a_tensor_requiring_grad(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    alias = y.detach()
    alias.mul_(t(L, [1.0, 1.0]))
    stage[0] = "backward"
    y.sum().backward()
    return [x.grad]


@program
def detach_in_place_keeps_earlier_ops(L, stage):
    x = t(L, [1.0, 2.0])
    y = x * 2
    z = y * 3
    y.detach_()
    stage[0] = "backward"
    z.sum().backward()
    return [x.grad]


@program
def integer_index_edited(L, stage):
    x = t(L, [1.0, 2.0])
    index = L.tensor([0, 1, 1])
    y = x[index]
    index[0] = 1
    stage[0] = "backward"
    y.sum().backward()


@program
def boolean_mask_edited(L, stage):
    x = t(L, [1.0, 2.0])
    mask = L.tensor([True, False])
    y = x[mask]
    mask[1] = True
    stage[0] = "backward"
    y.sum().backward()


@program
def where_condition_edited(L, stage):
    x = t(L, [1.0, 2.0])
    condition = L.tensor([True, False])
    y = L.where(condition, x, c(L, 0.0))
    condition[1] = True
    stage[0] = "backward"
    y.sum().backward()


@program
def max_indices_edited(L, stage):
    x = t(L, [[1.0, 3.0], [4.0, 2.0]])
    values, indices = x.max(1)
    indices[0] = 0
    stage[0] = "backward"
    values.sum().backward()


@program
def index_of_gather_edited(L, stage):  # gather, index_select and scatter index, which saves the index
    x = t(L, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    index = L.tensor([[2, 0], [1, 1]])
    y = x.gather(1, index)
    index[0, 0] = 1
    stage[0] = "backward"
    y.sum().backward()


@program
def index_of_index_select_edited(L, stage):
    x = t(L, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    index = L.tensor([2, 0, 2])
    y = x.index_select(1, index)
    index.zero_()
    stage[0] = "backward"
    y.sum().backward()


@program
def index_of_scatter_edited(L, stage):
    x = t(L, [[1.0, 2.0], [4.0, 5.0]])
    index = L.tensor([[2, 0], [1, 1]])
    y = c(L, np.zeros((2, 3))).scatter(1, index, x)
    index.add_(0)
    stage[0] = "backward"
    y.sum().backward()


@program
def mask_of_masked_fill_edited(L, stage):
    x = t(L, [1.0, 2.0, 3.0])
    mask = L.tensor([True, False, True])
    y = (x * 1).masked_fill_(mask, 0.5)
    mask[1] = True
    stage[0] = "backward"
    y.sum().backward()


@program
def mul_in_place_after_an_op_read_the_tensor(L, stage):  # the op recorded before the edit keeps the former self
    a = t(L, [1.0, 2.0])
    x = a * 1
    y = x + 5
    x.mul_(2)
    stage[0] = "backward"
    (y.sum() + x.sum()).backward()
    return [a.grad]


@program
def copy_of_itself_plus_one(L, stage):
    a = t(L, [1.0, 2.0])
    x = a * 1
    x.copy_(x + 1)
    stage[0] = "backward"
    x.sum().backward()
    return [a.grad]


@program
def in_place_forms_in_a_chain(L, stage):  # each edit's rule reads the values before it, exp_'s its output
    a, w = t(L, [0.5, -1.0, 2.0]), t(L, 0.75)
    x = a * 1
    x.pow_(2).mul_(w).clamp_(0.5, 3.0).cumsum_(0).masked_fill_(x > 2, w).square_().sin_().exp_()
    stage[0] = "backward"
    x.sum().backward()
    return [a.grad, w.grad, x]


@program
def index_edited_between_first_and_second_derivative(L, stage):
    x = t(L, [1.0, 2.0, 3.0])
    index = L.tensor([0, 2, 2])
    (gradient,) = L.autograd.grad((x[index] ** 3).sum(), x, create_graph=True)
    index[0] = 1
    stage[0] = "backward"
    gradient.sum().backward()


@program
def second_derivative_through_an_index_put(L, stage):
    x, w = t(L, [1.0, 2.0, 3.0]), t(L, [4.0, 5.0])
    y = x * 1
    y[L.tensor([0, 2])] = w**2
    (gradient,) = L.autograd.grad((y**2).sum(), w, create_graph=True)
    stage[0] = "backward"
    gradient.sum().backward()
    return [w.grad]


@program
def view_of_a_weight_kept_across_steps(L, stage):  # the weight's edits under no_grad leave the view's graph valid
    weight = t(L, [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
    transposed = weight.T
    x = c(L, [[1.0, 2.0], [3.0, -1.0]])
    losses = []
    for _ in range(3):
        weight.grad = None
        loss = ((x @ transposed.T) ** 2).sum()
        loss.backward()
        with L.no_grad():
            weight.sub_(0.01 * weight.grad)
        losses.append(loss.detach())
    return [weight, *losses]


@program
def edit_after_backward_is_allowed(L, stage):
    x = t(L, [1.0, 2.0])
    y = x.exp()
    y.sum().backward()
    y.add_(1)
    with L.no_grad():
        x.mul_(2)
    return [x.grad, y]


@program
def second_backward_after_an_edit_says_the_graph_is_released(L, stage):
    x = t(L, [1.0, 2.0])
    y = x.exp()
    loss = y.sum()
    loss.backward()
    with L.no_grad():
        y.add_(1)
    stage[0] = "backward"
    loss.backward()


@program
def edit_between_retained_backwards(L, stage):
    x = t(L, [1.0, 2.0])
    loss = x.sigmoid().sum()
    loss.backward(retain_graph=True)
    with L.no_grad():
        x.sub_(0.5)
    stage[0] = "backward"
    loss.backward()
    return [x.grad]


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_raises_or_gives_the_gradients_pytorch_does(name):
    assert_same_outcome(PROGRAMS[name])


# -- the error says what was edited ---------------------------------------------------------------
def test_error_names_the_op_the_role_and_the_shape():
    _, (stage, kind, message) = outcome_of(autograd, PROGRAMS["log_input_edited_under_no_grad"])
    assert (stage, kind) == ("backward", "RuntimeError")
    assert "modified by an inplace operation" in message
    assert re.search(r"the input 0 of 'log', of shape \(2,\) and dtype float64, is at version 1; .* version 0", message)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("output_of_exp_edited_by_recorded_add", "the output of 'exp'"),
        ("integer_index_edited", "the index of 'getitem'"),
        ("where_condition_edited", "the condition of 'where'"),
        ("max_indices_edited", "the indices of 'max/min'"),
        ("tensor_multiplied_by_itself_in_place", "the input 1 of '\\*'"),
    ],
)
def test_error_names_what_the_rule_read(name, role):
    _, (stage, kind, message) = outcome_of(autograd, PROGRAMS[name])
    assert re.search(role + r", of shape \([\d, ]+\) and dtype \w+, is at version 1", message), message


# -- optimizers edit parameters in place ---------------------------------------------------------
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_optimizer_step_between_retained_backwards_raises_as_in_pytorch(optimizer):
    def train_twice(L: Any, stage: list[str]) -> Any:
        L.manual_seed(0)
        model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.Tanh(), L.nn.Linear(4, 1))
        loss = model(L.ones(2, 3)).sum()
        loss.backward(retain_graph=True)
        getattr(L.optim, optimizer)(model.parameters(), lr=0.1).step()
        stage[0] = "backward"
        loss.backward()

    _, (stage, kind, message) = assert_same_outcome(train_twice)
    assert re.search(r"of '(@|\*|linear)', of shape \((4, 3|1, 4|3, 4|4, 1)\) and dtype float32", message), message


def test_training_edits_only_after_backward_and_is_allowed():
    autograd.manual_seed(0)
    model = nn.Linear(3, 1)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    versions = [model.weight._version]
    for _ in range(3):
        optimizer.zero_grad()
        model(autograd.ones(2, 3)).sum().backward()
        optimizer.step()
        versions.append(model.weight._version)
    assert np.diff(versions).tolist() == [1, 1, 1]


# -- a Function's saved tensors -------------------------------------------------------------------
def cube_function(L: Any) -> Any:
    """x -> x^3 as a custom Function of library ``L``, saving its input and its output."""

    class Cube(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out = x * x * x
            ctx.save_for_backward(x, out)
            return out

        @staticmethod
        def backward(ctx, g):
            x, out = ctx.saved_tensors
            return g * 3 * out / x

    return Cube


@pytest.mark.parametrize("edited", ["input", "output", "neither"])
def test_edit_of_a_function_saved_tensor(edited):
    def program(L: Any, stage: list[str]) -> Any:
        x = t(L, [1.0, 2.0])
        a = x * 1
        y = cube_function(L).apply(a)
        loss = (y * c(L, [1.0, 10.0])).sum()
        with L.no_grad():
            {"input": a, "output": y, "neither": x * 1}[edited].add_(1)
        stage[0] = "backward"
        loss.backward()
        return [x.grad]

    outcome = assert_same_outcome(program)
    if edited != "neither":
        assert outcome[1][1] == "RuntimeError"
        assert re.search(r"tensor [01] saved by Cube\.forward, of shape \(2,\)", outcome[1][2])


def test_version_counts_every_edit_and_is_shared_with_views():
    x = autograd.zeros(2, 3)
    row = x[0]
    row.add_(1)
    x[1] = 2
    x.T.mul_(3)
    x.fill_(1)
    x.zero_()
    x.copy_(autograd.ones(3))
    assert x._version == row._version == 6
    assert x.clone()._version == 0
    assert x.detach()._version == 6


# -- a second backward without retain_graph: only nodes that saved tensors are released, as in PyTorch ----
def sum_twice(make: Callable[[Any, Any], Any]) -> Callable[[Any, list[str]], Any]:
    def program(L: Any, stage: list[str]) -> list[Any]:
        x = t(L, [1.0, 2.0])
        y = make(L, x)
        y.sum().backward()
        stage[0] = "second backward"
        y.sum().backward()
        return [x.grad]

    return program


def twice_function(L: Any, save: bool, read: bool) -> Any:
    """x -> 2x as a Function of library ``L``, saving its input or nothing, reading it in backward or not."""

    class Twice(L.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            if save:
                ctx.save_for_backward(a)
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2 * (ctx.saved_tensors[0] * 0 + 1) if read else g * 2

    return Twice


SECOND_BACKWARD = {
    "exp (saves its output)": lambda L, x: x.exp(),
    "times a number (saves it)": lambda L, x: x * 2,
    "divided by a number": lambda L, x: x / 2,
    "square": lambda L, x: x**2,
    "clamp": lambda L, x: x.clamp(0, 1.5),
    "where": lambda L, x: L.where(x > 1, x, c(L, 0.0)),
    "index by a tensor": lambda L, x: x[L.tensor([0])],
    "max along a dim": lambda L, x: x.max(0)[0],
    "Function reading its saved input": lambda L, x: twice_function(L, True, True).apply(x),
    # nothing saved: runs again
    "transpose": lambda L, x: x.reshape(1, 2).T,
    "slice": lambda L, x: x[:1],
    "reshape and expand": lambda L, x: x.reshape(2, 1).expand(2, 3),
    "plus a tensor": lambda L, x: x + c(L, [1.0, 1.0]),
    "cast": lambda L, x: x.to(L.float32),
    "mean": lambda L, x: x.mean(),
    "Function saving nothing": lambda L, x: twice_function(L, False, False).apply(x),
    "Function not reading its saved input": lambda L, x: twice_function(L, True, False).apply(x),
}


@pytest.mark.parametrize("name", SECOND_BACKWARD)
def test_second_backward_runs_again_exactly_where_pytorch_does(name):
    outcome = assert_same_outcome(sum_twice(SECOND_BACKWARD[name]))
    if outcome[0] == "raised":
        assert outcome[1][2].startswith("Trying to backward through the graph a second time")
