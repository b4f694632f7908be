"""Turning another registry's `ledger.transfer.international_requested.v1` data into a RecordAcquisition.

The acquiring registry's consumer calls `acquisition_from_request` once the transfer is accepted.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from services.ledger.domain.acquisitions import IncomingBlock
from services.ledger.domain.authorizations import AuthorizationTerms, FirstTransferDefinition, Purpose, Timeframe
from services.ledger.domain.blocks import BlockAttributes, FirstTransfer, FirstTransferTrigger
from services.ledger.domain.commands import ForeignAuthorization, RecordAcquisition
from services.ledger.domain.values import Metric, MitigationType, UnitType

Data = Mapping[str, Any]


def acquisition_from_request(
    data: Data, *, actor_id: UUID, account_id: UUID, accepted_at: datetime
) -> RecordAcquisition:
    transfer_id = UUID(data["transfer_id"])
    first = {UUID(block_id) for block_id in data["first_transferred_block_ids"]}
    return RecordAcquisition(
        actor_id=actor_id,
        incoming_transfer_id=transfer_id,
        transferring_party=data["transferring_party"],
        transferring_registry_id=data["transferring_registry_id"],
        account_id=account_id,
        blocks=tuple(_block(b, transfer_id, accepted_at, UUID(b["block_id"]) in first) for b in data["blocks"]),
        authorizations=tuple(_authorization(a) for a in data["authorizations"]),
        idempotency_key=f"acquisition:{transfer_id}",
    )


def _block(data: Data, transfer_id: UUID, accepted_at: datetime, first_transferred_now: bool) -> IncomingBlock:
    attributes = BlockAttributes(
        data["cooperative_approach_id"],
        data["registry_id"],
        data["first_transferring_party"],
        data["vintage"],
        Metric.ghg() if data["metric"] == str(Metric.ghg()) else Metric.non_ghg(data["metric"]),
        UnitType(data["unit_type"]),
        MitigationType(data["mitigation_type"]),
        _uuid(data["project_id"]),
        _uuid(data["issuance_id"]),
        _uuid(data["authorization_id"]),
        data["authorization_version"],
        data["underlying_registry_id"],
    )
    first_transfer = None
    if first_transferred_now:
        first_transfer = FirstTransfer(accepted_at, FirstTransferTrigger.INTERNATIONAL_TRANSFER, transfer_id)
    elif data["first_transferred_at"] is not None:
        first_transfer = FirstTransfer(
            datetime.fromisoformat(data["first_transferred_at"]), FirstTransferTrigger(data["first_transfer_trigger"])
        )
    return IncomingBlock(
        attributes, data["serial_first"], data["serial_last"], first_transfer, data["underlying_first_unit_id"]
    )


def _authorization(data: Data) -> ForeignAuthorization:
    frame = data["timeframe"]
    definition = data["oimp_first_transfer"]
    terms = AuthorizationTerms(
        version=data["version"],
        authorized_on=date.fromisoformat(data["authorized_on"]),
        cooperative_approach_id=data["cooperative_approach_id"],
        authorizing_party=data["authorizing_party"],
        metric=Metric(data["metric"]["non_ghg_metric"]),
        purposes=frozenset(Purpose(p) for p in data["purposes"]),
        timeframe=Timeframe(
            frame["vintage_from"], frame["vintage_to"], _date(frame["valid_from"]), _date(frame["valid_until"])
        ),
        authorized_quantity=data["authorized_quantity"],
        oimp_first_transfer=None if definition is None else FirstTransferDefinition(definition),
        gwp_values=tuple(data["gwp_values"]),
        conversion_factor=None if data["conversion_factor"] is None else Decimal(data["conversion_factor"]),
        sectors=frozenset(data["sectors"]),
        activity_types=frozenset(data["activity_types"]),
        authorized_parties=frozenset(data["authorized_parties"]),
        authorized_entities=frozenset(UUID(e) for e in data["authorized_entities"]),
        terms=data["terms"],
    )
    return ForeignAuthorization(UUID(data["authorization_id"]), data["reference"], terms)


def _uuid(value: str | None) -> UUID | None:
    return None if value is None else UUID(value)


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
