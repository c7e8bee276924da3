"""The demos package itself."""

import subprocess
import sys

from demos.__main__ import summaries


def test_demos_lists_every_demo_program() -> None:
    """``python -m demos`` names each program with its docstring's first line, and no helper module."""
    found = summaries()
    first_post = {"activations", "losses", "neuron"}
    second_post = {"fit_online", "normal_equation", "sgd", "minibatch", "fit_line", "sigmoid_fit", "simple_model"}
    assert set(found) == {"moons", "mnist", "blog_mnist", "backprop"} | first_post | second_post
    assert "house" not in found and "_teaching" not in found
    assert found["moons"].startswith("micrograd's demo")


def test_every_demo_names_itself_as_it_is_run_when_its_command_line_is_wrong() -> None:
    """A wrong option gets argparse's usage line, with the command the user typed (not ``sgd.py``)."""
    for name in summaries():
        result = subprocess.run(
            [sys.executable, "-m", f"demos.{name}", "--no-such-option"], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2, name
        assert result.stderr.startswith(f"usage: python -m demos.{name} "), result.stderr
        assert f"\npython -m demos.{name}: error: " in result.stderr, result.stderr
