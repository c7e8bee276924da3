"""Loss modules against torch.nn in float64 (values and input gradients), and the scalar engine's losses."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
import nn
from autograd import Value
from tests.helpers import arrays, assert_close, backward_both, leaf, random_like, to_torch

REDUCTIONS = ["mean", "sum", "none"]


@st.composite
def loss_case(draw, kind):
    """(loss name, input array, target array) for one kind of use of a loss."""
    n, c = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    spatial = (n, c, draw(st.integers(1, 3)))
    logits = draw(arrays((n, c), -8, 8))
    probabilities = arrays((n, c), 0.001, 0.999)
    if kind == "mse":
        return "MSELoss", logits, draw(arrays((n, c), -8, 8))
    if kind == "bce":
        return "BCELoss", draw(probabilities), draw(arrays((n, c), 0, 1))
    if kind == "bce_logits":
        return "BCEWithLogitsLoss", draw(arrays((n, c), -40, 40)), draw(arrays((n, c), 0, 1))
    if kind == "ce_index":
        return "CrossEntropyLoss", logits, draw(class_indices((n,), c))
    if kind == "ce_probs":
        return "CrossEntropyLoss", logits, softmax(draw(arrays((n, c), -4, 4)))
    if kind == "ce_spatial_index":
        return "CrossEntropyLoss", draw(arrays(spatial, -8, 8)), draw(class_indices(spatial[:1] + spatial[2:], c))
    if kind == "ce_spatial_probs":
        return "CrossEntropyLoss", draw(arrays(spatial, -8, 8)), softmax(draw(arrays(spatial, -4, 4)))
    if kind == "nll":
        return "NLLLoss", logits, draw(class_indices((n,), c))
    assert kind == "nll_spatial"
    return "NLLLoss", draw(arrays(spatial, -8, 8)), draw(class_indices(spatial[:1] + spatial[2:], c))


def class_indices(shape, classes):
    return hnp.arrays(np.int64, shape, elements=st.integers(0, classes - 1))


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def compare_with_torch(name, x, target, reduction="mean"):
    """Forward and input gradient of ``nn.<name>`` and ``torch.nn.<name>`` on float64 copies of the data."""
    xs, xt = leaf(x), to_torch(x)
    out = getattr(nn, name)(reduction=reduction)(xs, autograd.tensor(target))
    out_t = getattr(torch.nn, name)(reduction=reduction)(xt, torch.tensor(target))
    assert_close(out, out_t)
    backward_both(out, out_t)
    assert_close(xs.grad, xt.grad)
    return out


KINDS = [
    "mse",
    "bce",
    "bce_logits",
    "ce_index",
    "ce_probs",
    "ce_spatial_index",
    "ce_spatial_probs",
    "nll",
    "nll_spatial",
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", KINDS)
@settings(deadline=None, max_examples=8)
@given(data=st.data())
def test_loss_matches_torch(kind, reduction, data):
    name, x, target = data.draw(loss_case(kind))
    compare_with_torch(name, x, target, reduction)


def test_functional_losses_match_modules():
    x, y = random_like((4, 3)), np.array([2, 0, 1, 1])
    p, t = 1 / (1 + np.exp(-x)), softmax(random_like((4, 3), 1))
    pairs = [
        (nn.functional.mse_loss, torch.nn.functional.mse_loss, x, t),
        (nn.functional.cross_entropy, torch.nn.functional.cross_entropy, x, y),
        (nn.functional.nll_loss, torch.nn.functional.nll_loss, x, y),
        (nn.functional.binary_cross_entropy, torch.nn.functional.binary_cross_entropy, p, t),
        (nn.functional.binary_cross_entropy_with_logits, torch.nn.functional.binary_cross_entropy_with_logits, x, t),
    ]
    for ours, theirs, a, b in pairs:
        for reduction in REDUCTIONS:
            expected = theirs(torch.tensor(a), torch.tensor(b), reduction=reduction)
            assert_close(ours(autograd.tensor(a), autograd.tensor(b), reduction=reduction), expected)


def test_cross_entropy_single_sample_without_batch_dim():
    """A (C,) input with a 0-d target, as torch accepts."""
    compare_with_torch("CrossEntropyLoss", random_like((5,)), np.array(3))
    compare_with_torch("CrossEntropyLoss", random_like((5,)), softmax(random_like((1, 5)))[0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_on_images(reduction):
    """(N, C, H, W) scores with (N, H, W) class indices or (N, C, H, W) probabilities."""
    x = random_like((2, 3, 2, 4))
    compare_with_torch("CrossEntropyLoss", x, np.random.default_rng(0).integers(0, 3, (2, 2, 4)), reduction)
    compare_with_torch("CrossEntropyLoss", x, softmax(random_like((2, 3, 2, 4), 1)), reduction)
    compare_with_torch("NLLLoss", x, np.random.default_rng(1).integers(0, 3, (2, 2, 4)), reduction)


def test_cross_entropy_of_huge_logits_is_finite():
    x = np.array([[1000.0, -1000.0, 0.0], [-500.0, 500.0, 499.0]])
    out = compare_with_torch("CrossEntropyLoss", x, np.array([1, 2]))
    assert np.isfinite(out.data).all()


def test_bce_at_probabilities_exactly_zero_and_one():
    """Each log is clamped at -100, so a certain wrong answer costs 100, as in torch."""
    p, y = np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([1.0, 0.0, 0.0, 1.0, 0.3])
    for reduction in REDUCTIONS:
        expected = torch.nn.BCELoss(reduction=reduction)(torch.tensor(p), torch.tensor(y))
        assert_close(nn.BCELoss(reduction=reduction)(leaf(p), autograd.tensor(y)), expected)
    assert nn.BCELoss(reduction="sum")(autograd.tensor([0.0]), autograd.tensor([1.0])).item() == 100.0


def test_bce_gradient_at_probabilities_exactly_zero_and_one():
    """torch's gradient there is (p - y) / max(p (1 - p), 1e-12): finite, never nan."""
    p, y = np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([1.0, 0.0, 0.0, 1.0, 0.3])
    compare_with_torch("BCELoss", p, y, "sum")


