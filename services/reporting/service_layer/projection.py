"""Applies ledger events to the reporting projection, in their `sequence` order. Pure of storage: the store is a port.

The block history depends on order (a split trims the block it came from as that block is when the split
is applied), so an event that arrives after a later one of its tenant is not applied on top: the tenant's
projection is rebuilt from the events it kept, in order. That is rare (a dead letter driven again, a
replay of part of a topic). `apply_batch` takes a poll's events of one tenant at once: the store reads
what they touch once and writes their effects together, and a batch with late events in it is rebuilt
once, not once per late event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from services.reporting.domain import actions as aef_actions
from services.reporting.domain.blocks import overlaps, trimmed
from services.reporting.domain.controlled import ControlledValues
from services.reporting.domain.records import ActionRecord, utc
from services.reporting.service_layer.ports import ProjectionStore

Data = dict[str, Any]
OUTCOMES = frozenset(
    {
        "ledger.transaction.completed",
        "ledger.transaction.rejected",
        "ledger.transaction.cancelled",
        "ledger.transaction.terminated",
    }
)
SUPPORTED_MAJOR = 1
# Events published before envelopes carried a sequence are kept under numbers from here, in the order they
# came (the order they were published in), before every sequenced event.
UNSEQUENCED = -(2**62)


Event = tuple[str, Data, int | None]  # name, data, envelope sequence


def apply_batch(events: Sequence[Event], store: ProjectionStore, values: ControlledValues, party: str) -> None:
    """Apply events of one tenant, in `sequence` order, as `apply_in_order` one by one would; then flush."""
    store.preload(block for _, data, _ in events for block in aef_actions.blocks_of(data))
    late = False
    for name, data, sequence in events:
        if sequence is None:
            apply_in_order(name, data, sequence, store, values, party)
            continue
        latest = store.latest_sequence()
        store.keep_event(sequence, name, data)
        if late or (latest is not None and sequence <= latest):
            late = True  # the rebuild below applies it, and every later one, in order
        else:
            apply(name, data, store, values, party)
    if late:
        _rebuild(store, values, party)
    store.flush()


def apply_in_order(
    event_name: str, data: Data, sequence: int | None, store: ProjectionStore, values: ControlledValues, party: str
) -> None:
    """Apply an event with its envelope's `sequence`; one published before events carried it is applied as it comes."""
    if sequence is None:
        last = store.latest_sequence(below=0)
        store.keep_event((UNSEQUENCED if last is None else last) + 1, event_name, data)
        apply(event_name, data, store, values, party)
        return
    latest = store.latest_sequence()
    store.keep_event(sequence, event_name, data)
    if latest is None or sequence > latest:
        apply(event_name, data, store, values, party)
        return
    _rebuild(store, values, party)


def _rebuild(store: ProjectionStore, values: ControlledValues, party: str) -> None:
    store.clear()
    for kept_name, kept_data in store.kept_events():
        apply(kept_name, kept_data, store, values, party)


def apply(event_name: str, data: Data, store: ProjectionStore, values: ControlledValues, party: str) -> None:
    if "blocks" in data:
        _track_blocks(data, store)
    for record in aef_actions.actions_of(event_name, data, values, party):
        _add(record, store)
    _record_reference(event_name, data, store)


def _track_blocks(data: Data, store: ProjectionStore) -> None:
    at = utc(aef_actions.event_time(data))
    for block in aef_actions.blocks_of(data):
        for old in store.current_blocks_overlapping(block):
            if old.block_id == block.block_id or not overlaps(old, block):
                continue
            rest = trimmed(old, block)
            if rest is None:
                store.end_block(old.block_id, at)
            else:
                store.record_block(rest, at)
        store.record_block(block, at)


def _add(record: ActionRecord, store: ProjectionStore) -> None:
    key = (record.transaction_number, record.block.block_id)
    if record.action_type == aef_actions.TRANSFER and store.has_action(*key, aef_actions.FIRST_TRANSFER):
        return  # this transfer abroad was the first transfer of these units: one action, not two
    if aef_actions.is_international_first_transfer(record):
        store.remove_action(*key, aef_actions.TRANSFER)
    store.add_action(record)


def _record_reference(event_name: str, data: Data, store: ProjectionStore) -> None:
    if event_name == "ledger.account.opened":
        store.put(
            "account",
            {"account_id": UUID(data["account_id"])},
            {"number": data["number"], "account_type": data["account_type"], "details": data.get("details") or {}},
        )
    elif event_name == "ledger.authorization.recorded":
        terms = data["terms"]
        store.put(
            "authorization",
            {"authorization_id": UUID(data["authorization_id"]), "version": int(data["version"])},
            {
                "reference": data["reference"],
                "authorizing_party": terms["authorizing_party"],
                "authorized_on": date.fromisoformat(terms["authorized_on"]),
                "terms": terms,
            },
        )
    elif event_name == "ledger.authorized_entity.recorded":
        store.put("entity", {"entity_id": UUID(data["entity_id"])}, _entity(data))
    elif event_name == "ledger.cooperative_approach.recorded":
        store.put(
            "approach",
            {"cooperative_approach_id": data["cooperative_approach_id"]},
            {
                "name": data["name"],
                "participating_parties": sorted(data["participating_parties"]),
                "status": data["status"],
            },
        )
    elif event_name in OUTCOMES:
        store.put(
            "journal",
            {"sequence": int(data["journal_sequence"])},
            {
                "transaction_number": data["transaction_number"],
                "transaction_type": data["transaction_type"],
                "status": data["status"],
            },
        )


def _entity(data: Data) -> dict[str, Any]:
    return {
        "cooperative_approach_id": data["cooperative_approach_id"],
        "name": data["name"],
        "country_of_incorporation": data["country_of_incorporation"],
        "identification_number": data["identification_number"],
        "authorized_on": date.fromisoformat(data["authorized_on"]),
        "conditions": data.get("conditions") or "",
        "revoked_at": utc(data["revoked_at"]) if data.get("revoked_at") else None,
    }
