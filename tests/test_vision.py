"""demos.vision: the MNIST loaders on the committed files, their checks, downloads and transforms."""

import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import autograd
from demos.vision import datasets, transforms

DATA = Path(__file__).resolve().parents[1] / "demos" / "data" / "mnist"
IMAGES, LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
DEAD_MIRROR = "http://127.0.0.1:1/"


@functools.cache
def plain(name: str) -> bytes:
    """The uncompressed content of one committed file."""
    return gzip.decompress((DATA / f"{name}.gz").read_bytes())


def put(folder: Path, name: str, content: bytes, gz: bool = False) -> Path:
    """Write `content` as `folder/name`, gzip-compressed under `name.gz` if asked."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (f"{name}.gz" if gz else name)
    path.write_bytes(gzip.compress(content, compresslevel=1) if gz else content)
    return path


def link(folder: Path, *names: str) -> None:
    """Make `folder/name.gz` point at the committed copy, so tests need not copy 10 MB."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.gz").symlink_to(DATA / f"{name}.gz")


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir()}


@pytest.fixture(scope="module")
def train_set() -> datasets.MNIST:
    return datasets.MNIST(DATA, train=True)


@pytest.fixture(scope="module")
def test_set() -> datasets.MNIST:
    return datasets.MNIST(DATA, train=False)


# The committed files


def test_digest_table_matches_sha256sums():
    pairs = (line.split() for line in (DATA / "SHA256SUMS").read_text().splitlines())
    assert {name: digest for digest, name in pairs} == datasets.MNIST.digests


def test_train_split(train_set):
    assert len(train_set) == 60000
    assert train_set.data.shape == (60000, 28, 28) and train_set.data.dtype == np.uint8
    assert train_set.targets.shape == (60000,) and train_set.targets.dtype == np.int64
    assert train_set.targets[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert train_set.classes[0] == "0 - zero" and len(train_set.classes) == 10


def test_test_split(test_set):
    assert len(test_set) == 10000
    assert test_set.data.shape == (10000, 28, 28)
    assert sorted(set(test_set.targets.tolist())) == list(range(10))


def test_item_is_pil_image_and_int(train_set):
    image, label = train_set[0]
    assert isinstance(image, Image.Image) and image.mode == "L" and image.size == (28, 28)
    assert label == 5 and type(label) is int
    assert np.array_equal(np.asarray(image), train_set.data[0])


# Layouts and damaged files


@pytest.mark.parametrize("folder", ["", "MNIST/raw"])
@pytest.mark.parametrize("gz", [False, True])
def test_layouts(tmp_path, test_set, folder, gz):
    for name in (IMAGES, LABELS):
        put(tmp_path / folder, name, plain(name), gz)
    loaded = datasets.MNIST(tmp_path, train=False)
    assert np.array_equal(loaded.data, test_set.data)
    assert np.array_equal(loaded.targets, test_set.targets)


@pytest.fixture
def t10k_root(tmp_path) -> Path:
    """A root holding the test images; each test adds its own labels file."""
    link(tmp_path, IMAGES)
    return tmp_path


def test_one_changed_byte_fails_the_digest(t10k_root):
    labels = bytearray(plain(LABELS))
    labels[100] = (labels[100] + 1) % 10  # still a valid label, so only the digest can tell
    put(t10k_root, LABELS, bytes(labels))
    with pytest.raises(ValueError, match=f"{LABELS}: SHA-256 mismatch") as err:
        datasets.MNIST(t10k_root, train=False)
    assert datasets.MNIST.digests[LABELS] in str(err.value)


def test_truncated_file(t10k_root):
    put(t10k_root, LABELS, plain(LABELS)[:-10])
    with pytest.raises(ValueError, match=f"{LABELS}: truncated.*10008 bytes.*has 9998"):
        datasets.MNIST(t10k_root, train=False)


def test_truncated_gzip(t10k_root):
    packed = gzip.compress(plain(LABELS))
    (t10k_root / f"{LABELS}.gz").write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ValueError, match=f"{LABELS}.gz: not a complete gzip file"):
        datasets.MNIST(t10k_root, train=False)


def test_bad_magic(t10k_root):
    put(t10k_root, LABELS, plain(IMAGES)[:4] + plain(LABELS)[4:])
    with pytest.raises(ValueError, match=f"{LABELS}: bad magic number 2051, expected 2049"):
        datasets.MNIST(t10k_root, train=False)