def test_bce_with_logits_extreme_logits():
    x, y = np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0]), np.array([0.0, 1.0, 1.0, 0.0, 0.5])
    for reduction in REDUCTIONS:
        out = compare_with_torch("BCEWithLogitsLoss", x, y, reduction)
        assert np.isfinite(out.data).all()


def test_bce_with_logits_gradient_at_zero():
    """d/dx at x = 0 is sigmoid(0) - y = 0.5 - y (over N for the mean)."""
    x, y = np.zeros(4), np.array([0.0, 1.0, 0.25, 0.5])
    xs = leaf(x)
    nn.BCEWithLogitsLoss()(xs, autograd.tensor(y)).backward()
    xt = to_torch(x)
    torch.nn.BCEWithLogitsLoss()(xt, torch.tensor(y)).backward()
    assert_close(xs.grad, xt.grad)
    assert_close(xs.grad, (0.5 - y) / 4)


def test_seed_mse_example():
    """The first blog post's ``nn.MSELoss()(torch.Tensor([1, 2]), torch.Tensor([3, 4]))``."""
    ours = nn.MSELoss()(autograd.Tensor([1, 2]), autograd.Tensor([3, 4]))
    theirs = torch.nn.MSELoss()(torch.Tensor([1, 2]), torch.Tensor([3, 4]))
    assert ours.item() == theirs.item() == 4.0
    assert ours.dtype == np.float32 and ours.shape == ()


def test_float32_losses_stay_float32():
    x, y = autograd.randn(4, 3, requires_grad=True), autograd.tensor([0, 2, 1, 1])
    loss = nn.CrossEntropyLoss()(x, y)
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32
    expected = torch.nn.CrossEntropyLoss()(torch.tensor(x.data), torch.tensor(y.data))
    assert_close(loss, expected, rtol=1e-6)


# -- errors ------------------------------------------------------------------------------
def test_cross_entropy_float_class_indices_explained():
    with pytest.raises(RuntimeError) as error:
        nn.CrossEntropyLoss()(autograd.randn(3, 4), autograd.tensor([0.0, 1.0, 2.0]))
    message = str(error.value)
    assert "float32" in message and "(3,)" in message and "(3, 4)" in message


def test_mse_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError) as error:
        nn.MSELoss()(autograd.randn(3, 1), autograd.randn(3))
    assert "(3, 1)" in str(error.value) and "(3,)" in str(error.value)


