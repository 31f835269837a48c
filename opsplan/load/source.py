"""Where plan files come from, and the strict YAML loader that keeps a source mark on every node.

The loader works on libyaml's event stream rather than on composed nodes so that anchors,
aliases, tags and merge keys are refused at the first sight of them, before anything could
be expanded, and so that YAML 1.1's implicit typing (``yes`` as a boolean, ``1:30`` as a
sexagesimal number, dates as timestamps) never happens: scalars are typed by our own,
smaller rules below.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

import yaml

from opsplan.diagnostics import Diagnostic, Location
from opsplan.marks import MarkedMap, MarkedSeq, locate
from opsplan.rules.codes import (
    DUPLICATE_KEY,
    NO_ANCHORS_OR_TAGS,
    NOT_A_PLAN_FILE,
    NOT_UTF8,
    SAFETY_LIMIT,
    UNREADABLE_PATH,
    WRONG_TYPE,
    YAML_SYNTAX,
    Rule,
)

ROOT_FILE = "opsplan.yaml"
PLAN_FILE_SUFFIXES = (".yaml", ".yml")

# Safety limits: a plan file is written by people; anything past these is a mistake or an attack.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000

_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_DECIMAL = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9][0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+")
# A plan's numbers are at most 10^15 in size (a quadrillion: more than any budget or count) and
# at most 30 decimal places: beyond that a value is a typo or an attack, and would overflow
# decimal arithmetic, Python's int-from-text limit or the rounding of report figures.
NUMBER_LIMIT = Decimal(10) ** 15
MAX_DECIMAL_PLACES = 30
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})

try:  # libyaml is ten times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed plan file: its path relative to the plan root and its top-level mapping."""

    file: str
    root: MarkedMap | None  # None: the file declares nothing (empty, or comments only)

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        return locate(self.file, self.root, path, key=key)


class PlanSource(Protocol):
    """A tree of plan files: a folder on disk, or a git revision."""

    def candidate_files(self) -> list[str]:
        """Every *.yaml / *.yml below the root, as sorted POSIX paths relative to it,
        hidden folders and folders of nested plans skipped."""
        ...

    def refusals(self) -> list[Diagnostic]:
        """Findings about what was not read while listing (links out of the plan, folders that
        cannot be listed); valid after :meth:`candidate_files`."""
        ...

    def size(self, path: str) -> int: ...

    def read_bytes(self, path: str) -> bytes: ...


def is_plan_file_name(name: str) -> bool:
    return name.endswith(PLAN_FILE_SUFFIXES)


def is_inside(real_path: str, boundary: Path) -> bool:
    """Whether a resolved path is ``boundary`` or lies below it (``boundary`` resolved too)."""
    top = str(boundary)
    return real_path == top or real_path.startswith(top.rstrip(os.sep) + os.sep)


def _shown(folder: str, relative: str) -> str:
    return "/".join(part for part in (folder, relative) if part) or "."


