"""Shape validation against the JSON Schemas in ``schemas/``, with every error mapped back to
the key or value it is about, and to a rule code a person can look up."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from opsplan.diagnostics import Diagnostic, Location, did_you_mean
from opsplan.load.source import ROOT_FILE, Document
from opsplan.load.strict_yaml import MAX_DECIMAL_PLACES, OutOfRange
from opsplan.marks import locate
from opsplan.rules.codes import (
    INVALID_ID,
    INVALID_VALUE,
    MISSING_FIELD,
    NOT_A_PLAN_FILE,
    ROOT_FILE_VERSION,
    UNKNOWN_FIELD,
    WRONG_TYPE,
)

SCHEMA_BASE = "https://opsplan.dev/schemas/"
SCHEMA_FILES = ("plan.schema.json", "opsplan.schema.json", "compiled.schema.json", "report.schema.json")
KINDS = ("departments", "processes", "budgets", "goals", "programs", "waivers")
_SINGULAR = {"departments": "department", "processes": "process", "budgets": "budget",
             "goals": "goal", "programs": "program", "waivers": "waiver"}
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number", "object": "a mapping",
               "array": "a list", "boolean": "true or false", "null": "empty"}


def schema_dir() -> Path:
    """The shipped schemas: inside the installed package, or beside it in a source checkout."""
    packaged = Path(str(resources.files("opsplan"))) / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas"


@cache
def load_schema(name: str) -> dict[str, Any]:
    with open(schema_dir() / name, encoding="utf-8") as stream:
        schema: dict[str, Any] = json.load(stream)
    return schema


@cache
def _validator(name: str) -> Any:
    # jsonschema pulls in a dozen modules; only runs that validate pay for them.
    from jsonschema import Draft202012Validator, ValidationError, validators
    from referencing import Registry, Resource

    from opsplan.load.fastschema import whole_value_pattern

    def pattern(validator: Any, expected: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        # jsonschema's own `pattern` uses Python's `$`, which lets a final newline through.
        if validator.is_type(instance, "string") and not whole_value_pattern(expected).search(instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    validator_class = validators.extend(Draft202012Validator, {"pattern": pattern})
    registry: Registry[Any] = Registry().with_resources(
        (SCHEMA_BASE + file, Resource.from_contents(load_schema(file)))
        for file in ("plan.schema.json", "opsplan.schema.json")
    )
    return validator_class(load_schema(name), registry=registry)


@cache
def _fast_check(name: str) -> Callable[[Any], bool] | None:
    from opsplan.load.fastschema import SchemaCompiler, Unsupported

    try:
        return SchemaCompiler(load_schema).compile(name)
    except Unsupported:  # pragma: no cover - a schema keyword the fast path does not know yet
        return None


@cache
def _entity_checks() -> dict[str, tuple[Callable[[Any], bool], Callable[[Any], bool]]]:
    """Per kind of plan file: the fast checks of an id and of one entity, read from the schema."""
    from opsplan.load.fastschema import SchemaCompiler

    checks: dict[str, tuple[Callable[[Any], bool], Callable[[Any], bool]]] = {}
    compiler = SchemaCompiler(load_schema)
    definitions = load_schema("plan.schema.json")["$defs"]
    for kind in KINDS:
        ids, entity = definitions[kind]["propertyNames"]["$ref"], definitions[kind]["additionalProperties"]["$ref"]
        checks[kind] = (compiler.compile_part("plan.schema.json", ids.partition("#")[2]),
                        compiler.compile_part("plan.schema.json", entity.partition("#")[2]))
    return checks


def _failing_entities(root: Any) -> Any:
    """The plan file with the entities that pass the fast check left out; paths stay the same
    (kind, then id), so errors found in it are located in the whole file."""
    from opsplan.load.fastschema import Unsupported

    if not isinstance(root, dict):
        return root
    try:
        checks = _entity_checks()
    except (KeyError, TypeError, Unsupported):  # pragma: no cover - a schema the fast path cannot read
        return root
    narrowed: dict[Any, Any] = {}
    for key, value in root.items():
        if key in checks and isinstance(value, dict):
            id_ok, entity_ok = checks[key]
            value = {id_: entity for id_, entity in value.items() if not (id_ok(id_) and entity_ok(entity))}
        narrowed[key] = value
    return narrowed


def validate_document(
    document: Document, rule_codes: Sequence[str],
) -> tuple[list[Diagnostic], set[tuple[str | int, ...]]]:
    """Check one file's shape. Returns the findings and the paths they concern inside entities
    (kind, id, then the field), so that the model is built with only the bad fields dropped.
    ``rule_codes`` are the codes `rules:` may name (a misspelt one is answered with the closest)."""
    is_root = document.file == ROOT_FILE
    name = "opsplan.schema.json" if is_root else "plan.schema.json"
    fast = _fast_check(name)
    if fast is not None and fast(document.root):
        return [], set()
    validator = _validator(name)
    # Only the entities that failed the fast path are explained: the generic validator is many
    # times slower, and a plan of thousands of valid entities must not pay it for one bad one.
    instance = document.root if is_root else _failing_entities(document.root)
    diagnostics: list[Diagnostic] = []
    invalid: set[tuple[str | int, ...]] = set()
    seen_required: set[tuple[Any, ...]] = set()
    for error in validator.iter_errors(instance):
        path = tuple(error.absolute_path)
        if len(path) >= 2 and path[0] in KINDS:
            invalid.add(path)
        elif len(path) == 1 and path[0] in KINDS and "propertyNames" in error.relative_schema_path:
            invalid.add((str(path[0]), str(error.instance)))
        diagnostics.extend(_explain(_Problem(document, error, path, is_root, seen_required, rule_codes)))
    return diagnostics, invalid


def _describe(path: tuple[Any, ...]) -> str:
    """Which entity and field a path is about, in the plan's words."""
    if len(path) >= 2 and path[0] in KINDS:
        entity = f"{_SINGULAR[path[0]]} `{path[1]}`"
        rest = ".".join(str(part) for part in path[2:])
        return f"`{rest}` of {entity}" if rest else entity
    return "`" + ".".join(str(part) for part in path) + "`" if path else "the file"


