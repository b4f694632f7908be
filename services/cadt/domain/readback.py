"""What the node holds, read back and compared with what was meant: a record is published only when they agree.

A project is compared on the fields the registry sends. Child rows are compared as sets of contents on the
fields sent (the node adds ids and bookkeeping, and copies an issuance for every split part that lands);
absent and empty values are the same; dates arrive as dates (`dates.as_sent`).
"""

from __future__ import annotations

import json
from typing import Any

NODE_IDS = ("warehouseProjectId", "warehouseUnitId", "id")


def _value(value: Any) -> Any:
    return "" if value is None else value


def _rows(rows: list[dict[str, Any]], keys: set[str]) -> set[str]:
    return {json.dumps({k: _value(row.get(k)) for k in sorted(keys)}, default=str) for row in rows}


def project_differences(wanted: dict[str, Any], held: dict[str, Any]) -> list[str]:
    """The fields of `wanted` (a project payload) that the node's project `held` does not hold as sent."""
    found = []
    for name, value in wanted.items():
        if name in NODE_IDS:
            continue
        if isinstance(value, list):
            keys = {k for row in value for k in row if k not in NODE_IDS}
            if _rows(value, keys) != _rows(held.get(name) or [], keys):
                found.append(name)
        elif _value(held.get(name)) != _value(value):
            found.append(name)
    return found
