"""Which ledger events are Article 6.2 actions, and of which AEF type and subtype.

A movement between two accounts of one registry is not an action. Units never authorized are not
ITMOs: their issuance and retirement are public registry information but never an AEF row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.reporting.domain.controlled import ControlledValues
from services.reporting.domain.records import ActionRecord, Block, utc

Data = dict[str, Any]
NA = "NA"  # the nomenclature lists subtypes for First transfer and Cancellation only
ISSUANCE = "Issuance"
TRANSFER = "Transfer"
FIRST_TRANSFER = "First transfer"
INTERNATIONAL_TRIGGER = "first_international_transfer"


def blocks_of(data: Data) -> list[Block]:
    return [Block.from_data(item) for item in data.get("blocks", [])]


def event_time(data: Data) -> str:
    for key in ("executed_at", "requested_at", "reversed_at"):
        if data.get(key):
            return str(data[key])
    raise KeyError("the event names no time of execution")


def _records(data: Data, action_type: str, subtype: str, **fields: Any) -> list[ActionRecord]:
    reported_only_if_authorized = fields.pop("public", False)
    return [
        ActionRecord(
            transaction_number=data["transaction_number"],
            action_type=action_type,
            action_subtype=subtype,
            executed_at=utc(data["executed_at"]),
            block=block,
            reported=block.is_authorized,
            **fields,
        )
        for block in blocks_of(data)
        if block.is_authorized or reported_only_if_authorized
    ]


def _issued(data: Data, _values: ControlledValues, _party: str) -> list[ActionRecord]:
    return [
        ActionRecord(data["transaction_number"], ISSUANCE, NA, utc(data["executed_at"]), block, reported=False)
        for block in blocks_of(data)
    ]


def _authorized(data: Data, _values: ControlledValues, _party: str) -> list[ActionRecord]:
    return _records(data, "Authorization", NA)


def _first_transferred(data: Data, values: ControlledValues, _party: str) -> list[ActionRecord]:
    subtype = values.first_transfer_subtypes[data["trigger"]]
    return _records(data, FIRST_TRANSFER, subtype, acquiring_party=data.get("acquiring_party"))


def _transferred_abroad(data: Data, _values: ControlledValues, _party: str) -> list[ActionRecord]:
    return _records(data, TRANSFER, NA, acquiring_party=data["acquiring_party"])


def _acquired(data: Data, _values: ControlledValues, _party: str) -> list[ActionRecord]:
    return _records(data, "Acquisition", NA, transferring_party=data["transferring_party"])


def _used(data: Data, _values: ControlledValues, party: str) -> list[ActionRecord]:
    if data["purpose"] == "NDC":
        return _records(data, "Use", NA, using_party=party, ndc_year=data["ndc_year"])
    return _records(data, "Use", NA, using_party=party, oimp_purpose=data.get("oimp_purpose"))


def _cancelled(data: Data, _values: ControlledValues, party: str) -> list[ActionRecord]:
    kind = data["cancellation"]
    if kind == "voluntary":
        return _records(data, "Voluntary Cancellation", NA, using_party=party)
    if kind == "omge":
        return _records(data, "Cancellation", "Voluntary cancellation to deliver OMGE", using_party=party)
    return _records(
        data, "Cancellation", "Other cancellations", using_party=party, oimp_purpose=data.get("oimp_purpose")
    )


def _retired(data: Data, _values: ControlledValues, party: str) -> list[ActionRecord]:
    return _records(
        data,
        "Voluntary Cancellation",
        NA,
        public=True,
        using_party=party,
        beneficiary=data["beneficiary"],
        retirement_reason=data.get("retirement_reason"),
    )


ACTIONS: dict[str, Callable[[Data, ControlledValues, str], list[ActionRecord]]] = {
    "ledger.units.issued": _issued,
    "ledger.units.authorized": _authorized,
    "ledger.units.first_transferred": _first_transferred,
    "ledger.transfer.international_completed": _transferred_abroad,
    "ledger.acquisition.recorded": _acquired,
    "ledger.units.used": _used,
    "ledger.units.cancelled": _cancelled,
    "ledger.units.retired": _retired,
}


def actions_of(event_name: str, data: Data, values: ControlledValues, party: str) -> list[ActionRecord]:
    """The action records an event makes; events that are no action (a domestic transfer) make none."""
    interpret = ACTIONS.get(event_name)
    return interpret(data, values, party) if interpret else []


def is_international_first_transfer(record: ActionRecord) -> bool:
    return record.action_type == FIRST_TRANSFER and record.action_subtype == "First transfer to another Party"
