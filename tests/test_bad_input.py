"""Bad input gets a clear error: one case per row of the README's "What happens when..." tables.

Each case makes one bad input and asserts the error's type (or the exit status of ``python -m demos.mnist``)
and the words its message must hold: the op, the shapes, the argument, the file. The tables must list
exactly these cases, and every fragment of a message they quote must be in the message the case raises.
"""

from __future__ import annotations

import gzip
import os
import pickle
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

import autograd
import nn
from autograd import Value
from demos import mnist
from demos.vision import datasets
from tests.test_vision import DATA, IMAGES, LABELS, files_under, link, plain, put, serve

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


class Case(NamedTuple):
    id: str
    when: str  # the table's first column, word for word
    error: str  # an exception's class name, or "exit N" for python -m demos.mnist
    words: tuple[str, ...]  # each must be in the message (the scratch folder's path removed)
    run: Callable[[Path], Any]  # makes the bad input in a scratch folder and hands it over


# -- tensors and losses ------------------------------------------------------------------------------
a, b = autograd.ones(2, 3), autograd.ones(4, 5)


def scalar_then_backward_twice(_: Path) -> None:
    x = autograd.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


TENSORS = [
    Case(
        "add", "`a + b` with shapes that do not broadcast", "RuntimeError", ("+", "(2, 3)", "(4, 5)"), lambda _: a + b
    ),
    Case("sub", "`a - b`, the same", "RuntimeError", ("-: ", "(2, 3)", "(4, 5)"), lambda _: a - b),
    Case("mul", "`a * b`, the same", "RuntimeError", ("*: ", "(2, 3)", "(4, 5)"), lambda _: a * b),
    Case("div", "`a / b`, the same", "RuntimeError", ("/: ", "(2, 3)", "(4, 5)"), lambda _: a / b),
    Case("pow", "`a ** b`, the same", "RuntimeError", ("**: ", "(2, 3)", "(4, 5)"), lambda _: a**b),
    Case(
        "maximum",
        "`autograd.maximum(a, b)`, the same",
        "RuntimeError",
        ("maximum: ", "(2, 3)", "(4, 5)"),
        lambda _: autograd.maximum(a, b),
    ),
    Case(
        "where",
        "`autograd.where(condition, a, b)`, the same",
        "RuntimeError",
        ("where: ", "(2, 3)", "(4, 5)"),
        lambda _: autograd.where(a > 0, a, b),
    ),
    Case(
        "matmul",
        "`a @ b` with inner sizes that differ",
        "RuntimeError",
        ("matmul (@)", "(2, 3)", "(4, 5)", "3 != 4"),
        lambda _: a @ b,
    ),
    Case(
        "requires-grad-int",
        "`requires_grad=True` on an integer tensor",
        "RuntimeError",
        ("requires_grad", "int64", "float"),
        lambda _: autograd.tensor([1, 2], requires_grad=True),
    ),
    Case(
        "device",
        '`x.to("cuda")` (or `model.to("cuda")`): an unknown device',
        "RuntimeError",
        ("'cuda'", "CPU only"),
        lambda _: autograd.ones(2).to("cuda"),
    ),
    Case(
        "dtype",
        '`autograd.tensor(data, dtype="float17")`: an unknown dtype',
        "TypeError",
        ("'float17'", "not a dtype", "float32"),
        lambda _: autograd.tensor([1.0], dtype="float17"),
    ),
    Case(
        "module-to-int",
        "`model.to(autograd.int64)`: modules hold floating point parameters",
        "TypeError",
        ("Module.to", "floating point", "int64"),
        lambda _: nn.Linear(2, 2).to(autograd.int64),
    ),
    Case(
        "backward-nonscalar",
        "`y.backward()` on a non-scalar `y` without `gradient`",
        "RuntimeError",
        ("scalar outputs", "shape (2,)", "gradient"),
        lambda _: (autograd.ones(2, requires_grad=True) * 2).backward(),
    ),
    Case(
        "backward-gradient-shape",
        "`y.backward(gradient)` with a gradient of another shape",
        "RuntimeError",
        ("(3,)", "(2, 3)"),
        lambda _: (autograd.ones(2, 3, requires_grad=True) * 2).backward(autograd.ones(3)),
    ),
    Case(
        "backward-twice",
        "`y.backward()` a second time through the released graph",
        "RuntimeError",
        ("second time", "retain_graph=True"),
        scalar_then_backward_twice,
    ),
    Case(
        "backward-no-grad",
        "`y.backward()` where nothing requires grad",
        "RuntimeError",
        ("does not require grad", "requires_grad=True"),
        lambda _: autograd.ones(2).sum().backward(),
    ),
    Case(
        "dataloader-batch-size",
        "`DataLoader(dataset, batch_size=0)` (or 2.5)",
        "ValueError",
        ("batch_size", "positive integer", "batch_size=0"),
        lambda _: nn.data.DataLoader(nn.data.TensorDataset(autograd.ones(4)), batch_size=0),
    ),
    Case(
        "optimizer-lr",
        "`optim.SGD(params, lr=-1)` (or Adam; also momentum, weight_decay, eps < 0)",
        "ValueError",
        ("Invalid learning rate", "-1"),
        lambda _: nn.optim.SGD(nn.Linear(2, 2).parameters(), lr=-1),
    ),
    Case(
        "optimizer-betas",
        "`optim.Adam(params, betas=(1.5, 0.999))`",
        "ValueError",
        ("beta", "index 0", "1.5"),
        lambda _: nn.optim.Adam(nn.Linear(2, 2).parameters(), betas=(1.5, 0.999)),
    ),
]

