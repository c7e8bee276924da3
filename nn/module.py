"""``Module``: the base of every model, scalar (Value) or tensor (Parameter), as ``torch.nn.Module``.

Parameters and sub-modules are found by attribute: a ``Parameter``, a ``Value``
or a ``Module`` assigned to ``self`` (or a list of them) is registered under
its attribute name, so ``state_dict`` keys read ``fc1.weight`` or ``layers.0.w.3``.
Buffers, state that is saved but not learned (BatchNorm's running statistics),
are named by ``register_buffer``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple, Union

import numpy as np

import autograd
from autograd import Tensor, Value
from autograd.capture import module_scope, recording
from autograd.dtypes import as_dtype, is_floating


class Parameter(Tensor):
    """A Tensor that a Module registers as learnable (``requires_grad=True`` by default)."""

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        super().__init__()
        if data is not None:
            self.data = autograd.as_tensor(data).data  # shared, not copied, and of its own dtype, as in PyTorch
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


Learnable = Union[Parameter, Value]


class IncompatibleKeys(NamedTuple):
    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class: subclasses set parameters and sub-modules in ``__init__`` and define ``forward``."""

    training = True

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if recording():  # a backward-pass viewer asked which module makes which node
            with module_scope(self):
                return self.forward(*args, **kwargs)
        return self.forward(*args, **kwargs)

    # -- what is registered --------------------------------------------------------
    def _members(self) -> Iterator[tuple[str, Any]]:
        """(name, object) for every attribute, lists and tuples expanded as ``name.i``."""
        for name, value in vars(self).items():
            if isinstance(value, (list, tuple)):
                yield from ((f"{name}.{i}", item) for i, item in enumerate(value))
            else:
                yield name, value

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return ((name, m) for name, m in self._members() if isinstance(m, Module))

    def children(self) -> Iterator[Module]:
        return (m for _, m in self.named_children())

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        yield prefix, self
        for name, child in self.named_children():
            yield from child.named_modules(f"{prefix}{name}" if not prefix else f"{prefix}.{name}")

    def modules(self) -> Iterator[Module]:
        return (m for _, m in self.named_modules())

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Learnable]]:
        """(dotted name, parameter) pairs in registration order; a shared parameter appears once."""
        return self._named_tensors(prefix, with_buffers=False)

    def _named_tensors(self, prefix: str, with_buffers: bool) -> Iterator[tuple[str, Learnable]]:
        """Module by module: its parameters (each once), then with ``with_buffers`` its persistent buffers."""
        seen: set[int] = set()
        for module_name, module in self.named_modules(prefix):
            dotted = f"{module_name}." if module_name else ""
            for name, p in module._members():
                if isinstance(p, (Parameter, Value)) and id(p) not in seen:
                    seen.add(id(p))
                    yield dotted + name, p
            if with_buffers:
                for name, persistent in vars(module).get("_buffers", {}).items():
                    if persistent and getattr(module, name) is not None:
                        yield dotted + name, getattr(module, name)

    def parameters(self) -> Iterator[Learnable]:
        return (p for _, p in self.named_parameters())

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Keep ``tensor`` as ``self.<name>``: state that is not learned, saved in ``state_dict``
        unless ``persistent`` is False. Assigning another Tensor to the name later replaces it."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign a {type(tensor).__name__} as buffer {name!r} (a Tensor or None is needed)")
        if "." in name or not name:
            raise KeyError(f"buffer name can't be empty or contain '.', got {name!r}")
        vars(self).setdefault("_buffers", {})[name] = persistent
        setattr(self, name, tensor)

    def named_buffers(self, prefix: str = "", persistent_only: bool = False) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) pairs of this module and its sub-modules; None buffers are left out."""
        for module_name, module in self.named_modules(prefix):
            for name, persistent in vars(module).get("_buffers", {}).items():
                buffer = getattr(module, name)
                if buffer is not None and (persistent or not persistent_only):
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self) -> Iterator[Tensor]:
        return (b for _, b in self.named_buffers())

    # -- modes and gradients -----------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: None for tensors (as PyTorch does), 0 for Values."""
        for p in self.parameters():
            p.zero_grad(set_to_none)

    def to(self, *args: Any, dtype: Any = None) -> Module:
        """Check the device (only the CPU exists) and cast floating parameters to ``dtype`` if given."""
        for arg in args:
            if isinstance(arg, (str, autograd.device)):
                autograd.device(arg)
            else:
                dtype = arg
        if dtype is None:
            return self
        dtype = as_dtype(dtype)
        if not is_floating(dtype):
            raise TypeError(f"Module.to only accepts floating point dtypes, but got dtype={dtype}")
        for p in (*self.parameters(), *self.buffers()):
            if isinstance(p, Tensor) and p.is_floating_point():  # as in PyTorch: integer tensors keep their dtype
                p.data, p.grad = p.data.astype(dtype), None
        return self

    def cpu(self) -> Module:
        return self

    def float(self) -> Module:
        return self.to(autograd.float32)

    def double(self) -> Module:
        return self.to(autograd.float64)

    # -- saving and loading --------------------------------------------------------
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Name -> numpy array of every parameter and persistent buffer, in PyTorch's order and with its
        key names (each module's parameters, then its buffers, then its sub-modules'); arrays are shared."""
        return OrderedDict((name, np.asarray(t.data)) for name, t in self._named_tensors("", with_buffers=True))

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy arrays into the parameters and buffers by name; errors name every missing, unexpected,
        misshapen or non-numeric key, and a refused state_dict changes nothing."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like (name -> array), got {type(state_dict).__name__}")
        tensors = dict(self._named_tensors("", with_buffers=True))
        arrays = {k: np.asarray(v.data if isinstance(v, Tensor) else v) for k, v in state_dict.items()}
        missing = [k for k in tensors if k not in arrays]
        unexpected = [k for k in arrays if k not in tensors]
        errors = []
        for k, p in tensors.items():
            found = arrays.get(k)
            if found is not None and found.dtype.kind not in "biuf":  # bool, int, uint, float
                errors.append(f"{k} is not numeric: the checkpoint holds {found.dtype} data")
            elif found is not None and found.shape != np.shape(p.data):
                errors.append(
                    f"size mismatch for {k}: the checkpoint has shape {found.shape}, the model has {np.shape(p.data)}"
                )
        if strict:
            errors += [f"missing key {k!r}" for k in missing] + [f"unexpected key {k!r}" for k in unexpected]
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors))
        with autograd.no_grad():
            for k, p in tensors.items():
                if k not in arrays:
                    continue
                if isinstance(p, Value):  # a Value holds a Python float, not an array to copy into
                    p.data = float(arrays[k])
                else:
                    p.copy_(arrays[k])
        return IncompatibleKeys(missing, unexpected)

    # -- printing ------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        children = [f"  ({name}): " + repr(m).replace("\n", "\n  ") for name, m in self.named_children()]
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        return f"{type(self).__name__}(\n" + "\n".join(children) + "\n)"
