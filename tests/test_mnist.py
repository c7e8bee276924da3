"""The MNIST demo end to end: a short training run, its files, eval, predict, and the blog post's listing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import autograd
import nn
from demos import mnist
from demos.vision.digits import prepare_digit

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One epoch of the default recipe (157 steps of batch 384), shared by the tests that need a model."""
    out = tmp_path_factory.mktemp("run")
    mnist.train({**mnist.DEFAULT_RECIPE, "epochs": 1}, out, quiet=True)
    return out


@pytest.fixture(scope="module")
def test_set() -> tuple[np.ndarray, np.ndarray]:
    dataset = mnist.load_dataset("mnist", None, train=False, normalize=False)
    return dataset.data, dataset.targets


def render_on_paper(digit: np.ndarray, path: Path) -> Path:
    """Draw an MNIST digit as a person might photograph one: enlarged, dark on white, off-centre."""
    big = Image.fromarray(255 - digit).resize((168, 168), Image.Resampling.BICUBIC)
    paper = Image.new("L", (300, 240), 255)
    paper.paste(big, (20, 50))
    paper.convert("RGB").save(path)
    return path


def test_short_training_clears_90_percent(run_dir: Path) -> None:
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["final_test_accuracy"] > 0.90
    assert metrics["recipe"] == {**mnist.DEFAULT_RECIPE, "epochs": 1}
    (epoch,) = metrics["epochs"]
    assert set(epoch) == {"epoch", "loss", "test_accuracy", "train_seconds", "eval_seconds"}
    assert epoch["loss"] < 1.0 and epoch["train_seconds"] > 0


def test_run_dir_holds_the_model_and_pictures(run_dir: Path) -> None:
    state = autograd.load(run_dir / "model.npz")
    assert state["1.weight"].shape == (200, 784) and state["7.bias"].shape == (10,)
    for picture in ("training_curve.png", "confusion_matrix.png", "misclassified.png"):
        assert (run_dir / picture).read_bytes()[:8] == PNG_MAGIC


def test_same_seed_same_numbers(tmp_path: Path) -> None:
    recipe = {**mnist.DEFAULT_RECIPE, "hidden": [16], "batch_size": 6000, "epochs": 2}
    first, second = (mnist.train(recipe, tmp_path / name, quiet=True) for name in "ab")
    strip = [{k: v for k, v in e.items() if not k.endswith("seconds")} for e in first["epochs"]]
    assert strip == [{k: v for k, v in e.items() if not k.endswith("seconds")} for e in second["epochs"]]
    assert (tmp_path / "a" / "model.npz").read_bytes() == (tmp_path / "b" / "model.npz").read_bytes()


