"""The blog post's PyTorch listing on this engine: a 1-3-1 sigmoid network fit to 50 points.

    python -m demos.simple_model [--quick] [--epochs 20000] [--out runs/demos] [--show]

At the end of "from one weight to a network" the blog post lets PyTorch do what the other demos do
by hand: a ``Dataset`` of 50 points (y = 0, then 1, then 0, then 1 along x), a ``DataLoader`` of
shuffled batches of 8, a network of three sigmoid neurons and one sigmoid output, ``MSELoss`` and
``SGD(lr=1.0)``, for 20,000 epochs.

The lines below are the post's, with only the imports changed (``autograd`` for ``torch``, this
project's ``nn``, ``nn.optim`` and ``nn.data``), and these additions: the epochs and the random
seed are options (``--quick`` runs 2,000 epochs), the loss is printed four times whatever the
epochs, the curve is kept at those times, and the plot is saved (simple_model.png) and scored:
the mean squared error on all 50 points and how many lie on the right side of 0.5.

Look at: simple_model.png. Three sigmoids are enough for two steps up and one down; the early
curves (faint) show the network finding them one after the other.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd as torch
import nn
from demos._teaching import demo_parser, finish, parse, pyplot
from nn import optim
from nn.data import DataLoader, Dataset

# 数据
# fmt: off
xs = np.array([0.00335400, 0.01282081, 0.03225714, 0.0418231, 0.06224218, 0.06963194,
               0.08320899, 0.08896305, 0.10781348, 0.12513706, 0.12787409, 0.15146274,
               0.16579344, 0.17624051, 0.18054, 0.19480951, 0.29320166, 0.29657286,
               0.31641167, 0.32839255, 0.33380987, 0.34495281, 0.37497198, 0.39868539,
               0.44614808, 0.46220023, 0.48874932, 0.51609881, 0.52824768, 0.54047126,
               0.54360899, 0.54395718, 0.55205861, 0.56033965, 0.57219896, 0.65985412,
               0.66736228, 0.67859612, 0.68135888, 0.68427166, 0.68967927, 0.73490296,
               0.76824992, 0.77612128, 0.79795515, 0.84028841, 0.90513846, 0.92928611,
               0.93766008, 0.9655463])
ys = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
               1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1,
               1, 1])
# fmt: on


class CustomDataset(Dataset):
    def __init__(self, xs, ys):
        self.xs = torch.tensor(xs, dtype=torch.float32).view(-1, 1)
        self.ys = torch.tensor(ys, dtype=torch.float32).view(-1, 1)

    def __len__(self):
        return len(self.xs)

    def __getitem__(self, idx):
        return self.xs[idx], self.ys[idx]


# 模型定义
class SimpleModel(nn.Module):
    def __init__(self):
        super(SimpleModel, self).__init__()  # noqa: UP008  (the post's spelling)
        self.layer1 = nn.Linear(1, 3)
        self.layer2 = nn.Linear(3, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        x = self.sigmoid(self.layer1(x))
        x = self.sigmoid(self.layer2(x))
        return x


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = demo_parser(__spec__.name, __doc__)
    parser.add_argument("--epochs", type=int, default=20000, help="epochs (default 20000, the post's)")
    args = parse(parser, argv)
    torch.manual_seed(args.seed)  # added, as are the snapshots of the curve and the scores below
    snapshots = {}

    dataset = CustomDataset(xs, ys)
    batch_size = 8
    dataloader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
    model = SimpleModel()
    # 损失函数和优化器
    criterion = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=1.0)
    # 训练模型
    epochs = 2000 if args.quick else args.epochs
    for epoch in range(epochs):
        for batch_xs, batch_ys in dataloader:
            model.train()
            optimizer.zero_grad()
            outputs = model(batch_xs)
            loss = criterion(outputs, batch_ys)
            loss.backward()
            optimizer.step()
        if (epoch + 1) % max(epochs // 4, 1) == 0:
            print(f"Epoch [{epoch + 1}/{epochs}], Loss: {loss.item()}")
            with torch.no_grad():  # added: the curve so far, for the picture
                snapshots[epoch + 1] = model(torch.tensor(xs, dtype=torch.float32).view(-1, 1)).numpy()
    # 预测
    model.eval()
    with torch.no_grad():
        predictions = model(torch.tensor(xs, dtype=torch.float32).view(-1, 1)).numpy()

    mse = float(np.mean((predictions[:, 0] - ys) ** 2))
    right_side = int(np.sum((predictions[:, 0] > 0.5) == (ys == 1)))
    print(
        f"after {epochs} epochs: mean squared error {mse:.6f} on all {len(xs)} points, {right_side} of them "
        f"on the right side of 0.5"
    )
    # 绘图
    plt = pyplot(args.show)
    fig, ax = plt.subplots(figsize=(6, 4))
    for seen, curve in list(snapshots.items())[:-1]:
        ax.plot(xs, curve, color="tab:red", alpha=0.15 + 0.6 * seen / epochs, lw=1, label=f"epoch {seen}")
    plt.scatter(xs, ys)
    plt.plot(xs, predictions, color="tab:red", lw=2, label=f"epoch {epochs}")
    ax.axhline(0.5, color="0.6", ls=":", lw=1)
    ax.set(
        xlabel="x",
        ylabel="y",
        title=f"The blog post's Linear(1, 3), Sigmoid, Linear(3, 1), Sigmoid\n{epochs} epochs: "
        f"MSE {mse:.4f}, {right_side} of {len(xs)} points on the right side of 0.5",
    )
    ax.legend(loc="upper left", fontsize=8)
    png = finish(plt, fig, args.out / "simple_model.png", args.show)
    return {"mse": mse, "right_side": right_side, "epochs": epochs, "png": png}


if __name__ == "__main__":
    main()
