"""Strict field access for protocol objects parsed from JSON.

Protocol objects have exactly the fields the spec lists: a missing field, an unknown
field or a wrong type is an error, so that no byte of a signed object goes unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from accord.core.encoding import MAX_SAFE_INTEGER
from accord.core.errors import SchemaError

CONFERENCE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
STATE_CODE = re.compile(r"^[A-Z]{2,8}$")
CHANNEL_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MAX_NAME = 200
# The allowed forms of identifiers, in words (what a refusal tells the person who typed one).
_IDENTIFIER = "lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
FORMS = {
    r"^[a-z0-9][a-z0-9._-]{0,63}$": f"1 to 64 {_IDENTIFIER}",
    r"^[a-z0-9][a-z0-9._-]{0,31}$": f"1 to 32 {_IDENTIFIER}",
    r"^[A-Z]{2,8}$": "2 to 8 capital letters",
}
MAX_REASON = 2000


def obj(
    value: Any, what: str, required: Collection[str], optional: Collection[str] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SchemaError(f"{what} must be a JSON object")
    missing = [k for k in required if k not in value]
    if missing:
        raise SchemaError(f"{what} lacks field {missing[0]!r}")
    unknown = sorted(k for k in value if k not in required and k not in optional)
    if unknown:
        raise SchemaError(f"{what} has unknown field {unknown[0]!r}")
    return value


def text(
    value: Any, what: str, max_len: int = MAX_NAME, pattern: re.Pattern[str] | None = None
) -> str:
    if not isinstance(value, str):
        raise SchemaError(f"{what} must be text")
    if len(value) > max_len:
        raise SchemaError(f"{what} is longer than {max_len} characters")
    if pattern is not None and not pattern.fullmatch(value):
        form = FORMS.get(pattern.pattern)
        raise SchemaError(
            f"{what} {value!r} is not of the allowed form" + (f" ({form})" if form else "")
        )
    if pattern is None and not value.strip():
        raise SchemaError(f"{what} is empty")
    return value


def integer(value: Any, what: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SchemaError(f"{what} must be an integer")
    if value < minimum:
        raise SchemaError(f"{what} must be at least {minimum}")
    if value > MAX_SAFE_INTEGER:
        raise SchemaError(f"{what} is larger than 2^53-1")
    return value


def version(value: dict[str, Any], what: str) -> None:
    # `type(...) is int`: JSON true must not pass for 1 (Python's True == 1).
    if type(value.get("v")) is not int or value.get("v") != 1:
        raise SchemaError(f"{what} has version {value.get('v')!r}; this implementation reads 1")


def choice(value: Any, what: str, allowed: Collection[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise SchemaError(f"{what} must be one of {', '.join(sorted(allowed))}")
    return value


def string_list(
    value: Any, what: str, pattern: re.Pattern[str], max_items: int = 64
) -> tuple[str, ...]:
    """A non-empty, sorted list of distinct strings (sorted so that it has one form)."""
    if not isinstance(value, list) or not value:
        raise SchemaError(f"{what} must be a non-empty list")
    if len(value) > max_items:
        raise SchemaError(f"{what} has more than {max_items} items")
    items = tuple(text(v, what, pattern=pattern) for v in value)
    if list(items) != sorted(set(items)):
        raise SchemaError(f"{what} must be sorted and without repeats")
    return items
