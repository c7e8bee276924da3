"""In-place edits between the forward and the backward pass, against PyTorch: the same program
raises where PyTorch raises (at the edit or at backward) and otherwise gives PyTorch's gradients.

Each program is written once against a library ``L`` (``torch`` or ``autograd``) and run on both.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd
import nn
from tests.helpers import assert_same_outcome, outcome_of


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Thousands of tiny torch calls: with other processes busy, torch's thread pool makes each one slow."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def t(L: Any, values: Any) -> Any:
    return L.tensor(values, dtype=L.float64, requires_grad=True)


def c(L: Any, values: Any) -> Any:
    return L.tensor(values, dtype=L.float64)


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


# -- generated programs: every op, every tensor it touches edited in every way, with grad mode on or off --
OPS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "exp": lambda L, a, k: a.exp(),
    "log": lambda L, a, k: a.log(),
    "sqrt": lambda L, a, k: a.sqrt(),
    "abs": lambda L, a, k: a.abs(),
    "tanh": lambda L, a, k: a.tanh(),
    "sigmoid": lambda L, a, k: a.sigmoid(),
    "relu": lambda L, a, k: (a - 1.5).relu(),
    "softplus": lambda L, a, k: L.nn.functional.softplus(a),
    "clamp": lambda L, a, k: a.clamp(0.5, 2.0),
    "neg": lambda L, a, k: -a,
    "add": lambda L, a, k: a + k,
    "sub": lambda L, a, k: k - a,
    "mul": lambda L, a, k: a * k,
    "div": lambda L, a, k: a / k,
    "reciprocal": lambda L, a, k: k / a,
    "pow number": lambda L, a, k: a**3,
    "pow tensor": lambda L, a, k: a**k,
    "number pow": lambda L, a, k: 2**a,
    "matmul": lambda L, a, k: a @ k.T,
    "maximum": lambda L, a, k: L.maximum(a, k),
    "minimum": lambda L, a, k: L.minimum(a, k),
    "where": lambda L, a, k: L.where(k > 1, a, k),
    "sum": lambda L, a, k: a.sum(1),
    "mean": lambda L, a, k: a.mean(0),
    "max": lambda L, a, k: a.max(),
    "max dim": lambda L, a, k: a.max(1)[0],
    "softmax": lambda L, a, k: a.softmax(1),
    "log_softmax": lambda L, a, k: a.log_softmax(1),
    "reshape": lambda L, a, k: a.reshape(3, 2),
    "permute": lambda L, a, k: a.permute(1, 0),
    "slice": lambda L, a, k: a[:, 1:],
    "index": lambda L, a, k: a[:, [0, 2, 2]],
    "cat": lambda L, a, k: L.cat([a, k]),
    "stack": lambda L, a, k: L.stack([a, k], 1),
    "expand": lambda L, a, k: a[:1].expand(2, 3),
    "clone": lambda L, a, k: a.clone(),
}
EDITS: dict[str, Callable[[Any, Any], Any]] = {
    "setitem": lambda target, w: target.__setitem__(0, 7.0),
    "zero_": lambda target, w: target.zero_(),
    "fill_": lambda target, w: target.fill_(0.5),
    "copy_": lambda target, w: target.copy_(target * 0 + 0.25),
    "add_": lambda target, w: target.add_(1.0),
    "sub_": lambda target, w: target.sub_(0.5),
    "mul_": lambda target, w: target.mul_(2.0),
    "div_": lambda target, w: target.div_(4.0),
    "mul_ by w": lambda target, w: target.mul_(w),
    "copy_ w": lambda target, w: target.copy_(w),
}
TARGETS = ("leaf", "input", "view of input", "base of input", "constant", "output")


def edit_program(op: str, target: str, edit: str, grad_mode: bool, loss_first: bool) -> Callable[[Any, list], Any]:
    """x (a leaf) -> base = x * 1 -> a = base[:2] -> y = op(a, k); one tensor edited; then backward."""

    def program(L: Any, stage: list[str]) -> list[Any]:
        x = t(L, np.arange(1.0, 10.0).reshape(3, 3) / 4)
        w = t(L, 0.75)
        k = c(L, [[0.5, 1.5, 2.5], [2.0, 1.0, 0.25]])
        base = x * 1
        a = base[:2]
        y = OPS[op](L, a, k)
        weights = c(L, np.linspace(-1.0, 2.0, y.numel()).reshape(tuple(y.shape)))
        loss = (y * weights).sum() if loss_first else None
        edited = {"leaf": x, "input": a, "view of input": a[1], "base of input": base, "constant": k, "output": y}
        stage[0] = "edit"
        with L.set_grad_enabled(grad_mode):
            EDITS[edit](edited[target], w)
        stage[0] = "backward"
        if loss is None:
            loss = (y * weights).sum()
        loss.backward()
        return [x.grad, w.grad, y]

    return program


# PyTorch lets these write one value through the repeated elements of an expanded tensor (and raises
# for the others); here every edit of a broadcast view is refused with the same clear error.
REFUSED_HERE = {("expand", "output", edit) for edit in ("setitem", "zero_", "fill_")}


@pytest.mark.parametrize("op", OPS)
def test_every_edit_of_every_tensor_an_op_touches(op):
    mismatches = []
    for target, edit, grad_mode, loss_first in itertools.product(TARGETS, EDITS, (False, True), (False, True)):
        program = edit_program(op, target, edit, grad_mode, loss_first)
        if (op, target, edit) in REFUSED_HERE:
            outcome, (stage, kind, message) = outcome_of(autograd, program)
            assert (outcome, stage, kind) == ("raised", "edit", "RuntimeError")
            assert "broadcast view: clone() it before editing it" in message
            continue
        try:
            assert_same_outcome(program)
        except AssertionError as error:
            mismatches.append(f"{target} {edit} grad_mode={grad_mode} loss_first={loss_first}: {error}")
    assert not mismatches, f"{len(mismatches)} programs differ from PyTorch:\n" + "\n".join(mismatches[:5])


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
    assert re.search(r"of '(@|\*)', of shape \((4, 3|1, 4|3, 4|4, 1)\) and dtype float32", message), message


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
        assert re.search(r"saved by Cube\.forward, of shape \(2,\)", outcome[1][2])


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


# -- an input that overlaps the written elements -----------------------------------------------------
OVERLAPS = {
    "shifted by one": lambda a: a.__setitem__(slice(1, None), a[:-1]),
    "copy_ from an overlapping slice": lambda a: a[:3].copy_(a[1:]),
    "add_ of the transpose": lambda a: a.reshape(2, 2).add_(a.reshape(2, 2).T),
    "add_ of the slice before": lambda a: a[1:].add_(a[:-1]),
    "add_ of one of its elements": lambda a: a.add_(a[0]),
    "written through an index list": lambda a: a.__setitem__([1, 2], a[:2]),
    "written through a mask": lambda a: a.__setitem__(a > 1, a[:2]),
    # allowed: the very same elements, disjoint ones, or a copy
    "add_ of itself": lambda a: a.__iadd__(a),
    "set to itself": lambda a: a.__setitem__(slice(None), a),
    "copy_ from a disjoint slice": lambda a: a[:2].copy_(a[2:]),
    "one element from another": lambda a: a.__setitem__(0, a[1]),
    "mul_ by an element outside": lambda a: a[1:].mul_(a[0]),
    "add_ of an advanced-index copy": lambda a: a.add_(a[[3, 2, 1, 0]]),
}


@pytest.mark.parametrize("name", OVERLAPS)
@pytest.mark.parametrize("grad_mode", [False, True])
def test_input_overlapping_the_written_elements_is_refused_as_in_pytorch(name, grad_mode):
    def program(L: Any, stage: list[str]) -> Any:
        x = t(L, [1.0, 2.0, 3.0, 4.0])
        a = x * 1 if grad_mode else L.arange(1.0, 5.0, dtype=L.float64)
        with L.set_grad_enabled(grad_mode):
            OVERLAPS[name](a)
        if grad_mode:
            stage[0] = "backward"
            (a * c(L, [1.0, 10.0, 100.0, 1000.0])).sum().backward()
        return [a, x.grad]

    assert_same_outcome(program)
