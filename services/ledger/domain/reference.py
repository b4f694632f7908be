"""Reference data: cooperative approaches, mitigation activities, issuances, authorized entities.

Organizations (account holders, developers) live in the identity context; they are named by id.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Self
from uuid import UUID

from services.ledger.domain import catalogue, events, identifiers
from services.ledger.domain.aggregate import Aggregate
from services.ledger.domain.errors import failed
from services.ledger.domain.values import VintageQuantity


def _required(value: str, field_name: str) -> str:
    if not value.strip():
        raise failed(catalogue.REFERENCE_DATA_VALID, f"{field_name} is empty.", field_name)
    return value.strip()


def _in_order(first: date, last: date, field_name: str) -> None:
    if first > last:
        raise failed(catalogue.REFERENCE_DATA_VALID, f"{field_name} ends before it starts.", field_name)


class ApproachStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


@dataclass(kw_only=True)
class CooperativeApproach(Aggregate):
    id: str
    name: str
    participating_parties: frozenset[str]
    status: ApproachStatus = ApproachStatus.ACTIVE

    def __post_init__(self) -> None:
        identifiers.approach_id(self.id)
        _required(self.name, "name")
        if len(self.participating_parties) < 2:
            raise failed(
                catalogue.REFERENCE_DATA_VALID,
                "A cooperative approach has two Parties or more.",
                "participating_parties",
            )
        for party in self.participating_parties:
            identifiers.party_code(party, "participating_parties")

    def recorded(self) -> Self:
        self.record(
            events.CooperativeApproachRecorded(
                self.id,
                self.name,
                self.participating_parties,
                self.status,
            )
        )
        return self

    def update(self, name: str, parties: frozenset[str], status: ApproachStatus) -> None:
        self.name, self.participating_parties, self.status = name, parties, status
        self.__post_init__()
        self.recorded()

    def includes(self, party: str) -> bool:
        return party in self.participating_parties


class ProjectStatus(StrEnum):
    """The CAD Trust project status picklist."""

    LISTED = "listed"
    VALIDATED = "validated"
    REGISTERED = "registered"
    APPROVED = "approved"
    AUTHORIZED = "authorized"
    COMPLETED = "completed"
    TRANSITIONED = "transitioned"
    INACTIVE = "inactive"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"
    DEREGISTERED = "deregistered"


@dataclass(frozen=True)
class Location:
    country: str
    region: str | None = None
    geographic_identifier: str | None = None


@dataclass(frozen=True)
class CreditingPeriod:
    start: date
    end: date


@dataclass(kw_only=True)
class Project(Aggregate):
    """A mitigation activity, with the CAD Trust project fields the registry keeps."""

    id: UUID
    name: str
    developer: str
    sector: str
    project_type: str
    methodology: str
    status: ProjectStatus
    country: str
    cooperative_approach_id: str | None = None
    developer_id: UUID | None = None
    locations: tuple[Location, ...] = ()
    links: tuple[str, ...] = ()
    crediting_periods: tuple[CreditingPeriod, ...] = ()

    def __post_init__(self) -> None:
        for name in ("name", "developer", "sector", "project_type", "methodology"):
            _required(getattr(self, name), name)
        identifiers.party_code(self.country, "country")
        if self.cooperative_approach_id is not None:
            identifiers.approach_id(self.cooperative_approach_id)
        for location in self.locations:
            identifiers.party_code(location.country, "locations")
        for period in self.crediting_periods:
            _in_order(period.start, period.end, "crediting_periods")

    def recorded(self) -> Self:
        self.record(
            events.ProjectRecorded(
                self.id,
                self.name,
                self.developer,
                self.sector,
                self.project_type,
                self.methodology,
                self.status,
                self.country,
                self.cooperative_approach_id,
            )
        )
        return self


@dataclass(kw_only=True)
class Issuance(Aggregate):
    """A verified quantity per vintage for a project; units are issued against it, never beyond it."""

    id: UUID
    project_id: UUID
    monitoring_start: date
    monitoring_end: date
    verifier: str
    verified_on: date
    issued_on: date
    quantities: tuple[VintageQuantity, ...]
    issued: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _in_order(self.monitoring_start, self.monitoring_end, "monitoring_period")
        _required(self.verifier, "verifier")
        vintages = [identifiers.vintage(line.vintage, "quantities") for line in self.quantities]
        if not vintages or len(set(vintages)) != len(vintages):
            raise failed(catalogue.REFERENCE_DATA_VALID, "Give each vintage once, at least one.", "quantities")
        if any(
            isinstance(q.quantity, bool) or not isinstance(q.quantity, int) or q.quantity <= 0 for q in self.quantities
        ):
            raise failed(catalogue.REFERENCE_DATA_VALID, "Verified quantities are positive integers.", "quantities")

    def recorded(self) -> Self:
        quantities = {str(line.vintage): line.quantity for line in self.quantities}
        self.record(
            events.IssuanceRecorded(
                self.id,
                self.project_id,
                self.monitoring_start,
                self.monitoring_end,
                self.verifier,
                self.verified_on,
                self.issued_on,
                dict(quantities),
            )
        )
        return self

    def remaining(self, vintage: int) -> int:
        verified = sum(line.quantity for line in self.quantities if line.vintage == vintage)
        return verified - self.issued.get(vintage, 0)

    def check_room_for(self, vintage: int, quantity: int) -> None:
        if quantity > self.remaining(vintage):
            raise failed(
                catalogue.ISSUANCE_QUANTITY,
                f"Issuance {self.id} has {self.remaining(vintage)} units of vintage {vintage} left "
                f"to issue, not {quantity}.",
                "quantity",
            )

    def issue(self, vintage: int, quantity: int) -> None:
        self.check_room_for(vintage, quantity)
        self.issued[vintage] = self.issued.get(vintage, 0) + quantity


@dataclass(kw_only=True)
class AuthorizedEntity(Aggregate):
    """An entity a Party authorized under a cooperative approach (AEF Table 5)."""

    id: UUID
    cooperative_approach_id: str
    name: str
    country_of_incorporation: str
    identification_number: str
    authorized_on: date
    organization_id: UUID | None = None
    conditions: str = ""
    change_conditions: str = ""
    revoked_at: datetime | None = None

    def __post_init__(self) -> None:
        identifiers.approach_id(self.cooperative_approach_id)
        identifiers.party_code(self.country_of_incorporation, "country_of_incorporation")
        _required(self.name, "name")
        _required(self.identification_number, "identification_number")

    def recorded(self) -> Self:
        self.record(
            events.AuthorizedEntityRecorded(
                self.id,
                self.cooperative_approach_id,
                self.organization_id,
                self.name,
                self.country_of_incorporation,
                self.identification_number,
                self.authorized_on,
                self.conditions,
                self.revoked_at,
            )
        )
        return self

    def revoke(self, at: datetime) -> None:
        self.revoked_at = at
        self.recorded()

    def is_active(self, at: datetime) -> bool:
        return self.revoked_at is None or self.revoked_at > at
