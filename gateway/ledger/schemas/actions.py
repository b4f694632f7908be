"""Unit actions, the transaction lifecycle and the transaction and unit queries."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.inputs.fields import Integer, Serial, Year
from gateway.ledger.schemas.common import APPROACH_ID, PageQuery, Quantity, Strict, enum_field, page_of
from services.ledger.domain.transactions import TransactionStatus, TransactionType
from services.ledger.domain.values import MitigationType, UnitType

REGISTRY_ID = validate.Regexp(r"^[A-Z]{3}\d{2}$")


class UnitFilterSchema(Strict):
    """Which units to take from the account; units are taken in serial order among those that match."""

    cooperative_approach_id = fields.String(validate=APPROACH_ID.validate)
    registry_id = fields.String(validate=REGISTRY_ID)
    vintage = Year()
    project_id = fields.UUID()
    issuance_id = fields.UUID()
    authorization_id = fields.UUID()
    authorized = fields.Boolean(metadata={"description": "only units with (true) or without (false) authorization"})


def _units() -> fields.Nested:
    return fields.Nested(UnitFilterSchema, load_default=dict)


class IssueSchema(Strict):
    issuance_id = fields.UUID(required=True)
    account_id = fields.UUID(required=True, metadata={"description": "the issuance (pending) account"})
    cooperative_approach_id = fields.String(required=True, validate=APPROACH_ID.validate)
    vintage = Year(required=True, metadata={"description": "year the mitigation occurred"})
    quantity = Quantity()
    unit_type = enum_field(UnitType, load_default=UnitType.MITIGATION_OUTCOME.value)
    mitigation_type = enum_field(MitigationType, load_default=MitigationType.REDUCTIONS.value)
    non_ghg_metric = fields.String(allow_none=True)
    authorization_id = fields.UUID(allow_none=True, metadata={"description": "issue under this authorization"})
    underlying_registry_id = fields.String(allow_none=True)
    underlying_first_unit_id = Integer(allow_none=True)


class AuthorizeSchema(Strict):
    account_id = fields.UUID(required=True)
    authorization_id = fields.UUID(required=True)
    quantity = Quantity()
    units = _units()


class TransferSchema(Strict):
    source_account_id = fields.UUID(required=True)
    destination_account_id = fields.UUID(required=True)
    quantity = Quantity()
    units = _units()


class InternationalTransferSchema(Strict):
    source_account_id = fields.UUID(required=True)
    external_account_id = fields.UUID(required=True, metadata={"description": "the other Party's registry"})
    quantity = Quantity()
    units = _units()


class AcquisitionSchema(Strict):
    account_id = fields.UUID(required=True, metadata={"description": "the holding account that receives"})
    transfer = fields.Dict(
        required=True,
        metadata={
            "description": "the data of the transferring registry's ledger.transfer.international_requested.v1 "
            "event: transfer id, Parties, blocks and authorizations"
        },
    )


class NdcUseSchema(Strict):
    source_account_id = fields.UUID(required=True)
    ndc_account_id = fields.UUID(required=True)
    ndc_year = Year(required=True, metadata={"description": "calendar year of use"})
    quantity = Quantity()
    units = _units()


class OimpUseSchema(Strict):
    source_account_id = fields.UUID(required=True)
    oimp_account_id = fields.UUID(
        required=True, metadata={"description": "its purpose (e.g. CORSIA) and use or cancellation decide the action"}
    )
    quantity = Quantity()
    units = _units()


class CancellationSchema(Strict):
    source_account_id = fields.UUID(required=True)
    cancellation_account_id = fields.UUID(
        required=True, metadata={"description": "a voluntary or an OMGE cancellation account"}
    )
    quantity = Quantity()
    units = _units()


class RetirementSchema(Strict):
    source_account_id = fields.UUID(required=True)
    retirement_account_id = fields.UUID(required=True)
    quantity = Quantity()
    beneficiary = fields.String(required=True, validate=validate.Length(min=1, max=300))
    reason = fields.String(allow_none=True, metadata={"description": "the purpose of the retirement"})
    units = _units()


class ReasonSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class UnitRangeSchema(Schema):
    first_itmo_id = fields.String(required=True)
    last_itmo_id = fields.String(required=True)


class TransactionResultSchema(Schema):
    transaction_id = fields.UUID(required=True)
    number = fields.String(required=True)
    type = fields.String(required=True)
    status = fields.String(required=True)
    quantity = Integer(required=True)
    units = fields.List(fields.Nested(UnitRangeSchema), required=True)
    execute_after = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    journal_sequence = Integer(allow_none=True)


class StatusChangeSchema(Schema):
    status = fields.String(required=True)
    at = fields.DateTime(required=True)
    actor_id = fields.UUID(allow_none=True)
    reason = fields.String(allow_none=True)


class BlockChangeSchema(Schema):
    first_itmo_id = fields.String(required=True)
    last_itmo_id = fields.String(required=True)
    quantity = Integer(required=True)
    from_account_id = fields.UUID(allow_none=True)
    to_account_id = fields.UUID(required=True)
    state = fields.String(required=True)
    first_transferred = fields.Boolean(required=True)


class TransactionSchema(Schema):
    id = fields.UUID(required=True)
    number = fields.String(required=True)
    type = fields.String(required=True)
    status = fields.String(required=True)
    quantity = Integer(required=True)
    initiator_id = fields.UUID(required=True)
    approver_id = fields.UUID(allow_none=True)
    source_account_id = fields.UUID(allow_none=True)
    destination_account_id = fields.UUID(allow_none=True)
    proposed_at = fields.DateTime(required=True)
    execute_after = fields.DateTime(allow_none=True)
    executed_at = fields.DateTime(allow_none=True, metadata={"description": "UTC"})
    reason = fields.String(allow_none=True)
    journal_sequence = Integer(allow_none=True)
    details = fields.Dict(required=True, metadata={"description": "the fields of the action's AEF row"})
    history = fields.List(fields.Nested(StatusChangeSchema), required=True)
    changes = fields.List(fields.Nested(BlockChangeSchema), metadata={"description": "units moved, when done"})


class TransactionQuery(PageQuery):
    type = enum_field(TransactionType)
    status = enum_field(TransactionStatus)
    account_id = fields.UUID(metadata={"description": "transactions from or to this account"})
    initiator_id = fields.UUID()
    proposed_from = fields.AwareDateTime()
    proposed_until = fields.AwareDateTime()


class UnitHistoryQuery(Strict):
    itmo_id = fields.String(metadata={"description": "an ITMO id; or give the serial with its serial space"})
    cooperative_approach_id = fields.String(validate=APPROACH_ID.validate)
    registry_id = fields.String(validate=REGISTRY_ID)
    serial = Serial()


class HistoryEntrySchema(Schema):
    transaction_id = fields.UUID(required=True)
    transaction_number = fields.String(required=True)
    transaction_type = fields.String(required=True)
    executed_at = fields.DateTime(allow_none=True)
    from_account_id = fields.UUID(allow_none=True)
    to_account_id = fields.UUID(required=True)
    state = fields.String(required=True)
    first_transferred = fields.Boolean(required=True)


class BlockSchema(Schema):
    block_id = fields.UUID(required=True)
    first_itmo_id = fields.String(required=True)
    last_itmo_id = fields.String(required=True)
    quantity = Integer(required=True)
    vintage = Year(required=True)
    account_id = fields.UUID(required=True)
    state = fields.String(required=True)
    authorization_id = fields.UUID(allow_none=True)
    first_transferred_at = fields.DateTime(allow_none=True)
    underlying_registry_id = fields.String(allow_none=True)
    underlying_first_unit_id = Integer(allow_none=True)
    underlying_last_unit_id = Integer(allow_none=True)


class UnitHistorySchema(Schema):
    itmo_id = fields.String(required=True)
    current = fields.Nested(BlockSchema, allow_none=True, metadata={"description": "the block holding it today"})
    entries = fields.List(fields.Nested(HistoryEntrySchema), required=True)


class TransactionSummarySchema(TransactionSchema):
    class Meta:
        exclude = ("changes",)


TransactionPage = page_of(TransactionSummarySchema, "TransactionPage")
