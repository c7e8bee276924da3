"""In-place edits generated systematically, against PyTorch: every op of the engine, each tensor it
touches (its leaf, input, a view of the input, the input's base, a constant, its output) edited
in each way, with grad mode on or off, before or after the loss is formed; and edits whose input
overlaps the written elements."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd
from tests.helpers import assert_same_outcome, f64, outcome_of

pytestmark = pytest.mark.usefixtures("one_torch_thread")


t = functools.partial(f64, requires_grad=True)  # t(L, values): a float64 leaf that requires grad
c = f64  # c(L, values): a float64 constant


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
    "square": lambda L, a, k: a.square(),
    "cumsum": lambda L, a, k: a.cumsum(1),
    "cumprod": lambda L, a, k: a.cumprod(0),
    "prod": lambda L, a, k: a.prod(1),
    "amax": lambda L, a, k: a.amax(0),
    "tril": lambda L, a, k: a.tril(),
    "roll": lambda L, a, k: a.roll(1, 1),
    "masked_fill": lambda L, a, k: a.masked_fill(k > 1, 0.5),
    "index_select": lambda L, a, k: a.index_select(1, (k[0] > 1).long()),
    "scatter": lambda L, a, k: k.scatter(1, (k < 1).long(), a),
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
    "pow_": lambda target, w: target.pow_(2),
    "square_": lambda target, w: target.square_(),
    "exp_": lambda target, w: target.exp_(),
    "sigmoid_": lambda target, w: target.sigmoid_(),
    "clamp_": lambda target, w: target.clamp_(0.5, 1.5),
    "cumsum_": lambda target, w: target.cumsum_(-1),
    "tril_": lambda target, w: target.tril_(),
    "masked_fill_ w": lambda target, w: target.masked_fill_(target > 1, w),
    "scatter_": lambda target, w: target.scatter_(-1, (target > 1e9).long(), 0.5),
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
REFUSED_HERE = {("expand", "output", edit) for edit in ("setitem", "zero_", "fill_", "tril_", "masked_fill_ w")}


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
