"""Backward semantics of the Tensor engine against PyTorch's: seeds, accumulation, retained graphs, grad mode,
``autograd.grad`` and higher-order derivatives, and ``gradcheck``."""

import operator

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from tests.helpers import arrays, assert_close, broadcast_pairs, compare, leaf, random_like, to_torch


def both(fn, *inputs):
    """(our leaves, our output, torch leaves, torch output) for ``fn(lib, *leaves)`` with lib autograd or torch."""
    ours, theirs = [leaf(x) for x in inputs], [to_torch(x) for x in inputs]
    return ours, fn(autograd, *ours), theirs, fn(torch, *theirs)


def tanh_cubed(lib, x):
    return (x.tanh() ** 3).sum()


# -- seeding backward -------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
def test_one_element_backward_needs_no_gradient(shape):
    ours, out, theirs, ref = both(lambda lib, x: (x * x).exp(), random_like(shape))
    out.backward()
    ref.backward()
    assert_close(ours[0].grad, theirs[0].grad)


def test_non_scalar_backward_without_gradient_names_shape():
    x = leaf(random_like((2, 3)))
    with pytest.raises(RuntimeError, match=r"scalar.*\(2, 3\)"):
        (x * 2).backward()


def test_backward_gradient_of_wrong_shape_raises():
    x = leaf(random_like((2, 3)))
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(2, 3\)"):
        (x * 2).backward(np.ones(3))


def test_backward_accepts_tensor_gradient():
    x = leaf(random_like((2, 3)))
    x.tanh().backward(autograd.ones(2, 3, dtype=autograd.float64))
    assert_close(x.grad, 1 - np.tanh(x.data) ** 2)


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        autograd.tensor([1.0, 2.0]).sum().backward()


# -- accumulation and retained graphs -------------------------------------------------------
def test_leaf_grads_accumulate_with_retain_graph():
    ours, out, theirs, ref = both(tanh_cubed, random_like((3, 2)))
    for _ in range(2):
        out.backward(retain_graph=True)
        ref.backward(retain_graph=True)
    assert_close(ours[0].grad, theirs[0].grad)
    ours[0].grad, theirs[0].grad = None, None
    out.backward()
    ref.backward()
    assert_close(ours[0].grad, theirs[0].grad)


def test_leaf_grads_accumulate_across_graphs():
    """Two separate graphs from one leaf: the second backward adds to the first's gradient."""
    ours, out, theirs, ref = both(tanh_cubed, random_like(3))
    out.backward()
    ref.backward()
    (ours[0].exp() * 2).sum().backward()
    (theirs[0].exp() * 2).sum().backward()
    assert_close(ours[0].grad, theirs[0].grad)


def test_second_backward_without_retain_graph_raises():
    ours, out, theirs, ref = both(tanh_cubed, random_like(3))
    out.backward()
    ref.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        out.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        ref.backward()


def test_intermediate_grads_only_when_retained():
    """Non-leaf ``.grad`` stays None unless ``retain_grad()``; then it matches torch's."""
    x, xt = leaf(random_like(4)), to_torch(random_like(4))
    h, kept, ht, kept_t = x * 2, x.exp(), xt * 2, xt.exp()
    kept.retain_grad()
    kept_t.retain_grad()
    (h * kept).sum().backward()
    (ht * kept_t).sum().backward()
    assert h.grad is None
    assert_close(kept.grad, kept_t.grad)
    assert_close(x.grad, xt.grad)


def test_leaf_without_requires_grad_gets_no_grad():
    x, c = leaf(random_like(3)), leaf(random_like(3), requires_grad=False)
    (x * c).sum().backward()
    assert c.grad is None
    assert_close(x.grad, c.data)


def test_tensor_used_twice_and_diamond():
    """A tensor used several times, directly and through a shared intermediate, gets every contribution."""
    compare(lambda x: x * x + x.exp() * x, random_like(5))
    compare(lambda x: (lambda h: h * h + h)(x.tanh()), random_like(5))
    compare(lambda a, b: (a @ b) * a.sum() + b.T @ a.T.sum(1, keepdim=True), random_like((2, 3)), random_like((3, 2)))


def test_long_chain_backward():
    """A chain of 20,000 ops backpropagates without recursion limits."""
    x = leaf(1.0)
    y = x
    for _ in range(20_000):
        y = y * 1.0001
    y.backward()
    assert_close(x.grad, 1.0001**20_000, rtol=1e-9)


# -- requires_grad, no_grad, detach ---------------------------------------------------------------
def test_requires_grad_propagation():
    a, b, c = leaf(1.0), leaf(2.0, requires_grad=False), leaf(3.0, requires_grad=False)
    assert (a * b).requires_grad and (b + a).requires_grad
    assert not (b * c).requires_grad
    assert a.is_leaf and not (a * b).is_leaf and (b * c).is_leaf
    assert b.requires_grad_().requires_grad