def test_eval_prints_overall_and_per_class_accuracy(run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mnist.main(["eval", "--model", str(run_dir / "model.npz")])
    lines = capsys.readouterr().out.splitlines()
    expected = json.loads((run_dir / "metrics.json").read_text())["final_test_accuracy"]
    assert f"test accuracy {expected:.2%}" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == list("0123456789")


def test_a_model_of_other_shapes_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "small.npz"
    autograd.save(mnist.build_model([50]).state_dict(), path)
    with pytest.raises(ValueError, match=r"small\.npz does not fit(.|\n)*size mismatch for 1\.weight"):
        mnist.load_model(path)
    model, recipe = mnist.load_model(path, hidden=[50])
    assert recipe["hidden"] == [50]


def test_predict_reads_a_photographed_digit(run_dir: Path, test_set: tuple, tmp_path: Path) -> None:
    images, labels = test_set
    picks = [int(np.flatnonzero(labels == digit)[0]) for digit in range(10)]
    paths = [render_on_paper(images[i], tmp_path / f"{i}.png") for i in picks]
    probabilities = mnist.predict(*mnist.load_model(run_dir / "model.npz"), paths)
    assert probabilities.shape == (10, 10) and np.allclose(probabilities.sum(1), 1)
    assert (probabilities.argmax(1) == labels[picks]).sum() >= 9


def test_prepare_digit_places_mnist_digits_as_mnist_did(test_set: tuple, tmp_path: Path) -> None:
    images, _ = test_set
    for i in range(20):
        Image.fromarray(images[i]).save(tmp_path / "digit.png")
        remade = prepare_digit(tmp_path / "digit.png").astype(float)
        assert np.corrcoef(remade.ravel(), images[i].ravel())[0, 1] > 0.95


def test_predict_command_in_a_subprocess(run_dir: Path) -> None:
    samples = [ROOT / "demos" / "data" / "digits" / name for name in ("3-on-paper.png", "5.png")]
    model = str(run_dir / "model.npz")
    command = [sys.executable, "-m", "demos.mnist", "predict", "--model", model, *map(str, samples)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    three, five = result.stdout.splitlines()
    assert three.startswith(f"{samples[0]}: 3  (3 ") and five.startswith(f"{samples[1]}: 5  (5 ")


@pytest.mark.parametrize("content", [None, b"not an image"])
def test_predict_names_an_unreadable_image(run_dir: Path, tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "digit.png"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SystemExit, match=r"error: .*digit\.png: cannot read it as an image"):
        mnist.main(["predict", "--model", str(run_dir / "model.npz"), str(path)])


def test_a_blank_image_is_refused(tmp_path: Path) -> None:
    Image.new("L", (50, 50), 255).save(tmp_path / "blank.png")
    with pytest.raises(ValueError, match="no digit found"):
        prepare_digit(tmp_path / "blank.png")


@pytest.mark.parametrize("command, option", [("train", "--batch-size"), ("eval", "--model"), ("predict", "IMAGE")])
def test_help_of_each_command(command: str, option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        mnist.main([command, "--help"])
    assert exit_info.value.code == 0
    assert option in capsys.readouterr().out


def test_the_seed_preset_and_explicit_options() -> None:
    args = mnist.make_parser().parse_args(["train", "--preset", "blog", "--epochs", "3"])
    recipe = mnist.make_recipe(args)
    assert recipe == {**mnist.DEFAULT_RECIPE, **mnist.PRESETS["blog"], "epochs": 3}
    assert (recipe["loss"], recipe["optimizer"], recipe["lr"], recipe["batch_size"]) == ("mse", "sgd", 1.0, 6000)


def test_one_cycle_rises_then_falls_to_zero() -> None:
    rates = np.array(list(mnist.learning_rates(0.01, 100, "one-cycle")))
    top = round(100 * mnist.WARMUP) - 1
    assert len(rates) == 100 and rates.argmax() == top and rates[top] == pytest.approx(0.01)
    assert (np.diff(rates[: top + 1]) > 0).all() and (np.diff(rates[top:]) <= 0).all() and rates[-1] < 0.001
    assert list(mnist.learning_rates(0.5, 3, "constant")) == [0.5] * 3


def test_seed_listing_trains_saves_and_predicts(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "demos.blog_mnist", "--epochs", "1", "--out", str(tmp_path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "Epoch [1/1], Loss: " in result.stdout
    assert "Predicted label: " in result.stdout
    assert (tmp_path / "best.pt").is_file()


# -- the CNN ------------------------------------------------------------------------------------
def test_train_command_with_model_cnn_takes_the_cnn_recipe() -> None:
    recipe = mnist.make_recipe(mnist.make_parser().parse_args(["train", "--model", "cnn", "--epochs", "2"]))
    assert recipe == {**mnist.DEFAULT_RECIPE, **mnist.MODEL_RECIPES["cnn"], "model": "cnn", "epochs": 2}
    with pytest.raises(SystemExit, match="error: --hidden sets the MLP's hidden layer sizes; the CNN"):
        mnist.main(["train", "--model", "cnn", "--hidden", "10"])


def test_cnn_loss_falls_on_a_subset_and_its_file_says_what_it_holds(tmp_path: Path) -> None:
    """A few steps of the CNN on 1,280 training images; then its saved file rebuilds it for eval and predict."""
    train_set = mnist.load_dataset("mnist", None, train=True, normalize=True)
    images, labels = train_set.__getitems__(np.arange(1280))  # one batch, as the DataLoader fetches it
    recipe = {**mnist.DEFAULT_RECIPE, **mnist.MODEL_RECIPES["cnn"], "model": "cnn"}
    autograd.manual_seed(0)
    model = mnist.make_model(recipe)
    optimizer = mnist.make_optimizer("adam", model.parameters(), 2e-3)
    batches = [(images[i : i + 64], labels[i : i + 64]) for i in range(0, 1280, 64)]
    losses = []
    for batch in batches:
        losses.append(mnist.train_epoch(model, [batch], optimizer, mnist.make_loss("ce"), iter([2e-3]), quiet=True))
    assert losses[0] > 2.0 and np.mean(losses[-3:]) < 0.5 * np.mean(losses[:3])  # from chance (ln 10 = 2.3)

    path = tmp_path / "model.npz"
    mnist.save_model(model, recipe, path)
    assert json.loads(str(autograd.load(path)["recipe"]))["model"] == "cnn"
    loaded, loaded_recipe = mnist.load_model(path)  # no metrics.json beside it: the file alone says it
    assert loaded_recipe == recipe and isinstance(loaded[0], nn.Conv2d)
    assert np.array_equal(loaded[2].running_var.numpy(), model[2].running_var.numpy())  # conv, pool, batch norm
    test_images = images[:256]
    assert np.allclose(mnist.predict_logits(loaded, test_images), mnist.predict_logits(model, test_images), atol=1e-6)
    accuracy, per_class = mnist.evaluate(loaded, nn.data.TensorDataset(test_images, labels[:256]))
    assert accuracy > 0.7 and per_class.shape == (10,)
    samples = [ROOT / "demos" / "data" / "digits" / name for name in ("3-on-paper.png", "5.png")]
    assert mnist.predict(loaded, loaded_recipe, samples).shape == (2, 10)
