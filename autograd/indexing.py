"""Indexing by PyTorch's rules: ``x[index]`` reads elements, ``x[index] = value`` writes them.

PyTorch applies an index in two steps, and so does ``parse_index``:

1. ints, slices, ``None`` and ``...`` pick a view (basic indexing); an int removes its dim right
   away, as ``x.select(dim, i)`` does;
2. index tensors and lists then pick elements of that view (advanced indexing), a bool mask as the
   integer indices of its True elements. They broadcast together; when they index adjacent dims,
   the broadcast dims take their place, else they come first.

numpy differs in step 1: it counts an int beside an index list as one more index list, so
``zeros(2, 5, 6)[1, :, [0, 1]]`` is 2 x 5 in numpy but 5 x 2 in PyTorch (and here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from autograd.arithmetic import Arithmetic, sum_to
from autograd.dtypes import cast_number, int64
from autograd.graph import rule_for
from autograd.tensor import leaf, record

if TYPE_CHECKING:
    from autograd.tensor import Tensor

_VALID = "only integers, slices (`:`), ellipsis (`...`), None, bools and integer or bool tensors are valid indices"
_TENSOR_DTYPES = ("int64", "int32", "uint8", "bool")  # what an index tensor may hold; uint8 is a mask, as in PyTorch


class Where(NamedTuple):
    """A parsed index. ``basic`` (ints, slices and None, then ``...``) picks a numpy view; ``advanced``
    picks elements of that view, one entry per dim (``slice(None)`` or an int64 array), or is None.
    ``empty`` is the result's shape when the index arrays select nothing (PyTorch then checks no bounds);
    ``lone_mask`` the dtype of the only index tensor when it is a mask (``x[mask] = 1`` is a masked fill).
    ``tensors``: the index Tensors it was made of, which every op recorded with it saves, as PyTorch
    does: editing one in place before backward is refused, as for any saved tensor."""

    basic: tuple[Any, ...]
    advanced: tuple[Any, ...] | None
    empty: tuple[int, ...] | None = None
    lone_mask: np.dtype | None = None
    tensors: tuple[Tensor, ...] = ()

    @property
    def saved(self) -> tuple[tuple[str, Tensor], ...]:
        """The index Tensors as ``record(saved=...)`` takes them."""
        return tuple(("index", t) for t in self.tensors)

    def read(self, data: np.ndarray) -> np.ndarray:
        """``data[index]``: a view of ``data`` unless there are index arrays."""
        if self.empty is not None:
            return np.empty(self.empty, dtype=data.dtype)
        view = data[self.basic]
        return view if self.advanced is None else view[self.advanced]

    def write(self, data: np.ndarray, values: np.ndarray) -> None:
        """``data[index] = values``, values broadcast (leading 1s dropped) and cast to data's dtype."""
        try:
            if self.advanced is None:
                data[self.basic][...] = values
            elif self.empty is None:
                data[self.basic][self.advanced] = values
            else:  # nothing to write, but the value must still fit
                np.empty(self.empty, dtype=data.dtype)[...] = values
        except ValueError:
            raise RuntimeError(
                f"x[index] = value: a value of shape {values.shape} does not broadcast to the shape "
                f"{self.read(data).shape} the index selects"
            ) from None

    def add(self, data: np.ndarray, values: np.ndarray) -> None:
        """``data[index] += values``, where an element indexed twice gets both."""
        if self.advanced is None:
            data[self.basic] += values
        elif self.empty is None:
            np.add.at(data[self.basic], self.advanced, values)


class Indexing:
    """``x[index]`` and ``x[index] = value`` of ``Tensor`` (a mixin)."""

    def __getitem__(self, index: Any) -> Tensor:
        return self._gather(parse_index(index, self.shape))

    def _gather(self, where: Where) -> Tensor:
        data = where.read(self.data)
        view_of = self if where.advanced is None else None
        return record(data, (self,), Indexing._gather_backward, where, view_of=view_of, saved=where.saved)

    @staticmethod
    @rule_for("getitem", saves=("index",))
    def _gather_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d a[i] = scatter-add of da into a's shape
        return (g._scatter_add(out._ctx, out._inputs[0].shape),)

    def _scatter_add(self, where: Where, shape: tuple[int, ...]) -> Tensor:
        """zeros(shape) with this Tensor added at ``where`` (repeated indices add up): the adjoint of a gather."""
        data = np.zeros(shape, dtype=self.dtype)
        where.add(data, self.data)
        return record(data, (self,), Indexing._scatter_add_backward, where, saved=where.saved)

    @staticmethod
    @rule_for("index_add", saves=("index",))
    def _scatter_add_backward(out: Tensor, g: Tensor) -> tuple[Tensor]:  # d scatter(a) = gather(da)
        return (g._gather(out._ctx),)

    def __setitem__(self, index: Any, value: Any) -> None:
        """Write ``value`` (a Tensor or a number) at ``index``, cast to this Tensor's dtype as PyTorch does."""
        if index is False:  # PyTorch skips x[False] = value altogether, without looking at the value
            return
        where = parse_index(index, self.shape)
        value = _assignable(value, self.dtype, where)
        written = self.data[where.basic] if where.advanced is None else self.data
        self._in_place(
            lambda data: where.write(data, value.data), lambda t: t._index_put(where, value), (value,), written
        )

    def _index_put(self, where: Where, value: Tensor) -> Tensor:
        """A copy of this Tensor with ``value`` written at ``where``: ``x[index] = value`` as an op."""
        data = self.data.copy()
        where.write(data, value.data)
        return record(data, (self, value), Indexing._index_put_backward, where, saved=where.saved)

    @staticmethod
    @rule_for("index_put", saves=("index",))
    def _index_put_backward(out: Tensor, g: Tensor) -> tuple[Tensor | None, Tensor | None]:
        # d put(a, i, v) = da with zeros at i, + dv gathered at i (summed over v's broadcast dims)
        a, value = out._inputs
        where = out._ctx
        ga = g._index_put(where, leaf(np.zeros((), dtype=g.dtype))) if a.requires_grad else None
        gv = _sum_to_value(g._gather(where), value.shape).to(value.dtype) if value.requires_grad else None
        return ga, gv