def test_no_grad_context_manager():
    x = leaf(random_like(3))
    with autograd.no_grad():
        y = (x * 2).exp().sum()
        assert not autograd.is_grad_enabled()
        with autograd.enable_grad():
            z = x * 2
    assert autograd.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf
    assert z.requires_grad


def test_no_grad_decorator_and_exception_restore():
    @autograd.no_grad()
    def double(t):
        return t * 2

    x = leaf(random_like(3))
    assert not double(x).requires_grad
    assert (x * 2).requires_grad
    with pytest.raises(ValueError), autograd.no_grad():
        raise ValueError("grad mode must come back on")
    assert autograd.is_grad_enabled()


def test_detach():
    """detach() shares the data, records nothing, and stops the gradient like torch's."""
    x = leaf(random_like(3))
    d = x.detach()
    assert not d.requires_grad and d.grad is None
    assert np.shares_memory(d.data, x.data)
    compare(lambda t: t * t.detach(), random_like(3))


# -- autograd.grad ------------------------------------------------------------------------
def test_grad_returns_tuple_and_leaves_dot_grad_alone():
    ours, out, theirs, ref = both(lambda lib, x, y: (x * y.exp()).sum(), random_like(3, 1), random_like(3, 2))
    got, want = autograd.grad(out, ours), torch.autograd.grad(ref, theirs)
    assert isinstance(got, tuple) and len(got) == 2
    for g, w, x in zip(got, want, ours):
        assert_close(g, w)
        assert x.grad is None and not g.requires_grad


def test_grad_allow_unused():
    x, unused = leaf(random_like(2)), leaf(random_like(2))
    y = (x * 3).sum()
    with pytest.raises(RuntimeError, match="allow_unused"):
        autograd.grad(y, [x, unused], retain_graph=True)
    gx, gu = autograd.grad(y, [x, unused], allow_unused=True)
    assert_close(gx, np.full(2, 3.0))
    assert gu is None


def test_grad_with_grad_outputs_and_several_outputs():
    x, xt = leaf(random_like(3)), to_torch(random_like(3))
    g1, g2 = random_like(3, 1), random_like(3, 2)
    got = autograd.grad([x.tanh(), x * x], x, grad_outputs=[g1, g2])
    want = torch.autograd.grad([xt.tanh(), xt * xt], xt, grad_outputs=[torch.from_numpy(g1), torch.from_numpy(g2)])
    assert_close(got[0], want[0])


def test_grad_non_scalar_without_grad_outputs_raises():
    x = leaf(random_like(3))
    with pytest.raises(RuntimeError, match=r"\(3,\)"):
        autograd.grad(x * 2, x)


# -- higher order ---------------------------------------------------------------------------
HIGHER_ORDER = {
    "tanh_cubed": (tanh_cubed, [(3, 2)]),
    "softmax_weighted": (lambda lib, x, w: (x.softmax(-1) * w).sum(), [(3, 4), (3, 4)]),
    "quadratic_form": (lambda lib, x, A: x @ A @ x, [(4,), (4, 4)]),
    "log_softmax_picks": (lambda lib, X: -X.log_softmax(1)[[0, 1, 2, 3], [2, 0, 1, 2]].mean(), [(4, 3)]),
    "exp_log_sqrt_sigmoid_relu": (lambda lib, x: ((x.exp() + 1).log().sqrt().sigmoid() * x.relu()).sum(), [(5,)]),
    "mlp_tanh": (lambda lib, X, W1, b1, W2: (((X @ W1 + b1).tanh() @ W2) ** 2).mean(), [(5, 3), (3, 4), (4,), (4, 2)]),
    "div_pow_abs": (lambda lib, x, y: ((x / (1 + y**2)).abs() ** 1.5).sum(), [(2, 3), (3,)]),
    "where_clamp_max": (
        lambda lib, x: (lib.where(x > 0, x**2, x.clamp(min=-0.5) ** 3).max(1)[0] ** 2).sum(),
        [(3, 4)],
    ),
    "maximum_mean": (lambda lib, x, y: (lib.maximum(x, y) * x.mean(0, keepdim=True)).exp().sum(), [(3, 2), (2,)]),
    "stack_cat_expand": (
        lambda lib, x, y: (
            (lib.stack([x, y]) * lib.cat([y, x], 0).reshape(2, 3, 2) * x[:, :1].expand(3, 2)).sigmoid().sum()
        ),
        [(3, 2), (3, 2)],
    ),
    "log_softmax_transpose": (lambda lib, x: (x.T.log_softmax(0) * x.permute(1, 0)).sum(), [(3, 4)]),
}


