"""The public API as the structure issue defines it: nn and the demos use autograd's public names only,
``import autograd as torch`` reaches what a PyTorch listing reaches through ``torch.``, and nn serves Values."""

import ast
import math
from pathlib import Path

import numpy as np
import pytest

import autograd
import nn
from autograd import Value

ROOT = Path(__file__).resolve().parents[1]


def private_autograd_imports(path: Path) -> list[str]:
    """Every ``from autograd... import _name`` and ``autograd._name`` use in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "autograd":
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            if any(part.startswith("_") for part in (node.module or "").split(".")):
                found.append(node.module)
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if isinstance(node.value, ast.Name) and node.value.id in ("autograd", "torch"):
                found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("package", ["nn", "demos"])
def test_nn_and_demos_use_only_public_autograd_names(package):
    offenders = {str(p.relative_to(ROOT)): private_autograd_imports(p) for p in (ROOT / package).rglob("*.py")}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_walker_sees_a_private_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from autograd.tensor import _graph_copy, leaf\nimport autograd\nautograd._method_function\n")
    assert private_autograd_imports(sample) == ["autograd.tensor._graph_copy", "autograd._method_function"]


def test_torch_names_reach_through_autograd():
    torch = autograd
    assert torch.nn is nn and torch.nn.functional is nn.functional and torch.optim is nn.optim
    assert torch.utils.data.DataLoader is nn.data.DataLoader
    assert torch.autograd.grad is autograd.grad and torch.autograd.Function is autograd.Function
    assert torch.autograd.backward is autograd.backward
    with pytest.raises(AttributeError, match="no attribute 'cuda_magic'"):
        _ = torch.cuda_magic


def test_autograd_modules_never_import_nn():
    for path in (ROOT / "autograd").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        outside_the_lazy_hook = [m for m in imported if m and m.split(".")[0] == "nn"]
        assert path.name == "__init__.py" or not outside_the_lazy_hook, path


ACTIVATIONS = [
    nn.ReLU(),
    nn.Sigmoid(),
    nn.Tanh(),
    nn.LeakyReLU(0.1),
    nn.Softmax(dim=0),
    nn.LogSoftmax(dim=0),
]


@pytest.mark.parametrize("module", ACTIVATIONS, ids=lambda m: type(m).__name__)
@pytest.mark.parametrize("x", [-1.5, -0.25, 0.0, 0.8, 3.0])
def test_activation_modules_on_a_value_equal_a_0d_tensor(module, x):
    v = Value(x)
    out = module(v)
    out.backward()
    t = autograd.tensor(x, dtype=autograd.float64, requires_grad=True)
    ref = module(t)
    ref.backward()
    assert isinstance(out, Value)
    assert math.isclose(out.data, ref.item(), rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(v.grad, float(t.grad), rel_tol=1e-12, abs_tol=1e-15)


def test_prelu_on_a_value_says_what_to_use_instead():
    with pytest.raises(TypeError, match="nn.functional.prelu"):
        nn.PReLU()(Value(1.0))
    slope = Value(0.25)
    out = nn.functional.prelu(Value(-2.0), slope)
    out.backward()
    assert out.data == -0.5 and slope.grad == -2.0


def test_softmax_over_a_row_of_values_matches_tensors():
    row = [Value(v) for v in (0.5, -1.0, 2.0)]
    probs = nn.functional.softmax(row, dim=0)
    t = autograd.tensor([0.5, -1.0, 2.0], dtype=autograd.float64)
    np.testing.assert_allclose([p.data for p in probs], t.softmax(0).data, rtol=1e-12)
    assert math.isclose(sum(p.data for p in probs), 1.0)
