"""Authorizations: versioned decisions of the first transferring Party on what units may be used for."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Self
from uuid import UUID

from services.ledger.domain import catalogue, events, identifiers
from services.ledger.domain.aggregate import Aggregate
from services.ledger.domain.errors import failed
from services.ledger.domain.values import Metric
from services.shared.messages import JsonValue, to_json_safe


class Purpose(StrEnum):
    NDC = "NDC"
    OIMP = "OIMP"
    IMP = "IMP"
    OP = "OP"


OIMP_PURPOSES = frozenset({Purpose.OIMP, Purpose.IMP, Purpose.OP})
ALLOWED_PURPOSES = frozenset(
    {
        frozenset({Purpose.NDC}),
        frozenset({Purpose.OIMP}),
        frozenset({Purpose.IMP}),
        frozenset({Purpose.OP}),
        frozenset({Purpose.NDC, Purpose.OIMP}),
        frozenset({Purpose.NDC, Purpose.IMP}),
        frozenset({Purpose.NDC, Purpose.OP}),
    }
)


class FirstTransferDefinition(StrEnum):
    """When units authorized for OIMP are first transferred, as the Party specified."""

    AUTHORIZATION = "authorization"
    ISSUANCE = "issuance"
    USE_OR_CANCELLATION = "use_or_cancellation"


@dataclass(frozen=True)
class Timeframe:
    """Vintages authorized (`vintage_from`..`vintage_to`) and the dates the authorization is valid."""

    vintage_from: int
    vintage_to: int
    valid_from: date | None = None
    valid_until: date | None = None

    def covers_vintage(self, vintage: int) -> bool:
        return self.vintage_from <= vintage <= self.vintage_to

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class AuthorizationTerms:
    """One version of an authorization, with the AEF Table 2 fields."""

    version: int
    authorized_on: date
    cooperative_approach_id: str
    authorizing_party: str
    metric: Metric
    purposes: frozenset[Purpose]
    timeframe: Timeframe
    authorized_quantity: int | None = None
    oimp_first_transfer: FirstTransferDefinition | None = None
    gwp_values: tuple[str, ...] = ()
    conversion_factor: Decimal | None = None
    sectors: frozenset[str] = frozenset()
    activity_types: frozenset[str] = frozenset()
    authorized_parties: frozenset[str] = frozenset()
    authorized_entities: frozenset[UUID] = frozenset()
    terms: str = ""

    @property
    def covers_oimp(self) -> bool:
        return bool(self.purposes & OIMP_PURPOSES)

    def __post_init__(self) -> None:
        identifiers.approach_id(self.cooperative_approach_id)
        identifiers.party_code(self.authorizing_party, "authorizing_party")
        for party in self.authorized_parties:
            identifiers.party_code(party, "authorized_parties")
        _check_terms(self)


def _invalid(detail: str, field_name: str) -> Exception:
    return failed(catalogue.AUTHORIZATION_TERMS_VALID, detail, field_name)


def _check_terms(terms: AuthorizationTerms) -> None:
    if terms.version < 1:
        raise _invalid("Versions start at 1.", "version")
    if terms.purposes not in ALLOWED_PURPOSES:
        raise _invalid(f"{sorted(terms.purposes)} is not a purpose of the nomenclature.", "purposes")
    if terms.covers_oimp != (terms.oimp_first_transfer is not None):
        raise _invalid(
            "An OIMP authorization, and only one, names its first-transfer definition.", "oimp_first_transfer"
        )
    frame = terms.timeframe
    identifiers.vintage(frame.vintage_from, "timeframe")
    identifiers.vintage(frame.vintage_to, "timeframe")
    if frame.vintage_from > frame.vintage_to or (
        frame.valid_from and frame.valid_until and frame.valid_from > frame.valid_until
    ):
        raise _invalid("The timeframe ends before it starts.", "timeframe")
    quantity = terms.authorized_quantity
    if quantity is not None and (isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0):
        raise _invalid("An authorized quantity is a positive whole number.", "authorized_quantity")
    if not terms.metric.is_ghg and (terms.conversion_factor is None or terms.conversion_factor <= 0):
        raise failed(catalogue.METRIC_VALID, "The non-GHG authorization has no conversion factor.", "conversion_factor")


@dataclass(kw_only=True)
class Authorization(Aggregate):
    """All versions of one authorization; the last is in force. `consumed` counts units authorized."""

    id: UUID
    reference: str
    versions: list[AuthorizationTerms] = field(default_factory=list)
    consumed: int = 0

    def __post_init__(self) -> None:
        if not self.reference.strip():
            raise _invalid("An authorization has the id the Party gave it.", "reference")

    @property
    def current(self) -> AuthorizationTerms:
        return self.versions[-1]

    def add_version(self, terms: AuthorizationTerms) -> Self:
        if self.versions and (
            terms.cooperative_approach_id != self.current.cooperative_approach_id
            or terms.authorizing_party != self.current.authorizing_party
        ):
            raise _invalid("A new version keeps the cooperative approach and the Party.", "cooperative_approach_id")
        expected = len(self.versions) + 1
        if terms.version != expected:
            raise _invalid(f"The next version of {self.reference} is {expected}.", "version")
        self.versions.append(terms)
        self.record(events.AuthorizationRecorded(self.id, self.reference, terms.version, terms_data(terms)))
        return self

    def learn_version(self, terms: AuthorizationTerms) -> Self:
        """Record another Party's authorization as its registry sent it: versions may skip, never go back."""
        if not self.versions or terms.version > self.current.version:
            self.versions.append(terms)
            self.record(events.AuthorizationRecorded(self.id, self.reference, terms.version, terms_data(terms)))
        return self

    def in_force_on(self, moment: datetime) -> bool:
        terms = self.current
        return terms.authorized_on <= moment.date() and terms.timeframe.valid_on(moment.date())

    def check_room_for(self, quantity: int) -> None:
        limit = self.current.authorized_quantity
        if limit is not None and self.consumed + quantity > limit:
            raise failed(
                catalogue.AUTHORIZED_QUANTITY,
                f"Authorization {self.reference} has {limit - self.consumed} units left, not {quantity}.",
                "quantity",
            )

    def consume(self, quantity: int) -> None:
        self.check_room_for(quantity)
        self.consumed += quantity


def terms_data(terms: AuthorizationTerms) -> dict[str, JsonValue]:
    data = to_json_safe(terms)
    if not isinstance(data, dict):
        raise TypeError("authorization terms are a dataclass")
    return data
