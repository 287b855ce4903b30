"""The JSON Schemas in `schemas/`, compiled once per run, and their errors mapped
to rule codes with messages a person understands.

Which rule an error belongs to is written in the schema itself: a subschema's
`x-lbx-rule` (every error at or below it) or `x-lbx-keyword-rules` (per keyword);
the deepest mapping wins. A compiled validator (jsonschema-rs) answers "is this
row valid?" on the hot path; only rows that are not are explained by `jsonschema`.
Two kinds of row need no full validation: one `fastpath.is_clean` accepts (valid), and one
whose only fault is keys the shared schema does not know (`_only_unknown_keys`).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple

from . import fastpath
from .fastpath import is_clean as _is_clean
from .model import Path
from .row import MEDIA_TYPES


class SchemaIssue(NamedTuple):
    code: str
    path: Path  # relative to the row
    keyword: str
    message: str
    instance: Any
    detail: Any  # keyword argument: the missing key, the unknown key, the expected types...


def schema_dir() -> FsPath:
    """`schemas/` inside the installed package, or at the top of a source checkout."""
    packaged = FsPath(__file__).parent / "schemas"
    if packaged.is_dir():
        return packaged
    return FsPath(__file__).resolve().parent.parent / "schemas"


@lru_cache(maxsize=None)
def load(name: str) -> Dict[str, Any]:
    with open(schema_dir() / name, "rb") as f:
        return json.load(f)


def media_schema_name(media_type: str) -> str:
    return f"media/{media_type.lower()}.schema.json"


class _Compiled:
    """A schema with a fast yes/no check and an explaining one.

    jsonschema-rs does both when it is installed; the pure-Python `jsonschema` is
    imported only when it is needed (it costs ~60 ms of start-up, a lot for a
    pre-commit run on two files).
    """

    def __init__(self, schema: Dict[str, Any]):
        self.schema = schema
        self._explainer = None
        try:
            import jsonschema_rs

            compiled = jsonschema_rs.validator_for(schema)
        except Exception:  # not installed, or a construct it does not support
            self.is_valid = lambda instance: self.explainer.is_valid(instance)
            self.iter_errors = lambda instance: self.explainer.iter_errors(instance)
        else:
            fast = compiled.is_valid

            def is_valid(instance):
                try:
                    return fast(instance)
                except Exception:  # a value jsonschema-rs cannot take (the API accepts any object)
                    return self.explainer.is_valid(instance)

            self.is_valid = is_valid
            self.iter_errors = lambda instance: (_RsError(e, schema) for e in compiled.iter_errors(instance))

    @property
    def explainer(self):
        """The reference implementation (`jsonschema`), built on first use."""
        if self._explainer is None:
            import jsonschema

            self._explainer = jsonschema.Draft202012Validator(self.schema)
        return self._explainer


class _RsError:
    """A jsonschema-rs error seen through the attributes of a `jsonschema` one.

    Explaining a failing row with jsonschema-rs costs a few microseconds where the
    pure-Python validator costs a few hundred: it matters when every row fails.
    """

    __slots__ = ("validator", "absolute_schema_path", "absolute_path", "instance", "validator_value", "schema", "message")

    def __init__(self, error, root: Dict[str, Any]):
        path = list(error.schema_path)
        self.validator = path[-1] if path else ""
        self.absolute_schema_path = path
        self.absolute_path = list(error.instance_path)
        self.instance = error.instance
        self.message = error.message
        node: Any = root
        for step in path[:-1]:
            node = node[step]
        self.schema = node
        self.validator_value = node.get(self.validator) if isinstance(node, dict) else None


@lru_cache(maxsize=None)
def _compiled(name: str) -> _Compiled:
    return _Compiled(load(name))


def row_issues(row: Dict[str, Any], media_type: Optional[str], clean: Optional[bool] = None) -> List[SchemaIssue]:
    """Schema findings for a row: shared fields, then row_data against its media type.
    `clean`: fastpath.is_clean's verdict on the row, when the checker already has it."""
    if fastpath.ENABLED and (_is_clean(row) if clean is None else clean):
        # CLEAN_ROW is stricter than these schemas (tests/test_fastpath.py): a plain row needs
        # no validator, and a small file of them never imports jsonschema-rs (~10 ms of start-up)
        return []
    issues: List[SchemaIssue] = []
    shared = _compiled("row.schema.json")
    if not shared.is_valid(row):
        unknown = _only_unknown_keys("row.schema.json", row)
        issues.extend(unknown if unknown is not None else _explain(shared, row, ()))
    data = row.get("row_data")
    if media_type in MEDIA_TYPES and isinstance(data, (str, dict)) and data not in ("", {}):
        media = _compiled(media_schema_name(media_type))
        if not media.is_valid(data):
            issues.extend(_explain(media, data, ("row_data",), media_type))
    return issues


# Keywords that look at an object's keys without naming them: a schema with none of these
# beside its top-level `additionalProperties: false`, whose `required` and `properties` name
# only keys it knows, judges the known keys alone.
_SEES_ANY_KEY = frozenset({"additionalProperties", "patternProperties", "propertyNames", "minProperties", "maxProperties",
                           "unevaluatedProperties", "dependentRequired", "dependentSchemas", "$ref", "$dynamicRef"})
_SAME_PLACE = ("if", "then", "else", "not", "allOf", "anyOf", "oneOf")  # subschemas of the same instance


def _judges_known_keys_only(schema: Any, known: frozenset) -> bool:
    if not isinstance(schema, dict):
        return isinstance(schema, bool)
    if _SEES_ANY_KEY.intersection(schema):
        return False
    named = list(schema.get("required", ())) + list(schema.get("properties", {}))
    if any(key not in known for key in named):
        return False  # e.g. an `if` on an unknown key: leaving that key out could change the verdict
    subs = [schema[k] for k in _SAME_PLACE if k in schema]
    subs = [x for sub in subs for x in (sub if isinstance(sub, list) else [sub])]
    return all(_judges_known_keys_only(sub, known) for sub in subs)


