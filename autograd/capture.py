"""``record_forward``: remember, while a forward pass runs, the order its nodes are made in and the
``nn.Module`` whose ``forward`` made each, so the backward-pass viewer can replay the forward pass and
draw one box per module.

Nothing is kept outside a ``with record_forward():`` block: an op then pays one test of ``_active``
(as ``detect_anomaly`` keeps its origins only while it is on). ``autograd`` never imports ``nn``:
``Module.__call__`` enters ``module_scope(self)`` while ``recording()`` is true, and a module is
anything with ``named_modules()`` / ``named_parameters()``.
"""

from __future__ import annotations

from typing import Any

_active: record_forward | None = None  # the record being written, None almost always


class record_forward:
    """Context manager: ``with autograd.record_forward(model) as forward: loss = ...`` keeps, for every
    node made inside, its module path (outermost module first), in the order the nodes were made.

    With ``model`` modules and parameters are named as in ``model.named_modules()`` (``layers.0``),
    otherwise by class (``Linear``, ``Linear 2``). Parameters are placed in the module that owns them.
    Pass the record to ``trace_backward`` / ``draw_backward`` as ``forward=``.
    """

    def __init__(self, model: Any = None) -> None:
        self.paths: dict[Any, tuple[str, ...]] = {}  # node -> module path, in creation order
        self.param_paths: dict[Any, tuple[str, ...]] = {}  # parameter -> path of the module owning it
        self.module_names: dict[str, str] = {}  # module key (an element of a path) -> name shown
        self._stack: list[str] = []
        self._keys: dict[int, str] = {}  # id(module) -> key
        self._modules: list[Any] = []  # the modules seen, kept alive so their ids stay theirs
        self._model_names = {id(m): name for name, m in model.named_modules()} if model is not None else {}
        self._names_in_model = {p: name for name, p in model.named_parameters()} if model is not None else {}
        self._names_in_module: dict[Any, str] = {}  # parameter -> "module key.name", innermost module last

    @property
    def param_names(self) -> dict[Any, str]:
        """Parameter -> dotted name: its name in ``model`` if given, else prefixed by its module's name."""
        return {**self._names_in_module, **self._names_in_model}

    def __enter__(self) -> record_forward:
        global _active
        if _active is not None:
            raise RuntimeError("record_forward is already recording: nested records are not supported")
        _active = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = None

    def made(self, node: Any) -> None:
        """Called by every op while recording: ``node`` was just made inside the current modules."""
        self.paths[node] = tuple(self._stack)

    def enter(self, module: Any) -> None:
        key = self._keys.get(id(module))
        if key is None:
            key = self._new_key(module)
            self._place_parameters(module, key)
        self._stack.append(key)

    def leave(self) -> None:
        self._stack.pop()

    def _new_key(self, module: Any) -> str:
        kind = type(module).__name__
        name = self._model_names.get(id(module))
        if name is None:  # no model given, or a module outside it: named by class, counted
            count = 1 + sum(1 for m in self._modules if type(m) is type(module))
            key = name = kind if count == 1 else f"{kind} {count}"
        else:
            key = name or kind
            name = f"{name}: {kind}" if name else kind
        self._keys[id(module)] = key
        self._modules.append(module)
        self.module_names[key] = name
        return key

    def _place_parameters(self, module: Any, key: str) -> None:
        """A module is entered after its parents, so each parameter ends in the innermost module that has it."""
        named = getattr(module, "named_parameters", None)
        if named is None:
            return
        for name, p in named():
            self.param_paths[p] = (*self._stack, key)
            self._names_in_module[p] = f"{key}.{name}"


class module_scope:
    """Entered by ``nn.Module.__call__`` around ``forward`` while ``recording()``: the nodes made inside
    belong to ``module``."""

    __slots__ = ("module", "record")

    def __init__(self, module: Any) -> None:
        self.module = module
        self.record: record_forward | None = None

    def __enter__(self) -> None:
        self.record = _active
        if self.record is not None:
            self.record.enter(self.module)

    def __exit__(self, *exc: object) -> None:
        if self.record is not None:
            self.record.leave()


def recording() -> bool:
    """True inside ``with record_forward():``; ``nn.Module.__call__`` enters ``module_scope`` only then."""
    return _active is not None
