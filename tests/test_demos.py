"""The demos package itself."""

from demos.__main__ import summaries


def test_demos_lists_every_demo_program() -> None:
    """``python -m demos`` names each program with its docstring's first line, and no helper module."""
    found = summaries()
    assert set(found) == {"moons", "mnist", "blog_mnist", "backprop"}
    assert found["moons"].startswith("micrograd's demo")
