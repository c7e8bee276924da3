"""Grad mode: whether ops on Tensors are recorded for backward (``torch.no_grad`` and friends)."""

from __future__ import annotations

import contextlib

_enabled = True


def is_grad_enabled() -> bool:
    """True while ops on Tensors that require grad are recorded."""
    return _enabled


class _Mode(contextlib.ContextDecorator):
    """Recording set to ``mode`` inside a ``with`` block or a decorated function, restored after."""

    mode = True

    def __enter__(self) -> None:
        global _enabled
        self._before, _enabled = _enabled, self.mode

    def __exit__(self, *exc: object) -> None:
        global _enabled
        _enabled = self._before

    def _recreate_cm(self) -> _Mode:  # a fresh instance per decorated call, so recursion restores correctly
        return type(self)()


class no_grad(_Mode):
    """Context manager and decorator under which no op is recorded (``torch.no_grad``)."""

    mode = False


class enable_grad(_Mode):
    """Context manager and decorator that turns recording back on (``torch.enable_grad``)."""

    mode = True


class set_grad_enabled(_Mode):
    """``set_grad_enabled(False)`` turns recording off at once; as a context manager, until the block ends."""

    def __init__(self, mode: bool) -> None:
        global _enabled
        self.mode, self._before = bool(mode), _enabled
        _enabled = self.mode

    def __enter__(self) -> None:
        pass

    def _recreate_cm(self) -> _Mode:
        return self