def _where(path: tuple[Any, ...]) -> str:
    if len(path) >= 2 and path[0] in KINDS:
        entity = f"{_SINGULAR[path[0]]} `{path[1]}`"
        inner = ".".join(str(part) for part in path[2:])
        return f" in `{inner}` of {entity}" if inner else f" in {entity}"
    return f" in `{'.'.join(str(part) for part in path)}`" if path else ""


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    text = str(value)
    return f"`{text[:60]}…`" if len(text) > 60 else f"`{text}`"


@dataclass(frozen=True, slots=True)
class _Problem:
    """One JSON Schema error, with what explaining it in the plan's words needs."""

    document: Document
    error: Any
    path: tuple[Any, ...]
    is_root: bool
    seen_required: set[tuple[Any, ...]]
    rule_codes: Sequence[str]

    @property
    def keyword(self) -> str:
        return str(self.error.validator)

    @property
    def schema(self) -> dict[str, Any]:
        return self.error.schema if isinstance(self.error.schema, dict) else {}

    @property
    def title(self) -> Any:
        return self.schema.get("title")

    @property
    def value(self) -> Any:
        return self.error.instance

    @property
    def described(self) -> str:
        return _describe(self.path)

    def at(self, location_path: tuple[Any, ...] | None = None, key: bool = False) -> Location:
        """Where the value (or with ``key``, the key) at a path is; the error's own path by default."""
        path = self.path if location_path is None else location_path
        return locate(self.document.file, self.document.root, path, key=key)


# An explanation turns one kind of schema error into findings, or answers None when the error
# is not of its kind after all, so that the next table has its say.
Explanation = Callable[[_Problem], "list[Diagnostic] | None"]


def _unknown_fields(problem: _Problem) -> list[Diagnostic]:
    instance = problem.value if isinstance(problem.value, dict) else {}
    known = list(problem.schema.get("properties", {}))
    found = []
    for extra in instance:
        if extra in known or str(extra).startswith("x-"):
            continue
        hint = did_you_mean(str(extra), known) or (
            f"known fields: {', '.join(known)}; prefix your own fields with `x-`" if known else None)
        if not problem.path:
            settings = extra in ("organization", "horizon", "fx", "rules", "exclude", "opsplan", "report", "profiles")
            found.append(NOT_A_PLAN_FILE.finding(
                f"unknown top-level key `{extra}`: a plan file maps kinds ({', '.join(KINDS)}) to entities"
                + ("" if problem.is_root else "; settings belong in opsplan.yaml" if settings else ""),
                problem.at((extra,), key=True), hint=hint))
        else:
            found.append(UNKNOWN_FIELD.finding(f"unknown field `{extra}`{_where(problem.path)}",
                                               problem.at((*problem.path, extra), key=True), hint=hint))
    return found