def test_missing_file_lists_every_place_looked(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        datasets.MNIST(tmp_path, train=False)
    message = str(err.value)
    for path in (tmp_path / IMAGES, tmp_path / f"{IMAGES}.gz", tmp_path / "MNIST" / "raw" / f"{IMAGES}.gz"):
        assert str(path) in message
    assert "download=True" in message


def test_fashion_mnist_checks_structure_only(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    link(raw, IMAGES)
    put(raw, LABELS, plain(LABELS)[:100])
    with pytest.raises(ValueError, match="truncated"):
        datasets.FashionMNIST(tmp_path, train=False)
    # 9999 labels with a matching header are a well-formed file, but not as many as the images.
    put(raw, LABELS, b"\0\0\x08\x01\0\0\x27\x0f" + plain(LABELS)[8:-1])
    with pytest.raises(ValueError, match=f"{IMAGES} has 10000 images but {LABELS} has 9999 labels"):
        datasets.FashionMNIST(tmp_path, train=False)
    put(raw, LABELS, plain(LABELS))
    fashion = datasets.FashionMNIST(tmp_path, train=False)
    assert len(fashion) == 10000
    assert fashion.classes[0] == "T-shirt/top" and fashion.classes[9] == "Ankle boot"


# Transforms


def test_to_tensor_on_pil_and_arrays():
    gray = np.array([[0, 51, 255], [102, 204, 1]], dtype=np.uint8)
    for pic in (gray, Image.fromarray(gray)):
        out = transforms.ToTensor()(pic)
        assert out.shape == (1, 2, 3) and out.dtype == np.float32
        np.testing.assert_allclose(out.data[0], [[0, 0.2, 1], [0.4, 0.8, 1 / 255]], rtol=1e-6)

    rgb = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3) * 10
    out = transforms.ToTensor()(Image.fromarray(rgb))
    assert out.shape == (3, 2, 3)
    np.testing.assert_allclose(out.data, rgb.transpose(2, 0, 1) / 255, rtol=1e-6)

    with pytest.raises(TypeError, match="uint8"):
        transforms.ToTensor()(gray.astype(np.float32))


def test_to_tensor_batch_matches_single_images(test_set):
    to_tensor = transforms.ToTensor()
    batch = to_tensor.batch(test_set.data[:5])
    assert batch.shape == (5, 1, 28, 28) and batch.dtype == np.float32
    assert np.array_equal(batch.data, np.stack([to_tensor(a).data for a in test_set.data[:5]]))


def test_normalize_and_compose():
    pipeline = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.25,))])
    image = np.array([[0, 255], [51, 102]], dtype=np.uint8)
    np.testing.assert_allclose(pipeline(image).data, [[[-2, 2], [-1.2, -0.4]]], rtol=1e-6)
    assert pipeline.supports_batch
    np.testing.assert_allclose(pipeline.batch(image[None]).data, pipeline(image).data[None])

    rgb = transforms.Normalize((0.0, 0.5, 1.0), (1.0, 0.5, 0.25))(autograd.from_numpy(np.ones((3, 1, 1), np.float32)))
    np.testing.assert_allclose(rgb.data.ravel(), [1, 1, 0])
    with pytest.raises(ValueError, match="zeros"):
        transforms.Normalize((0.5,), (0.0,))


def test_compose_without_batch_form():
    pipeline = transforms.Compose([transforms.ToTensor(), lambda t: t * 2])
    assert not pipeline.supports_batch
    with pytest.raises(TypeError, match="no batch form"):
        pipeline.batch(np.zeros((1, 2, 2), np.uint8))


# Batches


@pytest.mark.parametrize(
    "transform",
    [
        transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]),
        transforms.Compose([transforms.ToTensor(), lambda t: t * 2]),  # no batch form: item by item
    ],
)
def test_getitems_equals_stacked_getitem(test_set, transform):
    dataset = datasets.MNIST(DATA, train=False, transform=transform)
    for indices in ([3, 0, 9999, 3], np.array([7, 1, 2])):
        images, labels = dataset.__getitems__(indices)
        items = [dataset[int(i)] for i in indices]
        assert images.dtype == np.float32 and images.shape == (len(indices), 1, 28, 28)
        np.testing.assert_allclose(images.data, np.stack([image.data for image, _ in items]), rtol=1e-6)
        assert labels.dtype == np.int64 and labels.data.tolist() == [label for _, label in items]


