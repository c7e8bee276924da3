"""The demos package itself."""

from demos.__main__ import summaries


def test_demos_lists_every_demo_program() -> None:
    """``python -m demos`` names each program with its docstring's first line, and no helper module."""
    found = summaries()
    first_post = {"activations", "losses", "neuron"}
    second_post = {"fit_online", "normal_equation", "sgd", "minibatch", "fit_line", "sigmoid_fit", "simple_model"}
    assert set(found) == {"moons", "mnist", "blog_mnist", "backprop"} | first_post | second_post
    assert "house" not in found and "_teaching" not in found
    assert found["moons"].startswith("micrograd's demo")
