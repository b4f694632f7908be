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


def _same(wanted: dict[str, Any], held: dict[str, Any]) -> bool:
    return all(_value(held.get(k)) == _value(v) for k, v in wanted.items() if k not in NODE_IDS)


def _rows_with_ids(wanted: list[dict[str, Any]], held: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each wanted row on a held row's id: first the rows the node already holds as they are, then the
    others over the held rows left, in order; rows beyond the held ones are added. A held row left over
    (the table shrank) is rewritten as a copy of the last wanted row, so no outdated content stays."""
    free = list(held)
    paired: list[dict[str, Any] | None] = [None] * len(wanted)
    for index, row in enumerate(wanted):
        match = next((h for h in free if _same(row, h)), None)
        if match is not None:
            free.remove(match)
            paired[index] = row | {"id": match["id"]}
    for index, row in enumerate(wanted):
        if paired[index] is None:
            paired[index] = row | {"id": free.pop(0)["id"]} if free else row
    rows = [row for row in paired if row is not None]
    surplus = [h for h in free if not (rows and _same(rows[-1], h))]
    return rows + [wanted[-1] | {"id": h["id"]} for h in surplus] if wanted else rows


def with_node_ids(wanted: dict[str, Any], held: dict[str, Any]) -> dict[str, Any]:
    """A project update whose child rows carry the ids of the node's rows they replace.

    CAD Trust v1 never removes a child row on an update: a row with its id rewrites that row, a row without
    one is added beside the old ones. So every child row goes on a held row's id while there is one, and an
    outdated row (an earlier authorization's label) is rewritten rather than kept. Issuances keep the ids
    the publisher learned: the node's other issuance rows are copies that units point at.
    """
    update = dict(wanted)
    for name, rows in wanted.items():
        if isinstance(rows, list) and name != "issuances":
            update[name] = _rows_with_ids(rows, [r for r in held.get(name) or [] if r.get("id")])
    return update