def _missing_fields(problem: _Problem) -> list[Diagnostic]:
    path = problem.path
    if path in problem.seen_required:  # one finding per missing field, however many branches say so
        return []
    problem.seen_required.add(path)
    instance = problem.value if isinstance(problem.value, dict) else {}
    if problem.keyword == "required":
        missing = [name for name in problem.error.validator_value if name not in instance]
        needed_by = ""
    else:
        missing, needed_by = [], ""
        for trigger, names in problem.error.validator_value.items():
            if trigger in instance:
                missing += [name for name in names if name not in instance]
                needed_by = f" (needed with `{trigger}`)"
    found = []
    for name in missing:
        if problem.is_root and not path and name == "opsplan":
            found.append(ROOT_FILE_VERSION.finding("opsplan.yaml does not give the format version",
                                                   Location(problem.document.file, 1, 1),
                                                   hint="add `opsplan: 1` at the top"))
            continue
        found.append(MISSING_FIELD.finding(f"missing required field `{name}`{needed_by}{_where(path)}",
                                           problem.at(path, key=bool(path)), hint=f"add `{name}:`"))
    return found


def _format_version(problem: _Problem) -> list[Diagnostic] | None:
    if not (problem.is_root and problem.path == ("opsplan",)):
        return None
    return [ROOT_FILE_VERSION.finding(
        f"unsupported plan format version {_shown(problem.value)}; this opsplan reads version 1",
        problem.at(), hint="write `opsplan: 1`, or upgrade opsplan")]


def _invalid_key(problem: _Problem) -> list[Diagnostic]:
    path, key = problem.path, str(problem.value)
    where = problem.at((*path, key), key=True)
    if problem.title == "id":
        reason = ("ids are lower-case slugs of letters, digits and single dashes, starting with a letter "
                  "(at most 64 characters)")
        suggestion = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
        written = suggestion and re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", suggestion)
        return [INVALID_ID.finding(f"invalid id `{key}`{_where(path)}: {reason}", where,
                                   hint=f"write `{suggestion}`" if written else None)]
    if path == ("rules",):
        return [WRONG_TYPE.finding(f"unknown rule `{key}` in `rules`", where,
                                   hint=did_you_mean(key, list(problem.rule_codes)) or "see `opsplan explain --list`")]
    return [WRONG_TYPE.finding(f"`{key}` is not allowed as a key{_where(path)}", where,
                               hint=problem.schema.get("description"))]


def _out_of_range(problem: _Problem) -> list[Diagnostic] | None:
    if not (isinstance(problem.value, OutOfRange) and (problem.keyword == "type" or problem.title in ("money", "rate"))):
        return None
    return [INVALID_VALUE.finding(
        f"{problem.described} is out of range: {_shown(problem.value)}", problem.at(),
        hint=f"numbers in a plan are at most 10^15 in size, with at most {MAX_DECIMAL_PLACES} decimal places")]


def _not_a_rate(problem: _Problem) -> list[Diagnostic]:
    return [WRONG_TYPE.finding(
        f"{problem.described} must be a positive number, not {_shown(problem.value)}", problem.at(),
        hint="write how much one unit of the currency is worth in the plan currency, e.g. `1.08` or `\"1.08\"`")]


def _not_a_value(problem: _Problem) -> list[Diagnostic]:
    return [_value_type_error(str(problem.title), problem.value, problem.at(), problem.described)]


def _not_a_reference(problem: _Problem) -> list[Diagnostic] | None:
    if problem.keyword != "type":
        return None
    return [WRONG_TYPE.finding(f"{problem.described} must be an id, not {_shown(problem.value)}", problem.at())]


def _wrong_type(problem: _Problem) -> list[Diagnostic]:
    expected = problem.error.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names if name != "null") or "empty"
    return [WRONG_TYPE.finding(f"{problem.described} must be {wanted}, not {_shown(problem.value)}", problem.at(),
                               hint="quote it to make it text" if "string" in names else None)]


def _not_allowed(problem: _Problem) -> list[Diagnostic]:
    allowed = [str(option) for option in problem.error.validator_value]
    return [WRONG_TYPE.finding(
        f"{problem.described} must be one of {', '.join(allowed)}, not {_shown(problem.value)}", problem.at(),
        hint=did_you_mean(str(problem.value), allowed))]


