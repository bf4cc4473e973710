"""A compiled yes/no test of a JSON document against a JSON Schema, for the common case.

jsonschema walks a document through a general interpreter (a validator object per node, every
``$ref`` resolved anew), some 80 µs a node: the Popolo export of 10 000 documents took it most of
a minute. Nearly every package is valid, so the gate first asks a cheaper question, *is the
document valid at all?*, with tests compiled once per (sub)schema into plain closures.

Only the answer "valid" is trusted: when :func:`compile_schema` says a document fails, or cannot
compile the schema (a keyword it does not know), the caller runs jsonschema itself, so every
finding is still jsonschema's own message, in its order. Each compiled test is therefore at least
as strict as the keyword it stands for, never looser (an ``integer`` must be an ``int``, not a
whole float; ``enum`` members must match in type too); being stricter only costs the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Test = Callable[[Any], bool]

# Keywords that never make a document invalid. ``format`` is one too when the validator the
# caller falls back to has no format checker (jsonschema's default), else it is not handled.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "definitions", "title", "description"}
    | {"examples", "default", "deprecated", "readOnly", "writeOnly"}
)
_NUMBER = frozenset({int, float})
# The exact types of parsed JSON. A keyword that applies to one kind (pattern to strings...)
# passes values of the other kinds only when their type is one of these: any other (a str or
# dict subclass, a Decimal) fails the quick test and goes to jsonschema.
_JSON = frozenset({dict, list, str, int, float, bool, type(None)})
_SCALARS = frozenset({str, int, float, bool, type(None)})
_TYPES: dict[str, Test] = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in _NUMBER,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
}
_TYPE_SETS: dict[str, frozenset[type]] = {
    "object": frozenset({dict}),
    "array": frozenset({list}),
    "string": frozenset({str}),
    "integer": frozenset({int}),
    "number": frozenset({int, float}),
    "boolean": frozenset({bool}),
    "null": frozenset({type(None)}),
}


class Unsupported(Exception):
    """The schema uses something this module does not compile (the caller uses jsonschema)."""


class _Compiler:
    """Compiles one root schema; each ``$ref`` target is compiled once (recursion allowed)."""

    def __init__(self, root: Any, format_asserts: bool) -> None:
        self.root = root
        self.format_asserts = format_asserts
        self.refs: dict[str, Test] = {}

    def ref(self, pointer: Any) -> Test:
        if not isinstance(pointer, str) or not pointer.startswith("#") or "%" in pointer:
            raise Unsupported(f"$ref {pointer!r}")
        if pointer not in self.refs:
            slot: list[Test] = []
            self.refs[pointer] = lambda value: slot[0](value)  # until compiled (recursive refs)
            slot.append(self.schema(self._resolve(pointer)))
            self.refs[pointer] = slot[0]
        return self.refs[pointer]

    def _resolve(self, pointer: str) -> Any:
        target = self.root
        for part in pointer[1:].split("/")[1:] if pointer != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise Unsupported(f"$ref {pointer!r} does not resolve")
            target = target[part]
        return target

    def schema(self, schema: Any) -> Test:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        if "$id" in schema and schema is not self.root:
            raise Unsupported("$id below the root changes what a $ref resolves to")
        tests: list[Test] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or (keyword == "format" and not self.format_asserts):
                continue
            if keyword in ("properties", "additionalProperties") or keyword == "required":
                continue  # compiled together below
            tests.append(self._keyword(keyword, argument))
        if {"properties", "additionalProperties", "required"} & schema.keys():
            tests.append(self._object(schema))
        if not tests:
            return lambda value: True
        if len(tests) == 1:
            return tests[0]
        return lambda value: all(test(value) for test in tests)

    def _keyword(self, keyword: str, argument: Any) -> Test:
        if keyword == "type":
            names = [argument] if isinstance(argument, str) else argument
            if not isinstance(names, list) or any(n not in _TYPE_SETS for n in names):
                raise Unsupported(f"type {argument!r}")
            if len(names) == 1:
                return _TYPES[names[0]]
            kinds = frozenset().union(*(_TYPE_SETS[n] for n in names))
            return lambda value: type(value) in kinds
        if keyword == "$ref":
            return self.ref(argument)
        if keyword == "items":
            item = self.schema(argument)
            return lambda value: all(map(item, value)) if type(value) is list else _other(value)
        if keyword in ("minItems", "maxItems", "minLength", "maxLength"):
            return _size(keyword, argument)
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            return _bound(keyword, argument)
        if keyword == "pattern":
            if not isinstance(argument, str):
                raise Unsupported(f"pattern {argument!r}")
            try:
                search = re.compile(argument).search
            except re.error as exc:
                raise Unsupported(f"pattern {argument!r}: {exc}") from None
            return lambda value: search(value) is not None if type(value) is str else _other(value)
        if keyword in ("enum", "const"):
            members = argument if keyword == "enum" else [argument]
            if not isinstance(members, list) or any(type(m) not in _SCALARS for m in members):
                raise Unsupported(f"{keyword} {argument!r}")
            typed = frozenset((type(m), m) for m in members)
            return lambda value: type(value) in _SCALARS and (type(value), value) in typed
        raise Unsupported(f"keyword {keyword!r}")

    def _object(self, schema: dict[str, Any]) -> Test:
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        extra = schema.get("additionalProperties", True)
        if not isinstance(properties, dict) or not isinstance(required, list):
            raise Unsupported("properties or required")
        if not all(isinstance(key, str) for key in required):
            raise Unsupported("required")
        needed = frozenset(required)
        known = frozenset(properties)
        compiled = {name: self.schema(sub) for name, sub in properties.items()}
        rest = None if extra is True else self.schema(extra)
        closed = extra is False

        def test(value: Any) -> bool:
            if type(value) is not dict:
                return _other(value)  # these keywords apply to objects only
            keys = value.keys()
            if not needed <= keys or (closed and not keys <= known):
                return False
            for key, item in value.items():
                check = compiled.get(key)
                if check is not None:
                    if not check(item):
                        return False
                elif rest is not None and not rest(item):
                    return False
            return True

        return test


def _size(keyword: str, limit: Any) -> Test:
    if type(limit) is not int:
        raise Unsupported(f"{keyword} {limit!r}")
    kind = list if keyword.endswith("Items") else str
    if keyword.startswith("min"):
        return lambda value: len(value) >= limit if type(value) is kind else _other(value)
    return lambda value: len(value) <= limit if type(value) is kind else _other(value)


def _bound(keyword: str, limit: Any) -> Test:
    if type(limit) not in _NUMBER:
        raise Unsupported(f"{keyword} {limit!r}")
    holds: Test = {
        "minimum": lambda v: v >= limit,
        "maximum": lambda v: v <= limit,
        "exclusiveMinimum": lambda v: v > limit,
        "exclusiveMaximum": lambda v: v < limit,
    }[keyword]
    return lambda value: holds(value) if type(value) in _NUMBER else _other(value)


def _other(value: Any) -> bool:
    """Whether a value a keyword does not apply to passes it: only a plain JSON value does."""
    return type(value) in _JSON


def compile_schema(schema: Any, format_asserts: bool = False) -> Test | None:
    """A test that is True only for documents ``schema`` accepts, or None when the schema uses
    something not compiled here. ``format_asserts``: whether the jsonschema validator the caller
    falls back to checks ``format`` (then a schema with ``format`` is not compiled)."""
    try:
        return _Compiler(schema, format_asserts).schema(schema)
    except Unsupported:
        return None
