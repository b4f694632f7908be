"""What the ledger needs to know about its tenant: the Party, its registry and its policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from services.ledger.domain import identifiers
from services.ledger.domain.protection import ProtectionSettings
from services.ledger.domain.transactions import TransactionType

# Acquisition records units another registry already sent: there is nothing left to approve.
_NEVER_HELD = frozenset({TransactionType.ACQUISITION})


@dataclass(frozen=True)
class NdcPeriod:
    first_year: int
    last_year: int

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise ValueError("the NDC implementation period ends before it starts")

    def contains(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class ApprovalPolicy:
    """Which transaction types wait for a second person, and which wait a delay before execution."""

    four_eyes: frozenset[TransactionType] = frozenset()
    delays: Mapping[TransactionType, timedelta] = field(default_factory=dict)

    def requires_approval(self, transaction_type: TransactionType) -> bool:
        return transaction_type in self.four_eyes and transaction_type not in _NEVER_HELD

    def holding(self, types: frozenset[TransactionType]) -> ApprovalPolicy:
        """This policy, with `types` held for approval too."""
        return ApprovalPolicy(self.four_eyes | types, self.delays)

    def delay_for(self, transaction_type: TransactionType) -> timedelta | None:
        delay = self.delays.get(transaction_type)
        if transaction_type in _NEVER_HELD or not delay:
            return None
        return delay


@dataclass(frozen=True)
class RegistrySettings:
    """A tenant's ledger settings, from the tenant configuration.

    `on_hold` stops every unit action while a reconciliation or a CARP inconsistency is open; `protection`
    holds the registry's side of the account-protection controls.
    """

    party: str
    registry_id: str
    ndc_period: NdcPeriod
    approval_policy: ApprovalPolicy = ApprovalPolicy()
    on_hold: bool = False
    protection: ProtectionSettings = field(default_factory=ProtectionSettings)

    def __post_init__(self) -> None:
        identifiers.party_code(self.party)
        if not identifiers.registry_id(self.registry_id).startswith(self.party):
            raise ValueError(f"registry {self.registry_id} is not a registry of {self.party}")