logits, probabilities = autograd.randn(2, 3), autograd.full((2, 3), 0.5)
LOSSES = [
    Case(
        "mse-shapes",
        "`nn.MSELoss()(input, target)` of different shapes",
        "ValueError",
        ("mse_loss", "(2, 3)", "(4, 5)"),
        lambda _: nn.MSELoss()(logits, b),
    ),
    Case(
        "bce-shapes",
        "`nn.BCELoss()`, the same",
        "ValueError",
        ("binary_cross_entropy", "(2, 3)", "(4, 5)"),
        lambda _: nn.BCELoss()(probabilities, b),
    ),
    Case(
        "bce-logits-shapes",
        "`nn.BCEWithLogitsLoss()`, the same",
        "ValueError",
        ("binary_cross_entropy_with_logits", "(2, 3)", "(4, 5)"),
        lambda _: nn.BCEWithLogitsLoss()(logits, b),
    ),
    Case(
        "ce-batch",
        "`nn.CrossEntropyLoss()(input, target)` with 2 rows of scores and 3 targets",
        "ValueError",
        ("cross_entropy", "batch_size (2)", "batch_size (3)", "(2, 3)", "(3,)"),
        lambda _: nn.CrossEntropyLoss()(logits, autograd.tensor([0, 1, 2])),
    ),
    Case(
        "nll-batch",
        "`nn.NLLLoss()`, the same",
        "ValueError",
        ("nll_loss", "batch_size (2)", "batch_size (3)"),
        lambda _: nn.NLLLoss()(logits, autograd.tensor([0, 1, 2])),
    ),
    Case(
        "ce-float-target",
        "`nn.CrossEntropyLoss()` given class indices as floats",
        "RuntimeError",
        ("cross_entropy", "integers", "float32", "(2,)"),
        lambda _: nn.CrossEntropyLoss()(logits, autograd.tensor([0.0, 2.0])),
    ),
    Case(
        "ce-class-range",
        "`nn.CrossEntropyLoss()` given class index 3 of 3 classes",
        "IndexError",
        ("cross_entropy", "target 3", "3 classes"),
        lambda _: nn.CrossEntropyLoss()(logits, autograd.tensor([0, 3])),
    ),
    Case(
        "ce-negative-class",
        "`nn.CrossEntropyLoss()` given class index -1",
        "IndexError",
        ("cross_entropy", "target -1", "3 classes"),
        lambda _: nn.CrossEntropyLoss()(logits, autograd.tensor([-1, 0])),
    ),
    Case(
        "ce-probabilities-shape",
        "`nn.CrossEntropyLoss()` given class probabilities of another shape",
        "ValueError",
        ("cross_entropy", "(2, 4)", "(2, 3)"),
        lambda _: nn.CrossEntropyLoss()(logits, autograd.full((2, 4), 0.25)),
    ),
    Case(
        "values-ce-class-range",
        "`nn.CrossEntropyLoss()` on lists of Values, given class index 2 of 2",
        "IndexError",
        ("cross_entropy", "target 2", "2 classes"),
        lambda _: nn.CrossEntropyLoss()([Value(0.5), Value(-1.0)], 2),
    ),
    Case(
        "values-targets",
        "a loss on lists of Values, given more targets than inputs",
        "ValueError",
        ("mse_loss", "2 inputs", "3 targets"),
        lambda _: nn.MSELoss()([Value(0.5), Value(-1.0)], [1.0, 0.0, 1.0]),
    ),
    Case(
        "bce-range",
        "`nn.BCELoss()` given inputs outside [0, 1] (logits, not probabilities)",
        "RuntimeError",
        ("binary_cross_entropy", "between 0 and 1", "binary_cross_entropy_with_logits"),
        lambda _: nn.BCELoss()(logits * 5, probabilities),
    ),
    Case(
        "reduction",
        '`nn.MSELoss(reduction="avg")`, on tensors or on lists of Values',
        "ValueError",
        ("reduction", "'mean', 'sum' or 'none'", "'avg'"),
        lambda _: nn.MSELoss(reduction="avg")([Value(0.5)], [1.0]),
    ),
]


