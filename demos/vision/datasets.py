"""MNIST and Fashion-MNIST read from their IDX files, with torchvision's interface.

The four files may be plain or gzip-compressed and sit either in `root` itself or in
`root/<ClassName>/raw/` as torchvision lays them out. `download=True` fetches the missing ones.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from PIL import Image

import autograd
from autograd import Tensor

# IDX magic numbers (big-endian uint32) and how many dimensions follow them.
_IMAGES = (2051, 3)
_LABELS = (2049, 1)


def _gunzip(packed: bytes, source: str) -> bytes:
    """Decompress gzip bytes, reporting a damaged or cut-off archive as a ValueError."""
    try:
        return gzip.decompress(packed)
    except (OSError, EOFError, zlib.error) as err:
        raise ValueError(f"{source}: not a complete gzip file ({err})") from None


def _parse_idx(raw: bytes, magic: int, ndim: int, source: str) -> np.ndarray:
    """Check an IDX file's header against its length and return its uint8 payload, shaped."""
    header_size = 4 * (1 + ndim)
    if len(raw) < header_size:
        raise ValueError(f"{source}: only {len(raw)} bytes, too short for an IDX header")
    found, *shape = (int(x) for x in np.frombuffer(raw, ">u4", count=1 + ndim))
    if found != magic:
        raise ValueError(f"{source}: bad magic number {found}, expected {magic}; not this kind of IDX file")
    expected = header_size + int(np.prod(shape))
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "has trailing bytes"
        raise ValueError(
            f"{source}: {problem}: the header promises shape {tuple(shape)}, "
            f"{expected} bytes in all, but the file has {len(raw)}"
        )
    return np.frombuffer(raw, np.uint8, offset=header_size).reshape(shape).copy()


class MNIST:
    """The MNIST handwritten digits: 60,000 training and 10,000 test images of 28 x 28 pixels.

    Items are `(PIL image, int label)`, the image passed through `transform` if given;
    `__getitems__` returns a whole batch already collated, as one numpy gather.
    """

    mirrors: ClassVar[Sequence[str]] = (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    )
    # SHA-256 of each uncompressed file, the same as data/mnist/SHA256SUMS.
    digests: ClassVar[dict[str, str]] = {
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    }
    classes: ClassVar[list[str]] = [
        "0 - zero",
        "1 - one",
        "2 - two",
        "3 - three",
        "4 - four",
        "5 - five",
        "6 - six",
        "7 - seven",
        "8 - eight",
        "9 - nine",
    ]
    files: ClassVar[tuple[str, ...]] = (
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    )
    timeout: ClassVar[float] = 30.0

    def __init__(
        self,
        root: str | os.PathLike[str],
        train: bool = True,
        download: bool = False,
        transform: Callable[[Image.Image], Any] | None = None,
    ) -> None:
        self.root = Path(root).expanduser()
        self.train = train
        self.transform = transform
        if download:
            self.download()
        split = "train" if train else "t10k"
        images_name, labels_name = f"{split}-images-idx3-ubyte", f"{split}-labels-idx1-ubyte"
        images, labels = self._load(images_name), self._load(labels_name)
        if len(images) != len(labels):
            raise ValueError(f"{images_name} has {len(images)} images but {labels_name} has {len(labels)} labels")
        if labels.size and labels.max() >= len(self.classes):
            raise ValueError(f"{labels_name}: label {labels.max()} is out of range for {len(self.classes)} classes")
        self.data = images
        self.targets = labels.astype(np.int64)

    @property
    def raw_folder(self) -> Path:
        """Where torchvision keeps the files, and where `download` puts them."""
        return self.root / type(self).__name__ / "raw"

    def _candidates(self, name: str) -> list[Path]:
        """Every path a file may be at, in the order they are tried."""
        return [folder / f"{name}{ext}" for folder in (self.root, self.raw_folder) for ext in ("", ".gz")]

    def _find(self, name: str) -> Path | None:
        return next((path for path in self._candidates(name) if path.is_file()), None)

    def _check(self, raw: bytes, name: str, source: str) -> np.ndarray:
        """Parse one uncompressed file and compare its digest with the known one, if there is one."""
        magic, ndim = _IMAGES if "images" in name else _LABELS
        array = _parse_idx(raw, magic, ndim, source)
        expected = self.digests.get(name)
        if expected is not None:
            actual = hashlib.sha256(raw).hexdigest()
            if actual != expected:
                raise ValueError(
                    f"{source}: SHA-256 mismatch, the file is corrupt or not the {name} of "
                    f"{type(self).__name__}:\n  expected {expected}\n  actual   {actual}"
                )
        return array

    def _load(self, name: str) -> np.ndarray:
        """Find, read and check one file."""
        path = self._find(name)
        if path is None:
            tried = "\n".join(f"  {p}" for p in self._candidates(name))
            raise FileNotFoundError(
                f"{type(self).__name__}: {name} not found; looked in:\n{tried}\n"
                "Pass download=True to fetch it, or copy the files (plain or .gz) into one of these folders"
            )
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = _gunzip(raw, str(path))
        return self._check(raw, name, str(path))

    def download(self) -> None:
        """Fetch every file not already present into `raw_folder`, trying each mirror in turn."""
        for name in self.files:
            if self._find(name) is None:
                self._fetch(name)

    def _fetch(self, name: str) -> None:
        """Download and verify one file, then write it atomically; a failure leaves nothing behind."""
        failures = []
        for mirror in self.mirrors:
            url = f"{mirror.rstrip('/')}/{name}.gz"
            print(f"Downloading {url}")
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    packed = response.read()
                self._check(_gunzip(packed, url), name, url)
            except (OSError, ValueError, http.client.HTTPException) as err:
                failures.append(f"  {url}: {err}")
                continue
            self._write_atomically(self.raw_folder / f"{name}.gz", packed)
            return
        raise RuntimeError(
            f"could not download {name} from any mirror:\n"
            + "\n".join(failures)
            + f"\nFetch {name}.gz another way and copy it into {self.raw_folder}"
        )

    @staticmethod
    def _write_atomically(path: Path, content: bytes) -> None:
        """Write to a temporary file beside `path`, then rename it into place."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.urandom(8).hex()}.part")
        try:
            with open(temporary, "xb") as f:
                f.write(content)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, int]:
        image = Image.fromarray(self.data[index])
        if self.transform is not None:
            image = self.transform(image)
        return image, int(self.targets[index])

    def __getitems__(self, indices: Sequence[int] | np.ndarray) -> tuple[Tensor, Tensor]:
        """A batch as `(images, labels)` tensors, transformed in one call where the transform allows."""
        index = np.asarray(indices, dtype=np.int64)
        labels = autograd.from_numpy(self.targets[index])
        if self.transform is None:
            return autograd.from_numpy(self.data[index]), labels
        if getattr(self.transform, "supports_batch", False):
            return self.transform.batch(self.data[index]), labels
        return autograd.stack([self[i][0] for i in index]), labels

    def __repr__(self) -> str:
        split = "Train" if self.train else "Test"
        return (
            f"Dataset {type(self).__name__}\n    Number of datapoints: {len(self)}\n"
            f"    Root location: {self.root}\n    Split: {split}\n    Transform: {self.transform!r}"
        )


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28 x 28 images of clothing in ten classes, laid out exactly as MNIST.

    No digests are pinned for these files here (we have no verified copy to take them from),
    so they are checked only for structure: magic numbers, counts and lengths.
    """

    mirrors: ClassVar[Sequence[str]] = ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",)
    digests: ClassVar[dict[str, str]] = {}
    classes: ClassVar[list[str]] = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]
