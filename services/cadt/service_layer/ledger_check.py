"""The node's units against the ledger's current blocks (as the reporting context reads them), not against the
publisher's own sync records: a block the consumer never projected, or projected wrongly, shows here."""

from __future__ import annotations

from typing import Any

from services.cadt.domain import mapping
from services.cadt.service_layer.diff import Difference

KIND = "ledger block"


def _wanted(block: dict[str, Any]) -> dict[str, Any]:
    exported = block.get("account_type") == "external"
    return {
        "unitCount": int(block["serial_last"]) - int(block["serial_first"]) + 1,
        "vintageYear": int(block["vintage"]),
        "unitStatus": mapping.unit_status({"state": block["state"], "exported": exported}),
    }


def ledger_differences(blocks: list[dict[str, Any]], units: list[dict[str, Any]], registry_id: str) -> list[Difference]:
    """Each block this registry issued that the node lacks or holds differently, and each node unit that is
    no current block of the ledger. Units acquired from other registries are theirs to publish."""
    own = [b for b in blocks if b["registry_id"] == registry_id]
    by_range = {(u["unitBlockStart"], u["unitBlockEnd"]): u for u in units}
    found: list[Difference] = []
    for block in own:
        unit = by_range.get((block["first_itmo_id"], block["last_itmo_id"]))
        block_id = str(block["block_id"])
        if unit is None:
            found.append(Difference(KIND, block_id, None, None, "in the ledger, not on CAD Trust", None))
            continue
        found += [
            Difference(KIND, block_id, unit["warehouseUnitId"], name, value, unit.get(name))
            for name, value in _wanted(block).items()
            if unit.get(name) != value
        ]
    ranges = {(b["first_itmo_id"], b["last_itmo_id"]) for b in own}
    found += [
        Difference(KIND, None, u["warehouseUnitId"], None, f"{u['unitBlockStart']}..{u['unitBlockEnd']}: no such "
                   "block in the ledger", None)
        for u in units
        if (u["unitBlockStart"], u["unitBlockEnd"]) not in ranges
    ]  # fmt: skip
    return found