@lru_cache(maxsize=None)
def _closed_object(name: str) -> Optional[Tuple[frozenset, str]]:
    """(its properties, the rule of an unknown key) when the schema `name` is an object schema with
    `additionalProperties: false` and otherwise judges the known keys alone; else None."""
    schema = load(name)
    if schema.get("additionalProperties") is not False or not isinstance(schema.get("properties"), dict):
        return None
    known = frozenset(schema["properties"])
    if not _judges_known_keys_only({k: v for k, v in schema.items() if k != "additionalProperties"}, known):
        return None
    return known, _code_for(schema, ["additionalProperties"], "additionalProperties")


def _only_unknown_keys(name: str, row: Dict[str, Any]) -> Optional[List[SchemaIssue]]:
    """The issues of a row the schema `name` rejects only for keys it does not know (the commonest
    fault: `mediaType`, `externalId`...), or None. What `_explain` gives for it, without jsonschema-rs's
    error objects (~7 us a call): the row less those keys is valid, so the one error is theirs."""
    closed = _closed_object(name)
    if closed is None or not isinstance(row, dict):
        return None
    known, code = closed
    extra = [k for k in row if k not in known]
    if not extra or not _compiled(name).is_valid({k: v for k, v in row.items() if k in known}):
        return None
    return [_unknown_key(code, (), key, row) for key in sorted(extra)]


def _explain(compiled: _Compiled, instance: Any, prefix: Path, media_type: Optional[str] = None) -> Iterator[SchemaIssue]:
    try:
        errors = list(compiled.iter_errors(instance))
    except Exception:  # values jsonschema-rs cannot take: the reference implementation can
        errors = list(compiled.explainer.iter_errors(instance))
    for error in errors:
        yield from _issues_for(error, compiled.schema, prefix, media_type)


def _issues_for(error, schema: Dict[str, Any], prefix: Path, media_type: Optional[str]) -> Iterator[SchemaIssue]:
    keyword = error.validator
    schema_path = list(error.absolute_schema_path)
    code = _code_for(schema, schema_path, keyword)
    path = prefix + tuple(error.absolute_path)
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(k for k in error.instance if k not in allowed):
            yield _unknown_key(code, path, key, error.instance)
        return
    if keyword == "required":
        missing = error.validator_value
        for key in missing:
            if key not in error.instance:
                yield SchemaIssue(code, path, keyword, f"{_where(path)} is missing '{key}'", error.instance, key)
        return
    expect = _expectation(schema, schema_path, media_type)
    yield SchemaIssue(code, path, keyword, _message(error, path, expect), error.instance, error.validator_value)


def _unknown_key(code: str, path: Path, key: str, instance: Dict[str, Any]) -> SchemaIssue:
    return SchemaIssue(code, path + (key,), "additionalProperties", f"unknown key '{key}'", instance[key], key)


def _code_for(schema: Dict[str, Any], schema_path: List[Any], keyword: str) -> str:
    code = "R004"
    node: Any = schema
    steps = schema_path[:-1]  # the last step is the failing keyword itself
    for depth in range(len(steps) + 1):
        if isinstance(node, dict):
            code = node.get("x-lbx-rule", code)
            if depth == len(steps):
                code = node.get("x-lbx-keyword-rules", {}).get(keyword, code)
        if depth < len(steps):
            try:
                node = node[steps[depth]]
            except (KeyError, IndexError, TypeError):
                break
    return code


def _expectation(schema: Dict[str, Any], schema_path: List[Any], media_type: Optional[str]) -> Optional[str]:
    if len(schema_path) <= 1 and media_type:
        return schema.get("x-lbx-expect")
    return None


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number", type(None): "null"}
_TYPE_WORDS = {"object": "an object", "array": "an array", "string": "a string", "number": "a number", "integer": "an integer", "boolean": "true or false", "null": "null"}


def json_type(value: Any) -> str:
    for t, word in _JSON_TYPES.items():
        if isinstance(value, t) and (t is not int or not isinstance(value, bool)):
            return word
    return f"a Python {type(value).__name__} (JSON has none)"  # the Python API's rows may hold anything


def _where(path: Path) -> str:
    if not path:
        return "the row"
    out = str(path[0])
    for p in path[1:]:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _message(error, path: Path, expect: Optional[str]) -> str:
    keyword = error.validator
    value = error.validator_value
    where = _where(path)
    if keyword == "type":
        kinds = [value] if isinstance(value, str) else list(value)
        wanted = expect or " or ".join(_TYPE_WORDS.get(k, k) for k in kinds if k != "null")
        return f"{where} must be {wanted}, not {json_type(error.instance)}"
    if keyword == "enum":
        return f"{where} is {_show(error.instance)}, which is not one of: {', '.join(map(str, value))}"
    if keyword == "const":
        return f"{where} must be {_show(value)}, not {_show(error.instance)}"
    if keyword in ("minItems", "maxItems"):
        n = len(error.instance)
        return f"{where} has {n} item{'s' if n != 1 else ''}; it must have {'at least' if keyword == 'minItems' else 'at most'} {value}"
    if keyword == "not":
        return f"{where} is empty"
    return f"{where}: {error.message}"


def _show(value: Any) -> str:
    # a value of the Python API may be no JSON at all (bytes, a set): named by its type
    text = json.dumps(value, ensure_ascii=True, default=lambda other: f"<{type(other).__name__}>")
    return text if len(text) <= 60 else text[:57] + "..."