@pytest.mark.parametrize("name", HIGHER_ORDER)
def test_hessian_vector_product(name):
    """Gradients with create_graph=True are differentiable again: grad, then H v, equal torch's."""
    fn, shapes = HIGHER_ORDER[name]
    ours, out, theirs, ref = both(fn, *[random_like(s, i) for i, s in enumerate(shapes)])
    grads = autograd.grad(out, ours, create_graph=True)
    grads_t = torch.autograd.grad(ref, theirs, create_graph=True)
    for g, gt in zip(grads, grads_t):
        assert g.requires_grad
        assert_close(g, gt)
    vs = [random_like(s, 10 + i) for i, s in enumerate(shapes)]
    hvp = autograd.grad(sum((g * v).sum() for g, v in zip(grads, vs)), ours, allow_unused=True)
    hvp_t = torch.autograd.grad(
        sum((g * torch.from_numpy(v)).sum() for g, v in zip(grads_t, vs)), theirs, allow_unused=True
    )
    for h, ht, x in zip(hvp, hvp_t, ours):
        assert_close(np.zeros(x.shape) if h is None else h, np.zeros(x.shape) if ht is None else ht)


def test_third_derivative():
    ours, out, theirs, ref = both(tanh_cubed, random_like(4))
    (x,), (xt,) = ours, theirs
    for _ in range(3):
        (g,) = autograd.grad(out, x, create_graph=True)
        (gt,) = torch.autograd.grad(ref, xt, create_graph=True)
        assert_close(g, gt)
        out, ref = g.sum(), gt.sum()


def test_backward_through_created_gradient():
    """A gradient penalty: backward() through a gradient made with create_graph=True."""
    fn, shapes = HIGHER_ORDER["mlp_tanh"]
    ours, out, theirs, ref = both(fn, *[random_like(s, i) for i, s in enumerate(shapes)])
    (gw,) = autograd.grad(out, ours[1], create_graph=True)
    (gwt,) = torch.autograd.grad(ref, theirs[1], create_graph=True)
    (out + (gw**2).sum()).backward()
    (ref + (gwt**2).sum()).backward()
    for x, xt in zip(ours, theirs):
        assert_close(x.grad, xt.grad)


def test_grad_without_create_graph_is_not_differentiable():
    x = leaf(random_like(3))
    (g,) = autograd.grad((x**3).sum(), x)
    assert not g.requires_grad and g.is_leaf


# -- gradient shapes ----------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(pair=broadcast_pairs(), op=st.sampled_from([operator.add, operator.sub, operator.mul, autograd.maximum]))
def test_broadcast_gradient_shape_and_dtype(pair, op):
    """Each leaf's gradient has the leaf's own shape and dtype (float32 stays float32)."""
    a = autograd.ones(*pair[0], requires_grad=True)
    b = autograd.ones(*pair[1], dtype=autograd.float64, requires_grad=True)
    op(a, b).sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    assert a.grad.dtype == autograd.float32 and b.grad.dtype == autograd.float64


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_float32_matches_torch_float32(data):
    """In float32 the forward value, the gradient and their dtypes follow torch's float32."""
    x = data.draw(arrays(st.sampled_from([(3,), (2, 3)]), -2, 2)).astype(np.float32)
    ours, theirs = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, ref = (ours.tanh() * ours).softmax(-1), (theirs.tanh() * theirs).softmax(-1)
    assert out.dtype == autograd.float32
    assert_close(out, ref, rtol=1e-6, atol=1e-7)
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    assert ours.grad.dtype == np.float32
    assert_close(ours.grad, theirs.grad, rtol=1e-5, atol=1e-6)


# -- gradcheck ---------------------------------------------------------------------------
def test_gradcheck_passes_for_correct_gradients():
    assert autograd.gradcheck(lambda x, y: (x * y.exp()).tanh(), [leaf(random_like((2, 3), 1)), leaf(random_like(3))])


def test_gradcheck_reports_wrong_gradient():
    """x * x.detach() has analytic gradient x but numerical gradient 2x: gradcheck names both values."""
    with pytest.raises(autograd.GradcheckError, match=r"analytic .*3\.0.*numerical .*(6\.0|5\.9999)"):
        autograd.gradcheck(lambda x: x * x.detach(), [leaf([3.0])])


def test_in_place_edit_keeps_the_values_its_backward_reads():
    """``x.mul_(y)`` overwrites x, whose old values are y's gradient: the edit keeps a copy, as torch does."""
    for lib in (torch, autograd):
        a = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = lib.tensor([3.0, 4.0], dtype=lib.float64, requires_grad=True)
        x = a * 1
        x.mul_(y)
        (x * x).sum().backward()
        assert_close(a.grad, [2 * 1 * 3**2, 2 * 2 * 4**2])  # d (a y)^2 / da = 2 a y^2
        assert_close(y.grad, [2 * 1**2 * 3, 2 * 2**2 * 4])  # d (a y)^2 / dy = 2 a^2 y
