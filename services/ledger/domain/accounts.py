"""Accounts: who holds units, or where used, cancelled and retired units rest."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Self
from uuid import UUID

from services.ledger.domain import catalogue, events, identifiers
from services.ledger.domain.aggregate import Aggregate
from services.ledger.domain.errors import failed
from services.ledger.domain.identifiers import AccountNumber
from services.ledger.domain.values import Metric
from services.shared.messages import to_json_safe


class AccountType(StrEnum):
    ISSUANCE = "issuance"
    PARTY_HOLDING = "party_holding"
    ENTITY_HOLDING = "entity_holding"
    NDC_USE = "ndc_use"
    OIMP = "oimp"
    VOLUNTARY_CANCELLATION = "voluntary_cancellation"
    OMGE_CANCELLATION = "omge_cancellation"
    RETIREMENT = "retirement"
    EXTERNAL = "external"

    @property
    def code(self) -> int:
        """The TYPE part of the account number, after the Kyoto DES numbering."""
        return _TYPE_CODES[self]


_TYPE_CODES = {
    AccountType.PARTY_HOLDING: 100,
    AccountType.ISSUANCE: 110,
    AccountType.ENTITY_HOLDING: 120,
    AccountType.NDC_USE: 200,
    AccountType.OIMP: 210,
    AccountType.VOLUNTARY_CANCELLATION: 230,
    AccountType.OMGE_CANCELLATION: 250,
    AccountType.RETIREMENT: 300,
    AccountType.EXTERNAL: 900,
}

HOLDING_TYPES = frozenset({AccountType.PARTY_HOLDING, AccountType.ENTITY_HOLDING})


class AccountStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class OimpAction(StrEnum):
    USE = "use"
    CANCELLATION = "cancellation"


@dataclass(kw_only=True)
class Account(Aggregate):
    """An account of one tenant. Type-specific details are empty unless the type needs them:

    NDC use accounts name the calendar year of use, OIMP accounts the purpose (e.g. CORSIA) and
    whether units are used or cancelled for it, external accounts another Party's registry.
    """

    id: UUID
    number: AccountNumber
    type: AccountType
    metric: Metric
    name: str
    opened_at: datetime
    holder_id: UUID | None = None
    status: AccountStatus = AccountStatus.OPEN
    ndc_year: int | None = None
    oimp_purpose: str | None = None
    oimp_action: OimpAction | None = None
    external_party: str | None = None
    external_registry_id: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise failed(catalogue.ACCOUNT_DETAILS_COMPLETE, "The account needs a name.", "name")
        for field_name in _REQUIRED_DETAILS.get(self.type, ()):
            if getattr(self, field_name) in (None, ""):
                raise failed(
                    catalogue.ACCOUNT_DETAILS_COMPLETE, f"A {self.type} account needs {field_name}.", field_name
                )
        if self.ndc_year is not None:
            identifiers.vintage(self.ndc_year, "ndc_year")
        if self.external_party is not None:
            identifiers.party_code(self.external_party, "external_party")
        if self.external_registry_id is not None:
            identifiers.registry_id(self.external_registry_id, "external_registry_id")

    def opened(self) -> Self:
        details = {name: getattr(self, name) for name in _ALL_DETAILS if getattr(self, name) is not None}
        self.record(
            events.AccountOpened(
                self.id,
                str(self.number),
                self.type,
                str(self.metric),
                self.name,
                self.holder_id,
                {key: to_json_safe(value) for key, value in details.items()},
                self.opened_at,
            )
        )
        return self

    @property
    def is_open(self) -> bool:
        return self.status is AccountStatus.OPEN

    def change_status(self, status: AccountStatus, at: datetime) -> None:
        if self.status is AccountStatus.CLOSED and status is not AccountStatus.CLOSED:
            raise failed(catalogue.ACCOUNT_STATUS_CHANGE_ALLOWED, f"Account {self.number} is closed.", "status")
        previous, self.status = self.status, status
        self.record(events.AccountStatusChanged(self.id, str(self.number), previous, status, at))


_REQUIRED_DETAILS = {
    AccountType.ENTITY_HOLDING: ("holder_id",),
    AccountType.NDC_USE: ("ndc_year",),
    AccountType.OIMP: ("oimp_purpose", "oimp_action"),
    AccountType.EXTERNAL: ("external_party", "external_registry_id"),
}
_ALL_DETAILS = ("ndc_year", "oimp_purpose", "oimp_action", "external_party", "external_registry_id")