def test_getitems_without_transform(test_set):
    images, labels = test_set.__getitems__([5, 6])
    assert images.dtype == np.uint8 and np.array_equal(images.data, test_set.data[[5, 6]])
    assert labels.data.tolist() == test_set.targets[[5, 6]].tolist()


# Downloads, over loopback only


@contextlib.contextmanager
def serve(folder: Path, cut_after: int | None = None) -> Iterator[tuple[str, list[str]]]:
    """Serve `folder` over HTTP on 127.0.0.1; yields its URL and the list of paths requested.

    With `cut_after`, each reply announces the whole file but closes the connection after that many bytes.
    """
    requested: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self):
            requested.append(self.path)
            super().do_GET()

        def copyfile(self, source, outputfile):
            if cut_after is None:
                super().copyfile(source, outputfile)
            else:
                outputfile.write(source.read(cut_after))

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_download_fetches_only_missing_files(tmp_path, test_set, monkeypatch):
    link(tmp_path / "mirror" / "mnist", *datasets.MNIST.files)
    root = tmp_path / "root"
    link(root, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    put(root / "MNIST" / "raw", LABELS, plain(LABELS))
    with serve(tmp_path / "mirror") as (url, requested):
        monkeypatch.setattr(datasets.MNIST, "mirrors", [DEAD_MIRROR, f"{url}mnist"])
        loaded = datasets.MNIST(root, train=False, download=True)
        assert requested == [f"/mnist/{IMAGES}.gz"]
        datasets.MNIST(root, train=False, download=True)
        assert len(requested) == 1
    assert np.array_equal(loaded.data, test_set.data)
    assert (root / "MNIST" / "raw" / f"{IMAGES}.gz").read_bytes() == (DATA / f"{IMAGES}.gz").read_bytes()
    assert files_under(root) == {
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        f"MNIST/raw/{LABELS}",
        f"MNIST/raw/{IMAGES}.gz",
    }


@pytest.mark.parametrize(
    ("served", "problem"),
    [
        (gzip.compress(b"\0\0\x08\x01\0\0\0\x01\x07"), "SHA-256 mismatch"),  # a well-formed wrong file
        ((DATA / f"{LABELS}.gz").read_bytes()[:2000], "not a complete gzip file"),
    ],
    ids=["wrong file", "truncated gzip"],
)
def test_download_failures_leave_nothing_behind(tmp_path, monkeypatch, served, problem):
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / f"{LABELS}.gz").write_bytes(served)
    root = tmp_path / "root"
    link(root, *(name for name in datasets.MNIST.files if name != LABELS))
    before = files_under(root)
    with serve(tmp_path / "mirror") as (url, requested):
        monkeypatch.setattr(datasets.MNIST, "mirrors", [DEAD_MIRROR, url])
        with pytest.raises(RuntimeError, match=f"could not download {LABELS}") as err:
            datasets.MNIST(root, train=False, download=True)
    assert requested == [f"/{LABELS}.gz"]
    message = str(err.value)
    assert f"{DEAD_MIRROR}{LABELS}.gz: " in message and f"{url}{LABELS}.gz: " in message and problem in message
    assert files_under(root) == before


def test_fashion_download_is_checked_for_structure(tmp_path, monkeypatch):
    link(tmp_path / "mirror", IMAGES, LABELS)
    with serve(tmp_path / "mirror") as (url, requested):
        monkeypatch.setattr(datasets.FashionMNIST, "mirrors", [url])
        monkeypatch.setattr(datasets.FashionMNIST, "files", (IMAGES, LABELS))
        fashion = datasets.FashionMNIST(tmp_path / "root", train=False, download=True)
    assert len(fashion) == 10000 and sorted(requested) == [f"/{IMAGES}.gz", f"/{LABELS}.gz"]
    assert files_under(tmp_path / "root") == {
        f"FashionMNIST/raw/{IMAGES}.gz",
        f"FashionMNIST/raw/{LABELS}.gz",
    }


def test_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    link(tmp_path / "mirror", LABELS)
    root = tmp_path / "root"
    link(root, *(name for name in datasets.MNIST.files if name != LABELS))
    before = files_under(root)

    def interrupted(source, destination):
        assert Path(source).read_bytes() == (DATA / f"{LABELS}.gz").read_bytes()
        raise KeyboardInterrupt

    with serve(tmp_path / "mirror") as (url, _):
        monkeypatch.setattr(datasets.MNIST, "mirrors", [url])
        monkeypatch.setattr(datasets.os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            datasets.MNIST(root, train=False, download=True)
    assert files_under(root) == before
