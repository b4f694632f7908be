"""The bounds every request is held to: what PostgreSQL can store and what the registry's domain allows."""

from __future__ import annotations

import re

# PostgreSQL bigint: every integer column of the platform.
BIGINT_MAX = 2**63 - 1
BIGINT_MIN = -(2**63)
# Deeper JSON than this is refused before the recursive parser reads it.
MAX_JSON_DEPTH = 64
# Longest request line gunicorn reads (its own ceiling); the gateway refuses longer URLs than
# MAX_URL_CHARS first, so a client gets the platform's 414 problem rather than the server's page.
MAX_REQUEST_LINE = 8190
MAX_URL_CHARS = 8000
# Years of the registry's calendar: vintages, years of use and report years. 1990 is the UNFCCC base
# year; 2200 leaves room for any NDC period while keeping `year + 1` a valid date.
YEAR_MIN = 1990
YEAR_MAX = 2200
# A list never pages past this; the offset of the last page stays far inside bigint.
PAGE_MAX = 1_000_000

# NUL cannot be stored in PostgreSQL text; an unpaired surrogate cannot be encoded as UTF-8.
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_ASCII_DIGITS = re.compile("[0-9]{1,19}")


def refuse_bad_text(text: str, error: type[Exception]) -> None:
    """Raise error(code, detail) when `text` holds a character no text field may hold."""
    found = _BAD_TEXT.search(text)
    if found is not None:
        character = f"U+{ord(found.group()):04X}"
        raise error("request.invalid_text", f"text may not contain {character} (NUL or an unpaired surrogate)")


def whole_number(text: str, maximum: int = BIGINT_MAX) -> int | None:
    """`text` as a whole number from 0 to `maximum`, or None: only ASCII digits, never more than bigint
    holds (str.isdigit() also accepts digits int() refuses, such as superscripts)."""
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None