# -- model files ---------------------------------------------------------------------------------------
def small_model() -> nn.Module:
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def saved(folder: Path, hidden: tuple[int, ...] = (16,), edit: Any = None) -> Path:
    """An MNIST model of ``hidden`` sizes saved as ``folder/model.npz``, its state first changed by ``edit``."""
    state = dict(mnist.build_model(hidden).state_dict())
    if edit is not None:
        edit(state)
    autograd.save(state, folder / "model.npz")
    return folder / "model.npz"


def written(folder: Path, name: str, content: bytes) -> Path:
    (folder / name).write_bytes(content)
    return folder / name


def pickled_arrays(folder: Path) -> Path:
    """An .npz whose one array holds Python objects: reading it would unpickle them."""
    with open(folder / "model.npz", "wb") as file:
        np.savez(file, w=np.array([{"weights": 1}], dtype=object))
    return folder / "model.npz"


def truncated(folder: Path) -> Path:
    path = saved(folder)
    return written(folder, "model.npz", path.read_bytes()[: path.stat().st_size // 2])


def damaged(folder: Path) -> Path:
    """One flipped byte in the middle of an array: the archive's checksum of it fails."""
    content = bytearray(saved(folder).read_bytes())
    content[len(content) // 3] ^= 0xFF
    return written(folder, "model.npz", bytes(content))


def add_fc4(state: dict[str, Any]) -> None:
    state["fc4.weight"] = np.zeros((10, 16), np.float32)


def beside_bad_metrics(folder: Path) -> Path:
    """A model file with a metrics.json beside it that holds no recipe."""
    written(folder, "metrics.json", b"{}")
    return saved(folder)


def torch_checkpoint(folder: Path) -> Path:
    torch.save(torch.nn.Linear(2, 2).state_dict(), folder / "model.pt")
    return folder / "model.pt"


def refused_load(edit: Callable[[dict[str, Any]], Any], model: nn.Module | None = None, strict: bool = True) -> None:
    """Load ``model``'s state, every array changed and then ``edit``-ed, and check the refused load changed nothing."""
    model = model or small_model()
    before = {key: np.array(array) for key, array in model.state_dict().items()}
    state = {key: array + 1 for key, array in before.items()}  # any copy of these would show
    edit(state)
    try:
        model.load_state_dict(state, strict=strict)
    finally:
        after = model.state_dict()
        changed = [key for key in before if not np.array_equal(after[key], before[key])]
        assert not changed, f"a refused load changed {changed}"


MODEL_FILES = [
    Case(
        "load-missing",
        "`autograd.load(path)` of a file that does not exist",
        "FileNotFoundError",
        ("No such file", "model.npz"),
        lambda folder: autograd.load(folder / "model.npz"),
    ),
    Case(
        "load-not-archive",
        "`autograd.load(path)` of a text file",
        "ValueError",
        ("'model.npz'", "not an archive written by autograd.save", "some other kind of file"),
        lambda folder: autograd.load(written(folder, "model.npz", b"weights: 1 2 3\n")),
    ),
    Case(
        "load-empty",
        "`autograd.load(path)` of an empty file",
        "ValueError",
        ("'model.npz'", "the file is empty"),
        lambda folder: autograd.load(written(folder, "model.npz", b"")),
    ),
    Case(
        "load-truncated",
        "`autograd.load(path)` of a model file cut short",
        "ValueError",
        ("'model.npz'", "end is missing (truncated?)"),
        lambda folder: autograd.load(truncated(folder)),
    ),
    Case(
        "load-damaged",
        "`autograd.load(path)` of a model file with a changed byte",
        "ValueError",
        ("'model.npz' is damaged", "CRC"),
        lambda folder: autograd.load(damaged(folder)),
    ),
    Case(
        "load-pickle",
        "`autograd.load(path)` of a pickle (an old `torch.save` file)",
        "ValueError",
        ("'model.pt'", "a pickle", "can run code"),
        lambda folder: autograd.load(written(folder, "model.pt", pickle.dumps({"w": [1.0]}, protocol=2))),
    ),
    Case(
        "load-pickled-arrays",
        "`autograd.load(path)` of an .npz holding Python objects",
        "ValueError",
        ("'model.npz'", "holds pickled objects", "refuses"),
        lambda folder: autograd.load(pickled_arrays(folder)),
    ),
    Case(
        "load-torch",
        "`autograd.load(path)` of a `torch.save` checkpoint",
        "ValueError",
        ("'model.pt'", "not of arrays", "torch.load", "autograd.save"),
        lambda folder: autograd.load(torch_checkpoint(folder)),
    ),
    Case(
        "state-missing",
        "`model.load_state_dict(state)` without a key the model has",
        "RuntimeError",
        ("Sequential", "missing key '2.bias'"),
        lambda _: refused_load(lambda state: state.pop("2.bias")),
    ),
    Case(
        "state-unexpected",
        "`model.load_state_dict(state)` with a key the model lacks",
        "RuntimeError",
        ("unexpected key 'fc3.weight'",),
        lambda _: refused_load(lambda state: state.update({"fc3.weight": np.zeros((2, 2))})),
    ),
    Case(
        "state-shape",
        "`model.load_state_dict(state)` with one array of another shape",
        "RuntimeError",
        ("size mismatch for 0.weight", "(4, 5)", "(4, 3)"),
        lambda _: refused_load(lambda state: state.update({"0.weight": np.zeros((4, 5))})),
    ),
    Case(
        "state-not-numeric",
        "`model.load_state_dict(state)` with text for an array",
        "RuntimeError",
        ("0.bias is not numeric", "<U"),
        lambda _: refused_load(lambda state: state.update({"0.bias": "0 0 0 0"})),
    ),
    Case(
        "state-not-dict",
        "`model.load_state_dict(arrays)` of a list",
        "TypeError",
        ("dict-like", "list"),
        lambda _: small_model().load_state_dict([np.zeros(3)]),
    ),
    Case(
        "eval-not-archive",
        "`python -m demos.mnist eval --model notes.txt`",
        "exit 1",
        ("error: ", "'notes.txt' is not an archive"),
        lambda folder: mnist.main(["eval", "--model", str(written(folder, "notes.txt", b"hello"))]),
    ),
    Case(
        "eval-pickled",
        "`eval --model` a model file holding pickled objects",
        "exit 1",
        ("error: ", "'model.npz' holds pickled objects"),
        lambda folder: mnist.main(["eval", "--model", str(pickled_arrays(folder))]),
    ),
    Case(
        "eval-truncated",
        "`eval --model` a model file cut short",
        "exit 1",
        ("error: ", "'model.npz'", "truncated"),
        lambda folder: mnist.main(["eval", "--model", str(truncated(folder))]),
    ),
    Case(
        "eval-missing-keys",
        "`eval --model` a model file without the last layer's bias",
        "exit 1",
        ("model.npz does not fit", "hidden sizes [16]", "missing key '3.bias'"),
        lambda folder: mnist.main(
            ["eval", "--hidden", "16", "--model", str(saved(folder, edit=lambda state: state.pop("3.bias")))]
        ),
    ),
    Case(
        "eval-unexpected-keys",
        "`eval --model` a model file with a key the model lacks",
        "exit 1",
        ("model.npz does not fit", "hidden sizes [16]", "unexpected key 'fc4.weight'"),
        lambda folder: mnist.main(["eval", "--hidden", "16", "--model", str(saved(folder, edit=add_fc4))]),
    ),
    Case(
        "eval-shapes",
        "`eval --model` a model of other layer sizes than `--hidden` says",
        "exit 1",
        ("model.npz does not fit", "size mismatch for 1.weight", "(50, 784)", "(16, 784)", "--hidden"),
        lambda folder: mnist.main(["eval", "--hidden", "16", "--model", str(saved(folder, hidden=(50,)))]),
    ),
    Case(
        "eval-metrics",
        "`eval --model` a model whose metrics.json is not one `train` wrote",
        "exit 1",
        ("error: ", "metrics.json: not a metrics.json written by train"),
        lambda folder: mnist.main(["eval", "--model", str(beside_bad_metrics(folder))]),
    ),
]


# -- MNIST files -------------------------------------------------------------------------------------
def t10k_with_labels(folder: Path, labels: bytes) -> Path:
    """A root holding the committed test images and ``labels`` as the labels file."""
    link(folder, IMAGES)
    put(folder, LABELS, labels)
    return folder


def t10k_with_cut_gzip(folder: Path) -> Path:
    """A root holding the committed test images and the first 3000 bytes of the compressed labels."""
    link(folder, IMAGES)
    written(folder, f"{LABELS}.gz", gzip.compress(plain(LABELS))[:3000])
    return folder


def changed_label(content: bytes) -> bytes:
    """One label changed to another valid one: only the digest can tell."""
    labels = bytearray(content)
    labels[100] = (labels[100] + 1) % 10
    return bytes(labels)


def download_cut_short(folder: Path) -> None:
    """A mirror that closes the connection half-way through the labels file; check nothing is left behind."""
    (folder / "mirror").mkdir()
    link(folder / "mirror", LABELS)
    root = folder / "root"
    link(root, *(name for name in datasets.MNIST.files if name != LABELS))
    before = files_under(root)
    size = (DATA / f"{LABELS}.gz").stat().st_size
    with serve(folder / "mirror", cut_after=size // 2) as (url, _):
        mirrored = type("MNIST", (datasets.MNIST,), {"mirrors": [url]})  # so that its raw folder is MNIST/raw
        try:
            mirrored(root, train=False, download=True)
        finally:
            assert files_under(root) == before, "a failed download left files behind"


MNIST_FILES = [
    Case(
        "mnist-missing",
        "`datasets.MNIST(root)` where the files are not",
        "FileNotFoundError",
        ("MNIST: t10k-images-idx3-ubyte not found", "MNIST/raw/t10k-images-idx3-ubyte.gz", "download=True"),
        lambda folder: datasets.MNIST(folder, train=False),
    ),
    Case(
        "mnist-truncated",
        "an MNIST file cut short",
        "ValueError",
        ("t10k-labels-idx1-ubyte: truncated", "10008 bytes", "has 9998"),
        lambda folder: datasets.MNIST(t10k_with_labels(folder, plain(LABELS)[:-10]), train=False),
    ),
    Case(
        "mnist-truncated-gzip",
        "an MNIST .gz file cut short",
        "ValueError",
        ("t10k-labels-idx1-ubyte.gz: not a complete gzip file",),
        lambda folder: datasets.MNIST(t10k_with_cut_gzip(folder), train=False),
    ),
    Case(
        "mnist-magic",
        "an MNIST file with another file's magic number",
        "ValueError",
        ("t10k-labels-idx1-ubyte: bad magic number 2051, expected 2049",),
        lambda folder: datasets.MNIST(t10k_with_labels(folder, plain(IMAGES)[:4] + plain(LABELS)[4:]), train=False),
    ),
    Case(
        "mnist-digest",
        "an MNIST file with one label changed",
        "ValueError",
        ("t10k-labels-idx1-ubyte: SHA-256 mismatch", datasets.MNIST.digests[LABELS]),
        lambda folder: datasets.MNIST(t10k_with_labels(folder, changed_label(plain(LABELS))), train=False),
    ),
    Case(
        "mnist-download-cut",
        "`datasets.MNIST(root, download=True)` when the connection closes half-way",
        "RuntimeError",
        ("could not download t10k-labels-idx1-ubyte", "IncompleteRead", "t10k-labels-idx1-ubyte.gz another way"),
        download_cut_short,
    ),
]


# -- digit images for predict ----------------------------------------------------------------------
def png_chunk(kind: bytes, data: bytes = b"") -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(folder: Path, width: int, height: int) -> Path:
    """A PNG that declares a gray image of ``width`` x ``height`` but holds no pixels: a size check must come
    before decoding, which would fail on it with another message."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return written(folder, "digit.png", b"\x89PNG\r\n\x1a\n" + header + png_chunk(b"IDAT") + png_chunk(b"IEND"))


def drawn(folder: Path, size: tuple[int, int], mode: str = "L", color: int = 255) -> Path:
    Image.new(mode, size, color).save(folder / "digit.png")
    return folder / "digit.png"


def cut_in_half(folder: Path) -> Path:
    """A drawn stroke saved as a PNG, then the file's second half lost."""
    image = Image.new("L", (60, 50), 255)
    ImageDraw.Draw(image).line((10, 10, 50, 40), fill=0, width=5)
    image.save(folder / "digit.png")
    content = (folder / "digit.png").read_bytes()
    return written(folder, "digit.png", content[: len(content) // 2])


def predict(make_image: Callable[[Path], Path]) -> Callable[[Path], None]:
    """python -m demos.mnist predict, with a small model, on the image ``make_image`` writes."""
    return lambda folder: mnist.main(
        ["predict", "--hidden", "16", "--model", str(saved(folder)), str(make_image(folder))]
    )


IMAGES_TO_PREDICT = [
    Case(
        "image-missing",
        "`predict --model m.npz digit.png` where there is no digit.png",
        "exit 1",
        ("error: digit.png: cannot read it as an image", "No such file"),
        predict(lambda folder: folder / "digit.png"),
    ),
    Case(
        "image-unreadable",
        "`predict` of a file that is not an image",
        "exit 1",
        ("error: digit.png: cannot read it as an image", "cannot identify image file"),
        predict(lambda folder: written(folder, "digit.png", b"not an image")),
    ),
    Case(
        "image-empty",
        "`predict` of an empty file (0 bytes)",
        "exit 1",
        ("error: digit.png: the file is empty (0 bytes)",),
        predict(lambda folder: written(folder, "digit.png", b"")),
    ),
    Case(
        "image-truncated",
        "`predict` of an image cut short",
        "exit 1",
        ("error: digit.png: cannot read it as an image", "truncated"),
        predict(cut_in_half),
    ),
    Case(
        "image-blank",
        "`predict` of an all-white image (no digit)",
        "exit 1",
        ("error: digit.png: no digit found, the image is blank",),
        predict(lambda folder: drawn(folder, (50, 50))),
    ),
    Case(
        "image-huge",
        "`predict` of a 20000 x 20000 image",
        "exit 1",
        ("error: digit.png: the image is too large", "400000000 pixels", "at most 25,000,000 pixels"),
        predict(lambda folder: drawn(folder, (20000, 20000), mode="1", color=1)),
    ),
    Case(
        "image-large",
        "`predict` of a 6000 x 5000 image (more than 25 million pixels)",
        "exit 1",
        ("error: digit.png: 6000 x 5000 pixels is too large", "scale it down"),
        predict(lambda folder: png_header(folder, 6000, 5000)),
    ),
]


# -- command-line options ------------------------------------------------------------------------------
def usage(id: str, argv: str, words: tuple[str, ...], when: str = "") -> Case:
    """A bad option value that argparse refuses (exit 2) before anything runs; in ``argv``, "{dir}" stands
    for the scratch folder and "{file}" for a file that exists (this one)."""

    def run(folder: Path) -> None:
        mnist.main([arg.format(dir=folder, file=__file__) for arg in argv.split()])

    return Case(id, when or f"`python -m demos.mnist {argv}`", "exit 2", words, run)


OPTIONS = [
    usage("epochs", "train --epochs 0", ("argument --epochs", "expected a positive integer", "'0'")),
    usage("batch-size", "train --batch-size -5", ("argument --batch-size", "positive integer", "'-5'")),
    usage("lr", "train --lr 0", ("argument --lr", "expected a positive number", "'0'")),
    usage("lr-nan", "train --lr nan", ("argument --lr", "positive number", "'nan'")),
    usage("hidden", "train --hidden 200,0", ("argument --hidden", "must be positive", "'200,0'")),
    usage("hidden-text", "train --hidden wide", ("argument --hidden", "like 200,200,200", "'wide'")),
    usage("dataset", "train --dataset cifar", ("argument --dataset", "invalid choice", "cifar", "fashion-mnist")),
    usage("optimizer", "train --optimizer rmsprop", ("argument --optimizer", "invalid choice", "rmsprop", "adam")),
    usage("loss", "train --loss hinge", ("argument --loss", "invalid choice", "hinge", "mse")),
    usage("schedule", "train --schedule cosine", ("argument --schedule", "invalid choice", "cosine", "one-cycle")),
    usage("seed", "train --seed -1", ("argument --seed", "an integer >= 0", "'-1'")),
    usage(
        "data-dir",
        "train --data-dir {dir}/nowhere",
        ("argument --data-dir", "expected an existing folder", "'nowhere'"),
        "`python -m demos.mnist train --data-dir nowhere` where there is no such folder",
    ),
    usage(
        "out",
        "train --out {file}",
        ("argument --out", "not an existing file", "test_bad_input.py"),
        "`python -m demos.mnist train --out notes.txt` where notes.txt is a file",
    ),
    usage(
        "eval-model",
        "eval --model {dir}/gone.npz",
        ("argument --model", "expected an existing file", "'gone.npz'"),
        "`python -m demos.mnist eval --model gone.npz` where there is no such file",
    ),
    usage(
        "predict-model",
        "predict --model {dir} digit.png",
        ("argument --model", "expected an existing file"),
        "`python -m demos.mnist predict --model runs/ digit.png`: a folder, not a model file",
    ),
    usage(
        "predict-no-image",
        "predict --model {file}",
        ("the following arguments are required: IMAGE",),
        "`python -m demos.mnist predict --model m.npz` without an image",
    ),
]


# -- in-place edits, anomalies and big graphs --------------------------------------------------------
def edit_a_saved_input(_: Path) -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = x.log().sum()
    with autograd.no_grad():
        x[0] = 10
    y.backward()


def edit_an_index(_: Path) -> None:
    x = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = autograd.tensor([0, 2])
    y = (x * 1)[index].sum()
    index[0] = 1
    y.backward()


def step_between_backward_passes(_: Path) -> None:
    model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1))
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    loss = model(autograd.ones(3, 4)).sum()
    loss.backward(retain_graph=True)
    optimizer.step()
    loss.backward()


def edit_a_view_made_under_no_grad(_: Path) -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True) * 1
    with autograd.no_grad():
        view = x[:1]
    view.mul_(2)


def overlapping_edit(_: Path) -> None:
    a = autograd.tensor([1.0, 2.0, 3.0])
    a[1:] = a[:-1]


def nan_in_forward(_: Path) -> None:
    with autograd.detect_anomaly():
        autograd.tensor([0.0, 1.0], requires_grad=True).log()


def inf_in_backward(_: Path) -> None:
    with autograd.detect_anomaly():
        autograd.tensor([0.0, 1.0], requires_grad=True).sqrt().sum().backward()


def draw_a_huge_graph(_: Path) -> None:
    v = autograd.Value(1.0)
    for _ in range(50_000):
        v = v + 1
    autograd.draw_dot(v)


GRAPHS = [
    Case(
        "edit-saved",
        "`y = x.log().sum()`, then `x[0] = 10` under `no_grad`, then `y.backward()`: "
        "an input the backward rule reads was edited",
        "RuntimeError",
        ("modified by an inplace operation", "input 0 of 'log'", "(2,)", "version 1"),
        edit_a_saved_input,
    ),
    Case(
        "edit-index",
        "`y = x[index].sum()`, then `index[0] = 1`, then `y.backward()`",
        "RuntimeError",
        ("the index of 'getitem'",),
        edit_an_index,
    ),
    Case(
        "step-between-backwards",
        "`loss.backward(retain_graph=True)`, `optimizer.step()`, `loss.backward()`: the step edited the weights",
        "RuntimeError",
        ("the input 1 of 'linear'", "(1, 4)"),
        step_between_backward_passes,
    ),
    Case(
        "edit-leaf",
        "`w.add_(1)` (or `w -= lr * g`) on a leaf that requires grad, with grad mode on",
        "RuntimeError",
        ("leaf Tensor", "in-place operation", "no_grad"),
        lambda _: autograd.tensor([1.0, 2.0], requires_grad=True).add_(1),
    ),
    Case(
        "edit-no-grad-view",
        "an in-place edit, with grad mode on, of a view made under `no_grad` of a tensor that requires grad",
        "RuntimeError",
        ("created under no_grad",),
        edit_a_view_made_under_no_grad,
    ),
    Case(
        "overlapping-edit",
        "`a[1:] = a[:-1]`: an input overlaps the elements written",
        "RuntimeError",
        ("refer to a single memory location", "clone()"),
        overlapping_edit,
    ),
    Case(
        "edit-expanded",
        "`x.expand(2, 3).add_(1)`: an in-place edit of a broadcast view",
        "RuntimeError",
        ("broadcast view", "clone()"),
        lambda _: autograd.ones(3).expand(2, 3).add_(1),
    ),
    Case(
        "anomaly-forward",
        "`x.log()` of a 0 under `with autograd.detect_anomaly():`",
        "RuntimeError",
        ("detect_anomaly", "'log'", "test_bad_input.py:", "-inf"),
        nan_in_forward,
    ),
    Case(
        "anomaly-backward",
        "`x.sqrt().sum().backward()` at a 0 under `with autograd.detect_anomaly():`",
        "RuntimeError",
        ("the backward of 'sqrt'", "test_bad_input.py:", "inf"),
        inf_in_backward,
    ),
    Case(
        "huge-graph",
        "`draw_dot` of a graph of 100,000 values",
        "ValueError",
        ("100001 values", "max_nodes=500"),
        draw_a_huge_graph,
    ),
]

CASES = TENSORS + LOSSES + GRAPHS + MODEL_FILES + MNIST_FILES + IMAGES_TO_PREDICT + OPTIONS


def outcome(case: Case, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """(the error's class name or "exit N", its message with ``folder`` removed from paths) of running ``case``."""
    try:
        case.run(folder)
    except SystemExit as exit:
        if isinstance(exit.code, str):  # sys.exit("error: ...") prints it and exits with status 1
            error, message = "exit 1", exit.code
        else:
            error, message = f"exit {exit.code}", capsys.readouterr().err
    except Exception as exception:
        error, message = type(exception).__name__, str(exception)
    else:
        pytest.fail(f"{case.when}: no error")
    return error, message.replace(f"{folder}{os.sep}", "")


def table_rows() -> dict[str, tuple[str, str]]:
    """The "when" column -> (error column, message column) of every row of the README's tables under
    "What happens when..." (that section ends where the next top-level section starts)."""
    text = README.read_text()
    section = text[text.index("## What happens when...") :]
    section = section[: section.index("\n## ", 1)]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")] if line.startswith("|") else []
        if len(cells) == 3 and cells[0] != "What happens when..." and not set(cells[0]) <= set("-: "):
            assert cells[0] not in rows, f"two rows for {cells[0]}"
            rows[cells[0]] = (cells[1].strip("`"), cells[2])
    return rows


@pytest.fixture(scope="module")
def rows() -> dict[str, tuple[str, str]]:
    return table_rows()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_a_clear_error(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: dict[str, tuple[str, str]]
) -> None:
    error, message = outcome(case, tmp_path, capsys)
    assert error == case.error, message
    assert "Traceback" not in message
    missing = [word for word in case.words if word not in message]
    assert not missing, f"{missing} not in the message:\n{message}"
    assert case.when in rows, f"no row for {case.when!r} in {README.name}"
    shown_error, shown_message = rows[case.when]
    assert shown_error == case.error
    fragments = re.findall(r"`([^`]+)`", shown_message)
    assert fragments, f"the row for {case.when!r} quotes no message"
    position = 0
    for fragment in fragments:  # each quoted fragment is in the message, in the order shown
        found = message.find(fragment, position)
        assert found >= 0, f"the table shows {fragment!r}, which is not in the message:\n{message}"
        position = found + len(fragment)


def test_the_tables_list_exactly_these_cases(rows: dict[str, tuple[str, str]]) -> None:
    assert len({case.id for case in CASES}) == len(CASES)
    assert sorted(rows) == sorted(case.when for case in CASES)
    assert len(CASES) >= 25


def last_key(state: dict[str, Any]) -> str:
    return list(state)[-1]


@pytest.mark.parametrize("build", [small_model, lambda: nn.MLP(3, [4, 2])], ids=["tensors", "values"])
@pytest.mark.parametrize(
    "edit, strict",
    [
        (lambda state: state.update({last_key(state): np.zeros((3, 3))}), True),
        (lambda state: state.update({last_key(state): np.zeros((3, 3))}), False),
        (lambda state: state.update({last_key(state): "0.5"}), False),
        (lambda state: state.update({last_key(state): np.array(0.5 + 1j)}), True),
        (lambda state: state.pop(last_key(state)), True),
        (lambda state: state.update({"extra.weight": np.zeros(2)}), True),
    ],
    ids=["misshapen", "misshapen-not-strict", "text-not-strict", "complex", "missing", "unexpected"],
)
def test_a_refused_load_changes_no_parameter(build: Callable[[], nn.Module], edit: Any, strict: bool) -> None:
    """Only the last key is bad; every other array differs from the model's and would show if copied."""
    with pytest.raises(RuntimeError, match="Error\\(s\\) in loading state_dict"):
        refused_load(edit, build(), strict)


def test_the_refused_load_check_sees_a_change() -> None:
    with pytest.raises(AssertionError, match="a refused load changed"):
        refused_load(lambda state: None)


@pytest.mark.parametrize(
    "option, values",
    [
        ("--epochs", ["0", "-1", "1.5", "four"]),
        ("--batch-size", ["0", "-384", "38.4"]),
        ("--lr", ["0", "-0.1", "nan", "inf", "fast"]),
        ("--hidden", ["0", "200,-1", "200,", "a,b"]),
        ("--seed", ["-1", "0.5"]),
    ],
)
def test_every_bad_value_of_a_number_option_is_a_usage_error(
    option: str, values: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for value in values:
        with pytest.raises(SystemExit) as exit:
            mnist.make_parser().parse_args(["train", option, value])
        assert exit.value.code == 2
        assert f"error: argument {option}: " in capsys.readouterr().err.splitlines()[-1]


def test_good_values_of_the_number_options_are_taken() -> None:
    argv = ["train", "--epochs", "3", "--batch-size", "1", "--lr", "1e-4", "--hidden", "8,4", "--seed", "0"]
    recipe = mnist.make_recipe(mnist.make_parser().parse_args(argv))
    assert (recipe["epochs"], recipe["batch_size"], recipe["lr"], recipe["hidden"], recipe["seed"]) == (
        3,
        1,
        1e-4,
        [8, 4],
        0,
    )


def test_train_epochs_0_in_a_subprocess_is_a_usage_error_not_a_traceback() -> None:
    command = [sys.executable, "-m", "demos.mnist", "train", "--epochs", "0"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last == "python -m demos.mnist train: error: argument --epochs: expected a positive integer, got '0'"
