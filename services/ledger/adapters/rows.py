"""Row <-> domain conversions for accounts, reference data, authorizations and unit blocks."""

from collections.abc import Mapping
from typing import Any

from services.ledger.domain.accounts import Account, AccountStatus, AccountType, OimpAction
from services.ledger.domain.authorizations import Authorization, AuthorizationTerms
from services.ledger.domain.blocks import BlockAttributes, FirstTransfer, FirstTransferTrigger, UnitBlock, UnitState
from services.ledger.domain.identifiers import AccountNumber
from services.ledger.domain.reference import (
    ApproachStatus,
    AuthorizedEntity,
    CooperativeApproach,
    CreditingPeriod,
    Issuance,
    Location,
    Project,
    ProjectStatus,
)
from services.ledger.domain.values import Metric, MitigationType, UnitType, VintageQuantity
from services.shared.db.codec import decode, encode

Row = dict[str, Any]
In = Mapping[str, Any]


def _value(member: object) -> object:
    return getattr(member, "value", member)


def account_row(a: Account) -> Row:
    return {
        "id": a.id,
        "number": str(a.number),
        "type": a.type.value,
        "non_ghg_metric": a.metric.non_ghg_metric,
        "name": a.name,
        "opened_at": a.opened_at,
        "holder_id": a.holder_id,
        "status": a.status.value,
        "ndc_year": a.ndc_year,
        "oimp_purpose": a.oimp_purpose,
        "oimp_action": _value(a.oimp_action),
        "external_party": a.external_party,
        "external_registry_id": a.external_registry_id,
    }


def account_from(r: In) -> Account:
    return Account(
        id=r["id"],
        number=AccountNumber.parse(r["number"]),
        type=AccountType(r["type"]),
        metric=Metric(r["non_ghg_metric"]),
        name=r["name"],
        opened_at=r["opened_at"],
        holder_id=r["holder_id"],
        status=AccountStatus(r["status"]),
        ndc_year=r["ndc_year"],
        oimp_purpose=r["oimp_purpose"],
        oimp_action=None if r["oimp_action"] is None else OimpAction(r["oimp_action"]),
        external_party=r["external_party"],
        external_registry_id=r["external_registry_id"],
    )


def approach_row(a: CooperativeApproach) -> Row:
    return {
        "id": a.id,
        "name": a.name,
        "participating_parties": sorted(a.participating_parties),
        "status": a.status.value,
    }


def approach_from(r: In) -> CooperativeApproach:
    return CooperativeApproach(
        id=r["id"],
        name=r["name"],
        participating_parties=frozenset(r["participating_parties"]),
        status=ApproachStatus(r["status"]),
    )


_PROJECT_PLAIN = (
    "id",
    "name",
    "developer",
    "sector",
    "project_type",
    "methodology",
    "country",
    "cooperative_approach_id",
    "developer_id",
)


def project_row(p: Project) -> Row:
    return {
        **{name: getattr(p, name) for name in _PROJECT_PLAIN},
        "status": p.status.value,
        "locations": encode(p.locations),
        "links": list(p.links),
        "crediting_periods": encode(p.crediting_periods),
    }


def project_from(r: In) -> Project:
    return Project(
        **{name: r[name] for name in _PROJECT_PLAIN},
        status=ProjectStatus(r["status"]),
        locations=tuple(decode(Location, item) for item in r["locations"]),
        links=tuple(r["links"]),
        crediting_periods=tuple(decode(CreditingPeriod, item) for item in r["crediting_periods"]),
    )


_ISSUANCE_PLAIN = ("id", "project_id", "monitoring_start", "monitoring_end", "verifier", "verified_on", "issued_on")


def issuance_row(i: Issuance) -> Row:
    return {
        **{name: getattr(i, name) for name in _ISSUANCE_PLAIN},
        "quantities": encode(i.quantities),
        "issued": {str(vintage): quantity for vintage, quantity in sorted(i.issued.items())},
    }


def issuance_from(r: In) -> Issuance:
    return Issuance(
        **{name: r[name] for name in _ISSUANCE_PLAIN},
        quantities=tuple(decode(VintageQuantity, item) for item in r["quantities"]),
        issued={int(vintage): int(quantity) for vintage, quantity in r["issued"].items()},
    )


_ENTITY_FIELDS = (
    "id",
    "cooperative_approach_id",
    "name",
    "country_of_incorporation",
    "identification_number",
    "authorized_on",
    "organization_id",
    "conditions",
    "change_conditions",
    "revoked_at",
)


def entity_row(e: AuthorizedEntity) -> Row:
    return {name: getattr(e, name) for name in _ENTITY_FIELDS}


def entity_from(r: In) -> AuthorizedEntity:
    return AuthorizedEntity(**{name: r[name] for name in _ENTITY_FIELDS})


def authorization_row(a: Authorization) -> Row:
    return {"id": a.id, "reference": a.reference, "versions": encode(a.versions), "consumed": a.consumed}


def authorization_from(r: In) -> Authorization:
    return Authorization(
        id=r["id"],
        reference=r["reference"],
        consumed=r["consumed"],
        versions=[decode(AuthorizationTerms, item) for item in r["versions"]],
    )


_ATTRIBUTES_PLAIN = (
    "cooperative_approach_id",
    "registry_id",
    "first_transferring_party",
    "vintage",
    "project_id",
    "issuance_id",
    "authorization_id",
    "authorization_version",
    "underlying_registry_id",
)


def block_row(b: UnitBlock) -> Row:
    a, first = b.attributes, b.first_transfer
    return {
        "id": b.id,
        "serial_first": b.serial_first,
        "serial_last": b.serial_last,
        **{name: getattr(a, name) for name in _ATTRIBUTES_PLAIN},
        "non_ghg_metric": a.metric.non_ghg_metric,
        "unit_type": a.unit_type.value,
        "mitigation_type": a.mitigation_type.value,
        "underlying_first_unit_id": b.underlying_first_unit_id,
        "account_id": b.account_id,
        "state": b.state.value,
        "reserved_by": b.reserved_by,
        "first_transferred_at": None if first is None else first.at,
        "first_transfer_trigger": None if first is None else first.trigger.value,
        "first_transfer_transaction_id": None if first is None else first.transaction_id,
    }


def block_from(r: In) -> UnitBlock:
    attributes = BlockAttributes(
        **{name: r[name] for name in _ATTRIBUTES_PLAIN},
        metric=Metric(r["non_ghg_metric"]),
        unit_type=UnitType(r["unit_type"]),
        mitigation_type=MitigationType(r["mitigation_type"]),
    )
    first = (
        None
        if r["first_transferred_at"] is None
        else FirstTransfer(
            r["first_transferred_at"],
            FirstTransferTrigger(r["first_transfer_trigger"]),
            r["first_transfer_transaction_id"],
        )
    )
    return UnitBlock(
        id=r["id"],
        serial_first=r["serial_first"],
        serial_last=r["serial_last"],
        attributes=attributes,
        account_id=r["account_id"],
        state=UnitState(r["state"]),
        first_transfer=first,
        reserved_by=r["reserved_by"],
        underlying_first_unit_id=r["underlying_first_unit_id"],
    )