def parse_index(index: Any, shape: tuple[int, ...]) -> Where:
    """``index`` for a tensor of ``shape`` as PyTorch reads it; a bad index raises PyTorch's error type,
    checking in PyTorch's order: the number of dims, then each int and slice, then the index tensors."""
    items = [np.asarray(i, dtype=int64 if not i else None) if isinstance(i, list) else i for i in _as_tuple(index)]
    if sum(i is Ellipsis for i in items) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    specified = sum(_dims_taken(i) for i in items)
    if specified > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)} (the index takes {specified})")
    basic: list[Any] = []
    view_shape: list[int] = []  # the shape of the basic view
    tensors: list[tuple[int, int | None, Any]] = []  # (dim of the view, dim of the tensor, index tensor)
    dim = 0  # the dim of the indexed tensor the next item applies to
    for item in map(_as_scalar, items):
        if item is None or isinstance(item, bool):  # a new dim of size 1; True keeps it, False empties it
            if item is not None:
                tensors.append((len(view_shape), None, np.arange(int(item))))
            basic.append(None)
            view_shape.append(1)
        elif item is Ellipsis:
            skipped = len(shape) - specified
            basic += [slice(None)] * skipped
            view_shape += shape[dim : dim + skipped]
            dim += skipped
        elif isinstance(item, int):
            basic.append(_checked(item, dim, shape[dim]))
            dim += 1
        elif isinstance(item, slice):
            start, stop, step = item.indices(shape[dim])  # ValueError for step 0, TypeError for a float bound
            if step < 0:
                raise ValueError(f"step must be greater than zero (got {step}): PyTorch has no negative steps")
            basic.append(slice(start, stop, step))
            view_shape.append(len(range(start, stop, step)))
            dim += 1
        elif isinstance(item, (Arithmetic, np.ndarray)):  # a Tensor (every Tensor is an Arithmetic) or an array
            taken = _dims_taken(item)
            tensors.append((len(view_shape), dim, item))
            basic += [slice(None)] * taken
            view_shape += shape[dim : dim + taken]
            dim += taken
        else:
            raise IndexError(f"{_VALID} (got {type(item).__name__})")
    basic.append(Ellipsis)
    view_shape += shape[dim:]
    if not tensors:
        return Where(tuple(basic), None)
    return _advanced(tuple(basic), tensors, tuple(view_shape))


def _advanced(basic: tuple[Any, ...], tensors: list[tuple[int, int | None, Any]], view_shape: tuple[int, ...]) -> Where:
    """The index tensors as int64 arrays over the dims of the basic view: masks become the indices of their
    True elements; all must broadcast together, and be in bounds where they select something."""
    arrays: dict[int, np.ndarray] = {}  # dim of the view: its index array
    int_indexed: dict[int, int | None] = {}  # dim of the view: dim of the tensor, for the int index arrays
    for position, dim, item in tensors:
        array = _index_array(item)
        if array.dtype == bool:  # an [] list is int64, so a bool array is a mask
            _check_mask(array, dim, view_shape[position : position + array.ndim])
            arrays.update((position + k, a) for k, a in enumerate(np.nonzero(array)))
        else:
            arrays[position], int_indexed[position] = array, dim
    try:
        broadcast = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(str(list(a.shape)) for a in arrays.values())
        message = f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
        raise IndexError(message) from None
    advanced = tuple(arrays.get(p, slice(None)) for p in range(len(view_shape)))
    shape = _result_shape(view_shape, sorted(arrays), broadcast)
    for position, dim in int_indexed.items():  # PyTorch checks what it gathers, and any index into an empty dim
        if 0 not in shape or (0 not in broadcast and view_shape[position] == 0):
            _checked(arrays[position], dim, view_shape[position])
    lone_mask = tensors[0][2].dtype if len(tensors) == 1 and not int_indexed else None
    saved = tuple(item for _, _, item in tensors if isinstance(item, Arithmetic))
    return Where(basic, advanced, shape if 0 in shape else None, lone_mask, saved)


