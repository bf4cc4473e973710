"""A column-wise pre-check of typed rows against a generated JSON Schema.

jsonschema checks one row at a time through a general interpreter, some 30 µs a row, which
dominates validation once tables have hundreds of thousands of rows. The row schemas that
``dprk_records.schemas`` generates use only a handful of keywords; :func:`compile_row_schema`
turns them into tests that run once per *distinct* value of a column, so the pre-check is one
linear pass of C-level set and map operations.

The pre-check only says which rows *may* fail. The `rows` check then runs jsonschema on exactly
those rows, so every finding (message, order) is still jsonschema's own. The pre-check never lets
a bad row through: each test is at least as strict as the keyword it stands for (an integer must
be an ``int``, not a whole float; enum members must match in type too), and a schema with any
keyword it does not know is not compiled at all, which sends every row to jsonschema.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

ValueTest = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default"})
_ROW_KEYWORDS = frozenset(
    {"$schema", "$id", "title", "description", "type", "properties", "required"}
    | {"additionalProperties"}
)
_JSON_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "integer": frozenset({int}),
    "number": frozenset({int, float}),
    "boolean": frozenset({bool}),
    "null": frozenset({type(None)}),
}
# Types whose values can be tested once per distinct value (hashable, compared by value).
_SCALARS = frozenset({str, int, float, bool, type(None)})
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_NUMBER = (int, float)


def _is_date(value: Any) -> bool:
    if type(value) is not str:
        return True  # format applies to strings only
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ColumnTest:
    """What one property demands of its values: their exact types (None: any) and tests."""

    types: frozenset[type] | None
    tests: tuple[ValueTest, ...]

    def passes(self, value: Any) -> bool:
        """Whether one value meets the property: its exact type first (``True`` and ``1.0`` are no
        integers here: stricter than jsonschema, never looser), then every keyword's test."""
        if self.types is not None and type(value) not in self.types:
            return False
        return all(test(value) for test in self.tests)

    def failing(self, values: Sequence[Any]) -> list[int]:
        """Indexes of the values that may fail (each distinct value is tested once)."""
        kinds = set(map(type, values))
        # in a set True, 1 and 1.0 are one value: such columns are tested value by value
        mergeable = kinds <= _SCALARS and len(kinds & {bool, int, float}) <= 1
        if not mergeable:
            return [index for index, value in enumerate(values) if not self.passes(value)]
        bad = {value for value in set(values) if not self.passes(value)}
        if not bad:
            return []
        return [index for index, value in enumerate(values) if value in bad]


def _bound(keyword: str, limit: Any) -> ValueTest | None:
    if type(limit) not in _NUMBER:
        return None
    compare: dict[str, Callable[[Any], bool]] = {
        "minimum": lambda v: v >= limit,
        "maximum": lambda v: v <= limit,
        "exclusiveMinimum": lambda v: v > limit,
        "exclusiveMaximum": lambda v: v < limit,
    }
    holds = compare[keyword]
    return lambda value: type(value) not in _NUMBER or holds(value)


def _length(keyword: str, limit: Any) -> ValueTest | None:
    if type(limit) is not int:
        return None
    if keyword == "minLength":
        return lambda value: type(value) is not str or len(value) >= limit
    return lambda value: type(value) is not str or len(value) <= limit


def _enum(members: Any) -> ValueTest | None:
    if not isinstance(members, list) or any(type(m) not in _SCALARS for m in members):
        return None
    typed = frozenset((type(m), m) for m in members)
    return lambda value: type(value) in _SCALARS and (type(value), value) in typed


def _pattern(pattern: Any) -> ValueTest | None:
    if not isinstance(pattern, str):
        return None
    try:
        search = re.compile(pattern).search
    except re.error:
        return None
    return lambda value: type(value) is not str or search(value) is not None


def compile_property(schema: Any) -> ColumnTest | None:
    """The test of one property's subschema, or None when it uses a keyword not handled here."""
    if not isinstance(schema, dict):
        return None
    types: frozenset[type] | None = None
    tests: list[ValueTest] = []
    for keyword, argument in schema.items():
        test: ValueTest | None
        if keyword in _ANNOTATIONS:
            continue
        if keyword == "type":
            names = [argument] if isinstance(argument, str) else argument
            if not isinstance(names, list) or any(name not in _JSON_TYPES for name in names):
                return None
            allowed = frozenset().union(*(_JSON_TYPES[name] for name in names))
            types = allowed if types is None else types & allowed
            continue
        if keyword == "allOf":
            if not isinstance(argument, list):
                return None
            for part in argument:
                compiled = compile_property(part)
                if compiled is None:
                    return None
                if compiled.types is not None:
                    types = compiled.types if types is None else types & compiled.types
                tests.extend(compiled.tests)
            continue
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            test = _bound(keyword, argument)
        elif keyword in ("minLength", "maxLength"):
            test = _length(keyword, argument)
        elif keyword == "enum":
            test = _enum(argument)
        elif keyword == "pattern":
            test = _pattern(argument)
        elif keyword == "format" and argument == "date":
            test = _is_date
        else:
            return None
        if test is None:
            return None
        tests.append(test)
    return ColumnTest(types, tuple(tests))


@dataclass(frozen=True)
class RowTest:
    """A compiled row schema: the exact key set of a row and one test per property."""

    keys: frozenset[str]
    required: frozenset[str]
    closed: bool  # additionalProperties: false
    columns: dict[str, ColumnTest]

    def suspects(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """0-based indexes of the rows that may not validate, in order."""
        bad: set[int] = set()
        for index, row in enumerate(rows):
            keys = row.keys()
            if self.closed and self.required == self.keys:
                if keys != self.keys:
                    bad.add(index)
            elif not self.required <= keys or (self.closed and not keys <= self.keys):
                bad.add(index)
        for name, test in self.columns.items():
            bad.update(test.failing([row.get(name) for row in rows]))
        return sorted(bad)


def compile_row_schema(schema: Any) -> RowTest | None:
    """The pre-check of a row schema, or None when the schema is not one this module handles."""
    if not isinstance(schema, dict) or not set(schema) <= _ROW_KEYWORDS:
        return None
    properties, required = schema.get("properties", {}), schema.get("required", [])
    extra = schema.get("additionalProperties", True)
    if schema.get("type") != "object" or not isinstance(properties, dict):
        return None
    if extra is not True and extra is not False:  # a schema for extra keys: not handled here
        return None
    if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
        return None
    columns = {}
    for name, subschema in properties.items():
        compiled = compile_property(subschema)
        if compiled is None:
            return None
        columns[name] = compiled
    return RowTest(frozenset(properties), frozenset(required), extra is False, columns)
