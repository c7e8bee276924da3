"""The README's Python examples run and print what their comments say."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import require_program

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def expected_prints(code: str) -> list[str]:
    """The comment after each ``print(...)`` line: what that line should print."""
    return [line.split("#", 1)[1].strip() for line in code.splitlines() if line.startswith("print(") and "#" in line]


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_prints_what_it_says(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if ".render(" in code or ".pipe(" in code or "draw_backward(" in code:
        require_program("dot", "graphviz")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})
    assert out.getvalue().splitlines() == expected_prints(code)


def test_readme_graph_picture_is_the_example_graph() -> None:
    """docs/backprop.svg is the picture the first example draws: its seven values and three ops."""
    svg = (README.parent / "docs" / "backprop.svg").read_text()
    for text in ["data 2.0000", "grad 6.0000", "data 10.0000", "grad 1.0000"]:
        assert text in svg
    assert svg.count('class="node"') == 7 + 3


def test_every_picture_the_readme_shows_is_committed_and_decodes() -> None:
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text())
    assert {"docs/backprop.gif", "docs/backprop.svg", "docs/blog/activations.png", "docs/blog/sgd.png"} <= set(links)
    for link in links:
        path = README.parent / link
        if path.suffix == ".svg":
            assert "<svg" in path.read_text()
        else:
            with Image.open(path) as image:
                image.load()
                assert min(image.size) > 100, link