def walk_files(top: Path, boundary: Path, wanted: Callable[[str], bool], *, shown_as: str = "",
               skip_nested_plans: bool = False) -> tuple[list[str], list[Diagnostic]]:
    """The files below ``top`` whose names ``wanted`` accepts, as sorted POSIX paths relative to
    it (hidden files and folders skipped), and an OPS008 finding for each link whose real path
    leaves ``boundary`` (resolved) and each folder that cannot be listed.

    A link out of the plan is reported at the link and never opened: its target may be a
    credential file, and what opsplan prints is posted back by CI. A link to a folder inside the
    plan is not walked: its files are read where they really are. ``shown_as`` is how findings
    name ``top`` (the plan root is "")."""
    found: list[str] = []
    refused: list[Diagnostic] = []
    pending: list[tuple[str, str]] = [("", str(top))]
    while pending:
        relative, folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            shown = _shown(shown_as, relative)
            refused.append(UNREADABLE_PATH.finding(f"cannot read the folder `{shown}` ({error.strerror or error}); nothing in it is checked",
                Location(shown), hint="let the user running opsplan read the folder, or move it out of the plan"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = f"{relative}/{name}" if relative else name
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not is_inside(real, boundary):
                        if wanted(name) or os.path.isdir(real):
                            shown = _shown(shown_as, path)
                            refused.append(UNREADABLE_PATH.finding(f"`{shown}` is a link to a place outside the plan; it is not read",
                                Location(shown),
                                hint="put the file itself in the plan, or link to a place inside the plan's folder"))
                        continue
                    if os.path.isdir(real):
                        continue
                elif entry.is_dir(follow_symlinks=False):
                    # A folder with its own opsplan.yaml is a plan of its own, checked on its own.
                    if not (skip_nested_plans and os.path.isfile(os.path.join(entry.path, ROOT_FILE))):
                        pending.append((path, entry.path))
                    continue
                # A FIFO or device with a wanted name would hang or flood the reader: only regular files.
                if wanted(name) and stat.S_ISREG(entry.stat().st_mode):
                    found.append(path)
            except OSError:
                continue
    return sorted(found), refused


class DirectorySource:
    """Plan files in a folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._boundary = root.resolve()
        self._refused: list[Diagnostic] = []

    def candidate_files(self) -> list[str]:
        found, self._refused = walk_files(self.root, self._boundary, is_plan_file_name, skip_nested_plans=True)
        return found

    def refusals(self) -> list[Diagnostic]:
        return list(self._refused)

    def _path(self, path: str) -> Path:
        full = self.root / path
        # Listed files were checked, but a link can be swapped between listing and reading.
        if not is_inside(os.path.realpath(full), self._boundary):
            raise OSError(errno.EACCES, "it became a link to a place outside the plan")
        return full

    def size(self, path: str) -> int:
        return self._path(path).stat().st_size

    def read_bytes(self, path: str) -> bytes:
        with open(self._path(path), "rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds opsplan.yaml, like git finds .git."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / ROOT_FILE).is_file():
            return folder
    return None


class _Rejected(Exception):
    """Stops the parse of one file; carries the finding that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def decode(file: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Plan files are UTF-8; a UTF-8 byte-order mark is tolerated, any other encoding is not."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            NOT_UTF8.finding("file is UTF-16 or UTF-32 encoded, not UTF-8",
                            Location(file, 1, 1), hint="save the file as UTF-8 (without BOM)")
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        return None, [
            NOT_UTF8.finding(f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
                Location(file, line, column),
                hint="save the file as UTF-8",
            )
        ]


class OutOfRange(str):
    """A plain scalar written as a number outside the plan's range (see ``NUMBER_LIMIT``).

    It stays text, as written: where a field takes text (a name, an ``x-`` extension) that is
    what it is, and where a field takes a number the shape check reports it as out of range."""

    __slots__ = ()


def number_in_range(value: Decimal) -> bool:
    """Whether a number is finite, at most ``NUMBER_LIMIT`` in size and has at most
    ``MAX_DECIMAL_PLACES`` decimals. Compares without arithmetic, so it never overflows."""
    if not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES and value:
        return False
    return value.adjusted() <= 15 and value.copy_abs() <= NUMBER_LIMIT


def parse_scalar(value: str) -> Any:
    """Type a plain scalar the way the plan format does: YAML 1.2 core, underscores in numbers,
    non-integers as exact Decimals, and everything else (dates included) as text. A number out
    of the plan's range is :class:`OutOfRange` text."""
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.fullmatch(value):
            digits = value.replace("_", "")
            # int() of thousands of digits raises (Python's int-string limit): check the length first.
            if len(digits.lstrip("+-")) >= 16 and not number_in_range(Decimal(digits)):
                return OutOfRange(value)
            return int(digits)
        if _DECIMAL.fullmatch(value):
            try:
                number = Decimal(value.replace("_", ""))
            except InvalidOperation:  # an exponent too large for Decimal itself
                return OutOfRange(value)
            # Short text without an exponent (`1250.50`) cannot leave the range: skip the check.
            if len(value) <= 16 and "e" not in value and "E" not in value:
                return number
            return number if number_in_range(number) else OutOfRange(value)
    return value


def parse_document(file: str, text: str) -> tuple[MarkedMap | None, list[Diagnostic]]:
    """Parse one plan file's text into marked containers, with findings instead of exceptions."""
    diagnostics: list[Diagnostic] = []
    try:
        root = _build(file, text, diagnostics)
    except _Rejected as rejected:
        return None, [*diagnostics, rejected.diagnostic]
    except yaml.MarkedYAMLError as error:
        return None, [*diagnostics, _syntax_error(file, text, error)]
    except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
        return None, [*diagnostics, _reader_error(file, text, error)]
    if root is None or isinstance(root, MarkedMap):
        return root, diagnostics
    kind = "a list" if isinstance(root, MarkedSeq) else "a single value"
    diagnostics.append(
        NOT_A_PLAN_FILE.finding(f"the top level of a plan file must be a mapping of kinds, not {kind}",
            Location(file, getattr(root, "line", 1), getattr(root, "column", 1)),
            hint="start the file with a kind, e.g. `processes:`",
        )
    )
    return None, diagnostics


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


_KEY_DUE = object()  # in an open mapping: the next node is a key


def _build(file: str, text: str, diagnostics: list[Diagnostic]) -> Any:
    """Assemble marked containers from the event stream (iteratively: no recursion limit)."""
    stack: list[Any] = []  # open containers
    # per open container: for a mapping, _KEY_DUE or the key waiting for its value
    pending: list[Any] = []
    key_marks: list[tuple[int, int]] = []
    root: Any = None
    documents = 0
    nodes = 0
    scalar_event, mapping_start, sequence_start = (
        yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)

    def reject(rule: Rule, message: str, event: Any, hint: str | None = None) -> _Rejected:
        line, column = _mark(event)
        return _Rejected(rule.finding(message, Location(file, line, column), hint=hint))

    def attach(value: Any, line: int, column: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        parent = stack[-1]
        if type(parent) is MarkedSeq:
            parent.append(value)
            parent.marks.append((line, column))
            return
        key = pending[-1]
        pending[-1] = _KEY_DUE
        key_line, key_column = key_marks[-1]
        if key in parent:
            first_line, first_column = parent.marks[key][:2]
            diagnostics.append(
                DUPLICATE_KEY.finding(f"duplicate key `{key}` (first defined at line {first_line})",
                    Location(file, key_line, key_column),
                    hint=f"remove one of the two or merge them; the first is at "
                    f"{file}:{first_line}:{first_column}",
                )
            )
            return
        parent[key] = value
        parent.marks[key] = (key_line, key_column, line, column)

    parser = _Loader(text)
    try:
        while True:
            event: Any = parser.get_event()
            if event is None:
                break
            kind = type(event)
            if kind is scalar_event or kind is mapping_start or kind is sequence_start:
                nodes += 1
                if nodes > MAX_NODES:
                    raise reject(SAFETY_LIMIT, f"file has more than {MAX_NODES:,} YAML nodes", event,
                                 hint="split the plan over several files")
                if event.anchor is not None:
                    raise reject(NO_ANCHORS_OR_TAGS, f"anchors are not allowed (`&{event.anchor}`)", event,
                                 hint="write the value out in full; plans are read more than written")
                # libyaml reports the implicit tag of a block collection as None, an explicit one as text.
                if event.tag is not None:
                    raise reject(NO_ANCHORS_OR_TAGS, f"tags are not allowed (`{event.tag}`)", event,
                                 hint="remove the tag; opsplan types values by their field")
                line, column = _mark(event)
                key_due = bool(pending) and pending[-1] is _KEY_DUE
                if kind is scalar_event:
                    if key_due:
                        if event.value == "<<" and not event.style:
                            raise reject(NO_ANCHORS_OR_TAGS, "merge keys (`<<`) are not allowed", event,
                                         hint="write the merged fields out in full")
                        pending[-1] = event.value
                        key_marks[-1] = (line, column)
                        continue
                    # libyaml gives plain scalars the style '' (the pure-Python parser: None).
                    attach(event.value if event.style else parse_scalar(event.value), line, column)
                    continue
                if key_due:
                    raise reject(WRONG_TYPE, "a mapping key must be plain text, not a list or mapping",
                                 event, hint="use a simple word as the key")
                if len(stack) >= MAX_DEPTH:
                    raise reject(SAFETY_LIMIT, f"nesting deeper than {MAX_DEPTH} levels", event,
                                 hint="flatten the structure; plans need a handful of levels")
                container: Any = (
                    MarkedMap(line, column) if kind is mapping_start else MarkedSeq(line, column)
                )
                attach(container, line, column)
                stack.append(container)
                pending.append(_KEY_DUE if kind is mapping_start else None)
                key_marks.append((0, 0))
            elif kind in closing:
                stack.pop()
                pending.pop()
                key_marks.pop()
            elif kind is yaml.AliasEvent:
                raise reject(NO_ANCHORS_OR_TAGS, f"aliases are not allowed (`*{event.anchor}`)", event,
                             hint="write the value out in full")
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise reject(NOT_A_PLAN_FILE, "a plan file holds one YAML document; found a second `---`",
                                 event, hint="move the second document into a file of its own")
                if event.tags:
                    raise reject(NO_ANCHORS_OR_TAGS, "%TAG directives are not allowed", event)
    finally:
        parser.dispose()
    return root


def _syntax_error(file: str, text: str, error: yaml.MarkedYAMLError) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "invalid YAML").strip()
    if "maximum nesting depth" in problem:  # libyaml's own limit, met while scanning ahead
        return SAFETY_LIMIT.finding(f"nesting deeper than {MAX_DEPTH} levels", Location(file, line, column),
                               hint="flatten the structure; plans need a handful of levels")
    message = f"YAML syntax error: {problem}"
    if error.context:
        message += f" ({error.context.strip()})"
    hint = None
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in problem or "'\\t'" in problem or "\t" in source_line[: max(column, 1)]:
        hint = "YAML indents with spaces, never tabs: replace the tab with spaces"
    elif "mapping values are not allowed" in problem:
        hint = "quote the value if it contains `: `, or check the indentation of this line"
    elif "could not find expected ':'" in problem:
        hint = "a key needs `: ` after it; check the indentation of this line"
    return YAML_SYNTAX.finding(message, Location(file, line, column), hint=hint)


def _reader_error(file: str, text: str, error: yaml.YAMLError) -> Diagnostic:
    position = getattr(error, "position", 0) or 0
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = getattr(error, "character", None)
    if isinstance(character, str) and character:
        character = ord(character[0])
    shown = f" (U+{character:04X})" if isinstance(character, int) else ""
    return YAML_SYNTAX.finding(f"YAML syntax error: a control character{shown} is not allowed in YAML",
        Location(file, line, column),
        hint="remove the character, or write it as an escape inside a double-quoted string",
    )
