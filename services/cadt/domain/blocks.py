"""Ledger blocks as CAD Trust units, and the splits that keep the two in step.

The ledger splits a block by cutting its upper serials off into a new block; the part that stays
keeps the id and the lower serials, and no event names it. So when a block appears whose serials lie
inside a known block, the known block has shrunk to end just below it. On CAD Trust the same thing is
one split of the published unit: the first record keeps the unit's id and takes the lowest serials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.cadt.domain.model import SyncRecord

UNIT_STATES = ("active", "pending_out", "used", "cancelled", "retired")


def itmo_id(data: dict[str, Any], serial: int) -> str:
    """`<cooperative approach>-<registry>-<first transferring Party>-<serial>-<vintage>`, as the ledger writes it."""
    return (
        f"{data['cooperative_approach_id']}-{data['registry_id']}-{data['first_transferring_party']}-"
        f"{serial}-{data['vintage']}"
    )


def space(data: dict[str, Any]) -> tuple[str, str]:
    return data["cooperative_approach_id"], data["registry_id"]


def shrink_around(block: dict[str, Any], others: list[SyncRecord]) -> list[SyncRecord]:
    """The known blocks a newly seen block was cut from, shrunk to end just below it."""
    changed = []
    for other in others:
        data = other.data
        if other.local_id == block["block_id"] or space(data) != space(block):
            continue
        if data["serial_first"] < block["serial_first"] <= data["serial_last"]:
            last = block["serial_first"] - 1
            other.refresh(data | {"serial_last": last, "last_itmo_id": itmo_id(data, last)})
            changed.append(other)
    return changed


@dataclass(frozen=True)
class Split:
    parent: SyncRecord  # published on the node; keeps its id
    parts: list[SyncRecord]  # parent first, then the new blocks, in serial order


def published_serials(record: SyncRecord) -> tuple[int, int] | None:
    serials = record.meta.get("serials")
    return (int(serials[0]), int(serials[1])) if serials else None


def plan_splits(units: list[SyncRecord]) -> tuple[list[Split], list[SyncRecord]]:
    """Group unpublished blocks under the published unit they were cut from; the rest are new units."""
    published = [u for u in units if u.cadt_id and published_serials(u)]
    splits: dict[str, list[SyncRecord]] = {}
    fresh = []
    for unit in units:
        if unit.cadt_id:
            continue
        parent = _container(unit, published)
        if parent is None:
            fresh.append(unit)
        else:
            splits.setdefault(parent.local_id, []).append(unit)
    by_id = {u.local_id: u for u in published}
    plans = [
        Split(by_id[pid], [by_id[pid], *sorted(parts, key=lambda p: int(p.data["serial_first"]))])
        for pid, parts in splits.items()
    ]
    return [p for p in plans if _partitions(p)], fresh


def _container(unit: SyncRecord, published: list[SyncRecord]) -> SyncRecord | None:
    for candidate in published:
        serials = published_serials(candidate)
        if (
            serials
            and space(candidate.data) == space(unit.data)
            and serials[0] <= unit.data["serial_first"] <= serials[1]
        ):
            return candidate
    return None


def _partitions(split: Split) -> bool:
    """Only a split whose parts exactly cover the published unit; otherwise a part is still missing."""
    serials = published_serials(split.parent)
    if serials is None:
        return False
    expected = serials[0]
    for part in split.parts:
        if part.data["serial_first"] != expected:
            return False
        expected = part.data["serial_last"] + 1
    return expected == serials[1] + 1
