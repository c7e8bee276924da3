"""The ``net.py`` of the blog post "from one weight to a network": its MNIST network, 784-200-200-200-10 with ReLU.

Only the imports changed, ``torch`` becoming this project's ``autograd`` and ``nn``.
"""

# 定义模型
import autograd as torch
import nn


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(784, 200)
        self.fc2 = nn.Linear(200, 200)
        self.fc3 = nn.Linear(200, 200)
        self.fc4 = nn.Linear(200, 10)

    def forward(self, x):
        x = x.view(-1, 784)  # 展平图像为一维向量
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        x = torch.relu(self.fc3(x))
        x = self.fc4(x)
        return x
