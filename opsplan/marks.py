"""Where things were written: YAML nodes that remember the line and column of every key and value,
and the `Origin` of an entity, which locates any of its fields for a finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsplan.diagnostics import Location

# The YAML tree a plan file was read into keeps where every key and value was written, so
# that an entity's Origin can point at any of its fields; the loader fills it, the model reads it.

class MarkedMap(dict[str, Any]):
    """A YAML mapping that remembers where each key and each value starts (1-based)."""

    __slots__ = ("column", "line", "marks")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column
        # key -> (key line, key column, value line, value column)
        self.marks: dict[str, tuple[int, int, int, int]] = {}


class MarkedSeq(list[Any]):
    """A YAML sequence that remembers where each item starts (1-based)."""

    __slots__ = ("column", "line", "marks")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column
        self.marks: list[tuple[int, int]] = []


def locate(
    file: str, node: Any, path: tuple[str | int, ...] | list[str | int], *, key: bool = False
) -> Location:
    """The location of the value at ``path`` below ``node`` (or of its key, with ``key``).

    Walks as far as the path exists, so a path into a missing field points at its parent.
    """
    line, column = (getattr(node, "line", 1), getattr(node, "column", 1))
    last = len(path) - 1
    for index, part in enumerate(path):
        if isinstance(node, MarkedMap) and isinstance(part, str) and part in node.marks:
            key_line, key_column, value_line, value_column = node.marks[part]
            if key and index == last:
                line, column = key_line, key_column
            else:
                line, column = value_line, value_column
            node = node[part]
        elif isinstance(node, MarkedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = node.marks[part]
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

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Location of a field's value (or its key) inside this entity; the entity's own id
        key when called without a path."""
        if not path:
            return locate(self.file, self.node, self.path, key=True)
        return locate(self.file, self.node, (*self.path, *path), key=key)

    @property
    def location(self) -> Location:
        return self.at()
