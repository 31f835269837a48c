"""A fast yes/no validator compiled from the same JSON Schemas jsonschema reads.

jsonschema builds a validator object per subschema per value; on a plan of ten thousand
processes that is most of `opsplan check`'s time. Here each subschema becomes one Python closure,
once per run, that only answers "valid?". A document it accepts needs nothing more; a document it
rejects goes to jsonschema, which explains every error, so messages and locations come from one
place. The schemas stay the single source of truth; a keyword this compiler does not know makes
it refuse to compile (:class:`Unsupported`), and the caller then uses jsonschema alone.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from functools import cache
from typing import Any

Check = Callable[[Any], bool]

# Keywords that only annotate: they never make a value invalid.
_ANNOTATIONS = frozenset({"title", "description", "default", "$comment", "$schema", "$id", "$defs",
                          "examples", "deprecated", "readOnly", "writeOnly", "format"})


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": _is_number,
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


@cache
def whole_value_pattern(pattern: str) -> re.Pattern[str]:
    """A schema's regular expression with JSON Schema's (ECMA-262) meaning of ``$``: the end of
    the text. Python's ``$`` also matches before a final newline, so `"picking\\n"` would pass
    as an id; ``$`` outside a character class becomes ``\\Z``. The schemas keep ``$`` so that
    editors, which use ECMA-262 regular expressions, read them the same way."""
    translated: list[str] = []
    escaped = in_class = False
    for character in pattern:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "[":
            in_class = True
        elif character == "]":
            in_class = False
        elif character == "$" and not in_class:
            character = "\\Z"
        translated.append(character)
    return re.compile("".join(translated))


def _equal(one: Any, other: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0."""
    if isinstance(one, bool) or isinstance(other, bool):
        return type(one) is type(other) and one == other
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(_equal(one[k], other[k]) for k in one)
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(_equal(a, b) for a, b in zip(one, other, strict=True))
    return bool(one == other)