def _result_shape(view_shape: tuple[int, ...], positions: list[int], broadcast: tuple[int, ...]) -> tuple[int, ...]:
    """The shape advanced indexing gives: the broadcast shape in place of the indexed dims when they are
    adjacent, else in front of the other dims."""
    others = [n for p, n in enumerate(view_shape) if p not in positions]
    adjacent = positions == list(range(positions[0], positions[-1] + 1))
    place = positions[0] if adjacent else 0
    return (*others[:place], *broadcast, *others[place:])


def _as_tuple(index: Any) -> tuple[Any, ...]:
    """The items of ``index``. A list is one index list, so it may hold only numbers: PyTorch reads
    ``x[[0, [1, 2]]]`` as ``x[0, [1, 2]]`` (deprecated) and numpy as an array, so it is refused here."""
    if isinstance(index, tuple):
        return index
    if isinstance(index, list) and not all(isinstance(i, (bool, int, float, np.bool_, np.number)) for i in index):
        raise IndexError(
            "an index list may hold only numbers: PyTorch reads x[[0, [1, 2]]] as x[0, [1, 2]] (deprecated), numpy "
            "as one index array; write x[tuple(items)] to index several dims, or x[tensor(items)] for one index"
        )
    return (index,)


def _as_scalar(item: Any) -> Any:
    """A numpy int, or a 0-d integer or bool tensor or array, as the Python int or bool it acts as."""
    if isinstance(item, np.integer):
        return int(item)
    data = item.data if isinstance(item, Arithmetic) else item
    if isinstance(data, np.ndarray) and data.ndim == 0 and data.dtype.kind in "biu":
        return bool(data) if data.dtype.kind == "b" or data.dtype == np.uint8 else int(data)
    return item


def _is_mask(array: np.ndarray) -> bool:
    return array.dtype == bool or array.dtype == np.uint8  # uint8 too, as in PyTorch


def _dims_taken(item: Any) -> int:
    """How many dims of the indexed tensor ``item`` uses up: a mask as many as it has."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    data = item.data if isinstance(item, Arithmetic) else item
    if isinstance(data, np.ndarray) and _is_mask(data):
        return data.ndim
    return 1


def _index_array(item: Any) -> np.ndarray:
    """An index tensor or array as an int64 array, or a bool array for a mask."""
    array = item.data if isinstance(item, Arithmetic) else item
    if isinstance(item, Arithmetic) and array.dtype.name not in _TENSOR_DTYPES:
        raise IndexError(f"tensors used as indices must be long, int, byte or bool tensors, not {array.dtype}")
    if array.dtype.kind not in "biu" and array.size:
        raise IndexError(
            f"an index of {array.dtype} values is not valid: PyTorch would truncate floats to integers; "
            f"convert them yourself with .long()"
        )
    return array != 0 if _is_mask(array) else array.astype(int64)


def _checked(index: int | np.ndarray, dim: int | None, size: int) -> int | np.ndarray:
    """``index`` (an int or an int array) if every entry is in [-size, size), else PyTorch's IndexError."""
    entries = np.asarray(index).ravel()
    outside = entries[(entries < -size) | (entries >= size)]
    if outside.size:
        raise IndexError(f"index {outside[0]} is out of bounds for dimension {dim} with size {size}")
    return index


def _check_mask(mask: np.ndarray, dim: int, indexed: tuple[int, ...]) -> None:
    if mask.shape != indexed:
        raise IndexError(
            f"The shape of the mask {list(mask.shape)} does not match the shape {list(indexed)} of the dims "
            f"{dim}..{dim + mask.ndim - 1} it indexes"
        )


def _assignable(value: Any, dtype: np.dtype, where: Where) -> Tensor:
    """``value`` of ``x[index] = value`` as a Tensor: a number cast to ``dtype`` (refusing one that overflows
    it), or a Tensor. With index tensors, PyTorch wants the value's dtype to be x's, except for a one-element
    value at a lone bool mask (a masked fill, which takes no uint8 mask)."""
    if isinstance(value, (bool, int, float, np.bool_, np.number)):
        value = leaf(cast_number(value, dtype))
    elif not isinstance(value, Arithmetic):  # every Tensor is an Arithmetic
        raise TypeError(
            f"can't assign a {type(value).__name__} to a {dtype} tensor: the value must be a Tensor or a number "
            f"(wrap data in autograd.tensor(...))"
        )
    if where.advanced is None:
        return value
    if value.data.size == 1 and where.lone_mask is not None:
        if where.lone_mask.kind != "b":
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype uint8: use .bool()")
        return value
    if value.dtype != dtype:
        raise RuntimeError(
            f"Index put requires the source and destination dtypes match, got {dtype} for the destination "
            f"and {value.dtype} for the source (convert it with .to({dtype}))"
        )
    return value


def _sum_to_value(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``g`` summed down to ``shape``, the shape of a value written by ``x[index] = value``, which may have
    more leading 1s than ``g`` has dims."""
    extra = max(len(shape) - g.ndim, 0)
    return sum_to(g, shape[extra:]).reshape(shape)