def _no_match(problem: _Problem) -> list[Diagnostic] | None:
    if problem.title in ("slug", "id"):
        return [WRONG_TYPE.finding(
            f"{problem.described} must be a lower-case slug (like `peak-season`), not {_shown(problem.value)}",
            problem.at())]
    if problem.path and problem.path[-1] == "currency":
        return [WRONG_TYPE.finding(
            f"{problem.described} must be an ISO 4217 code like USD, not {_shown(problem.value)}", problem.at())]
    return None


def _not_a_parent(problem: _Problem) -> list[Diagnostic] | None:
    if not (problem.path and problem.path[-1] == "parent"):
        return None
    return [WRONG_TYPE.finding(f"{problem.described} must be an id or empty, not {_shown(problem.value)}",
                               problem.at())]


_BOUNDS = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
           "exclusiveMaximum": "less than"}


def _out_of_bounds(problem: _Problem) -> list[Diagnostic]:
    bound = _BOUNDS[problem.keyword]
    return [WRONG_TYPE.finding(
        f"{problem.described} must be {bound} {problem.error.validator_value}, not {_shown(problem.value)}",
        problem.at())]


def _repeated_item(problem: _Problem) -> list[Diagnostic]:
    return [WRONG_TYPE.finding(f"{problem.described} lists an item twice", problem.at())]


# The tables, asked in this order: the shape of a mapping, then a key's own name, then a value
# by what it is meant to be (its schema's title), then by the keyword it failed.
_BY_STRUCTURE: dict[str, Explanation] = {
    "additionalProperties": _unknown_fields, "required": _missing_fields, "dependentRequired": _missing_fields,
    "const": _format_version,
}
_BY_TITLE: dict[str, Explanation] = {
    "rate": _not_a_rate, "money": _not_a_value, "date": _not_a_value, "duration": _not_a_value,
    "reference": _not_a_reference,
}
_BY_KEYWORD: dict[str, Explanation] = {
    "type": _wrong_type, "enum": _not_allowed, "pattern": _no_match, "oneOf": _not_a_parent,
    **dict.fromkeys(_BOUNDS, _out_of_bounds), "uniqueItems": _repeated_item,
}


def _explain(problem: _Problem) -> list[Diagnostic]:
    """The findings a schema error stands for, in the plan's words."""
    in_key = "propertyNames" in problem.error.relative_schema_path
    candidates = (
        _BY_STRUCTURE.get(problem.keyword),
        _invalid_key if in_key else None,
        _out_of_range,
        _BY_TITLE.get(problem.title) if isinstance(problem.title, str) else None,
        _BY_KEYWORD.get(problem.keyword),
    )
    for explanation in candidates:
        found = explanation(problem) if explanation is not None else None
        if found is not None:
            return found
    return [WRONG_TYPE.finding(f"{problem.described}: {problem.error.message}", problem.at())]


def _value_type_error(title: str, value: Any, location: Location, described: str) -> Diagnostic:
    shown = _shown(value)
    if title == "date":
        if isinstance(value, str) and _DATETIME.match(value):
            return INVALID_VALUE.finding(f"{described} must be a date, not a date and time {shown}", location,
                                   hint=f"write `{value[:10]}`")
        return INVALID_VALUE.finding(f"{described} must be a date written YYYY-MM-DD, not {shown}", location,
                               hint="e.g. `2027-03-31`")
    if title == "duration":
        hint = "write a number and a unit: `20min`, `4h`, `2d` or `3w`"
        # Minutes are `min`: `m` could be months to a reader, and a space or a long name is a near miss.
        in_minutes = (re.fullmatch(r"([0-9]{1,6}(?:\.[0-9]{1,6})?) ?(?:m|mins|minutes?|min)", value)
                      if isinstance(value, str) else None)
        if in_minutes:
            hint = f"minutes are written `{in_minutes.group(1)}min`"
        elif isinstance(value, str) and re.fullmatch(r"\d+:\d\d", value):
            hours, minutes = value.split(":")
            hint = f"write `{int(hours) + int(minutes) / 60:g}h` (YAML would read `{value}` as a clock time)"
        return INVALID_VALUE.finding(f"{described} must be a duration, not {shown}", location, hint=hint)
    return INVALID_VALUE.finding(f"{described} must be an amount of money, not {shown}", location,
        hint="write a number like `1250.50`, or `{amount: 1250.50, currency: EUR}`")
