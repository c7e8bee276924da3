"""Tests that need a system program: ``@pytest.mark.requires(program, package)``.

On a developer's machine without the program such a test is skipped with a message naming the
Debian package to install; under CI (``CI=true``), where ``.ci/run`` installs it, its absence
fails the test instead. The run ends with a count of the skipped tests and why.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires(program, package): needs a system program (skipped without it)")


def require_program(program: str, package: str) -> None:
    """Skip the running test when ``program`` is not on PATH, or fail under CI=true."""
    if shutil.which(program):
        return
    message = f"needs the program '{program}': apt-get install {package}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI installs it, so it must be there)")
    pytest.skip(message)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("requires"):
        require_program(*marker.args)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons = Counter(str(report.longrepr[2]).removeprefix("Skipped: ") for report in skipped)
    terminalreporter.section(f"{len(skipped)} skipped")
    for reason, count in reasons.items():
        terminalreporter.write_line(f"{count} skipped: {reason}")


@pytest.fixture(scope="module")
def one_torch_thread():
    """For modules that make thousands of tiny torch calls (``pytestmark = pytest.mark.usefixtures(...)``):
    with other processes busy, torch's thread pool makes each call slow."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
