"""JSON as the platform accepts it: no duplicate keys, bounded nesting, numbers the database can hold
and text without NUL or unpaired surrogates. Anything else is refused before a handler sees it."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from itertools import accumulate
from typing import Any

from gateway.inputs.limits import BIGINT_MAX, BIGINT_MIN, MAX_JSON_DEPTH, refuse_bad_text

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_OPENING = frozenset(b"[{")
# A bigint has at most 19 digits; a longer literal is refused before int() reads it.
_MAX_INTEGER_DIGITS = 20


class JsonRefused(ValueError):
    """The body is not JSON the platform accepts; `code` is the stable problem code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def loads(raw: bytes) -> Any:
    """Parse a request body, refusing what the platform cannot store or would read ambiguously."""
    _check_depth(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonRefused("request.malformed", "the body is not UTF-8: send JSON encoded as UTF-8") from None
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as error:
        raise JsonRefused("request.malformed", f"the body is not valid JSON: {error.msg} at {error.pos}") from None
    _check_text(value)
    return value


def _check_depth(raw: bytes) -> None:
    # Measured on the raw text, outside strings, so a deep body never reaches the recursive parser.
    brackets = _BRACKET.findall(_STRING.sub(b"", raw))
    steps = (1 if bracket[0] in _OPENING else -1 for bracket in brackets)
    if max(accumulate(steps), default=0) > MAX_JSON_DEPTH:
        raise JsonRefused(
            "request.too_deep", f"the body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep"
        )


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        [(duplicate, _)] = Counter(key for key, _ in pairs).most_common(1)
        raise JsonRefused("request.duplicate_key", f"the key {duplicate!r} appears twice in one object: send it once")
    return value


def _integer(literal: str) -> int:
    if len(literal.lstrip("-")) > _MAX_INTEGER_DIGITS:
        raise _out_of_range(literal)
    value = int(literal)
    if not BIGINT_MIN <= value <= BIGINT_MAX:
        raise _out_of_range(literal)
    return value


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value) or not BIGINT_MIN <= value < BIGINT_MAX:
        raise _out_of_range(literal)
    return value


def _constant(literal: str) -> float:
    raise JsonRefused("request.malformed", f"{literal} is not a JSON number: send a finite number")


def _out_of_range(literal: str) -> JsonRefused:
    shown = literal if len(literal) <= 24 else f"{literal[:20]}… ({len(literal)} characters)"
    return JsonRefused(
        "request.number_out_of_range",
        f"the number {shown} is out of range: numbers lie between {BIGINT_MIN} and {BIGINT_MAX}",
    )


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        refuse_bad_text(value, JsonRefused)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_bad_text(key, JsonRefused)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)
