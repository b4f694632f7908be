"""A split leaves the lower serials with the old block id; the event names only the part that moved.
The projection trims the old block to what is left, as the ledger did."""

from __future__ import annotations

from dataclasses import replace

from services.reporting.domain.records import Block


def itmo_id(block: Block, serial: int) -> str:
    return (
        f"{block.cooperative_approach_id}-{block.registry_id}-{block.first_transferring_party}-{serial}-{block.vintage}"
    )


def trimmed(old: Block, moved: Block) -> Block | None:
    """What is left of `old` once `moved` took its serials; None when nothing is left."""
    if moved.serial_first <= old.serial_first and old.serial_last <= moved.serial_last:
        return None
    if old.serial_first < moved.serial_first:
        first, last = old.serial_first, min(old.serial_last, moved.serial_first - 1)
    else:
        first, last = moved.serial_last + 1, old.serial_last
    underlying_first = old.underlying_first_unit_id
    if underlying_first is not None:
        underlying_first += first - old.serial_first
    return replace(
        old,
        serial_first=first,
        serial_last=last,
        first_itmo_id=itmo_id(old, first),
        last_itmo_id=itmo_id(old, last),
        underlying_first_unit_id=underlying_first,
        underlying_last_unit_id=None if underlying_first is None else underlying_first + last - first,
    )


def overlaps(a: Block, b: Block) -> bool:
    same_space = (a.cooperative_approach_id, a.registry_id) == (b.cooperative_approach_id, b.registry_id)
    return same_space and a.serial_first <= b.serial_last and b.serial_first <= a.serial_last
