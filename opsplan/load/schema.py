"""Shape validation against the JSON Schemas in ``schemas/``, with every error mapped back to
the key or value it is about, and to a rule code a person can look up."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from opsplan.diagnostics import Diagnostic, Location, did_you_mean, registry
from opsplan.load.source import MAX_DECIMAL_PLACES, ROOT_FILE, Document, OutOfRange, locate

SCHEMA_BASE = "https://opsplan.dev/schemas/"
SCHEMA_FILES = ("plan.schema.json", "opsplan.schema.json", "compiled.schema.json", "report.schema.json")
KINDS = ("departments", "processes", "budgets", "goals", "programs")
_SINGULAR = {"departments": "department", "processes": "process", "budgets": "budget",
             "goals": "goal", "programs": "program"}
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


def validate_document(document: Document) -> tuple[list[Diagnostic], set[tuple[str | int, ...]]]:
    """Check one file's shape. Returns the findings and the paths they concern inside entities
    (kind, id, then the field), so that the model is built with only the bad fields dropped."""
    is_root = document.file == ROOT_FILE
    name = "opsplan.schema.json" if is_root else "plan.schema.json"
    fast = _fast_check(name)
    if fast is not None and fast(document.root):
        return [], set()
    validator = _validator(name)
    instance = document.root
    diagnostics: list[Diagnostic] = []
    invalid: set[tuple[str | int, ...]] = set()
    seen_required: set[tuple[Any, ...]] = set()
    for error in validator.iter_errors(instance):
        path = tuple(error.absolute_path)
        if len(path) >= 2 and path[0] in KINDS:
            invalid.add(path)
        elif len(path) == 1 and path[0] in KINDS and "propertyNames" in error.relative_schema_path:
            invalid.add((str(path[0]), str(error.instance)))
        diagnostics.extend(_explain(document, error, path, is_root, seen_required))
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


def _explain(
    document: Document, error: Any, path: tuple[Any, ...], is_root: bool,
    seen_required: set[tuple[Any, ...]],
) -> Iterator[Diagnostic]:
    file, root = document.file, document.root
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title")

    def at(location_path: tuple[Any, ...], key: bool = False) -> Location:
        return locate(file, root, location_path, key=key)

    if keyword == "additionalProperties":
        instance = error.instance if isinstance(error.instance, dict) else {}
        known = list(schema.get("properties", {}))
        for extra in instance:
            if extra in known or str(extra).startswith("x-"):
                continue
            hint = did_you_mean(str(extra), known) or (
                f"known fields: {', '.join(known)}; prefix your own fields with `x-`" if known else None)
            if not path:
                yield Diagnostic.make(
                    "OPS005",
                    f"unknown top-level key `{extra}`: a plan file maps kinds "
                    f"({', '.join(KINDS)}) to entities"
                    + ("" if is_root else "; settings belong in opsplan.yaml"
                       if extra in ("organization", "horizon", "fx", "rules", "exclude", "opsplan", "report", "profiles") else ""),
                    at((extra,), key=True), hint=hint)
            else:
                yield Diagnostic.make("OPS102", f"unknown field `{extra}`{_where(path)}",
                                      at((*path, extra), key=True), hint=hint)
        return

    if keyword in ("required", "dependentRequired"):
        if path in seen_required:
            return
        seen_required.add(path)
        instance = error.instance if isinstance(error.instance, dict) else {}
        if keyword == "required":
            missing = [name for name in error.validator_value if name not in instance]
            needed_by = ""
        else:
            missing, needed_by = [], ""
            for trigger, names in error.validator_value.items():
                if trigger in instance:
                    missing += [name for name in names if name not in instance]
                    needed_by = f" (needed with `{trigger}`)"
        for name in missing:
            if is_root and not path and name == "opsplan":
                yield Diagnostic.make("OPS006", "opsplan.yaml does not give the format version",
                                      Location(file, 1, 1), hint="add `opsplan: 1` at the top")
                continue
            yield Diagnostic.make(
                "OPS101", f"missing required field `{name}`{needed_by}{_where(path)}",
                at(path, key=bool(path)), hint=f"add `{name}:`")
        return

    if keyword == "const" and is_root and path == ("opsplan",):
        yield Diagnostic.make(
            "OPS006", f"unsupported plan format version {_shown(error.instance)}; this opsplan reads version 1",
            at(path), hint="write `opsplan: 1`, or upgrade opsplan")
        return

    in_property_names = "propertyNames" in error.relative_schema_path
    if in_property_names:
        key = str(error.instance)
        if title == "id":
            reason = "ids are lower-case slugs of letters, digits and single dashes, starting with a letter (at most 64 characters)"
            suggestion = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
            yield Diagnostic.make(
                "OPS104", f"invalid id `{key}`{_where(path)}: {reason}", at((*path, key), key=True),
                hint=f"write `{suggestion}`" if suggestion and re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", suggestion) else None)
        elif path == ("rules",):
            yield Diagnostic.make("OPS103", f"unknown rule `{key}` in `rules`", at((*path, key), key=True),
                                  hint=did_you_mean(key, list(registry())) or "see `opsplan explain --list`")
        else:
            yield Diagnostic.make("OPS103", f"`{key}` is not allowed as a key{_where(path)}",
                                  at((*path, key), key=True), hint=schema.get("description"))
        return

    value = error.instance
    if isinstance(value, OutOfRange) and (keyword == "type" or title in ("money", "rate")):
        yield Diagnostic.make(
            "OPS105", f"{_describe(path)} is out of range: {_shown(value)}", at(path),
            hint=f"numbers in a plan are at most 10^15 in size, with at most {MAX_DECIMAL_PLACES} decimal places")
        return
    if title == "rate":
        yield Diagnostic.make(
            "OPS103", f"{_describe(path)} must be a positive number, not {_shown(value)}", at(path),
            hint="write how much one unit of the currency is worth in the plan currency, e.g. `1.08` or `\"1.08\"`")
        return
    if title in ("money", "date", "duration"):
        yield _value_type_error(title, value, at(path), _describe(path))
        return
    if title == "reference" and keyword == "type":
        yield Diagnostic.make("OPS103", f"{_describe(path)} must be an id, not {_shown(value)}", at(path))
        return
    if keyword == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names if name != "null") or "empty"
        yield Diagnostic.make("OPS103", f"{_describe(path)} must be {wanted}, not {_shown(value)}", at(path),
                              hint="quote it to make it text" if "string" in names else None)
        return
    if keyword == "enum":
        allowed = [str(option) for option in error.validator_value]
        yield Diagnostic.make(
            "OPS103", f"{_describe(path)} must be one of {', '.join(allowed)}, not {_shown(value)}", at(path),
            hint=did_you_mean(str(value), allowed))
        return
    if keyword == "pattern" and title in ("slug", "id"):
        yield Diagnostic.make(
            "OPS103", f"{_describe(path)} must be a lower-case slug (like `peak-season`), not {_shown(value)}",
            at(path))
        return
    if keyword == "oneOf" and path and path[-1] == "parent":
        yield Diagnostic.make("OPS103", f"{_describe(path)} must be an id or empty, not {_shown(value)}", at(path))
        return
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                 "exclusiveMaximum": "less than"}[keyword]
        yield Diagnostic.make("OPS103", f"{_describe(path)} must be {bound} {error.validator_value}, not {_shown(value)}",
                              at(path))
        return
    if keyword == "uniqueItems":
        yield Diagnostic.make("OPS103", f"{_describe(path)} lists an item twice", at(path))
        return
    if keyword == "pattern" and path and path[-1] == "currency":
        yield Diagnostic.make("OPS103", f"{_describe(path)} must be an ISO 4217 code like USD, not {_shown(value)}",
                              at(path))
        return
    yield Diagnostic.make("OPS103", f"{_describe(path)}: {error.message}", at(path))


def _value_type_error(title: str, value: Any, location: Location, described: str) -> Diagnostic:
    shown = _shown(value)
    if title == "date":
        if isinstance(value, str) and _DATETIME.match(value):
            return Diagnostic.make("OPS105", f"{described} must be a date, not a date and time {shown}", location,
                                   hint=f"write `{value[:10]}`")
        return Diagnostic.make("OPS105", f"{described} must be a date written YYYY-MM-DD, not {shown}", location,
                               hint="e.g. `2027-03-31`")
    if title == "duration":
        hint = "write a number and a unit: `4h`, `2d` or `3w`"
        # The format has no minutes (cycle times and SLAs are planned in hours at the finest).
        in_minutes = (re.fullmatch(r"([0-9]{1,6}(?:\.[0-9]{1,6})?) ?(?:m|min|mins|minutes?)", value)
                      if isinstance(value, str) else None)
        if in_minutes:
            as_hours = (Decimal(in_minutes.group(1)) / 60).quantize(Decimal("0.01")).normalize()
            hint = (f"durations are in hours, days or weeks: write `{as_hours:f}h` "
                    f"for {in_minutes.group(1)} minutes")
        elif isinstance(value, str) and re.fullmatch(r"\d+:\d\d", value):
            hours, minutes = value.split(":")
            hint = f"write `{int(hours) + int(minutes) / 60:g}h` (YAML would read `{value}` as a clock time)"
        return Diagnostic.make("OPS105", f"{described} must be a duration, not {shown}", location, hint=hint)
    return Diagnostic.make(
        "OPS105", f"{described} must be an amount of money, not {shown}", location,
        hint="write a number like `1250.50`, or `{amount: 1250.50, currency: EUR}`")
