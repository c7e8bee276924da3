"""The PyTorch CNN listing of tests/pytorch_mnist_cnn.py, its imports changed, runs: it trains, tests,
schedules its learning rate and saves, and its loss falls from chance in a few batches."""

from pathlib import Path
from types import SimpleNamespace

import pytest

import autograd
from tests import pytorch_mnist_cnn as listing

ROOT = Path(__file__).resolve().parent.parent


def test_the_listing_trains_evaluates_schedules_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)  # the listing reads MNIST from demos/data/mnist
    args = SimpleNamespace(
        batch_size=64,
        test_batch_size=200,
        epochs=2,
        lr=2e-3,
        gamma=0.5,
        seed=1,
        log_interval=4,
        max_batches=8,
        save_to=tmp_path / "mnist_cnn.pt",
    )
    model, history = listing.main(args)
    (first_losses, (_, first_accuracy), first_lr), (losses, (test_loss, accuracy), lr) = history
    assert (first_lr, lr) == ([2e-3], [1e-3])  # StepLR halved the rate after the first epoch
    assert first_losses[0] > 2.0 and max(losses[-3:]) < 0.6 * first_losses[0]  # from chance (log 10 = 2.3) down
    assert accuracy > max(first_accuracy, 0.7) and test_loss < 1.0
    output = capsys.readouterr().out
    assert output.count("Train Epoch: 2 [") == 2 and "Test set: Average loss: " in output
    saved = autograd.load(args.save_to)
    assert list(saved) == list(model.state_dict()) and saved["conv2.weight"].shape == (64, 32, 3, 3)
