"""Account protection: trusted accounts, limits, freezes and pending movements."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.inputs.fields import Integer
from gateway.ledger.schemas.common import Strict

_LIMIT = {"allow_none": True, "validate": validate.Range(min=1), "load_default": None}


class TrustedAccountCreateSchema(Strict):
    account_number = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "a holding account of this registry, or the external account of the registry abroad"},
    )
    registry_id = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Regexp(r"^[A-Z]{3}\d{2}$"),
        metadata={"description": "the registry abroad; leave out for an account of this registry"},
    )


class TrustedAccountSchema(Schema):
    id = fields.UUID(required=True)
    account_number = fields.String(required=True)
    registry_id = fields.String(allow_none=True)
    status = fields.String(required=True, metadata={"description": "proposed, approved (not yet active) or active"})
    proposed_by = fields.UUID(required=True)
    proposed_at = fields.DateTime(required=True)
    approved_by = fields.UUID(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    active_from = fields.DateTime(allow_none=True)


class TrustedAccountListSchema(Schema):
    account_id = fields.UUID(required=True)
    items = fields.List(fields.Nested(TrustedAccountSchema), required=True)


class LimitsSchema(Strict):
    per_transfer = Integer(**_LIMIT, metadata={"description": "units per transfer; empty for no limit"})
    per_24_hours = Integer(**_LIMIT, metadata={"description": "units in any 24 hours; empty for no limit"})
    transfers_per_24_hours = Integer(
        **_LIMIT, metadata={"description": "transfers in any 24 hours; empty for no limit"}
    )


class AccountLimitsSchema(Schema):
    account_id = fields.UUID(required=True)
    account = fields.Nested(LimitsSchema, required=True, metadata={"description": "the account's own limits"})
    registry = fields.Nested(LimitsSchema, required=True, metadata={"description": "the registry's limits"})
    on_limit = fields.String(required=True, metadata={"description": "refuse, or hold for an administrator"})


class FreezeCreateSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class FreezeSchema(Schema):
    reason = fields.String(required=True)
    frozen_by = fields.UUID(required=True)
    frozen_at = fields.DateTime(required=True)
    unfreeze_asked_by = fields.UUID(allow_none=True)


class FreezeStateSchema(Schema):
    subject_id = fields.UUID(required=True)
    frozen = fields.Boolean(required=True)
    freeze = fields.Nested(FreezeSchema, allow_none=True)
    organization_freeze = fields.Nested(FreezeSchema, allow_none=True)
