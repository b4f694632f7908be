"""CAD Trust stores dates in timestamp columns: `"2023-01-01"` sent is read back as `"2023-01-01T00:00:00.000Z"`.

What the node holds is read back through `as_sent`, so a date compares as the date the registry sent.
"""

from __future__ import annotations

import re
from typing import Any

MIDNIGHT_UTC = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(?:Z|\+00:00)$")


def as_sent(value: Any) -> Any:
    """A node's row (or list of rows) with every midnight-UTC timestamp as the ISO date it stands for."""
    if isinstance(value, str):
        match = MIDNIGHT_UTC.match(value)
        return match.group(1) if match else value
    if isinstance(value, dict):
        return {key: as_sent(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_sent(item) for item in value]
    return value
