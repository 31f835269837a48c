"""Where things were written: YAML nodes that remember the line and column of every key and value,
and the `Origin` of an entity, which locates any of its fields for a finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from opsplan.diagnostics import Location

# The YAML tree a plan file was read into keeps where every key and value was written, so
# that an entity's Origin can point at any of its fields; the loader fills it, the model reads it.

# A plan of 10,000 processes has about 400,000 keys: each place is packed into one int (line
# and column; column capped at 16,777,215) rather than a tuple of four, which took 50 MB more.
COLUMNS = 1 << 24
LAST_COLUMN = COLUMNS - 1
PLACES = 1 << 56  # lines below 2**32


def pack(line: int, column: int) -> int:
    return line * COLUMNS + min(column, LAST_COLUMN)


def unpack(place: int) -> tuple[int, int]:
    return divmod(place, COLUMNS)


class MarkedMap(dict[str, Any]):
    """A YAML mapping that remembers where each key and each value starts (1-based)."""

    __slots__ = ("column", "line", "marks")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column
        self.marks: dict[str, int] = {}  # key -> where the key and its value start, packed

    def set_mark(self, key: str, key_line: int, key_column: int, line: int, column: int) -> None:
        self.marks[key] = pack(key_line, key_column) * PLACES + pack(line, column)

    def mark(self, key: str) -> tuple[int, int, int, int]:
        """Where a key starts and where its value starts: key line, key column, line, column."""
        key_place, place = divmod(self.marks[key], PLACES)
        return (*unpack(key_place), *unpack(place))


class MarkedSeq(list[Any]):
    """A YAML sequence that remembers where each item starts (1-based)."""

    __slots__ = ("column", "line", "marks")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column
        self.marks: list[int] = []  # where each item starts, packed

    def add_mark(self, line: int, column: int) -> None:
        self.marks.append(pack(line, column))

    def mark(self, index: int) -> tuple[int, int]:
        return unpack(self.marks[index])


def _walk(node: Any, path: Sequence[str | int]) -> tuple[Any, int | None, bool, int]:
    """How far ``path`` goes below ``node``: the node reached, the mark of the last step taken
    (None: no step), whether that step went into a map (its mark holds the key's place too), and
    how many steps were taken."""
    # A report locates every KPI and budget line of a plan: the marks are read where they are
    # kept, not through mark(), and only the last step's mark is ever unpacked.
    found: int | None = None
    in_map = False
    steps = 0
    below = node
    for part in path:
        if isinstance(below, MarkedMap) and isinstance(part, str):
            mark = below.marks.get(part)
            if mark is None:
                break
            found, in_map = mark, True
        elif isinstance(below, MarkedSeq) and isinstance(part, int) and 0 <= part < len(below):
            found, in_map = below.marks[part], False
        else:
            break
        below = below[part]
        steps += 1
    return below, found, in_map, steps


def _position(node: Any, found: int | None, in_map: bool, key: bool) -> tuple[int, int]:
    """Line and column where a walk from ``node`` stopped: where the value of its last step
    starts (its key, with ``key``), or the node itself when it took no step."""
    if found is None:
        return getattr(node, "line", 1), getattr(node, "column", 1)
    if in_map:
        key_place, place = divmod(found, PLACES)
        if key:
            place = key_place
    else:
        place = found
    line, column = divmod(place, COLUMNS)
    return line, column


def locate(
    file: str, node: Any, path: tuple[str | int, ...] | list[str | int], *, key: bool = False
) -> Location:
    """The location of the value at ``path`` below ``node`` (or of its key, with ``key``).

    Walks as far as the path exists, so a path into a missing field points at its parent.
    """
    _, found, in_map, steps = _walk(node, path)
    return Location(file, *_position(node, found, in_map, key and steps == len(path)))


class Locator:
    """Locates fields of many entities as Origin.at does, walking down to each parent once: the
    lines of one department of a budget share every step but the last, and a report locates
    every line of a plan. Kept while the plan it locates in is unchanged (one report)."""

    def __init__(self) -> None:
        # (the root's id, the path to a parent) -> the root (kept, so that no other node takes
        # its id), the node reached, its walk's last mark, whether it went into a map, whether
        # the whole path was walked.
        self._parents: dict[tuple[int, tuple[str | int, ...]], tuple[Any, Any, int | None, bool, bool]] = {}
        # key_line's last walk: the root, the path to a parent and the parent reached (kept
        # alone: a KPI's parent holds one to three KPIs, and a look-up in many kept walks took
        # longer than walking again).
        self._last_root: Any = None
        self._last_parent: tuple[str | int, ...] = ()
        self._last_below: Any = None

    def position(self, origin: Origin, *path: str | int, key: bool = False) -> tuple[int, int]:
        """Line and column of what ``origin.at(*path, key=key)`` locates."""
        if path:
            full = (*origin.path, *path)
        else:
            full, key = origin.path, True
        root = origin.node
        if not full:
            return _position(root, None, False, key)
        _, below, found, in_map, whole = self._walked(root, full[:-1])
        if whole:
            _, last_found, last_in_map, steps = _walk(below, full[-1:])
            if steps:
                return _position(root, last_found, last_in_map, key)
        return _position(root, found, in_map, False)

    def _walked(self, root: Any, parent: tuple[str | int, ...]) -> tuple[Any, Any, int | None, bool, bool]:
        """The walk from ``root`` to a parent, made once and kept for the next fields asked below it."""
        known = self._parents.get((id(root), parent))
        if known is None or known[0] is not root:
            below, found, in_map, steps = _walk(root, parent)
            known = self._parents[(id(root), parent)] = (root, below, found, in_map, steps == len(parent))
        return known

    def at(self, origin: Origin, *path: str | int, key: bool = False) -> Location:
        return Location(origin.file, *self.position(origin, *path, key=key))

    def key_line(self, origin: Origin) -> int:
        """The line of ``origin.location``, the entity's own id key. A report asks it of every
        budget line and KPI, in plan order: the walk to the last parent is kept for the next
        origin below the same parent (a department's lines), and the path is otherwise walked as
        _walk walks it, straight; only the key's mark is read, no position built."""
        if origin.key_mark is not None:  # kept by the loader
            return origin.key_mark // PLACES // COLUMNS
        full = origin.path
        if full:
            root, parent = origin.node, full[:-1]
            if root is self._last_root and parent == self._last_parent:
                below = self._last_below
            else:
                below = _walked_to(root, parent)
                if below is None:
                    return self.position(origin)[0]
                self._last_root, self._last_parent, self._last_below = root, parent, below
            last = full[-1]
            if isinstance(below, MarkedMap) and isinstance(last, str):
                mark = below.marks.get(last)
                if mark is not None:
                    return mark // PLACES // COLUMNS  # the key's place, then its line
        return self.position(origin)[0]


def _walked_to(node: Any, path: tuple[str | int, ...]) -> Any | None:
    """The node at the end of ``path`` below ``node``, walked as _walk walks it; None when the
    path does not go all the way."""
    below = node
    for part in path:
        if isinstance(below, MarkedMap) and isinstance(part, str):
            if part not in below.marks:
                return None
        elif not (isinstance(below, MarkedSeq) and isinstance(part, int) and 0 <= part < len(below)):
            return None
        below = below[part]
    return below


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entity was written: its file and its YAML node, to locate any field in it."""

    file: str
    node: Any = field(repr=False, compare=False)
    path: tuple[str | int, ...] = ()
    # The packed marks of the entity's id key, when the loader had the mapping holding it at
    # hand: a report shows the line of every KPI and budget line, and walking down to each of
    # them again took longer than keeping it.
    key_mark: int | None = field(default=None, repr=False, compare=False)

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Location of a field's value (or its key) inside this entity; the entity's own id
        key when called without a path."""
        if not path:
            return locate(self.file, self.node, self.path, key=True)
        return locate(self.file, self.node, (*self.path, *path), key=key)

    @property
    def location(self) -> Location:
        return self.at()
