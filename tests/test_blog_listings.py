"""The first blog post's listings ("neurons and loss functions"), with ``import torch`` changed to
``import autograd as torch`` (and ``torch.nn`` to ``nn``) and nothing else, run and give the post's results."""

import contextlib
import io
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

SIGMOID = """
import autograd as torch
import matplotlib.pyplot as plt

#创建x插值点[-5.0, -4.9, -4.8,...., 5.0]
x = torch.range(-5., 5., 0.1)
print(f"x:{x}")
#执行激活函数
y = torch.sigmoid(x)
print(f"y:{y}")
#根据插值绘图
plt.plot(x.numpy(), y.numpy())
"""

TANH = """
import autograd as torch
import matplotlib.pyplot as plt
x = torch.range(-5., 5., 0.1)
y = torch.tanh(x)
plt.plot(x.numpy(), y.numpy())
plt.show()
"""

RELU = """
import autograd as torch
import matplotlib.pyplot as plt

relu = torch.nn.ReLU()
x = torch.range(-5., 5., 0.1)
y = relu(x)

plt.plot(x.numpy(), y.numpy())
plt.show()
"""

PRELU = """
import autograd as torch
import matplotlib.pyplot as plt
prelu = torch.nn.PReLU(num_parameters=1)
x = torch.range(-5., 5., 0.1)
y = prelu(x)
plt.plot(x.numpy(), y.detach().numpy())
plt.show()
"""

# describeTensor is the post author's helper, used but not shown in the post; this one prints what the post shows.
DESCRIBE = """
def describeTensor(t):
    print(f"Type: {t.type()}")
    print(f"shape/size: {t.shape}")
    print(f"values: {t}")
"""

SOFTMAX = """
import nn
import autograd as torch

softmax = nn.Softmax(dim = 1)
x_input = torch.randn(1,3)
#y_output对应向量中所有分量加总为1
y_output = softmax(x_input)
describeTensor(x_input)
describeTensor(y_output)
#把输出结果的分量加总
print(torch.sum(y_output, dim=1))
"""

MSE = """
import autograd as torch
import nn
mse_loss = nn.MSELoss()
outputs = torch.Tensor([1,2])
targets = torch.Tensor([3,4])
#[(3-1)^2 + (4-2)^2] / 2
loss = mse_loss(outputs, targets)
print(loss)
"""

CROSS_ENTROPY = """
import autograd as torch
import nn

ce_loss = nn.CrossEntropyLoss()

outputs = torch.randn(3,5)
print(outputs)
targets = torch.tensor([1, 0, 4], dtype = torch.int64)
loss = ce_loss(outputs, targets)
print(loss)
"""

BCE = """
bce_loss = nn.BCELoss()
sigmoid = nn.Sigmoid()
probabilities = sigmoid(torch.randn(4,1)) #把分量取值在0,1之间
#view(4,1)把一个包含4个分量的一维向量转换成一个包含4个一维向量的2维数组,每个向量只包含一个元素
targets = torch.tensor([1, 0, 1, 0], dtype=torch.float32).view(4,1)
loss = bce_loss(probabilities, targets)
print(probabilities)
print(loss)
"""


def run(*listings: str) -> tuple[dict, str]:
    """Run the listings one after the other in one namespace, as the post's reader does: namespace and output."""
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for listing in listings:
            exec(listing, namespace)
    return namespace, out.getvalue()


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+\.\d*(?:e[-+]?\d+)?", text)]


@pytest.mark.parametrize(
    "listing, f",
    [
        (SIGMOID, lambda x: 1 / (1 + np.exp(-x))),
        (TANH, np.tanh),
        (RELU, lambda x: np.maximum(x, 0)),
        (PRELU, lambda x: np.where(x > 0, x, 0.25 * x)),
    ],
)
def test_activation_listings_plot_the_post_curves(listing, f):
    namespace, _ = run(listing)
    x, y = namespace["x"].numpy(), namespace["y"].detach().numpy()
    assert x.shape == (101,) and x[0] == -5.0 and x[-1] == pytest.approx(5.0)
    np.testing.assert_allclose(y, f(x), rtol=1e-6, atol=1e-7)
    line = namespace["plt"].gca().lines[-1]
    np.testing.assert_allclose(line.get_ydata(), y)


def test_softmax_listing_rows_sum_to_one():
    namespace, printed = run(DESCRIBE, SOFTMAX)
    assert "shape/size: (1, 3)" in printed and "Type: torch.FloatTensor" in printed
    assert printed.splitlines()[-1] == "tensor([1.])"
    assert namespace["y_output"].sum().item() == pytest.approx(1.0)


def test_mse_listing_prints_four():
    _, printed = run(MSE)
    assert printed.strip() == "tensor(4.)"


def test_cross_entropy_listing_is_the_mean_negative_log_softmax_of_the_targets():
    namespace, printed = run(CROSS_ENTROPY)
    logits = namespace["outputs"].numpy()
    log_softmax = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    expected = -log_softmax[[0, 1, 2], [1, 0, 4]].mean()
    assert numbers(printed.splitlines()[-1])[0] == pytest.approx(expected, rel=1e-4)


def test_bce_listing_continues_the_cross_entropy_one():
    namespace, printed = run(CROSS_ENTROPY, BCE)
    p = namespace["probabilities"].numpy()[:, 0]
    y = np.array([1, 0, 1, 0])
    expected = -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()
    assert numbers(printed.splitlines()[-1])[0] == pytest.approx(expected, rel=1e-4)
