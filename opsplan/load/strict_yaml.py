"""The strict YAML loader that keeps a source mark on every node, and the plan's scalar types.

The loader works on libyaml's event stream rather than on composed nodes so that anchors,
aliases, tags and merge keys are refused at the first sight of them, before anything could
be expanded, and so that YAML 1.1's implicit typing (``yes`` as a boolean, ``1:30`` as a
sexagesimal number, dates as timestamps) never happens: scalars are typed by our own,
smaller rules below.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from opsplan.diagnostics import Diagnostic, Location
from opsplan.marks import COLUMNS, LAST_COLUMN, PLACES, MarkedMap, MarkedSeq, pack
from opsplan.rules.codes import (
    DUPLICATE_KEY,
    NO_ANCHORS_OR_TAGS,
    NOT_A_PLAN_FILE,
    NOT_UTF8,
    SAFETY_LIMIT,
    WRONG_TYPE,
    YAML_SYNTAX,
    Rule,
)

# Safety limits: a plan file is written by people; anything past these is a mistake or an attack.
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
            parent.marks.append(pack(line, column))
            return
        key = pending[-1]
        pending[-1] = _KEY_DUE
        key_line, key_column = key_marks[-1]
        if key in parent:
            first_line, first_column = parent.mark(key)[:2]
            diagnostics.append(
                DUPLICATE_KEY.finding(f"duplicate key `{key}` (first defined at line {first_line})",
                    Location(file, key_line, key_column),
                    hint=f"remove one of the two or merge them; the first is at "
                    f"{file}:{first_line}:{first_column}",
                )
            )
            return
        parent[key] = value
        # MarkedMap.set_mark, written out: this runs for every key of every plan file.
        parent.marks[key] = (key_line * COLUMNS + min(key_column, LAST_COLUMN)) * PLACES + line * COLUMNS + min(column, LAST_COLUMN)

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
