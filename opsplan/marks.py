"""Where things were written: YAML nodes that remember the line and column of every key and value,
and the `Origin` of an entity, which locates any of its fields for a finding."""

from __future__ import annotations

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


def locate(
    file: str, node: Any, path: tuple[str | int, ...] | list[str | int], *, key: bool = False
) -> Location:
    """The location of the value at ``path`` below ``node`` (or of its key, with ``key``).

    Walks as far as the path exists, so a path into a missing field points at its parent.
    """
    line, column = (getattr(node, "line", 1), getattr(node, "column", 1))
    last = len(path) - 1
    for index, part in enumerate(path):
        # The marks are read where they are kept, not through mark(): a report locates every
        # KPI and budget line of a plan.
        if isinstance(node, MarkedMap) and isinstance(part, str):
            packed = node.marks.get(part)
            if packed is None:
                break
            key_place, place = divmod(packed, PLACES)
            line, column = unpack(key_place if key and index == last else place)
            node = node[part]
        elif isinstance(node, MarkedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = unpack(node.marks[part])
            node = node[part]
        else:
            break
    return Location(file, line, column)


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

    @property
    def key_line(self) -> int:
        """The line of ``location``, the entity's own id key: read from the marks the loader
        kept, else located."""
        if self.key_mark is not None:
            return self.key_mark // PLACES // COLUMNS  # the key's place, then its line
        return self.location.line
