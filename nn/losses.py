"""Loss functions as modules; each holds its ``reduction`` ("mean", "sum" or "none")."""

from __future__ import annotations

from typing import Any

from nn import functional as F
from nn.module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """mean((input - target)^2)"""

    def forward(self, input: Any, target: Any) -> Any:
        return F.mse_loss(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    """-log softmax(logits)[class], with class-index or class-probability targets."""

    def forward(self, input: Any, target: Any) -> Any:
        return F.cross_entropy(input, target, self.reduction)


class NLLLoss(_Loss):
    """-input[class], for log-probability inputs."""

    def forward(self, input: Any, target: Any) -> Any:
        return F.nll_loss(input, target, self.reduction)


class BCELoss(_Loss):
    """-(y log p + (1 - y) log(1 - p)), logs clamped at -100."""

    def forward(self, input: Any, target: Any) -> Any:
        return F.binary_cross_entropy(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """BCE on sigmoid(logits), computed stably from the logits."""

    def forward(self, input: Any, target: Any) -> Any:
        return F.binary_cross_entropy_with_logits(input, target, self.reduction)