@pytest.mark.parametrize("name", ["CrossEntropyLoss", "NLLLoss"])
@pytest.mark.parametrize("bad", [4, -1])
def test_out_of_range_class_index(name, bad):
    with pytest.raises(IndexError):
        getattr(nn, name)()(autograd.randn(3, 4), autograd.tensor([0, bad, 1]))
    with pytest.raises(IndexError):
        getattr(torch.nn, name)()(torch.randn(3, 4), torch.tensor([0, bad, 1]))


def test_class_target_of_wrong_shape():
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        nn.CrossEntropyLoss()(autograd.randn(2, 3, 5), autograd.tensor([[0, 1, 2], [0, 1, 2]]))


@pytest.mark.parametrize("name", ["MSELoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss"])
@pytest.mark.parametrize("engine", ["tensor", "values"])
def test_unknown_reduction(name, engine):
    """Refused on both engines, whatever the loss: a typo must not fall back to some reduction."""
    scores = [[0.2, 0.7], [0.6, 0.1]]
    target = [[1.0, 0.0], [0.0, 1.0]] if name in ("MSELoss", "BCELoss", "BCEWithLogitsLoss") else [1, 0]
    if engine == "tensor":
        scores, target = autograd.tensor(scores), autograd.tensor(target)
    else:
        scores = [[Value(v) for v in row] for row in scores]
        if not isinstance(target[0], int):
            scores, target = [v for row in scores for v in row], [y for row in target for y in row]
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none', not 'avg'"):
        getattr(nn, name)(reduction="avg")(scores, target)


# -- the scalar engine -------------------------------------------------------------------
def scalar_and_tensor(name, x, target, reduction):
    """The loss on lists of Values and on a float64 Tensor: (scalar result, Values, tensor result, leaf)."""
    values = [[Value(v) for v in row] for row in x] if x.ndim == 2 else [Value(v) for v in x]
    scalar_target = target.tolist()
    out = getattr(nn, name)(reduction=reduction)(values, scalar_target)
    xs = leaf(x)
    out_t = getattr(nn, name)(reduction=reduction)(xs, autograd.tensor(target))
    return out, values, out_t, xs


SCALAR_CASES = ["mse", "bce", "bce_logits", "ce_index", "nll"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", SCALAR_CASES)
@settings(deadline=None, max_examples=6)
@given(data=st.data())
def test_scalar_losses_equal_tensor_losses(kind, reduction, data):
    name, x, target = data.draw(loss_case(kind))
    if kind in ("mse", "bce", "bce_logits"):
        x, target = x[0], target[0]
    out, values, out_t, xs = scalar_and_tensor(name, x, target, reduction)
    outs = out if reduction == "none" else [out]
    assert_close(np.array([v.data for v in outs]).reshape(out_t.shape), out_t)
    total = sum(outs[1:], outs[0])
    total.backward()
    out_t.sum().backward()
    assert_close(np.array([[v.grad for v in row] if isinstance(row, list) else row.grad for row in values]), xs.grad)


def test_scalar_cross_entropy_single_sample():
    x = random_like((4,))
    values = [Value(v) for v in x]
    loss = nn.CrossEntropyLoss()(values, 2)
    loss.backward()
    xt = to_torch(x)
    expected = torch.nn.CrossEntropyLoss()(xt, torch.tensor(2))
    expected.backward()
    assert_close(loss.data, expected)
    assert_close([v.grad for v in values], xt.grad)


def test_scalar_mse_gradient_reaches_value_targets():
    x, y = [Value(1.0), Value(-2.0)], [Value(0.5), Value(1.0)]
    nn.MSELoss()(x, y).backward()
    xt, yt = to_torch([1.0, -2.0]), to_torch([0.5, 1.0])
    torch.nn.MSELoss()(xt, yt).backward()
    assert_close([v.grad for v in x], xt.grad)
    assert_close([v.grad for v in y], yt.grad)


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
def test_bce_extreme_probabilities_agree_across_engines(engine):
    """Values at p = 0 and 1 equal torch's in both engines (the -100 clamp)."""
    p, y = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])
    expected = torch.nn.BCELoss(reduction="none")(torch.tensor(p), torch.tensor(y))
    if engine == "tensor":
        ours = nn.BCELoss(reduction="none")(autograd.tensor(p), autograd.tensor(y)).data
    else:
        ours = [v.data for v in nn.BCELoss(reduction="none")([Value(v) for v in p], list(y))]
    assert_close(ours, expected)
