"""The MNIST listing of the blog post "from one weight to a network", on this engine.

It trains its Net with MSE on one-hot labels, saves best.pt, and reads one digit image.

    python -m demos.blog_mnist [--epochs 200] [--image demos/data/digits/5.png] [--out .]

The lines are the blog post's, with only these changes:
- the imports: ``autograd`` for ``torch``, this project's ``nn``, ``nn.data`` and ``demos.vision``
  for ``torch.nn``, ``torch.utils.data`` and ``torchvision``;
- the data root is the MNIST copy kept in this repository (``download=True`` then fetches nothing);
- three options replace constants: ``--epochs`` (the post's 200 take a while), ``--image`` (the
  post's ``./img.png``, by default MNIST's first training image, the 5 the post's link shows)
  and ``--out``, the folder for ``best.pt``.
Run it from the repository's root, where its relative paths point.
"""

import argparse
import os

parser = argparse.ArgumentParser(
    prog=f"python -m {__spec__.name}", description="The blog post's MNIST listing on this project's engine."
)
parser.add_argument("--epochs", type=int, default=200, help="training epochs (default: 200, the post's)")
parser.add_argument("--image", default="demos/data/digits/5.png", help="a 28 x 28 digit, white on black")
parser.add_argument("--out", default=".", help="folder for best.pt (default: the current one)")
args = parser.parse_args()
best_pt = os.path.join(args.out, "best.pt")

import autograd as torch
import nn
from nn import optim
from nn.functional import one_hot
from nn.data import DataLoader
from demos.vision import datasets, transforms
from demos.blog_net import Net

device = torch.device("cpu")
# 定义转换操作
transform = transforms.Compose([transforms.ToTensor()])
# 加载MNIST数据集
train_dataset = datasets.MNIST(root="demos/data/mnist", train=True, download=True, transform=transform)
test_dataset = datasets.MNIST(root="demos/data/mnist", train=False, download=True, transform=transform)
# 创建数据加载器
train_loader = DataLoader(dataset=train_dataset, batch_size=6000, shuffle=True)
test_loader = DataLoader(dataset=test_dataset, batch_size=1000, shuffle=False)
# 实例化模型
model = Net()
model = model.to(device)
# 定义损失函数和优化器
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=1)
# 训练模型
for epoch in range(args.epochs):
    for i, (images, labels) in enumerate(train_loader):  # noqa: B007  (the post names i)
        images = images.to(device)
        labels = labels.to(device)
        # 转换标签为one-hot编码
        labels = one_hot(labels, num_classes=10).float()
        # 前向传播
        outputs = model(images)
        loss = criterion(outputs, labels)
        # 反向传播和优化
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"Epoch [{epoch + 1}/{args.epochs}], Loss: {loss.item():.4f}")
# 保存模型
torch.save(model.state_dict(), best_pt)

import autograd as torch
from PIL import Image
from demos.vision import transforms
from demos.blog_net import Net

device = torch.device("cpu")
model = Net()
model = model.to(device)
# 加载训练好的模型权重
model.load_state_dict(torch.load(best_pt))
# 定义转换操作
transform = transforms.Compose([transforms.ToTensor()])


def load_image(image_path):
    image = Image.open(image_path).convert("L")  # 转换为灰度图像
    image = transform(image)
    image = image.unsqueeze(0)  # 添加批次维度
    return image


# 从https://huggingface.co/datasets/ylecun/mnist?image-viewer=image-0-5F2BE6C77CB0003C82CE3E8D89EDAE0F36E709EC下载图片到项目中
image_path = args.image
image = load_image(image_path)
image = image.to(device)
model.eval()
with torch.no_grad():
    outputs = model(image)
    _, predicted = torch.max(outputs.data, 1)
    print(f"Predicted label: {predicted.item()}")