class SchemaCompiler:
    """Compiles schemas into checks; ``load`` gives a schema document by file name, for `$ref`."""

    def __init__(self, load: Callable[[str], dict[str, Any]]) -> None:
        self._load = load
        self._compiled: dict[tuple[str, str], Check] = {}

    def compile(self, file: str) -> Check:
        return self._reference(file, "")

    def compile_part(self, file: str, pointer: str) -> Check:
        """The check of one part of a schema document, e.g. ``/$defs/process``."""
        return self._reference(file, pointer)

    def _reference(self, file: str, pointer: str) -> Check:
        key = (file, pointer)
        if key in self._compiled:
            return self._compiled[key]
        slot: list[Check] = []
        # A placeholder first, so a schema that refers to itself compiles.
        self._compiled[key] = lambda value: slot[0](value)
        node: Any = self._load(file)
        for part in (p for p in pointer.split("/") if p):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        check = self._schema(node, file)
        slot.append(check)
        self._compiled[key] = check
        return check

    def _schema(self, schema: Any, file: str) -> Check:
        if schema is True or schema == {}:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        unknown = set(schema) - _ANNOTATIONS - set(_KEYWORDS)
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        checks: list[Check] = []
        if "type" in schema:
            checks.append(self._type(schema["type"]))
        if "$ref" in schema:
            target, _, pointer = schema["$ref"].partition("#")
            checks.append(self._reference(target or file, pointer))
        if {"properties", "patternProperties", "additionalProperties"} & schema.keys():
            checks.append(self._properties(schema, file))
        for keyword in ("required", "propertyNames", "dependentRequired", "items", "uniqueItems", "enum",
                        "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
                        "exclusiveMinimum", "exclusiveMaximum", "oneOf", "anyOf", "allOf", "not"):
            if keyword in schema:
                checks.append(_KEYWORDS[keyword](self, schema[keyword], file))
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    @staticmethod
    def _type(expected: str | list[str]) -> Check:
        if isinstance(expected, str):
            return _TYPES[expected]
        options = [_TYPES[name] for name in expected]
        return lambda value: any(option(value) for option in options)

    def _properties(self, schema: dict[str, Any], file: str) -> Check:
        named = {name: self._schema(sub, file) for name, sub in schema.get("properties", {}).items()}
        patterns = [(whole_value_pattern(p), self._schema(sub, file)) for p, sub in schema.get("patternProperties", {}).items()]
        additional = schema.get("additionalProperties", True)
        other: Check | None = None if additional is True or additional == {} else self._schema(additional, file)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                matched = False
                sub = named.get(key)
                if sub is not None:
                    if not sub(item):
                        return False
                    matched = True
                for pattern, pattern_check in patterns:
                    if pattern.search(key):
                        if not pattern_check(item):
                            return False
                        matched = True
                if not matched and other is not None and not other(item):
                    return False
            return True

        return check

    def _required(self, names: list[str], file: str) -> Check:
        return lambda value: not isinstance(value, dict) or all(name in value for name in names)

    def _property_names(self, schema: Any, file: str) -> Check:
        sub = self._schema(schema, file)
        return lambda value: not isinstance(value, dict) or all(sub(key) for key in value)

    def _dependent_required(self, dependencies: dict[str, list[str]], file: str) -> Check:
        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(name in value for trigger, names in dependencies.items() if trigger in value
                       for name in names)

        return check

    def _items(self, schema: Any, file: str) -> Check:
        sub = self._schema(schema, file)
        return lambda value: not isinstance(value, list) or all(sub(item) for item in value)

    def _unique_items(self, unique: bool, file: str) -> Check:
        if not unique:
            return lambda value: True

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if all(isinstance(item, str) for item in value):
                return len(set(value)) == len(value)
            return all(not _equal(a, b) for index, a in enumerate(value) for b in value[index + 1:])

        return check

    def _enum(self, options: list[Any], file: str) -> Check:
        if all(isinstance(option, str) for option in options):
            allowed = frozenset(options)
            return lambda value: isinstance(value, str) and value in allowed
        return lambda value: any(_equal(value, option) for option in options)

    def _const(self, constant: Any, file: str) -> Check:
        return lambda value: _equal(value, constant)

    def _pattern(self, pattern: str, file: str) -> Check:
        search = whole_value_pattern(pattern).search
        return lambda value: not isinstance(value, str) or search(value) is not None

    def _min_length(self, limit: int, file: str) -> Check:
        return lambda value: not isinstance(value, str) or len(value) >= limit

    def _max_length(self, limit: int, file: str) -> Check:
        return lambda value: not isinstance(value, str) or len(value) <= limit

    def _minimum(self, limit: Any, file: str) -> Check:
        return lambda value: not _is_number(value) or value >= limit

    def _maximum(self, limit: Any, file: str) -> Check:
        return lambda value: not _is_number(value) or value <= limit

    def _exclusive_minimum(self, limit: Any, file: str) -> Check:
        return lambda value: not _is_number(value) or value > limit

    def _exclusive_maximum(self, limit: Any, file: str) -> Check:
        return lambda value: not _is_number(value) or value < limit

    def _one_of(self, schemas: list[Any], file: str) -> Check:
        subs = [self._schema(sub, file) for sub in schemas]
        return lambda value: sum(1 for sub in subs if sub(value)) == 1

    def _any_of(self, schemas: list[Any], file: str) -> Check:
        subs = [self._schema(sub, file) for sub in schemas]
        return lambda value: any(sub(value) for sub in subs)

    def _all_of(self, schemas: list[Any], file: str) -> Check:
        subs = [self._schema(sub, file) for sub in schemas]
        return lambda value: all(sub(value) for sub in subs)

    def _not(self, schema: Any, file: str) -> Check:
        sub = self._schema(schema, file)
        return lambda value: not sub(value)


# Keywords handled through _properties / $ref / type are listed so they count as known.
_KEYWORDS: dict[str, Callable[[SchemaCompiler, Any, str], Check]] = {
    "type": lambda compiler, value, file: SchemaCompiler._type(value),
    "$ref": lambda compiler, value, file: (lambda _: True),
    "properties": lambda compiler, value, file: (lambda _: True),
    "patternProperties": lambda compiler, value, file: (lambda _: True),
    "additionalProperties": lambda compiler, value, file: (lambda _: True),
    "required": SchemaCompiler._required,
    "propertyNames": SchemaCompiler._property_names,
    "dependentRequired": SchemaCompiler._dependent_required,
    "items": SchemaCompiler._items,
    "uniqueItems": SchemaCompiler._unique_items,
    "enum": SchemaCompiler._enum,
    "const": SchemaCompiler._const,
    "pattern": SchemaCompiler._pattern,
    "minLength": SchemaCompiler._min_length,
    "maxLength": SchemaCompiler._max_length,
    "minimum": SchemaCompiler._minimum,
    "maximum": SchemaCompiler._maximum,
    "exclusiveMinimum": SchemaCompiler._exclusive_minimum,
    "exclusiveMaximum": SchemaCompiler._exclusive_maximum,
    "oneOf": SchemaCompiler._one_of,
    "anyOf": SchemaCompiler._any_of,
    "allOf": SchemaCompiler._all_of,
    "not": SchemaCompiler._not,
}
