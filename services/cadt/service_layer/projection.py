"""Ledger events into sync records: what CAD Trust should hold, whatever it holds now.

Applying an event twice, or an older one after a newer one, changes nothing: a record that already
has the same facts stays as it is, and a block keeps the `sequence` of the event that last set it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.cadt.domain.blocks import shrink_around
from services.cadt.domain.model import Kind, Status, SyncRecord
from services.cadt.service_layer.ports import CadtStore

REFERENCE_EVENTS = (
    "ledger.project.recorded",
    "ledger.issuance.recorded",
    "ledger.account.opened",
    "ledger.authorization.recorded",
)
NEVER_PUBLISHED = (Kind.ACCOUNT, Kind.AUTHORIZATION)
BLOCK_EVENTS = (
    "ledger.units.issued",
    "ledger.units.authorized",
    "ledger.units.first_transferred",
    "ledger.units.transferred",
    "ledger.units.used",
    "ledger.units.cancelled",
    "ledger.units.retired",
    "ledger.acquisition.recorded",
    "ledger.transfer.international_requested",
    "ledger.transfer.international_completed",
    "ledger.transfer.international_reversed",
)
HANDLED = (*REFERENCE_EVENTS, *BLOCK_EVENTS)


def handles(event_name: str) -> bool:
    return event_name in HANDLED


def apply(store: CadtStore, name: str, data: dict[str, Any], *, seq: int | None, at: datetime) -> None:
    if name == "ledger.project.recorded":
        _upsert(store, Kind.PROJECT, data["project_id"], data | {"recorded_on": at.date().isoformat()})
    elif name == "ledger.issuance.recorded":
        _upsert(store, Kind.ISSUANCE, data["issuance_id"], data, parent=data["project_id"])
    elif name == "ledger.account.opened":
        _upsert(store, Kind.ACCOUNT, data["account_id"], {"name": data["name"], "type": data["account_type"]})
    elif name == "ledger.authorization.recorded":
        _record_authorization(store, data)
    elif name in BLOCK_EVENTS:
        context = _context(name, data)
        for block in data["blocks"]:
            _upsert_block(store, block | context, seq or 0)


def _context(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a unit action adds to its blocks beyond their snapshot: owner, status reason, export."""
    if name == "ledger.units.retired":
        reason = data.get("retirement_reason") or "retirement"
        return {"owner": data["beneficiary"], "status_reason": f"Retired on behalf of {data['beneficiary']}: {reason}"}
    if name == "ledger.units.cancelled":
        purpose = f" ({data['oimp_purpose']})" if data.get("oimp_purpose") else ""
        return {"status_reason": f"Cancelled: {data['cancellation']}{purpose}"}
    if name == "ledger.units.used":
        target = f"NDC {data['ndc_year']}" if data.get("ndc_year") else f"OIMP: {data.get('oimp_purpose')}"
        return {"status_reason": f"Used towards {target}"}
    if name == "ledger.transfer.international_completed":
        return {"exported": True, "status_reason": f"Transferred to {data['acquiring_party']}"}
    if name == "ledger.transfer.international_requested":
        return {"status_reason": f"Transfer to {data['acquiring_party']} requested"}
    return {}


def _upsert(store: CadtStore, kind: Kind, local_id: str, data: dict[str, Any], parent: str | None = None) -> None:
    record = store.get(kind, local_id)
    if record is None:
        status = Status.EXCLUDED if kind in NEVER_PUBLISHED else Status.PENDING
        store.save(SyncRecord(kind, local_id, data, parent_id=parent, status=status))
    elif record.data != data:
        record.refresh(data)
        store.save(record)


def _record_authorization(store: CadtStore, data: dict[str, Any]) -> None:
    """The latest version of an authorization; the projects it labels pick it up on their next pass."""
    current = store.get(Kind.AUTHORIZATION, str(data["authorization_id"]))
    if current is not None and int(current.data["version"]) > int(data["version"]):
        return
    facts = {"reference": data["reference"], "version": data["version"], "terms": data["terms"]}
    _upsert(store, Kind.AUTHORIZATION, str(data["authorization_id"]), facts)


def _upsert_block(store: CadtStore, block: dict[str, Any], seq: int) -> None:
    record = store.get(Kind.UNIT, block["block_id"])
    if record is not None and record.as_of >= seq:
        return
    if record is None:
        for shrunk in shrink_around(block, store.records(Kind.UNIT)):
            store.save(shrunk)
        record = SyncRecord(Kind.UNIT, block["block_id"], block, parent_id=block.get("issuance_id"))
        if not block.get("issuance_id"):
            record.status, record.reason = Status.EXCLUDED, "units from another registry: their issuer publishes them"
    elif record.data != block:
        record.refresh(block)
    record.as_of = seq
    store.save(record)
