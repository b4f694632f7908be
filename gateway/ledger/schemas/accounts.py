"""Accounts, their holdings and statements, and authorizations."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from gateway.inputs.fields import Integer, Year
from gateway.ledger.schemas.common import APPROACH_ID, PARTY, PageQuery, Strict, enum_field, page_of
from services.ledger.domain.accounts import AccountStatus, AccountType, OimpAction
from services.ledger.domain.authorizations import FirstTransferDefinition, Purpose


class AccountCreateSchema(Strict):
    account_type = enum_field(AccountType, required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    non_ghg_metric = fields.String(
        allow_none=True, metadata={"description": "the named non-GHG metric; leave out for t CO2 eq"}
    )
    holder_id = fields.UUID(
        allow_none=True, metadata={"description": "an organization of this registry (entity holding accounts)"}
    )
    ndc_year = Year(allow_none=True, metadata={"description": "year of use (NDC use accounts)"})
    oimp_purpose = fields.String(allow_none=True, metadata={"description": "for example CORSIA (OIMP accounts)"})
    oimp_action = enum_field(OimpAction, allow_none=True)
    external_party = fields.String(allow_none=True, validate=PARTY.validate)
    external_registry_id = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Z]{3}\d{2}$"))


class AccountSchema(Schema):
    id = fields.UUID(required=True)
    number = fields.String(required=True, metadata={"description": "PARTY-TYPE-NUMBER-CHECK"})
    type = fields.String(required=True)
    name = fields.String(required=True)
    metric = fields.String(required=True)
    holder_id = fields.UUID(allow_none=True)
    status = fields.String(required=True)
    opened_at = fields.DateTime(required=True)
    ndc_year = Year(allow_none=True)
    oimp_purpose = fields.String(allow_none=True)
    oimp_action = fields.String(allow_none=True)
    external_party = fields.String(allow_none=True)
    external_registry_id = fields.String(allow_none=True)


class AccountQuery(PageQuery):
    type = enum_field(AccountType)
    status = enum_field(AccountStatus)
    holder_id = fields.UUID()
    ndc_year = Year()


class AccountStatusSchema(Strict):
    status = enum_field(AccountStatus, required=True)


class HoldingsQuery(Strict):
    as_of = fields.AwareDateTime(
        metadata={"description": "a past moment (ISO 8601; UTC when no offset): holdings replayed to then"}
    )


class HoldingLineSchema(Schema):
    cooperative_approach_id = fields.String(required=True)
    vintage = Year(required=True)
    quantity = Integer(required=True)
    state = fields.String(allow_none=True, metadata={"description": "today's holdings only"})


class HoldingsSchema(Schema):
    account_id = fields.UUID(required=True)
    as_of = fields.DateTime(allow_none=True)
    total = Integer(required=True)
    lines = fields.List(fields.Nested(HoldingLineSchema), required=True)


class StatementQuery(Strict):
    start = fields.AwareDateTime(metadata={"description": "excluded; default: the beginning"})
    end = fields.AwareDateTime(metadata={"description": "included; default: now"})


class StatementLineSchema(Schema):
    transaction_number = fields.String(required=True)
    transaction_type = fields.String(required=True)
    executed_at = fields.DateTime(allow_none=True)
    units_in = Integer(required=True)
    units_out = Integer(required=True)
    balance = Integer(required=True)


class StatementSchema(Schema):
    account_id = fields.UUID(required=True)
    start = fields.DateTime(required=True)
    end = fields.DateTime(required=True)
    opening_balance = Integer(required=True)
    closing_balance = Integer(required=True)
    lines = fields.List(fields.Nested(StatementLineSchema), required=True)


class TimeframeSchema(Strict):
    vintage_from = Year(required=True)
    vintage_to = Year(required=True)
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)


class TermsSchema(Strict):
    """One version of an authorization: the AEF Table 2 fields."""

    authorized_on = fields.Date(required=True)
    cooperative_approach_id = fields.String(required=True, validate=APPROACH_ID.validate)
    authorizing_party = fields.String(required=True, validate=PARTY.validate)
    non_ghg_metric = fields.String(allow_none=True, metadata={"description": "leave out for t CO2 eq"})
    purposes = fields.List(enum_field(Purpose), required=True, validate=validate.Length(min=1))
    timeframe = fields.Nested(TimeframeSchema, required=True)
    authorized_quantity = Integer(allow_none=True, strict=True)
    oimp_first_transfer = enum_field(FirstTransferDefinition, allow_none=True)
    gwp_values = fields.List(fields.String(), load_default=list)
    conversion_factor = fields.Decimal(allow_none=True, as_string=True)
    sectors = fields.List(fields.String(), load_default=list)
    activity_types = fields.List(fields.String(), load_default=list)
    authorized_parties = fields.List(PARTY, load_default=list)
    authorized_entities = fields.List(fields.UUID(), load_default=list)
    terms = fields.String(load_default="")


class AuthorizationCreateSchema(TermsSchema):
    reference = fields.String(
        required=True, validate=validate.Length(min=1, max=200), metadata={"description": "the Party's own id"}
    )


class AuthorizationVersionSchema(TermsSchema):
    """The next version of an authorization: all its terms, numbered one past the last version."""

    version = Integer(required=True, strict=True, validate=validate.Range(min=2))


class TermsOutSchema(Schema):
    version = Integer(required=True)
    authorized_on = fields.Date(required=True)
    cooperative_approach_id = fields.String(required=True)
    authorizing_party = fields.String(required=True)
    metric = fields.Method("_metric", required=True)
    purposes = fields.Method("_purposes", required=True)
    timeframe = fields.Nested(TimeframeSchema, required=True)
    authorized_quantity = Integer(allow_none=True)
    oimp_first_transfer = fields.String(allow_none=True)
    gwp_values = fields.List(fields.String(), required=True)
    conversion_factor = fields.Decimal(allow_none=True, as_string=True)
    sectors = fields.Method("_sectors", required=True)
    activity_types = fields.Method("_activity_types", required=True)
    authorized_parties = fields.Method("_parties", required=True)
    authorized_entities = fields.Method("_entities", required=True)
    terms = fields.String(required=True)

    def _metric(self, terms: Any) -> str:
        return str(terms.metric)

    def _purposes(self, terms: Any) -> list[str]:
        return sorted(p.value for p in terms.purposes)

    def _sectors(self, terms: Any) -> list[str]:
        return sorted(terms.sectors)

    def _activity_types(self, terms: Any) -> list[str]:
        return sorted(terms.activity_types)

    def _parties(self, terms: Any) -> list[str]:
        return sorted(terms.authorized_parties)

    def _entities(self, terms: Any) -> list[str]:
        return sorted(str(e) for e in terms.authorized_entities)


class AuthorizationSchema(Schema):
    id = fields.UUID(required=True)
    reference = fields.String(required=True)
    consumed = Integer(required=True, metadata={"description": "units authorized so far"})
    current = fields.Nested(TermsOutSchema, required=True, metadata={"description": "the version in force"})
    versions = fields.List(fields.Nested(TermsOutSchema), required=True)


class AuthorizationQuery(PageQuery):
    reference = fields.String()


AccountPage = page_of(AccountSchema, "AccountPage")
AuthorizationPage = page_of(AuthorizationSchema, "AuthorizationPage")
